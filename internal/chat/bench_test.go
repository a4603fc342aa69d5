package chat_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/eval"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
	"github.com/zero711/brain/internal/store/sqlite"
	"github.com/zero711/brain/internal/store/storetest"
)

// BenchmarkTimeToFirstToken measures the platform's time before the first
// token of an answer — conversation, routing, hybrid retrieval, feedback
// reranking and answer assembly (the built-in answerer; an LLM's own time
// to first token comes on top) — over CHAT_BENCH_CHUNKS chunks (default
// 100,000) made of SQuAD paragraphs, with SQuAD questions. It reports
// ttft-p50-ms and ttft-p99-ms.
//
//	go test -run '^$' -bench TimeToFirstToken -benchtime 300x ./internal/chat/
func BenchmarkTimeToFirstToken(b *testing.B) {
	squad := corpustest.Dir(b, "qa/squad-v1.1")
	ps, qs, err := eval.LoadSQuAD(filepath.Join(squad, "dev-v1.1.json"))
	if err != nil {
		b.Fatal(err)
	}
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("CHAT_BENCH_CHUNKS")); err == nil && v > 0 {
		n = v
	}
	dir := pathstest.Dir(b)
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "meta.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c, u := storetest.NewCustomer("bench")
	if err := st.CreateCustomer(context.Background(), c, u); err != nil {
		b.Fatal(err)
	}
	cp, _ := paths.New(paths.Development, dir)
	em, _ := embed.NewBuiltin(embed.BuiltinConfig{})
	lake := lakehouse.New(lakehouse.NewDiskStorage(cp), em, lakehouse.Options{MemoryBudget: 16 << 30})
	defer lake.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	for loaded := 0; loaded < n; {
		var nds []lakehouse.NewDocument
		for d := 0; d < 500 && loaded < n; d++ {
			p := ps[rng.IntN(len(ps))]
			nd := lakehouse.NewDocument{Document: lakehouse.Document{ID: fmt.Sprintf("d%07d", loaded/10), Title: p.Title}}
			for range min(10, n-loaded) {
				f := strings.Fields(ps[rng.IntN(len(ps))].Text)
				off := rng.IntN(max(1, len(f)-60))
				nd.Chunks = append(nd.Chunks, lakehouse.Chunk{Text: strings.Join(f[off:min(len(f), off+60)], " ")})
				loaded++
			}
			nds = append(nds, nd)
		}
		if _, err := lake.AddDocuments(ctx, "bench", nds); err != nil {
			b.Fatal(err)
		}
	}
	svc := chat.New(lake, st, chat.Options{})
	b.ResetTimer()
	lat := make([]time.Duration, 0, b.N)
	for i := range b.N {
		q := qs[i%len(qs)]
		start := time.Now()
		var first time.Duration
		if _, err := svc.Ask(ctx, chat.Request{CustomerID: "bench", UserID: "u", Message: q.Text,
			OnToken: func(string) {
				if first == 0 {
					first = time.Since(start)
				}
			}}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, first)
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ttft-p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ttft-p99-ms")
}
