// Package embedtest is the conformance suite for embed.Embedder
// implementations. Every implementation's tests call Run.
package embedtest

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/embed"
)

// Run checks that e behaves as the embed.Embedder contract says: shapes,
// order, unit-length finite vectors, stable results, a similarity that
// prefers the related passage, and the errors for a bad kind and a
// cancelled context. Implementations may differ in the last bits between
// batches (GPU servers do), so comparisons allow a small tolerance.
func Run(t *testing.T, e embed.Embedder) {
	t.Helper()
	t.Run("EmptyBatch", func(t *testing.T) { testEmptyBatch(t, e) })
	t.Run("Shape", func(t *testing.T) { testShape(t, e) })
	t.Run("Order", func(t *testing.T) { testOrder(t, e) })
	t.Run("Similarity", func(t *testing.T) { testSimilarity(t, e) })
	t.Run("InvalidKind", func(t *testing.T) { testInvalidKind(t, e) })
	t.Run("Cancelled", func(t *testing.T) { testCancelled(t, e) })
	if e.Model() == "" {
		t.Error("Model() is empty")
	}
}

var texts = []string{
	"Paris is the capital and most populous city of France.",
	"Die Körperschaftsteuer beträgt 15 Prozent des zu versteuernden Einkommens.",
	"Mitochondria produce most of the chemical energy that powers a cell.",
}

func testEmptyBatch(t *testing.T, e embed.Embedder) {
	vs, err := e.Embed(context.Background(), nil, embed.Passage)
	if err != nil {
		t.Fatalf("Embed(nil): %v", err)
	}
	if len(vs) != 0 {
		t.Fatalf("Embed(nil) returned %d vectors", len(vs))
	}
}

func testShape(t *testing.T, e embed.Embedder) {
	vs := mustEmbed(t, e, texts, embed.Passage)
	if e.Dim() <= 0 {
		t.Fatalf("Dim() = %d after a successful Embed", e.Dim())
	}
	for i, v := range vs {
		if len(v) != e.Dim() {
			t.Fatalf("vector %d has length %d, Dim() = %d", i, len(v), e.Dim())
		}
		var sum float64
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("vector %d holds %v", i, x)
			}
			sum += float64(x) * float64(x)
		}
		if math.Abs(sum-1) > 1e-3 {
			t.Errorf("vector %d has squared length %v, want 1", i, sum)
		}
	}
}

func testOrder(t *testing.T, e embed.Embedder) {
	all := mustEmbed(t, e, texts, embed.Passage)
	reversed := []string{texts[2], texts[1], texts[0]}
	rev := mustEmbed(t, e, reversed, embed.Passage)
	one := mustEmbed(t, e, texts[1:2], embed.Passage)
	for i := range texts {
		if c := embed.Dot(all[i], rev[len(texts)-1-i]); c < 0.999 {
			t.Errorf("text %d: cosine %v between two batch orders, want ~1", i, c)
		}
	}
	if c := embed.Dot(all[1], one[0]); c < 0.999 {
		t.Errorf("cosine %v between a text alone and in a batch, want ~1", c)
	}
}

func testSimilarity(t *testing.T, e embed.Embedder) {
	q := mustEmbed(t, e, []string{"What is the capital of France?"}, embed.Query)[0]
	ps := mustEmbed(t, e, texts, embed.Passage)
	if related, other := embed.Dot(q, ps[0]), embed.Dot(q, ps[2]); related <= other {
		t.Errorf("query is as close to an unrelated passage (%v) as to the answer (%v)", other, related)
	}
}

func testInvalidKind(t *testing.T, e embed.Embedder) {
	_, err := e.Embed(context.Background(), texts, embed.Kind(0))
	if code := brain.ErrorCode(err); code != brain.EINVALID {
		t.Errorf("Embed with Kind(0): code %q (%v), want %q", code, err, brain.EINVALID)
	}
}

func testCancelled(t *testing.T, e embed.Embedder) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.Embed(ctx, texts, embed.Passage)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Embed with a cancelled context: %v, want context.Canceled", err)
	}
}

func mustEmbed(t *testing.T, e embed.Embedder, texts []string, kind embed.Kind) [][]float32 {
	t.Helper()
	vs, err := e.Embed(context.Background(), texts, kind)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if len(vs) != len(texts) {
		t.Fatalf("Embed returned %d vectors for %d texts", len(vs), len(texts))
	}
	return vs
}
