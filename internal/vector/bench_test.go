package vector

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The search benchmarks build an index once per case (minutes at 1M) and
// report, besides ns/op for one query:
//
//	p50-ms, p99-ms          wall latency of one query, one at a time
//	cpu-p50-ms, cpu-p99-ms  CPU time of the same queries: on a shared,
//	                        busy machine wall time includes waiting
//	recall@10               against Exact, 200 held-out queries
//	build-s, build-cpu-s    AddBatch wall time and CPU time (all cores)
//	bytes/vector            MemoryBytes / Len
//	heap-bytes/vector       Go heap growth when loading the index
//	load-s                  Load from a just-written file (page cache warm)
//	file-bytes/vector       size of that file
//	qps                     queries per second from GOMAXPROCS goroutines
//
// VECTOR_BENCH_M and VECTOR_BENCH_EFC override the build options;
// VECTOR_BENCH_CACHE names a directory that keeps built indexes between
// runs.
// The 1M cases run only when VECTOR_BENCH_1M=1 or when -bench names them
// (for instance -bench 'Search/n=1M/dim=384').
//
//	go test -run '^$' -bench 'Search/n=100k' -benchtime 2000x ./internal/vector

const benchQueries = 200

var benchSizes = []struct {
	name string
	n    int
}{{"100k", 100_000}, {"1M", 1_000_000}}

func BenchmarkSearch(b *testing.B) {
	for _, size := range benchSizes {
		for _, dim := range []int{384, 1024} {
			for _, data := range []string{"clustered", "text", "hard"} {
				name := fmt.Sprintf("n=%s/dim=%d/data=%s", size.name, dim, data)
				b.Run(name, func(b *testing.B) {
					c := benchCase(b, size.name, size.n, dim, data)
					benchQueriesLoop(b, c, nil)
					c.report(b)
				})
			}
		}
	}
}

// BenchmarkSearchFilter measures filtered searches on the 100k x 384
// clustered index; the filter admits a share of the ids.
func BenchmarkSearchFilter(b *testing.B) {
	for _, share := range []int{50, 10, 1} {
		b.Run(fmt.Sprintf("n=100k/dim=384/share=%d%%", share), func(b *testing.B) {
			c := benchCase(b, "100k", 100_000, 384, "clustered")
			filter := func(id uint64) bool { return id%100 < uint64(share) }
			benchQueriesLoop(b, c, filter)
			var sum float64
			for _, q := range c.queries {
				got, _ := c.x.Search(q, 10, filter)
				want, _ := c.x.Exact(q, 10, filter)
				sum += recallAt(got, want)
			}
			b.ReportMetric(sum/float64(len(c.queries)), "recall@10")
		})
	}
}

func benchQueriesLoop(b *testing.B, c *bcase, filter func(uint64) bool) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var wall, cpu []time.Duration
	i := 0
	for b.Loop() {
		q := c.queries[i%len(c.queries)]
		i++
		t0, c0 := time.Now(), threadCPU()
		if _, err := c.x.Search(q, 10, filter); err != nil {
			b.Fatal(err)
		}
		cpu = append(cpu, threadCPU()-c0)
		wall = append(wall, time.Since(t0))
	}
	b.ReportMetric(percentileMs(wall, 0.50), "p50-ms")
	b.ReportMetric(percentileMs(wall, 0.99), "p99-ms")
	b.ReportMetric(percentileMs(cpu, 0.50), "cpu-p50-ms")
	b.ReportMetric(percentileMs(cpu, 0.99), "cpu-p99-ms")
}

func percentileMs(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return float64(d[min(int(p*float64(len(d))), len(d)-1)]) / 1e6
}

// bcase is a built index with its queries and ground truth.
type bcase struct {
	key     string
	x       *Index
	queries [][]float32
	truth   [][]Hit
	metrics map[string]float64
}

func (c *bcase) report(b *testing.B) {
	for unit, v := range c.metrics {
		b.ReportMetric(v, unit)
	}
	var sum float64
	for i, q := range c.queries {
		got, _ := c.x.Search(q, 10, nil)
		sum += recallAt(got, c.truth[i])
	}
	b.ReportMetric(sum/float64(len(c.queries)), "recall@10")
	b.ReportMetric(throughput(c), "qps")
}

// throughput runs the queries five times over, from GOMAXPROCS goroutines,
// and returns queries per second.
func throughput(c *bcase) float64 {
	workers := runtime.GOMAXPROCS(0)
	const rounds = 5
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range workers {
		wg.Go(func() {
			for i := w; i < rounds*len(c.queries); i += workers {
				_, _ = c.x.Search(c.queries[i%len(c.queries)], 10, nil)
			}
		})
	}
	wg.Wait()
	return float64(rounds*len(c.queries)) / time.Since(t0).Seconds()
}

// current holds the last case built, so that the runs of one benchmark
// (and the next benchmark on the same data) reuse it; only one is kept,
// the 1M ones being several GB.
var current *bcase

func benchCase(b *testing.B, size string, n, dim int, data string) *bcase {
	b.Helper()
	if size == "1M" && os.Getenv("VECTOR_BENCH_1M") != "1" && !strings.Contains(flag.Lookup("test.bench").Value.String(), "1M") {
		b.Skip("set VECTOR_BENCH_1M=1 or name the case in -bench")
	}
	key := fmt.Sprint(n, dim, data)
	if current != nil && current.key == key {
		return current
	}
	current = nil
	runtime.GC()
	c := &bcase{key: key, metrics: map[string]float64{}}
	var d dataset
	switch data {
	case "text":
		d = textLike(n, benchQueries, dim, 1, textShape)
	case "hard":
		d = textLike(n, benchQueries, dim, 1, hardShape)
	default:
		d = clustered(n, benchQueries, dim, 1)
	}
	c.queries = d.queries

	// With VECTOR_BENCH_CACHE set, the index file is kept there and a
	// later run with the same case and options loads it instead of
	// building (no build metrics then).
	opts := benchOptions()
	path := ""
	if dir := os.Getenv("VECTOR_BENCH_CACHE"); dir != "" {
		path = filepath.Join(dir, fmt.Sprintf("%s-%d-%s-M%d-efc%d.idx", size, dim, data, opts.M, opts.EfConstruction))
	}
	if _, err := os.Stat(path); path == "" || err != nil {
		if path == "" {
			f, err := os.CreateTemp("", "vector-bench-*.idx")
			if err != nil {
				b.Fatal(err)
			}
			path = f.Name()
			f.Close()
			defer os.Remove(path)
		}
		c.build(b, opts, d, path)
	}
	d.vecs = nil
	heap := heapAlloc()
	t0 := time.Now()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if c.x, err = Load(f, Options{}); err != nil {
		b.Fatal(err)
	}
	c.metrics["load-s"] = time.Since(t0).Seconds()
	c.metrics["heap-bytes/vector"] = float64(heapAlloc()-heap) / float64(n)
	c.truth = groundTruth(c.x, c.queries)
	efSweep(b, c)
	current = c
	return c
}

// build builds the index of d and writes it to path.
func (c *bcase) build(b *testing.B, opts Options, d dataset, path string) {
	x := New(d.dim, opts)
	t0, c0 := time.Now(), processCPU()
	if err := x.AddBatch(seq(len(d.vecs)), d.vecs); err != nil {
		b.Fatal(err)
	}
	c.metrics["build-s"] = time.Since(t0).Seconds()
	c.metrics["build-cpu-s"] = (processCPU() - c0).Seconds()
	c.metrics["bytes/vector"] = float64(x.MemoryBytes()) / float64(x.Len())
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	size, err := x.WriteTo(f)
	if err != nil {
		b.Fatal(err)
	}
	c.metrics["file-bytes/vector"] = float64(size) / float64(len(d.vecs))
}

// benchOptions reads VECTOR_BENCH_M and VECTOR_BENCH_EFC, for tuning runs.
func benchOptions() Options {
	var o Options
	o.M, _ = strconv.Atoi(os.Getenv("VECTOR_BENCH_M"))
	o.EfConstruction, _ = strconv.Atoi(os.Getenv("VECTOR_BENCH_EFC"))
	return o
}

func heapAlloc() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// groundTruth runs Exact for every query on all cores.
func groundTruth(x *Index, queries [][]float32) [][]Hit {
	truth := make([][]Hit, len(queries))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(queries); i += workers {
				truth[i], _ = x.Exact(queries[i], 10, nil)
			}
		})
	}
	wg.Wait()
	return truth
}

// efSweep logs recall and CPU latency for a range of search widths, the
// data behind the default EfSearch.
func efSweep(b *testing.B, c *bcase) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, ef := range []int{32, 64, 128, 192, 256, 384, 512} {
		c.x.SetEfSearch(ef)
		var sum float64
		var cpu []time.Duration
		for i, q := range c.queries {
			c0 := threadCPU()
			got, _ := c.x.Search(q, 10, nil)
			cpu = append(cpu, threadCPU()-c0)
			sum += recallAt(got, c.truth[i])
		}
		var dots int
		for _, q := range c.queries {
			s := c.x.getSearcher()
			c.x.walk(s, q, ef)
			dots += s.dots
			c.x.putSearcher(s)
		}
		b.Logf("ef=%d recall@10=%.4f cpu-p50=%.2fms cpu-p99=%.2fms dots=%d", ef, sum/float64(len(c.queries)),
			percentileMs(cpu, 0.5), percentileMs(cpu, 0.99), dots/len(c.queries))
	}
	c.x.SetEfSearch(0)
}

// BenchmarkCompact deletes a fifth of a 20k x 384 text-like index and
// measures the compaction against the build, and recall before and after.
func BenchmarkCompact(b *testing.B) {
	const n = 20_000
	d := textLike(n, benchQueries, 384, 3, textShape)
	for b.Loop() {
		b.StopTimer()
		x := New(384, Options{MaxTombstones: -1})
		c0 := processCPU()
		if err := x.AddBatch(seq(n), d.vecs); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric((processCPU() - c0).Seconds(), "build-cpu-s")
		for id := uint64(0); id < n; id += 5 {
			x.Delete(id)
		}
		b.ReportMetric(meanRecall(b, x, d.queries, 10, nil), "recall@10-tombstones")
		b.StartTimer()
		c0 = processCPU()
		x.Compact()
		b.ReportMetric((processCPU() - c0).Seconds(), "compact-cpu-s")
		b.StopTimer()
		b.ReportMetric(meanRecall(b, x, d.queries, 10, nil), "recall@10-compacted")
		b.StartTimer()
	}
}
