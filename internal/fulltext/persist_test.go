package fulltext

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"
)

// save returns the bytes WriteTo writes for x.
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
	r := rand.New(rand.NewPCG(7, 8))
	docs := append(zipfCorpus(r, 3000, 1500), corpus...)
	x := build(t, docs)
	x.Delete(docs[10].id)
	x.Delete(3)
	x.SetStamp(Stamp{TableVersion: 42, Meta: `{"table":"chunks"}`})
	b := save(t, x)

	y := New(Options{})
	y.Add(99999, "wird ersetzt", "de")
	n, err := y.ReadFrom(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(len(b)) {
		t.Errorf("ReadFrom reported %d bytes of %d", n, len(b))
	}
	if s := y.Stamp(); s.TableVersion != 42 || s.Meta != `{"table":"chunks"}` {
		t.Errorf("stamp = %+v", s)
	}
	if x.Len() != y.Len() {
		t.Errorf("Len %d, want %d", y.Len(), x.Len())
	}
	for _, q := range []string{"w1 w2", "w17 w300 w5", "Mietvertrag", "§ 8 KStG", "wird ersetzt", "Straße"} {
		if a, b := x.Search(q, 20, nil), y.Search(q, 20, nil); !slices.Equal(a, b) {
			t.Errorf("%q: before %v, after %v", q, a, b)
		}
	}
	if !bytes.Equal(save(t, y), b) {
		t.Error("a loaded index writes other bytes")
	}
	y.Add(123456789, "neuer Vertrag nach dem Laden", "de")
	if got := ids(y.Search("Vertrag Laden", 1, nil)); !slices.Equal(got, []uint64{123456789}) {
		t.Errorf("add after load: %v", got)
	}
}

func TestPersistEmpty(t *testing.T) {
	t.Parallel()
	y := New(Options{})
	if _, err := y.ReadFrom(bytes.NewReader(save(t, New(Options{})))); err != nil {
		t.Fatal(err)
	}
	if y.Len() != 0 || y.Search("x", 10, nil) != nil {
		t.Error("empty index not empty")
	}
}

func TestPersistCorrupt(t *testing.T) {
	t.Parallel()
	x := build(t, corpus)
	x.SetStamp(Stamp{TableVersion: 7})
	b := save(t, x)
	check := func(what string, data []byte) {
		t.Helper()
		y := build(t, corpus[:1])
		if _, err := y.ReadFrom(bytes.NewReader(data)); !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrVersion) {
			t.Fatalf("%s: err = %v", what, err)
		}
		if y.Len() != 1 || y.Stamp().TableVersion != 0 {
			t.Fatalf("%s: failed load changed the index", what)
		}
	}
	for n := 0; n < len(b); n++ {
		check("truncated", b[:n])
	}
	for i := 0; i < len(b); i++ {
		c := slices.Clone(b)
		c[i] ^= 1 << (i % 8)
		check("flipped", c)
	}
	check("trailing", append(slices.Clone(b), 0))
	c := slices.Clone(b)
	c[len(magic)]++
	if _, err := New(Options{}).ReadFrom(bytes.NewReader(c)); !errors.Is(err, ErrVersion) {
		t.Errorf("other version: %v", err)
	}
}

func FuzzReadFrom(f *testing.F) {
	x := build(f, corpus)
	f.Add(save(f, x))
	f.Add(save(f, New(Options{})))
	blocks := New(Options{}) // small, but with sealed blocks
	for i := range 300 {
		blocks.Add(uint64(i), fmt.Sprintf("w%d w%d w%d", i%3, i%5, i), "fr")
	}
	blocks.Delete(7)
	f.Add(save(f, blocks))
	f.Fuzz(func(t *testing.T, data []byte) {
		load(t, data)
		// Again with a valid checksum, so that the structural checks are
		// what stands between the input and the search loop.
		if len(data) >= 4 {
			body := data[:len(data)-4]
			load(t, binary.LittleEndian.AppendUint32(slices.Clip(body), crc32.Checksum(body, castagnoli)))
		}
	})
}

// load reads data and, when it loads, uses the index.
func load(t *testing.T, data []byte) {
	y := New(Options{})
	if _, err := y.ReadFrom(bytes.NewReader(data)); err != nil {
		return
	}
	y.Search("Steuer w1 w2 w3 w4 § 8", 10, nil)
	y.Search("Vertrag", 1000, nil)
	y.Add(1, "Vertrag", "de")
	y.Delete(2)
	save(t, y)
}

func TestPersistOtherParameters(t *testing.T) {
	t.Parallel()
	// Block bounds are recomputed on load with the loading index's BM25
	// parameters, so that pruning stays exact.
	r := rand.New(rand.NewPCG(23, 24))
	b := save(t, build(t, zipfCorpus(r, 3000, 500)))
	for _, opts := range []Options{{K1: 2.5, B: 0.2}, {K1: 0.5, B: 1}, {B: -1}} {
		y := New(opts)
		if _, err := y.ReadFrom(bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
		z := rand.NewZipf(r, 1.1, 2, 499)
		for i := 0; i < 30; i++ {
			q := fmt.Sprintf("w%d w%d w%d w%d", z.Uint64(), z.Uint64(), z.Uint64(), z.Uint64())
			sameTop(t, q, y.Search(q, 10, nil), exhaustive(y, q, 10, nil))
		}
	}
}
