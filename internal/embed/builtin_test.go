package embed

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/zero711/brain"
)

func newBuiltin(t *testing.T, dim int) *Builtin {
	t.Helper()
	b, err := NewBuiltin(BuiltinConfig{Dim: dim})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func embedOne(t *testing.T, b *Builtin, text string) []float32 {
	t.Helper()
	vs, err := b.Embed(context.Background(), []string{text}, Passage)
	if err != nil {
		t.Fatal(err)
	}
	return vs[0]
}

func TestNewBuiltin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dim     int
		wantDim int
		model   string
	}{
		{0, 384, "builtin-hash-v1-384"},
		{1, 1, "builtin-hash-v1-1"},
		{1024, 1024, "builtin-hash-v1-1024"},
		{65536, 65536, "builtin-hash-v1-65536"},
	} {
		b := newBuiltin(t, tc.dim)
		if b.Dim() != tc.wantDim || b.Model() != tc.model {
			t.Errorf("Dim %d: got Dim() %d Model() %q, want %d %q", tc.dim, b.Dim(), b.Model(), tc.wantDim, tc.model)
		}
	}
	for _, dim := range []int{-1, 65537} {
		_, err := NewBuiltin(BuiltinConfig{Dim: dim})
		if brain.ErrorCode(err) != brain.EINVALID {
			t.Errorf("Dim %d: err %v, want code invalid", dim, err)
		}
	}
}

// TestBuiltinGolden pins the exact vectors: a change here means vectors
// already stored in lakehouses no longer match new ones, which needs a new
// builtinVersion. Running it on several architectures checks that the
// vectors are bit-identical everywhere.
func TestBuiltinGolden(t *testing.T) {
	t.Parallel()
	b := newBuiltin(t, 0)
	texts := []string{
		"Super Bowl 50 was an American football game to determine the champion of the NFL.",
		"Die Gewerbesteuer ist eine Gemeindesteuer; Größe, Maße und Grüße.",
		"to be or not to be",
		"naïve café, œuvre, Ærø, Łódź — ünïcödé\u0308!",
		"",
		strings.Repeat("repeat ", 1000),
	}
	vs, err := b.Embed(context.Background(), texts, Passage)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, v := range vs {
		for _, x := range v {
			h.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(x)))
		}
	}
	const want = "ccc283c3d32d03a2b9c5590420b0ce7cff6f250ab7fbc0d9a04d1463d3325cd6"
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("vectors changed: sha256 %s, want %s", got, want)
	}
}

func TestBuiltinVectors(t *testing.T) {
	t.Parallel()
	b := newBuiltin(t, 0)
	for _, tc := range []struct {
		text string
		zero bool
	}{
		{"", true},
		{"  \t\n", true},
		{"?!… — ---", true},
		{"\xff\xfe\xfd", true},
		{"the", false},
		{"to be or not to be", false},
		{"Hello, world", false},
		{"日本語のテキスト", false},
		{"42", false},
	} {
		v := embedOne(t, b, tc.text)
		var sum float64
		for _, x := range v {
			sum += float64(x) * float64(x)
		}
		switch {
		case tc.zero && sum != 0:
			t.Errorf("%q: squared length %v, want the zero vector", tc.text, sum)
		case !tc.zero && math.Abs(sum-1) > 1e-5:
			t.Errorf("%q: squared length %v, want 1", tc.text, sum)
		}
	}
}

func TestBuiltinSimilarity(t *testing.T) {
	t.Parallel()
	b := newBuiltin(t, 0)
	cos := func(x, y string) float32 { return Dot(embedOne(t, b, x), embedOne(t, b, y)) }
	for _, tc := range []struct {
		a, b string
		min  float32
	}{
		{"Hello World", "hello, WORLD!", 1},
		{"Müller", "Mueller", 0.5},
		{"Straße", "Strasse", 0.5},
		{"Grüße", "Gru\u0308ße", 1}, // decomposed umlaut
		{"café", "cafe", 0.5},
		{"the quick brown fox", "quick brown fox", 1}, // stopwords carry nothing
	} {
		if c := cos(tc.a, tc.b); c < tc.min-1e-6 {
			t.Errorf("cos(%q, %q) = %v, want >= %v", tc.a, tc.b, c, tc.min)
		}
	}
	// Morphology: shared n-grams make an inflected form closer than an
	// unrelated word.
	if near, far := cos("computational complexity", "computing the complexities"), cos("computational complexity", "river delta sediments"); near <= far+0.2 {
		t.Errorf("inflected paraphrase %v not clearly above unrelated %v", near, far)
	}
}

func TestBuiltinKinds(t *testing.T) {
	t.Parallel()
	b := newBuiltin(t, 0)
	ctx := context.Background()
	q, err := b.Embed(ctx, []string{"Wer erhebt die Gewerbesteuer?"}, Query)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.Embed(ctx, []string{"Wer erhebt die Gewerbesteuer?"}, Passage)
	if err != nil {
		t.Fatal(err)
	}
	if Dot(q[0], p[0]) < 1-1e-6 {
		t.Error("Builtin embeds a query and a passage of the same text differently")
	}
	for _, k := range []Kind{0, 3, -1} {
		if _, err := b.Embed(ctx, []string{"x"}, k); brain.ErrorCode(err) != brain.EINVALID {
			t.Errorf("kind %v: err %v, want code invalid", k, err)
		}
	}
}

func TestBuiltinVectorsAreSeparate(t *testing.T) {
	t.Parallel()
	b := newBuiltin(t, 8)
	vs, err := b.Embed(context.Background(), []string{"alpha", "beta"}, Passage)
	if err != nil {
		t.Fatal(err)
	}
	before := append([]float32(nil), vs[1]...)
	_ = append(vs[0], 42) // must not write into vs[1]
	for i := range before {
		if vs[1][i] != before[i] {
			t.Fatal("appending to one vector changed the next")
		}
	}
}

func TestBuiltinConcurrent(t *testing.T) {
	t.Parallel()
	b := newBuiltin(t, 0)
	texts := benchChunks(t, 32)
	want, err := b.Embed(context.Background(), texts, Passage)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := b.Embed(context.Background(), texts, Passage)
			if err != nil {
				t.Error(err)
				return
			}
			for i := range got {
				if Dot(got[i], want[i]) < 1-1e-6 {
					t.Errorf("text %d embeds differently under concurrency", i)
				}
			}
		})
	}
	wg.Wait()
}

func TestLn(t *testing.T) {
	t.Parallel()
	for _, x := range []float64{1, 1.5, 2, 3, 7, 10, 255, 256, 1000, 123456789, 1e300, 0.001} {
		if got, want := ln(x), math.Log(x); math.Abs(got-want) > 1e-14*math.Max(1, math.Abs(want)) {
			t.Errorf("ln(%v) = %v, want %v", x, got, want)
		}
	}
	if sublinear(1) != 1 || sublinear(1000) <= sublinear(255) {
		t.Error("sublinear is not 1 + ln(tf)")
	}
}
