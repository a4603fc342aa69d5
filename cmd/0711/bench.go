package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/zero711/brain/internal/eval"
	"github.com/zero711/brain/internal/lakehouse"
)

// cmdBench runs the platform's benchmarks; "lakehouse" is the first.
func cmdBench(ctx context.Context, args []string, e env) error {
	if len(args) > 0 && args[0] == "ingest" {
		return cmdBenchIngest(ctx, args[1:], e)
	}
	if len(args) == 0 || args[0] != "lakehouse" {
		return errors.New("usage: 0711 bench lakehouse [--chunks 100000] [--dim 384] [--queries 500] | 0711 bench ingest [--dir DIR]")
	}
	fs := flag.NewFlagSet("bench lakehouse", flag.ContinueOnError)
	chunks := fs.Int("chunks", 100_000, "chunks to load")
	dim := fs.Int("dim", 384, "embedding dimension (built-in embedder)")
	queries := fs.Int("queries", 500, "searches to time per mode")
	squad := fs.String("squad", "../shared/corpus/qa/squad-v1.1/dev-v1.1.json", "SQuAD file whose paragraphs make the chunk texts (a Zipf vocabulary when absent)")
	cfg, err := loadConfig("bench", args[1:], e, fs)
	if err != nil {
		return err
	}
	var texts []string
	if ps, _, err := eval.LoadSQuAD(*squad); err == nil {
		for _, p := range ps {
			texts = append(texts, p.Text)
		}
	}
	dir, err := scratchDir(cfg.DataDir, "bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	open := func() *lakehouse.Lakehouse {
		lh, err := scratchLakehouse(dir, *dim, lakehouse.BuiltinVectorWeight)
		if err != nil {
			panic(err) // the same call succeeded a moment ago
		}
		return lh
	}
	if _, err := scratchLakehouse(dir, *dim, lakehouse.BuiltinVectorWeight); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loading %d chunks (dim %d) into a scratch lakehouse in %s …\n", *chunks, *dim, dir)
	rep, err := eval.Bench(ctx, open, "bench", eval.BenchOptions{Chunks: *chunks, Dim: *dim, Queries: *queries, Texts: texts, Seed: 1,
		Progress: func(s string) { fmt.Fprintf(e.stderr, "%s %s\n", time.Now().Format("15:04:05"), s) }})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, rep)
	return nil
}
