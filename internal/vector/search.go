package vector

import "fmt"

// Search returns the k vectors most similar to q (best first) among those
// for which filter, if not nil, returns true. It is approximate: how many
// of the exact top k (Exact) it finds depends on the data and EfSearch;
// the package documentation has measurements.
//
// A filter that admits few vectors does not cost results: the walk widens
// until it has found k admitted ones, and when a sample shows the filter
// is selective enough that a scan is cheaper, or the walk runs over its
// budget, Search scans exactly instead. Fewer than k hits mean fewer than
// k live vectors pass the filter. filter is called concurrently by
// concurrent searches and must not call into the index.
func (x *Index) Search(q []float32, k int, filter func(id uint64) bool) ([]Hit, error) {
	if len(q) != x.dim {
		return nil, fmt.Errorf("vector: search: %w: got %d components, index has %d", ErrDimension, len(q), x.dim)
	}
	if k <= 0 {
		return nil, nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	live := int(x.live.Load())
	if live == 0 {
		return nil, nil
	}
	s := x.getSearcher()
	defer x.putSearcher(s)
	if k >= live {
		return x.exact(s, q, k, filter), nil
	}
	s.filter = filter
	ef := max(int(x.efSearch.Load()), k)
	scan := x.scanCost(live, 1)
	if filter != nil {
		share := x.selectivity(s, filter)
		scan = x.scanCost(live, share)
		if walkCost(ef)/share > scan {
			return x.exact(s, q, k, filter), nil
		}
	}
	// A walk that costs twice a scan (a filter that rejects everything
	// near q, or heavy tombstones) gives way to the scan.
	s.budget = int(max(2*scan, 4*walkCost(ef)))
	if !x.walk(s, q, ef) || len(s.found) < k {
		return x.exact(s, q, k, filter), nil
	}
	return x.hits(s.pages, s.found[:k]), nil
}

// walk runs the HNSW search: greedy descent through the upper layers,
// then a search of width ef on layer 0, leaving the results in s.found.
// It reports false when the search ran out of budget.
func (x *Index) walk(s *searcher, q []float32, ef int) bool {
	s.found = s.found[:0]
	ep, top, ok := decodeEntry(x.entry.Load())
	if !ok {
		return true
	}
	cur := item{dot(q, s.vec(x, ep)), ep}
	s.dots++
	for l := top; l > 0; l-- {
		cur = x.greedy(s, q, cur, l)
	}
	s.found = append(s.found, cur)
	done := x.searchLayer(s, q, s.found, ef, 0, true)
	s.found = s.res.drain(s.found[:0])
	return done
}

// Cost model, in similarity evaluations (one dot product of dim
// components, about 0.5 ns per component here): an unfiltered walk of
// width ef evaluates about 16*ef+256 nodes (measured from 100k to 1M
// vectors), and a scan tests the state and the filter of every slot
// (about 16 ns) and evaluates the vectors that pass.
func walkCost(ef int) float64 { return 16*float64(ef) + 256 }

func (x *Index) scanCost(live int, share float64) float64 {
	slots := float64(x.n.Load())
	return slots*32/float64(x.dim) + float64(live)*share
}

// selectivity estimates the share of live vectors filter admits from a
// systematic sample of up to 256 slots; a filter that admits none of the
// sample gets half of one sample's share.
func (x *Index) selectivity(s *searcher, filter func(uint64) bool) float64 {
	n := min(x.n.Load(), uint32(len(s.pages))<<x.shift)
	const samples = 256
	step := max(n/samples, 1)
	var seen, admitted int
	for node := step / 2; node < n; node += step {
		if x.stateOf(s.pages, node) != stateLive {
			continue
		}
		seen++
		if filter(s.pages[node>>x.shift].ids[node&x.mask]) {
			admitted++
		}
	}
	if seen == 0 {
		return 1
	}
	return max(float64(admitted), 0.5) / float64(seen)
}

// Exact returns the k vectors most similar to q among those filter admits,
// by comparing q with every live vector: the ground truth for Search.
func (x *Index) Exact(q []float32, k int, filter func(id uint64) bool) ([]Hit, error) {
	if len(q) != x.dim {
		return nil, fmt.Errorf("vector: exact: %w: got %d components, index has %d", ErrDimension, len(q), x.dim)
	}
	if k <= 0 {
		return nil, nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := x.getSearcher()
	defer x.putSearcher(s)
	return x.exact(s, q, k, filter), nil
}

func (x *Index) exact(s *searcher, q []float32, k int, filter func(uint64) bool) []Hit {
	n := x.n.Load() // before the pages, which grow before n does
	pages := *x.pages.Load()
	top := s.res[:0]
	for node := range n {
		if x.stateOf(pages, node) != stateLive {
			continue
		}
		if filter != nil && !filter(pages[node>>x.shift].ids[node&x.mask]) {
			continue
		}
		top.offer(item{dot(q, x.vec(pages, node)), node}, k)
	}
	s.res = top
	s.found = top.drain(s.found[:0])
	return x.hits(pages, s.found)
}

func (x *Index) hits(pages []*page, items []item) []Hit {
	if len(items) == 0 {
		return nil
	}
	out := make([]Hit, len(items))
	for i, it := range items {
		out[i] = Hit{ID: pages[it.node>>x.shift].ids[it.node&x.mask], Score: it.score}
	}
	return out
}
