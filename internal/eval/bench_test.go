package eval_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/eval"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
)

// BenchmarkLakehouse loads chunks into a lakehouse and reports insert
// throughput, search latency per mode, ANN recall, memory and cold open.
// LAKEHOUSE_BENCH_CHUNKS (default 20000) and LAKEHOUSE_BENCH_DIM (384)
// size it; 0711 bench lakehouse runs the same at any size.
func BenchmarkLakehouse(b *testing.B) {
	chunks, dim := envInt("LAKEHOUSE_BENCH_CHUNKS", 20000), envInt("LAKEHOUSE_BENCH_DIM", 384)
	var texts []string
	if ps, _, err := eval.LoadSQuAD(squad); err == nil {
		for _, p := range ps {
			texts = append(texts, p.Text)
		}
	}
	for range b.N {
		p, err := paths.New(paths.Development, pathstest.Dir(b))
		if err != nil {
			b.Fatal(err)
		}
		open := func() *lakehouse.Lakehouse {
			em, _ := embed.NewBuiltin(embed.BuiltinConfig{Dim: dim})
			return lakehouse.New(lakehouse.NewDiskStorage(p), em, lakehouse.Options{VectorWeight: lakehouse.BuiltinVectorWeight, MemoryBudget: 64 << 30})
		}
		rep, err := eval.Bench(context.Background(), open, "bench", eval.BenchOptions{Chunks: chunks, Dim: dim, Queries: 300, Texts: texts, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.Log(rep)
		b.ReportMetric(rep.InsertPerSec, "chunks/s")
		b.ReportMetric(float64(rep.HybridP50.Microseconds())/1000, "hybrid-p50-ms")
		b.ReportMetric(float64(rep.HybridP99.Microseconds())/1000, "hybrid-p99-ms")
		b.ReportMetric(rep.ANNRecall10, "ann-recall@10")
		b.ReportMetric(rep.BytesPerChunk, "heap-B/chunk")
		b.ReportMetric(float64(rep.ColdOpen.Milliseconds()), "cold-open-ms")
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
