package fulltext

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Benchmarks build chunks as random windows of 80 to 250 words over real
// text (the German laws and the SQuAD paragraphs of the shared corpus, half
// each; Zipf-distributed made-up words when it is absent), with one word in
// ten replaced by a word of a Zipf vocabulary of two million made-up words
// and an occasional number or VAT id, so that the vocabulary grows with the
// corpus as it does for real documents. Queries are SQuAD questions and runs
// of 3 to 8 words from the laws.
//
//	go test -run '^$' -bench . -benchtime 2000x ./internal/fulltext
//	FULLTEXT_BENCH_1M=1 go test -run '^$' -bench . -benchtime 2000x -timeout 30m ./internal/fulltext

// textGen makes chunks and queries.
type textGen struct {
	de, en    []string // word streams
	questions []string
	r         *rand.Rand
	zipf      *rand.Zipf
}

var (
	genOnce   sync.Once
	genShared *textGen
)

// benchGen returns the generator, reading the corpus once.
func benchGen(tb testing.TB) *textGen {
	tb.Helper()
	genOnce.Do(func() {
		g := &textGen{r: rand.New(rand.NewPCG(11, 12))}
		g.zipf = rand.NewZipf(g.r, 1.05, 4, 2_000_000)
		if dir := sharedCorpus("laws"); dir != "" {
			files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
			markup := regexp.MustCompile(`(?m)^(---|#+|:|\w+:\s).*$`)
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err == nil {
					g.de = append(g.de, strings.Fields(markup.ReplaceAllString(string(b), " "))...)
				}
			}
		}
		if sharedCorpus("qa/squad-v1.1/dev-v1.1.json") != "" {
			s := loadSQuAD(tb)
			g.en = strings.Fields(strings.Join(s.paragraphs, " "))
			g.questions = s.questions
		}
		if len(g.de) == 0 || len(g.en) == 0 {
			g.de, g.en = g.synthetic(500_000, "en"), g.synthetic(500_000, "de")
		}
		genShared = g
	})
	return genShared
}

// synthetic returns a stream of n Zipf-distributed made-up words.
func (g *textGen) synthetic(n int, suffix string) []string {
	z := rand.NewZipf(g.r, 1.1, 2, 200_000)
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%x", suffix, z.Uint64()*2654435761%(1<<32))
	}
	return out
}

// chunk returns a chunk of text and its language; i picks the language.
func (g *textGen) chunk(r *rand.Rand, z *rand.Zipf, i int) (string, string) {
	stream, lang := g.de, "de"
	if i%2 == 1 {
		stream, lang = g.en, "en"
	}
	n := 80 + r.IntN(170)
	start := r.IntN(len(stream) - n)
	var sb strings.Builder
	for _, w := range stream[start : start+n] {
		switch p := r.IntN(100); {
		case p < 10:
			fmt.Fprintf(&sb, "q%x ", z.Uint64()*2654435761%(1<<32))
		case p == 10:
			fmt.Fprintf(&sb, "%d.%03d,%02d ", r.IntN(100), r.IntN(1000), r.IntN(100))
		case p == 11 && r.IntN(10) == 0:
			fmt.Fprintf(&sb, "DE%09d ", r.IntN(1e9))
		default:
			sb.WriteString(w)
			sb.WriteByte(' ')
		}
	}
	return sb.String(), lang
}

// queries returns n queries, half SQuAD questions (when present), half runs
// of 3 to 8 words of the German stream.
func (g *textGen) queries(n int) []string {
	r := rand.New(rand.NewPCG(13, 14))
	out := make([]string, n)
	for i := range out {
		if i%2 == 1 && len(g.questions) > 0 {
			out[i] = g.questions[r.IntN(len(g.questions))]
			continue
		}
		k := 3 + r.IntN(6)
		start := r.IntN(len(g.de) - k)
		out[i] = strings.Join(g.de[start:start+k], " ")
	}
	return out
}

// built is an index of a benchmark size, with how it was built.
type built struct {
	x         *Index
	docsPerS  float64
	cpuPerDoc float64 // µs of CPU per document, all threads (GC included)
	heap      uint64
}

var (
	builtMu sync.Mutex
	builtAt = map[int]*built{}
)

// benchIndex returns the index of n chunks, building it on first use with
// two writers (analysis runs outside the index lock).
func benchIndex(b *testing.B, n int) *built {
	b.Helper()
	if n >= 1_000_000 && os.Getenv("FULLTEXT_BENCH_1M") == "" {
		b.Skip("set FULLTEXT_BENCH_1M=1 for the 1M-chunk benchmarks")
	}
	builtMu.Lock()
	defer builtMu.Unlock()
	if bi := builtAt[n]; bi != nil {
		return bi
	}
	clear(builtAt) // one big index at a time
	g := benchGen(b)
	before := heapInUse()
	x := New(Options{})
	start, cpu := time.Now(), processCPU()
	var wg sync.WaitGroup
	const writers = 2
	for w := range writers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 15))
			z := rand.NewZipf(r, 1.05, 4, 2_000_000)
			for i := w; i < n; i += writers {
				text, lang := g.chunk(r, z, i)
				x.Add(uint64(i), text, lang)
			}
		})
	}
	wg.Wait()
	bi := &built{x: x, docsPerS: float64(n) / time.Since(start).Seconds()}
	bi.cpuPerDoc = float64(processCPU()-cpu) / float64(n) / 1e3
	bi.heap = heapInUse() - before
	builtAt[n] = bi
	return bi
}

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// sizes are the corpus sizes of the search benchmarks.
var sizes = []struct {
	name string
	n    int
}{{"100k", 100_000}, {"1M", 1_000_000}}

// BenchmarkAdd measures single-writer indexing throughput, analysis
// included.
func BenchmarkAdd(b *testing.B) {
	g := benchGen(b)
	r := rand.New(rand.NewPCG(16, 17))
	z := rand.NewZipf(r, 1.05, 4, 2_000_000)
	texts := make([]string, 4096)
	langs := make([]string, len(texts))
	for i := range texts {
		texts[i], langs[i] = g.chunk(r, z, i)
	}
	x := New(Options{})
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		x.Add(uint64(i), texts[i%len(texts)], langs[i%len(texts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e3, "cpu-µs/doc")
}

// BenchmarkBuild reports the throughput of building each index with two
// writers, and its memory.
func BenchmarkBuild(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			bi := benchIndex(b, s.n)
			for i := 0; i < b.N; i++ {
				_ = bi.x.Len()
			}
			b.ReportMetric(bi.docsPerS, "docs/s")
			b.ReportMetric(bi.cpuPerDoc, "cpu-µs/doc")
			b.ReportMetric(float64(bi.heap)/(1<<20), "heap-MiB")
			b.ReportMetric(float64(bi.x.MemoryBytes())/(1<<20), "MemoryBytes-MiB")
			b.ReportMetric(float64(len(bi.x.lists)), "terms")
			var postings int
			for i := range bi.x.lists {
				postings += bi.x.lists[i].df()
			}
			b.ReportMetric(float64(postings), "postings")
		})
	}
}

// BenchmarkSearch reports the latency percentiles of single queries; one
// iteration is one query.
func BenchmarkSearch(b *testing.B) {
	for _, s := range sizes {
		for _, k := range []int{10, 100} {
			b.Run(fmt.Sprintf("%s/k=%d", s.name, k), func(b *testing.B) {
				bi := benchIndex(b, s.n)
				qs := benchGen(b).queries(4000)
				timeQueries(b, func(i int) { bi.x.Search(qs[i%len(qs)], k, nil) })
			})
		}
	}
}

// BenchmarkSearchFiltered is BenchmarkSearch with a filter that keeps a
// random tenth of the documents, as a domain filter might.
func BenchmarkSearchFiltered(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			bi := benchIndex(b, s.n)
			qs := benchGen(b).queries(4000)
			keep := func(id uint64) bool { return (id*0x9E3779B97F4A7C15)>>32%10 == 3 }
			timeQueries(b, func(i int) { bi.x.Search(qs[i%len(qs)], 10, keep) })
		})
	}
}

// timeQueries runs query b.N times and reports the median and 99th
// percentile of the wall-clock latency and of the CPU time per query (on a
// shared machine the two differ by the time spent waiting for a core).
func timeQueries(b *testing.B, query func(i int)) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	wall := make([]int64, 0, b.N)
	cpu := make([]int64, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, c := time.Now(), threadCPU()
		query(i)
		cpu = append(cpu, threadCPU()-c)
		wall = append(wall, int64(time.Since(t)))
	}
	b.StopTimer()
	for _, m := range []struct {
		name string
		v    []int64
	}{{"wall", wall}, {"cpu", cpu}} {
		slices.Sort(m.v)
		pct := func(p float64) float64 { return float64(m.v[min(len(m.v)-1, int(p*float64(len(m.v))))]) / 1e6 }
		b.ReportMetric(pct(0.50), m.name+"-p50-ms")
		b.ReportMetric(pct(0.99), m.name+"-p99-ms")
	}
}

// BenchmarkLoad measures a cold load with ReadFrom from a file.
func BenchmarkLoad(b *testing.B) {
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			bi := benchIndex(b, s.n)
			path := filepath.Join(b.TempDir(), "index")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			t := time.Now()
			n, err := bi.x.WriteTo(f)
			if err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			write := time.Since(t)
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu := processCPU()
			for i := 0; i < b.N; i++ {
				y := New(Options{})
				if _, err := y.ReadFrom(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "load-s")
			b.ReportMetric(write.Seconds(), "write-s")
			b.ReportMetric(float64(n)/(1<<20), "file-MiB")
			b.ReportMetric(float64(processCPU()-cpu)/1e9/float64(b.N), "load-cpu-s")
		})
	}
}
