package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zero711/brain/internal/blob"
)

func testPutIfAbsent(t *testing.T, s blob.Store) {
	ctx := t.Context()
	first := []byte(`{"add":{"path":"part-0.parquet"}}`)
	if err := s.PutIfAbsent(ctx, "_delta_log/00000000000000000001.json", bytes.NewReader(first), int64(len(first))); err != nil {
		t.Fatalf("PutIfAbsent of a new name: %v", err)
	}
	second := []byte(`{"remove":{"path":"part-0.parquet"}}`)
	err := s.PutIfAbsent(ctx, "_delta_log/00000000000000000001.json", bytes.NewReader(second), int64(len(second)))
	wantErr(t, "PutIfAbsent of a taken name", err, blob.ErrExists)
	wantContent(t, s, "_delta_log/00000000000000000001.json", first)
	wantNames(t, `List("")`, names(t, s, ""), []string{"_delta_log/00000000000000000001.json"})
}

// testPutIfAbsentRace lets 16 writers race for one name, several rounds:
// exactly one may win, and the object holds the winner's whole content.
func testPutIfAbsentRace(t *testing.T, s blob.Store) {
	const writers = 16
	for round := range 4 {
		name := fmt.Sprintf("_delta_log/%020d.json", round)
		bodies := make([][]byte, writers)
		for i := range bodies {
			// Different sizes, so that a mix of two bodies shows.
			bodies[i] = bytes.Repeat([]byte{byte('A' + i)}, 64<<10+i*1000)
		}
		errs := make([]error, writers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range writers {
			wg.Go(func() {
				<-start
				errs[i] = s.PutIfAbsent(t.Context(), name, bytes.NewReader(bodies[i]), int64(len(bodies[i])))
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: writers %d and %d both won", round, winner, i)
			case err == nil:
				winner = i
			default:
				wantErr(t, fmt.Sprintf("round %d: losing writer %d", round, i), err, blob.ErrExists)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no writer won: %v", round, errs)
		}
		wantContent(t, s, name, bodies[winner])
	}
}

// testPutAtomicReplace overwrites one object while others read it: a
// reader sees one whole version or an error, never a mix or a torn one.
func testPutAtomicReplace(t *testing.T, s blob.Store) {
	version := func(v int) []byte { return bytes.Repeat([]byte{byte('a' + v)}, 100_000+v*7_000) }
	put(t, s, "_delta_log/_last_checkpoint", version(0))
	var done atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 3 {
		wg.Go(func() {
			for i := range 4 {
				v := 1 + w*4 + i
				body := version(v)
				if err := s.Put(t.Context(), "_delta_log/_last_checkpoint", bytes.NewReader(body), int64(len(body))); err != nil {
					errs <- fmt.Errorf("put version %d: %w", v, err)
				}
			}
		})
	}
	var readers sync.WaitGroup
	for range 3 {
		readers.Go(func() {
			for !done.Load() {
				if _, err := checkVersion(t.Context(), s, "_delta_log/_last_checkpoint", version); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	done.Store(true)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if ok, err := checkVersion(t.Context(), s, "_delta_log/_last_checkpoint", version); !ok || err != nil {
		t.Errorf("reading the object after the writes: ok %v, %v", ok, err)
	}
}

// checkVersion reads name and reports a torn or mixed read as an error.
// An error while opening or reading is no failure, only not ok: a store
// may refuse to read an object replaced under the reader rather than
// serve a mix.
func checkVersion(ctx context.Context, s blob.Store, name string, version func(int) []byte) (ok bool, err error) {
	r, err := s.Open(ctx, name)
	if err != nil {
		return false, nil
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return false, nil
	}
	if len(data) == 0 || !bytes.Equal(data, version(int(data[0]-'a'))) || r.Size() != int64(len(data)) {
		return false, fmt.Errorf("read a torn or mixed object: %d bytes, Size %d", len(data), r.Size())
	}
	return true, nil
}

// slowReader yields its data in small steps and cancels a context after
// the first one, as a client that hangs up in the middle of an upload.
type slowReader struct {
	data   []byte
	cancel context.CancelFunc
	reads  int
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	if r.reads++; r.reads == 2 {
		r.cancel()
	}
	n := copy(p[:min(len(p), 4096)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func testContext(t *testing.T, s blob.Store) {
	put(t, s, "kept", []byte("old content"))
	ctx := cancelled(t)

	err := s.Put(ctx, "new", bytes.NewReader([]byte("x")), 1)
	wantErr(t, "Put with an ended context", err, context.Canceled)
	err = s.PutIfAbsent(ctx, "new", bytes.NewReader([]byte("x")), 1)
	wantErr(t, "PutIfAbsent with an ended context", err, context.Canceled)
	wantMissing(t, s, "new")

	if r, err := s.Open(ctx, "kept"); err == nil {
		r.Close()
		t.Errorf("Open with an ended context: nil error")
	} else {
		wantErr(t, "Open with an ended context", err, context.Canceled)
	}
	_, err = s.Stat(ctx, "kept")
	wantErr(t, "Stat with an ended context", err, context.Canceled)
	_, err = s.List(ctx, "")
	wantErr(t, "List with an ended context", err, context.Canceled)
	err = s.Delete(ctx, "kept")
	wantErr(t, "Delete with an ended context", err, context.Canceled)

	// An upload cancelled half way leaves the old content in place.
	for _, size := range []int64{1 << 20, -1} {
		ctx, cancel := context.WithCancel(t.Context())
		r := &slowReader{data: random(3, 1<<20), cancel: cancel}
		if err := s.Put(ctx, "kept", r, size); err == nil {
			t.Errorf("Put (size %d) cancelled half way: nil error", size)
		}
		cancel()
	}
	ctx, cancel := context.WithCancel(t.Context())
	r := &slowReader{data: random(3, 1<<20), cancel: cancel}
	if err := s.PutIfAbsent(ctx, "half", r, 1<<20); err == nil {
		t.Errorf("PutIfAbsent cancelled half way: nil error")
	}
	cancel()
	wantContent(t, s, "kept", []byte("old content"))
	wantMissing(t, s, "half")
	wantNames(t, `List("")`, names(t, s, ""), []string{"kept"})
}

// testUnknownSize writes with size -1, the length of the reader being
// unknown to the caller.
func testUnknownSize(t *testing.T, s blob.Store) {
	data := random(4, 70_000)
	if err := s.Put(t.Context(), "upload/report.pdf", io.MultiReader(bytes.NewReader(data)), -1); err != nil {
		t.Fatalf("Put with size -1: %v", err)
	}
	wantContent(t, s, "upload/report.pdf", data)
	if err := s.PutIfAbsent(t.Context(), "upload/other.pdf", io.MultiReader(bytes.NewReader(data)), -1); err != nil {
		t.Fatalf("PutIfAbsent with size -1: %v", err)
	}
	wantContent(t, s, "upload/other.pdf", data)
	err := s.PutIfAbsent(t.Context(), "upload/other.pdf", bytes.NewReader([]byte("x")), -1)
	wantErr(t, "PutIfAbsent with size -1 of a taken name", err, blob.ErrExists)
}

// testLarge writes and reads 20 MiB objects, more than one part of a
// multipart upload.
func testLarge(t *testing.T, s blob.Store) {
	const size = 20 << 20
	data := random(5, size)
	put(t, s, "big/part-00000.parquet", data)
	if err := s.PutIfAbsent(t.Context(), "big/part-00001.parquet", io.MultiReader(bytes.NewReader(data)), -1); err != nil {
		t.Fatalf("PutIfAbsent of 20 MiB with size -1: %v", err)
	}
	want := sha256.Sum256(data)
	for _, name := range []string{"big/part-00000.parquet", "big/part-00001.parquet"} {
		r, err := s.Open(t.Context(), name)
		if err != nil {
			t.Fatalf("Open(%s): %v", name, err)
		}
		h := sha256.New()
		n, err := io.Copy(h, r)
		if err != nil || n != size || r.Size() != size || !bytes.Equal(h.Sum(nil), want[:]) {
			t.Errorf("%s: read %d bytes, %v, Size %d; want the %d bytes written", name, n, err, r.Size(), size)
		}
		tail := make([]byte, 100_000)
		if _, err := r.ReadAt(tail, size-100_000); err != nil || !bytes.Equal(tail, data[size-100_000:]) {
			t.Errorf("%s: ReadAt of the last 100000 bytes: %v", name, err)
		}
		r.Close()
	}
	objs, err := s.List(t.Context(), "big/")
	if err != nil || len(objs) != 2 || objs[0].Size != size || objs[1].Size != size {
		t.Errorf("List(big/) = %+v, %v; want two objects of %d bytes", objs, err, size)
	}
}
