package vector

import (
	"errors"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// scaled returns n, or a quarter of it under the race detector.
func scaled(n int) int {
	if raceEnabled {
		return n / 4
	}
	return n
}

// build returns an index of n clustered vectors under ids 0..n-1, added
// with AddBatch, and the data.
func build(t testing.TB, n int, opts Options) (*Index, dataset) {
	t.Helper()
	d := clustered(n, scaled(100), testDim, 7)
	x := New(testDim, opts)
	if err := x.AddBatch(seq(n), d.vecs); err != nil {
		t.Fatal(err)
	}
	return x, d
}

func seq(n int) []uint64 {
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i)
	}
	return ids
}

// meanRecall compares Search with Exact over the queries.
func meanRecall(t testing.TB, x *Index, queries [][]float32, k int, filter func(uint64) bool) float64 {
	t.Helper()
	var sum float64
	for _, q := range queries {
		got, err := x.Search(q, k, filter)
		if err != nil {
			t.Fatal(err)
		}
		want, err := x.Exact(q, k, filter)
		if err != nil {
			t.Fatal(err)
		}
		checkHits(t, got, filter)
		if len(got) != len(want) {
			t.Fatalf("Search returned %d hits, Exact %d", len(got), len(want))
		}
		sum += recallAt(got, want)
	}
	return sum / float64(len(queries))
}

// checkHits verifies that hits are sorted, distinct and admitted.
func checkHits(t testing.TB, hits []Hit, filter func(uint64) bool) {
	t.Helper()
	seen := map[uint64]bool{}
	for i, h := range hits {
		if seen[h.ID] {
			t.Fatalf("id %d returned twice", h.ID)
		}
		seen[h.ID] = true
		if filter != nil && !filter(h.ID) {
			t.Fatalf("id %d rejected by the filter was returned", h.ID)
		}
		if i > 0 && h.Score > hits[i-1].Score {
			t.Fatalf("hits not sorted: %v", hits)
		}
	}
}

func TestRecall(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		batch bool
	}{{"Add", false}, {"AddBatch", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := clustered(scaled(8000), scaled(200), testDim, 1)
			x := New(testDim, Options{Seed: 3})
			if tc.batch {
				if err := x.AddBatch(seq(len(d.vecs)), d.vecs); err != nil {
					t.Fatal(err)
				}
			} else {
				for i, v := range d.vecs {
					if err := x.Add(uint64(i), v); err != nil {
						t.Fatal(err)
					}
				}
			}
			if x.Len() != len(d.vecs) {
				t.Fatalf("Len = %d, want %d", x.Len(), len(d.vecs))
			}
			if r := meanRecall(t, x, d.queries, 10, nil); r < 0.95 {
				t.Errorf("recall@10 = %.3f, want >= 0.95", r)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	t.Parallel()
	x := New(4, Options{})
	q := []float32{1, 0, 0, 0}
	if h, err := x.Search(q, 10, nil); h != nil || err != nil {
		t.Errorf("Search on empty = %v, %v", h, err)
	}
	if h, err := x.Exact(q, 10, nil); h != nil || err != nil {
		t.Errorf("Exact on empty = %v, %v", h, err)
	}
	if x.Len() != 0 || x.Delete(1) {
		t.Error("empty index has contents")
	}
	x.Compact()
}

func TestSmallAndK(t *testing.T) {
	t.Parallel()
	x := New(2, Options{})
	for i := range 5 {
		a := float64(i) * 0.3
		if err := x.Add(uint64(i+1), []float32{float32(math.Cos(a)), float32(math.Sin(a))}); err != nil {
			t.Fatal(err)
		}
	}
	hits, err := x.Search([]float32{1, 0}, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]uint64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	if !slices.Equal(ids, []uint64{1, 2, 3, 4, 5}) {
		t.Errorf("k > Len: got %v, want all five by angle", ids)
	}
	if h, _ := x.Search([]float32{1, 0}, 0, nil); h != nil {
		t.Errorf("k = 0 returned %v", h)
	}
	if h, _ := x.Search([]float32{1, 0}, 2, nil); len(h) != 2 || h[0].ID != 1 || h[0].Score < 0.999 {
		t.Errorf("k = 2 returned %v", h)
	}
}

func TestInvalid(t *testing.T) {
	t.Parallel()
	x := New(3, Options{})
	for _, tc := range []struct {
		name string
		err  error
		fn   func() error
	}{
		{"add short", ErrDimension, func() error { return x.Add(1, []float32{1, 0}) }},
		{"add NaN", ErrInvalid, func() error { return x.Add(1, []float32{float32(math.NaN()), 0, 0}) }},
		{"add Inf", ErrInvalid, func() error { return x.Add(1, []float32{float32(math.Inf(1)), 0, 0}) }},
		{"batch lengths", ErrInvalid, func() error { return x.AddBatch([]uint64{1, 2}, [][]float32{{1, 0, 0}}) }},
		{"batch dim", ErrDimension, func() error { return x.AddBatch([]uint64{1}, [][]float32{{1}}) }},
		{"search dim", ErrDimension, func() error { _, err := x.Search([]float32{1}, 1, nil); return err }},
		{"exact dim", ErrDimension, func() error { _, err := x.Exact([]float32{1}, 1, nil); return err }},
		{"stamp", ErrInvalid, func() error { return x.SetStamp(Stamp{Model: string(make([]byte, 2000))}) }},
	} {
		if err := tc.fn(); !errors.Is(err, tc.err) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.err)
		}
	}
	if x.Len() != 0 {
		t.Errorf("invalid adds changed Len to %d", x.Len())
	}
}

func TestReplace(t *testing.T) {
	t.Parallel()
	n := scaled(2000)
	x, d := build(t, n, Options{MaxTombstones: -1})
	// Give id 5 the vector of id 6 and check that search follows.
	if err := x.Add(5, d.vecs[6]); err != nil {
		t.Fatal(err)
	}
	if x.Len() != n {
		t.Fatalf("Len after replace = %d", x.Len())
	}
	hits, _ := x.Search(d.vecs[6], 2, nil)
	if len(hits) != 2 || !slices.ContainsFunc(hits, func(h Hit) bool { return h.ID == 5 && h.Score > 0.999 }) {
		t.Errorf("replaced vector not found: %v", hits)
	}
	hits, _ = x.Search(d.vecs[5], 1, func(id uint64) bool { return id == 5 })
	if len(hits) != 1 || hits[0].Score > 0.999 && dot(d.vecs[5], d.vecs[6]) < 0.999 {
		t.Errorf("old vector of id 5 still found: %v", hits)
	}
	// A batch with a repeated id keeps the last vector.
	if err := x.AddBatch([]uint64{9, 9}, [][]float32{d.vecs[1], d.vecs[2]}); err != nil {
		t.Fatal(err)
	}
	hits, _ = x.Search(d.vecs[2], 1, func(id uint64) bool { return id == 9 })
	if len(hits) != 1 || hits[0].Score < 0.999 || x.Len() != n {
		t.Errorf("batch repeat: %v, Len %d", hits, x.Len())
	}
}

func TestDelete(t *testing.T) {
	t.Parallel()
	n := uint64(scaled(6000))
	x, d := build(t, int(n), Options{MaxTombstones: 0.3})
	slots := x.n.Load()
	deleted := func(id uint64) bool { return id%3 == 0 }
	for id := range n {
		if deleted(id) && !x.Delete(id) {
			t.Fatalf("Delete(%d) = false", id)
		}
	}
	if x.Delete(0) {
		t.Error("second Delete reported true")
	}
	if x.Len() != int(n-(n+2)/3) {
		t.Fatalf("Len = %d, want %d", x.Len(), n-(n+2)/3)
	}
	for _, q := range d.queries {
		hits, _ := x.Search(q, 10, nil)
		for _, h := range hits {
			if deleted(h.ID) {
				t.Fatalf("deleted id %d returned", h.ID)
			}
		}
	}
	if r := meanRecall(t, x, d.queries, 10, nil); r < 0.95 {
		t.Errorf("recall@10 with tombstones = %.3f", r)
	}
	x.Compact()
	if x.dead.Load() != 0 {
		t.Errorf("%d tombstones after Compact", x.dead.Load())
	}
	if r := meanRecall(t, x, d.queries, 10, nil); r < 0.95 {
		t.Errorf("recall@10 after compaction = %.3f", r)
	}
	// Re-adding reuses the freed slots.
	var ids []uint64
	var vs [][]float32
	for id := range n {
		if deleted(id) {
			ids, vs = append(ids, id), append(vs, d.vecs[id])
		}
	}
	if err := x.AddBatch(ids, vs); err != nil {
		t.Fatal(err)
	}
	if x.n.Load() != slots {
		t.Errorf("slots grew from %d to %d", slots, x.n.Load())
	}
	if r := meanRecall(t, x, d.queries, 10, nil); r < 0.95 {
		t.Errorf("recall@10 after re-adding = %.3f", r)
	}
	// Deleting nearly everything compacts automatically and still works.
	for id := range n - 10 {
		x.Delete(id)
	}
	if x.dead.Load() > 10 {
		t.Errorf("%d tombstones left, want automatic compaction", x.dead.Load())
	}
	hits, _ := x.Search(d.queries[0], 20, nil)
	if len(hits) != 10 {
		t.Errorf("got %d hits from 10 live vectors", len(hits))
	}
}

func TestFilter(t *testing.T) {
	t.Parallel()
	n := uint64(scaled(10000))
	x, d := build(t, int(n), Options{})
	for _, tc := range []struct {
		name   string
		filter func(uint64) bool
		want   int // hits expected for k = 10
	}{
		{"all", func(uint64) bool { return true }, 10},
		{"half", func(id uint64) bool { return id%2 == 0 }, 10},
		{"5%", func(id uint64) bool { return id%20 == 7 }, 10},
		{"0.5%", func(id uint64) bool { return id%200 == 3 }, 10},
		{"a range of ids", func(id uint64) bool { return id >= n/2 && id < n/2+12 }, 10},
		{"three", func(id uint64) bool { return id == 1 || id == n/3 || id == n-1 }, 3},
		{"none", func(uint64) bool { return false }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, q := range d.queries[:20] {
				hits, err := x.Search(q, 10, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if len(hits) != tc.want {
					t.Fatalf("got %d hits, want %d", len(hits), tc.want)
				}
				checkHits(t, hits, tc.filter)
			}
			if r := meanRecall(t, x, d.queries, 10, tc.filter); r < 0.95 {
				t.Errorf("recall@10 = %.3f", r)
			}
		})
	}
}

// TestConcurrent runs searches and Scores against a writer that adds, replaces and
// deletes (compacting on the way); run it with -race.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	n := scaled(4000)
	d := clustered(n, 50, testDim, 11)
	x := New(testDim, Options{MaxTombstones: 0.1, Workers: 2})
	if err := x.AddBatch(seq(n/4), d.vecs[:n/4]); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for r := range 3 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				q := d.queries[(i+r)%len(d.queries)]
				var filter func(uint64) bool
				if i%3 == 0 {
					filter = func(id uint64) bool { return id%5 == 0 }
				}
				hits, err := x.Search(q, 10, filter)
				if err != nil {
					t.Error(err)
					return
				}
				checkHits(t, hits, filter)
				for _, h := range hits {
					if h.ID >= uint64(n) {
						t.Errorf("unknown id %d", h.ID)
						return
					}
				}
				if i%50 == 0 {
					_, _ = x.Exact(q, 5, nil)
				}
				if i%7 == 0 {
					if _, _, err := x.Scores(q, []uint64{1, 2, uint64(i)}); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	step := n / 40
	for i := n / 4; i+step <= n; i += step {
		if err := x.AddBatch(seq(i + step)[i:], d.vecs[i:i+step]); err != nil {
			t.Fatal(err)
		}
		for j := range 30 {
			x.Delete(uint64((i*7 + j*13) % i))
		}
		if err := x.Add(uint64(i/2), d.vecs[i]); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if r := meanRecall(t, x, d.queries, 10, nil); r < 0.9 {
		t.Errorf("recall@10 after concurrent churn = %.3f", r)
	}
}

func TestMemoryBytes(t *testing.T) {
	t.Parallel()
	n := scaled(3000)
	x, _ := build(t, n, Options{})
	// 4*dim for the vector, 4*(1+2M) for layer 0, plus bookkeeping; the
	// last page may be mostly empty.
	perSlot := int64(4*testDim + 4*(1+2*DefaultM))
	lastPage := int64(x.pageSize()) * (perSlot + 36)
	if got := x.MemoryBytes(); got < perSlot*int64(n) || got > perSlot*int64(n)*3/2+lastPage {
		t.Errorf("MemoryBytes = %d for %d vectors of %d bytes", got, n, perSlot)
	}
}

// TestSearchAllocs checks that the search loop works in pooled scratch
// space: a search allocates its result and nothing else.
func TestSearchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation")
	}
	x, d := build(t, 2000, Options{})
	filter := func(id uint64) bool { return id%3 == 0 }
	for _, f := range []func(uint64) bool{nil, filter} {
		allocs := testing.AllocsPerRun(50, func() {
			if _, err := x.Search(d.queries[0], 10, f); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > 1 {
			t.Errorf("Search allocates %.1f times per call, want 1", allocs)
		}
	}
}
