package embed

import (
	"context"
	"fmt"
	"math"

	"github.com/zero711/brain"
)

// Embedder turns texts into vectors.
type Embedder interface {
	// Embed returns one vector per text, in the order of texts, each of
	// length Dim. An empty batch gives an empty result. Errors carry
	// brain.EINVALID for a bad argument (an unknown Kind) and
	// brain.EUNAVAILABLE when a remote model cannot be reached or keeps
	// failing; a cancelled ctx returns ctx.Err() wrapped.
	Embed(ctx context.Context, texts []string, kind Kind) ([][]float32, error)
	// Model identifies the model and its settings. Vectors of two
	// embedders are comparable only if their Model strings are equal, so
	// it is stored next to every vector.
	Model() string
	// Dim is the length of the vectors; 0 while a remote model's dimension
	// is not known yet.
	Dim() int
}

// Kind says what a text is for, which asymmetric retrieval models encode
// differently.
type Kind int

// Kinds of text.
const (
	// Query is a search query or question.
	Query Kind = iota + 1
	// Passage is a document chunk to be found.
	Passage
)

// String returns "query" or "passage".
func (k Kind) String() string {
	switch k {
	case Query:
		return "query"
	case Passage:
		return "passage"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Valid reports whether k is Query or Passage.
func (k Kind) Valid() bool { return k == Query || k == Passage }

// Probe returns e's dimension, embedding one short passage first when it
// is not known yet (a remote model configured without it). Calling it at
// startup also shows whether a remote model answers; its errors are
// Embed's.
func Probe(ctx context.Context, e Embedder) (int, error) {
	if d := e.Dim(); d > 0 {
		return d, nil
	}
	vs, err := e.Embed(ctx, []string{"probe"}, Passage)
	if err != nil {
		return 0, fmt.Errorf("embed: probe %s: %w", e.Model(), err)
	}
	if len(vs) != 1 || len(vs[0]) == 0 {
		return 0, fmt.Errorf("embed: probe %s: %w", e.Model(), brain.Errorf(brain.EUNAVAILABLE, "embedding model returned no vector"))
	}
	return len(vs[0]), nil
}

// Normalize scales v in place to unit Euclidean length and reports whether
// it could: a zero vector, or one holding NaN or an infinity, is set to all
// zeros and Normalize returns false.
func Normalize(v []float32) bool {
	var sum float64
	for _, x := range v {
		// float64(x)*float64(x) is exact, so a fused multiply-add on some
		// platforms cannot change the sum.
		sum += float64(x) * float64(x)
	}
	if sum == 0 || math.IsInf(sum, 0) || math.IsNaN(sum) {
		clear(v)
		return false
	}
	norm := math.Sqrt(sum)
	for i, x := range v {
		v[i] = float32(float64(x) / norm)
	}
	return true
}

// Dot returns the inner product of a and b, which for normalized vectors is
// their cosine similarity. It panics if the lengths differ.
func Dot(a, b []float32) float32 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("embed: Dot of vectors of length %d and %d", len(a), len(b)))
	}
	b = b[:len(a)] // lets the compiler drop bounds checks
	// Eight independent sums keep the floating-point adders busy; one sum
	// would wait for each add to finish.
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	i := 0
	for ; i+8 <= len(a); i += 8 {
		x, y := a[i:i+8:i+8], b[i:i+8:i+8]
		s0 += x[0] * y[0]
		s1 += x[1] * y[1]
		s2 += x[2] * y[2]
		s3 += x[3] * y[3]
		s4 += x[4] * y[4]
		s5 += x[5] * y[5]
		s6 += x[6] * y[6]
		s7 += x[7] * y[7]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}
