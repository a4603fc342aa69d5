package eval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/lakehouse"
)

// BenchOptions size a lakehouse benchmark.
type BenchOptions struct {
	Chunks  int // chunks to load (default 100,000)
	Dim     int // embedding dimension of the built-in embedder (default 384)
	Queries int // searches to time (default 500)
	// Texts, when set, are the sentences chunks are made of (e.g. SQuAD
	// paragraphs); otherwise a Zipf vocabulary generates them.
	Texts []string
	Seed  uint64
	// Progress, when set, hears what the benchmark is doing.
	Progress func(string)
}

// BenchReport is what a lakehouse benchmark measured.
type BenchReport struct {
	Chunks       int           `json:"chunks"`
	Dim          int           `json:"dim"`
	LoadTime     time.Duration `json:"load_time"`
	InsertPerSec float64       `json:"insert_chunks_per_s"`
	HybridP50    time.Duration `json:"hybrid_p50"`
	HybridP99    time.Duration `json:"hybrid_p99"`
	VectorP50    time.Duration `json:"vector_p50"`
	VectorP99    time.Duration `json:"vector_p99"`
	BM25P50      time.Duration `json:"bm25_p50"`
	BM25P99      time.Duration `json:"bm25_p99"`
	ANNRecall10  float64       `json:"ann_recall_at_10"`
	// ANNRecall10IDs counts only the exact top 10's own ids: with texts
	// that share words, many chunks tie with the 10th, and an ANN hit
	// that ties is as good as the one the exact scan kept.
	ANNRecall10IDs  float64       `json:"ann_recall_at_10_ids"`
	HeapBytes       uint64        `json:"heap_bytes"`
	BytesPerChunk   float64       `json:"heap_bytes_per_chunk"`
	ColdOpen        time.Duration `json:"cold_open"`
	ColdFirstSearch time.Duration `json:"cold_first_search"`
}

// String formats the report.
func (r BenchReport) String() string {
	return fmt.Sprintf(`chunks %d, dim %d
  load            %v (%.0f chunks/s: embed + Delta commit + index)
  hybrid search   p50 %v  p99 %v
  vector search   p50 %v  p99 %v  (ANN recall@10 vs exact %.3f; same ids %.3f)
  bm25 search     p50 %v  p99 %v
  memory          %.0f MiB heap, %.0f bytes per chunk
  cold open       %v (load saved indexes), first search %v`,
		r.Chunks, r.Dim, r.LoadTime.Round(time.Millisecond), r.InsertPerSec,
		r.HybridP50.Round(time.Microsecond), r.HybridP99.Round(time.Microsecond),
		r.VectorP50.Round(time.Microsecond), r.VectorP99.Round(time.Microsecond), r.ANNRecall10, r.ANNRecall10IDs,
		r.BM25P50.Round(time.Microsecond), r.BM25P99.Round(time.Microsecond),
		float64(r.HeapBytes)/(1<<20), r.BytesPerChunk, r.ColdOpen.Round(time.Millisecond), r.ColdFirstSearch.Round(time.Millisecond))
}

// textGen makes chunk texts of about 60 words.
type textGen struct {
	rng   *rand.Rand
	texts []string
	zipf  *rand.Zipf
	vocab []string
}

func newTextGen(texts []string, seed uint64) *textGen {
	g := &textGen{rng: rand.New(rand.NewPCG(seed, 711)), texts: texts}
	if len(texts) == 0 {
		g.vocab = make([]string, 50000)
		for i := range g.vocab {
			g.vocab[i] = word(g.rng)
		}
		g.zipf = rand.NewZipf(g.rng, 1.1, 2, uint64(len(g.vocab)-1))
	}
	return g
}

func word(rng *rand.Rand) string {
	const letters = "abcdefghiklmnoprstuvwäöüß"
	r := []rune(letters)
	n := 3 + rng.IntN(8)
	var b strings.Builder
	for range n {
		b.WriteRune(r[rng.IntN(len(r))])
	}
	return b.String()
}

func (g *textGen) next() string {
	if len(g.texts) > 0 {
		// Windows at random offsets of two paragraphs, so that chunks
		// differ even when a paragraph is drawn many times.
		return g.window(g.texts[g.rng.IntN(len(g.texts))], 40) + " " + g.window(g.texts[g.rng.IntN(len(g.texts))], 20)
	}
	ws := make([]string, 60)
	for i := range ws {
		ws[i] = g.vocab[g.zipf.Uint64()]
	}
	return strings.Join(ws, " ")
}

// window returns n words of s from a random offset.
func (g *textGen) window(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		off := g.rng.IntN(len(f) - n + 1)
		f = f[off : off+n]
	}
	return strings.Join(f, " ")
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// Bench loads opts.Chunks chunks into the customer's lakehouse of open()
// and times searches, ANN recall, memory and a cold open (open is called
// again after the first lakehouse is closed).
func Bench(ctx context.Context, open func() *lakehouse.Lakehouse, customer string, opts BenchOptions) (BenchReport, error) {
	if opts.Chunks <= 0 {
		opts.Chunks = 100_000
	}
	if opts.Dim <= 0 {
		opts.Dim = 384
	}
	if opts.Queries <= 0 {
		opts.Queries = 500
	}
	rep := BenchReport{Chunks: opts.Chunks, Dim: opts.Dim}
	em, err := embed.NewBuiltin(embed.BuiltinConfig{Dim: opts.Dim})
	if err != nil {
		return rep, err
	}
	lh := open()
	gen := newTextGen(opts.Texts, opts.Seed)
	var queries []string
	var sampleVecs [][]float32 // a sample of stored vectors for exact search
	var sampleIDs []string
	start := time.Now()
	const perDoc, batchDocs = 10, 500
	for loaded := 0; loaded < opts.Chunks; {
		var nds []lakehouse.NewDocument
		for d := 0; d < batchDocs && loaded < opts.Chunks; d++ {
			id := fmt.Sprintf("d%07d", loaded/perDoc)
			nd := lakehouse.NewDocument{Document: lakehouse.Document{ID: id, Title: "Document " + id}}
			for c := 0; c < perDoc && loaded < opts.Chunks; c++ {
				text := gen.next()
				nd.Chunks = append(nd.Chunks, lakehouse.Chunk{Text: text})
				if len(queries) < opts.Queries && gen.rng.IntN(max(1, opts.Chunks/opts.Queries)) == 0 {
					queries = append(queries, gen.window(text, 6))
				}
				loaded++
			}
			nds = append(nds, nd)
		}
		// Embed here so the bench can keep vectors for the exact search.
		for i := range nds {
			texts := make([]string, len(nds[i].Chunks))
			for j, c := range nds[i].Chunks {
				texts[j] = c.Text
			}
			vs, err := em.Embed(ctx, texts, embed.Passage)
			if err != nil {
				return rep, err
			}
			for j := range nds[i].Chunks {
				nds[i].Chunks[j].Embedding, nds[i].Chunks[j].Model = vs[j], em.Model()
				sampleVecs = append(sampleVecs, vs[j])
				sampleIDs = append(sampleIDs, fmt.Sprintf("%s:%d", nds[i].Document.ID, j))
			}
		}
		if _, err := lh.AddDocuments(ctx, customer, nds); err != nil {
			return rep, err
		}
		if opts.Progress != nil && loaded%100_000 == 0 {
			opts.Progress(fmt.Sprintf("loaded %d chunks (%v)", loaded, time.Since(start).Round(time.Second)))
		}
	}
	rep.LoadTime = time.Since(start)
	if opts.Progress != nil {
		opts.Progress(fmt.Sprintf("loaded %d chunks in %v; timing searches", opts.Chunks, rep.LoadTime.Round(time.Second)))
	}
	rep.InsertPerSec = float64(opts.Chunks) / rep.LoadTime.Seconds()
	for len(queries) < opts.Queries {
		queries = append(queries, firstWords(gen.next(), 6))
	}

	timeMode := func(mode string) (time.Duration, time.Duration, [][]lakehouse.Hit, error) {
		lat := make([]time.Duration, 0, len(queries))
		var all [][]lakehouse.Hit
		for _, q := range queries {
			t0 := time.Now()
			hits, err := lh.Search(ctx, customer, lakehouse.SearchRequest{Query: q, K: 10, Mode: mode})
			lat = append(lat, time.Since(t0))
			if err != nil {
				return 0, 0, nil, err
			}
			all = append(all, hits)
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		return lat[len(lat)/2], lat[len(lat)*99/100], all, nil
	}
	if rep.HybridP50, rep.HybridP99, _, err = timeMode("hybrid"); err != nil {
		return rep, err
	}
	var vecHits [][]lakehouse.Hit
	if rep.VectorP50, rep.VectorP99, vecHits, err = timeMode("vector"); err != nil {
		return rep, err
	}
	if rep.BM25P50, rep.BM25P99, _, err = timeMode("bm25"); err != nil {
		return rep, err
	}
	rep.ANNRecall10, rep.ANNRecall10IDs, err = annRecall(ctx, em, queries, vecHits, sampleVecs, sampleIDs)
	if err != nil {
		return rep, err
	}
	sampleVecs = nil
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rep.HeapBytes = ms.HeapAlloc
	rep.BytesPerChunk = float64(ms.HeapAlloc) / float64(opts.Chunks)

	if err := lh.Close(); err != nil {
		return rep, err
	}
	t0 := time.Now()
	lh2 := open()
	if _, err := lh2.Stats(ctx, customer); err != nil { // opens the customer from the saved indexes
		return rep, err
	}
	rep.ColdOpen = time.Since(t0)
	t1 := time.Now()
	if _, err := lh2.Search(ctx, customer, lakehouse.SearchRequest{Query: queries[0]}); err != nil {
		return rep, err
	}
	rep.ColdFirstSearch = time.Since(t1)
	return rep, lh2.Close()
}

// annRecall compares the vector search's top 10 with an exact scan over
// the stored vectors, for up to 100 queries.
// A hit counts when its similarity reaches the exact 10th's (ties
// included); idRecall counts only the exact top 10's ids.
func annRecall(ctx context.Context, em embed.Embedder, queries []string, got [][]lakehouse.Hit, vecs [][]float32, ids []string) (recall, idRecall float64, err error) {
	n := min(100, len(queries))
	qv, err := em.Embed(ctx, queries[:n], embed.Query)
	if err != nil {
		return 0, 0, err
	}
	found, foundIDs, total := 0, 0, 0
	type scored struct {
		i int
		s float32
	}
	for qi := range n {
		best := make([]scored, 0, 11)
		for i, v := range vecs {
			s := embed.Dot(qv[qi], v)
			if len(best) < 10 || s > best[len(best)-1].s {
				best = append(best, scored{i, s})
				sort.Slice(best, func(a, b int) bool { return best[a].s > best[b].s })
				if len(best) > 10 {
					best = best[:10]
				}
			}
		}
		want := map[string]bool{}
		for _, b := range best {
			want[ids[b.i]] = true
		}
		for i, h := range got[qi] {
			if want[h.ChunkID] {
				foundIDs++
			}
			if i < len(best) && h.VectorScore >= best[len(best)-1].s-1e-5 {
				found++
			}
		}
		total += len(best)
	}
	if total == 0 {
		return 0, 0, nil
	}
	return float64(found) / float64(total), float64(foundIDs) / float64(total), nil
}
