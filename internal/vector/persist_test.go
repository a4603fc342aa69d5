package vector

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"slices"
	"testing"
)

func save(t testing.TB, x *Index) []byte {
	t.Helper()
	var buf bytes.Buffer
	n, err := x.WriteTo(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Fatalf("WriteTo reported %d bytes, wrote %d", n, buf.Len())
	}
	return buf.Bytes()
}

func TestPersistRoundTrip(t *testing.T) {
	t.Parallel()
	n := uint64(scaled(3000))
	x, d := build(t, int(n), Options{MaxTombstones: -1})
	for id := uint64(0); id < n; id += 7 {
		x.Delete(id)
	}
	x.Compact()
	for id := uint64(1); id < n; id += 11 {
		x.Delete(id) // left as tombstones
	}
	stamp := Stamp{TableVersion: 42, Model: "bge-small-en-v1.5"}
	if err := x.SetStamp(stamp); err != nil {
		t.Fatal(err)
	}
	data := save(t, x)

	info, err := ReadInfo(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Info{Dim: testDim, M: DefaultM, Len: x.Len(), Stamp: stamp}); info != want {
		t.Errorf("ReadInfo = %+v, want %+v", info, want)
	}
	y, err := Load(bytes.NewReader(data), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if y.Len() != x.Len() || y.Stamp() != stamp || y.Dim() != testDim || y.MemoryBytes() != x.MemoryBytes() {
		t.Fatalf("loaded index differs: Len %d/%d, stamp %+v", y.Len(), x.Len(), y.Stamp())
	}
	for _, q := range d.queries {
		a, _ := x.Search(q, 10, nil)
		b, _ := y.Search(q, 10, nil)
		if !slices.Equal(a, b) {
			t.Fatalf("search differs after load:\n%v\n%v", a, b)
		}
	}
	if again := save(t, y); !bytes.Equal(again, data) {
		t.Error("saving the loaded index gives different bytes")
	}
	// The loaded index is fully writable.
	if err := y.AddBatch([]uint64{1, 7, 100000}, d.vecs[:3]); err != nil {
		t.Fatal(err)
	}
	if r := meanRecall(t, y, d.queries, 10, nil); r < 0.95 {
		t.Errorf("recall@10 after load and writes = %.3f", r)
	}
}

func TestPersistEmpty(t *testing.T) {
	t.Parallel()
	y, err := Load(bytes.NewReader(save(t, New(8, Options{}))), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if y.Len() != 0 || y.Dim() != 8 {
		t.Errorf("Len %d, Dim %d", y.Len(), y.Dim())
	}
	if err := y.Add(1, make([]float32, 8)); err != nil {
		t.Fatal(err)
	}
}

func TestDeterministicBuild(t *testing.T) {
	t.Parallel()
	a, _ := build(t, 500, Options{Seed: 9, Workers: 1})
	b, _ := build(t, 500, Options{Seed: 9, Workers: 1})
	if !bytes.Equal(save(t, a), save(t, b)) {
		t.Error("same seed, same inserts, one worker: different files")
	}
}

// TestCorrupt flips bytes and truncates a small index file: every damaged
// file must fail to load with ErrCorrupt or ErrVersion.
func TestCorrupt(t *testing.T) {
	t.Parallel()
	x, _ := build(t, 60, Options{})
	if err := x.SetStamp(Stamp{TableVersion: 1, Model: "m"}); err != nil {
		t.Fatal(err)
	}
	data := save(t, x)
	damaged := func(what string, b []byte) {
		t.Helper()
		_, err := Load(bytes.NewReader(b), Options{})
		if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
			t.Fatalf("%s: err = %v, want ErrCorrupt", what, err)
		}
	}
	for i := 0; i < len(data); i += 7 {
		b := slices.Clone(data)
		b[i] ^= 1 << (i % 8)
		damaged("flip", b)
	}
	for n := 0; n < len(data); n += 11 {
		damaged("truncate", data[:n])
	}
	damaged("truncate by one", data[:len(data)-1])
}

// TestInconsistent damages the file and repairs the checksums, so that
// only the structural checks stand between the bytes and the search.
func TestInconsistent(t *testing.T) {
	t.Parallel()
	x, _ := build(t, 40, Options{})
	data := save(t, x)
	body := 52 + 4      // no model name
	rec := body + 1 + 8 // first record, after state and id
	for _, tc := range []struct {
		name string
		edit func(b []byte)
	}{
		{"unknown state", func(b []byte) { b[body] = 9 }},
		{"level too high", func(b []byte) { b[rec] = maxLevel + 1 }},
		{"live count", func(b []byte) { binary.LittleEndian.PutUint32(b[28:], 41) }},
		{"entry point", func(b []byte) { binary.LittleEndian.PutUint64(b[32:], 1<<40) }},
		{"dimension", func(b []byte) { binary.LittleEndian.PutUint32(b[12:], 0) }},
		{"link out of range", func(b []byte) {
			off := rec + 1 + 4*testDim // layer-0 count of the first record
			binary.LittleEndian.PutUint32(b[off+2:], 1<<30)
		}},
	} {
		b := slices.Clone(data)
		tc.edit(b)
		if _, err := Load(bytes.NewReader(reseal(b)), Options{}); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", tc.name, err)
		}
	}
	if _, err := Load(bytes.NewReader(reseal(slices.Clone(data))), Options{}); err != nil {
		t.Errorf("reseal broke a good file: %v", err)
	}
}

// reseal recomputes the header and body checksums of a file, as far as
// its length allows.
func reseal(b []byte) []byte {
	if len(b) < headerFixed {
		return b
	}
	end := headerFixed + int(binary.LittleEndian.Uint32(b[headerFixed-4:]))
	if end < headerFixed || len(b) < end+4 {
		return b
	}
	binary.LittleEndian.PutUint32(b[end:], crc32.Checksum(b[:end], castagnoli))
	if len(b) >= end+8 {
		body := b[end+4 : len(b)-4]
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(body, castagnoli))
	}
	return b
}

func FuzzReadFrom(f *testing.F) {
	x, d := build(f, 30, Options{})
	if err := x.SetStamp(Stamp{TableVersion: 3, Model: "e5"}); err != nil {
		f.Fatal(err)
	}
	data := save(f, x)
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add(save(f, New(2, Options{})))
	f.Add([]byte(magic))
	q := d.queries[0]
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, reseal(slices.Clone(b))} {
			_, _ = ReadInfo(bytes.NewReader(in))
			y, err := Load(bytes.NewReader(in), Options{})
			if err != nil {
				if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
					t.Fatalf("error %v wraps neither ErrCorrupt nor ErrVersion", err)
				}
				continue
			}
			// Whatever loads must be safe to use.
			qq := make([]float32, y.Dim())
			copy(qq, q)
			_, _ = y.Search(qq, 5, nil)
			_, _ = y.Search(qq, 5, func(id uint64) bool { return id%2 == 0 })
			_ = y.Add(12345, qq)
			y.Delete(12345)
			y.Compact()
			if _, err := y.WriteTo(new(bytes.Buffer)); err != nil {
				t.Fatal(err)
			}
		}
	})
}
