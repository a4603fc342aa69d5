// Package blobtest is the conformance suite of blob.Store. Every
// implementation's tests call Run with a function that opens a fresh,
// empty store.
//
// Besides what blob.Store documents, the suite holds implementations to
// this: a size of -1 means the length of the reader is unknown; every
// method returns the context's error (errors.Is) once it has ended, and
// a write cancelled half way leaves the old object in place; a reader
// never yields a mix of two versions of an object (it may fail instead);
// ReadAt is safe for concurrent use.
package blobtest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/zero711/brain/internal/blob"
)

// Opener returns a fresh, empty store; it registers its own cleanup.
type Opener func(t *testing.T) blob.Store

// Options relax the suite for a backend with a known, documented gap.
type Options struct {
	// NoAtomicReplace, when set, says why the backend may serve a torn
	// object while Put replaces it; the test of that is skipped with it.
	NoAtomicReplace string
}

// Run runs the conformance suite against the stores open returns.
func Run(t *testing.T, open Opener) { RunWith(t, open, Options{}) }

// RunWith runs the conformance suite with options.
func RunWith(t *testing.T, open Opener, opts Options) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"Empty", testEmpty},
		{"Overwrite", testOverwrite},
		{"ReadAt", testReadAt},
		{"ReadAtConcurrent", testReadAtConcurrent},
		{"Missing", testMissing},
		{"Delete", testDelete},
		{"PutIfAbsent", testPutIfAbsent},
		{"PutIfAbsentRace", testPutIfAbsentRace},
		{"PutAtomicReplace", testPutAtomicReplace},
		{"List", testList},
		{"Names", testNames},
		{"InvalidNames", testInvalidNames},
		{"Context", testContext},
		{"UnknownSize", testUnknownSize},
		{"Large", testLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "PutAtomicReplace" && opts.NoAtomicReplace != "" {
				t.Skip(opts.NoAtomicReplace)
			}
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// put writes data under name and fails the test on error.
func put(t *testing.T, s blob.Store, name string, data []byte) {
	t.Helper()
	if err := s.Put(t.Context(), name, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("Put(%q): %v", name, err)
	}
}

// read returns the whole content of name, checking Size against it.
func read(t *testing.T, s blob.Store, name string) []byte {
	t.Helper()
	r, err := s.Open(t.Context(), name)
	if err != nil {
		t.Fatalf("Open(%q): %v", name, err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %q: %v", name, err)
	}
	if r.Size() != int64(len(data)) {
		t.Errorf("%q: Size() = %d, read %d bytes", name, r.Size(), len(data))
	}
	return data
}

// wantContent fails unless name holds exactly want.
func wantContent(t *testing.T, s blob.Store, name string, want []byte) {
	t.Helper()
	if got := read(t, s, name); !bytes.Equal(got, want) {
		t.Errorf("%q holds %d bytes %.40q, want %d bytes %.40q", name, len(got), got, len(want), want)
	}
}

// wantErr fails unless errors.Is(err, target).
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want %v", what, err, target)
	}
}

// wantMissing fails unless Stat and Open of name report ErrNotFound.
func wantMissing(t *testing.T, s blob.Store, name string) {
	t.Helper()
	_, err := s.Stat(t.Context(), name)
	wantErr(t, "Stat("+name+")", err, blob.ErrNotFound)
	r, err := s.Open(t.Context(), name)
	if err == nil {
		r.Close()
	}
	wantErr(t, "Open("+name+")", err, blob.ErrNotFound)
}

// names lists the store below prefix and returns the names.
func names(t *testing.T, s blob.Store, prefix string) []string {
	t.Helper()
	objs, err := s.List(t.Context(), prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.Name)
	}
	return out
}

// random returns n bytes that differ from seed to seed.
func random(seed uint64, n int) []byte {
	b := make([]byte, n)
	rng := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8), byte(seed >> 16)})
	_, _ = rng.Read(b)
	return b
}

// wantNames fails unless got equals want.
func wantNames(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// cancelled returns a context that has already ended.
func cancelled(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	return ctx
}
