package eval_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/eval"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
)

const squad = "../../../shared/corpus/qa/squad-v1.1/dev-v1.1.json"

// TestSQuAD loads the SQuAD v1.1 dev paragraphs and asks a sample of its
// questions in every mode: hybrid must not be worse than BM25 alone.
func TestSQuAD(t *testing.T) {
	if _, err := os.Stat(squad); err != nil {
		t.Skipf("SQuAD not found at %s (the shared corpus is absent): %v", squad, err)
	}
	ps, qs, err := eval.LoadSQuAD(squad)
	if err != nil {
		t.Fatal(err)
	}
	stride := 1 // every question: the comparison below is on the whole set
	if testing.Short() {
		stride = 25
	}
	var sample []eval.Question
	for i := 0; i < len(qs); i += stride {
		sample = append(sample, qs[i])
	}
	p, err := paths.New(paths.Development, pathstest.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	em, _ := embed.NewBuiltin(embed.BuiltinConfig{})
	w := lakehouse.BuiltinVectorWeight
	if v := os.Getenv("EVAL_VECTOR_WEIGHT"); v != "" {
		fmt.Sscan(v, &w)
	}
	lh := lakehouse.New(lakehouse.NewDiskStorage(p), em, lakehouse.Options{VectorWeight: w})
	defer lh.Close()
	ctx := context.Background()
	if err := eval.Load(ctx, lh, "squad", ps); err != nil {
		t.Fatal(err)
	}
	res := map[string]eval.Metrics{}
	for _, mode := range []string{"bm25", "vector", "hybrid"} {
		m, err := eval.Evaluate(ctx, lh, "squad", mode, sample)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(m)
		res[mode] = m
	}
	h, b := res["hybrid"], res["bm25"]
	if testing.Short() {
		t.Skip("a sample of the questions cannot tell hybrid from BM25; run without -short")
	}
	// The HNSW graph is built by parallel workers, so vector results (and
	// hybrid's) vary by a few queries between runs; allow that much (0.1
	// point, about 10 of 10,570 questions) and no more.
	const noise = 0.001
	if h.Recall1 < b.Recall1-noise || h.Recall5 < b.Recall5-noise || h.Recall10 < b.Recall10-noise || h.MRR10 < b.MRR10-noise {
		t.Errorf("hybrid is worse than BM25 alone:\n%v\n%v", h, b)
	}
	if res["bm25"].Recall10 < 0.6 || res["vector"].Recall10 < 0.6 {
		t.Errorf("recall@10 too low: %+v", res)
	}
}
