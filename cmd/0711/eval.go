package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/eval"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/paths"
)

// cmdEval measures search quality on SQuAD v1.1 in a scratch lakehouse
// below the data dir, removed afterwards.
func cmdEval(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	squad := fs.String("squad", "../shared/corpus/qa/squad-v1.1/dev-v1.1.json", "SQuAD v1.1 JSON file")
	stride := fs.Int("stride", 1, "ask every n-th question")
	weight := fs.Float64("vector-weight", defaultVectorWeight, "weight of the vector ranking in hybrid fusion")
	cfg, err := loadConfig("eval", args, e, fs)
	if err != nil {
		return err
	}
	ps, qs, err := eval.LoadSQuAD(*squad)
	if err != nil {
		return err
	}
	var sample []eval.Question
	for i := 0; i < len(qs); i += max(1, *stride) {
		sample = append(sample, qs[i])
	}
	dir, err := scratchDir(cfg.DataDir, "eval")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	lh, err := scratchLakehouse(dir, cfg.Embedding.Dim, *weight)
	if err != nil {
		return err
	}
	defer lh.Close()
	fmt.Fprintf(e.stdout, "loading %d paragraphs of %s …\n", len(ps), *squad)
	if err := eval.Load(ctx, lh, "squad", ps); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "asking %d questions (built-in embedder %s, vector weight %.2f)\n", len(sample), lh.Embedder().Model(), *weight)
	for _, mode := range []string{"bm25", "vector", "hybrid"} {
		m, err := eval.Evaluate(ctx, lh, "squad", mode, sample)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, m)
	}
	return nil
}

const defaultVectorWeight = lakehouse.BuiltinVectorWeight

// scratchDir makes a fresh directory below the data dir (never /tmp: the
// scratch lakehouse may be large).
func scratchDir(dataDir, name string) (string, error) {
	base := filepath.Join(dataDir, "scratch")
	if err := os.MkdirAll(base, 0o750); err != nil {
		return "", err
	}
	return os.MkdirTemp(base, name+"-*")
}

func scratchLakehouse(dir string, dim int, weight float64) (*lakehouse.Lakehouse, error) {
	p, err := paths.New(paths.Development, dir)
	if err != nil {
		return nil, err
	}
	em, err := embed.NewBuiltin(embed.BuiltinConfig{Dim: dim})
	if err != nil {
		return nil, err
	}
	return lakehouse.New(lakehouse.NewDiskStorage(p), em, lakehouse.Options{VectorWeight: weight, MemoryBudget: 64 << 30}), nil
}
