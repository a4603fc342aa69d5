package blobtest

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/zero711/brain/internal/blob"
)

func testRoundTrip(t *testing.T, s blob.Store) {
	data := []byte(`{"commitInfo":{"operation":"WRITE"}}`)
	before := time.Now().Add(-time.Hour)
	put(t, s, "_delta_log/00000000000000000000.json", data)
	wantContent(t, s, "_delta_log/00000000000000000000.json", data)

	o, err := s.Stat(t.Context(), "_delta_log/00000000000000000000.json")
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if o.Name != "_delta_log/00000000000000000000.json" || o.Size != int64(len(data)) {
		t.Errorf("Stat = %+v, want name _delta_log/00000000000000000000.json size %d", o, len(data))
	}
	if o.ModTime.Before(before) || o.ModTime.After(time.Now().Add(time.Hour)) {
		t.Errorf("Stat ModTime = %v, want about now", o.ModTime)
	}
}

func testEmpty(t *testing.T, s blob.Store) {
	put(t, s, "empty", nil)
	wantContent(t, s, "empty", []byte{})
	r, err := s.Open(t.Context(), "empty")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	if n, err := r.ReadAt(make([]byte, 4), 0); n != 0 || err != io.EOF {
		t.Errorf("ReadAt on empty object = %d, %v; want 0, io.EOF", n, err)
	}
	if o, err := s.Stat(t.Context(), "empty"); err != nil || o.Size != 0 {
		t.Errorf("Stat = %+v, %v; want size 0", o, err)
	}
}

func testOverwrite(t *testing.T, s blob.Store) {
	put(t, s, "dir/obj", []byte("the first, longer version"))
	put(t, s, "dir/obj", []byte("second"))
	wantContent(t, s, "dir/obj", []byte("second"))
	if o, err := s.Stat(t.Context(), "dir/obj"); err != nil || o.Size != 6 {
		t.Errorf("Stat after overwrite = %+v, %v; want size 6", o, err)
	}
	wantNames(t, `List("")`, names(t, s, ""), []string{"dir/obj"})
}

func testReadAt(t *testing.T, s blob.Store) {
	data := random(1, 300_000)
	put(t, s, "part-0.parquet", data)
	r, err := s.Open(t.Context(), "part-0.parquet")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	if r.Size() != int64(len(data)) {
		t.Fatalf("Size() = %d, want %d", r.Size(), len(data))
	}
	size := int64(len(data))
	for _, tc := range []struct {
		off, n  int64
		wantN   int64
		wantEOF bool
	}{
		{0, 4, 4, false},
		{size - 8, 8, 8, false}, // a Parquet footer
		{123_456, 65_536, 65_536, false},
		{size - 10, 100, 10, true},
		{size, 1, 0, true},
		{size + 100, 1, 0, true},
	} {
		p := make([]byte, tc.n)
		n, err := r.ReadAt(p, tc.off)
		if int64(n) != tc.wantN || (err == io.EOF) != tc.wantEOF || (err != nil && err != io.EOF) {
			t.Errorf("ReadAt(%d bytes at %d) = %d, %v; want %d, EOF %v", tc.n, tc.off, n, err, tc.wantN, tc.wantEOF)
			continue
		}
		if n > 0 && !bytes.Equal(p[:n], data[tc.off:tc.off+int64(n)]) {
			t.Errorf("ReadAt(%d bytes at %d) returned other bytes", tc.n, tc.off)
		}
	}

	// ReadAt neither moves nor is moved by the sequential position.
	head := make([]byte, 1000)
	if _, err := io.ReadFull(r, head); err != nil || !bytes.Equal(head, data[:1000]) {
		t.Fatalf("Read first 1000 bytes: %v", err)
	}
	if _, err := r.ReadAt(make([]byte, 10), 200_000); err != nil {
		t.Fatalf("ReadAt: %v", err)
	}
	rest, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(rest, data[1000:]) {
		t.Errorf("Read after ReadAt: %d bytes, %v; want the %d bytes after the first 1000", len(rest), err, len(data)-1000)
	}
}

func testReadAtConcurrent(t *testing.T, s blob.Store) {
	data := random(2, 1<<20)
	put(t, s, "part-1.parquet", data)
	r, err := s.Open(t.Context(), "part-1.parquet")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer r.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			off := int64(i) * 60_000
			p := make([]byte, 50_000)
			if n, err := r.ReadAt(p, off); err != nil {
				errs <- fmt.Errorf("ReadAt(%d): %d, %w", off, n, err)
			} else if !bytes.Equal(p, data[off:off+50_000]) {
				errs <- fmt.Errorf("ReadAt(%d) returned other bytes", off)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func testMissing(t *testing.T, s blob.Store) {
	wantMissing(t, s, "nope.json")
	wantMissing(t, s, "no/such/dir/nope.json")
	put(t, s, "dir/sub/obj", []byte("x"))
	// A name that is only a prefix of other names is not an object.
	wantMissing(t, s, "dir")
	wantMissing(t, s, "dir/sub")
	wantMissing(t, s, "dir/su")
}

func testDelete(t *testing.T, s blob.Store) {
	put(t, s, "a/b/c", []byte("x"))
	put(t, s, "a/b/d", []byte("y"))
	if err := s.Delete(t.Context(), "a/b/c"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantMissing(t, s, "a/b/c")
	wantNames(t, `List("")`, names(t, s, ""), []string{"a/b/d"})
	if err := s.Delete(t.Context(), "a/b/c"); err != nil {
		t.Errorf("Delete again: %v, want nil", err)
	}
	if err := s.Delete(t.Context(), "never/was"); err != nil {
		t.Errorf("Delete of a missing object: %v, want nil", err)
	}
	if err := s.Delete(t.Context(), "a/b/d"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantNames(t, `List("")`, names(t, s, ""), []string{})
	// The name can be used again, also by a create-only write.
	if err := s.PutIfAbsent(t.Context(), "a/b/c", bytes.NewReader([]byte("z")), 1); err != nil {
		t.Errorf("PutIfAbsent after Delete: %v", err)
	}
	wantContent(t, s, "a/b/c", []byte("z"))
}
