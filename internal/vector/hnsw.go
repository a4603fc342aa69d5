package vector

import (
	"slices"
	"sync/atomic"
)

// searcher is the scratch state of one search or one insert, pooled so
// that the search loop does not allocate.
type searcher struct {
	pages  []*page // snapshot; refreshed when a node lies beyond it
	seen   visited
	cand   maxHeap
	res    minHeap
	found  []item // results of a layer, best first
	sel    []item // neighbours chosen for a new node
	pool   []item // candidates when pruning a neighbour's list
	kept   []item // pruned list
	filter func(uint64) bool
	dots   int // similarity evaluations so far
	budget int // abandon the search after this many; 0 means no limit
}

func (x *Index) getSearcher() *searcher {
	s := x.searchers.Get().(*searcher)
	s.pages = *x.pages.Load()
	s.dots = 0
	s.budget = 0
	return s
}

func (x *Index) putSearcher(s *searcher) {
	s.pages = nil
	s.filter = nil
	x.searchers.Put(s)
}

// vec returns a node's vector, refreshing the page snapshot when a writer
// has grown the index since the search began.
func (s *searcher) vec(x *Index, node uint32) []float32 {
	if int(node>>x.shift) >= len(s.pages) {
		s.pages = *x.pages.Load()
	}
	return x.vec(s.pages, node)
}

// accept reports whether a node may enter a layer's result set: for a
// query a live node the filter admits, for an insert any node not deleted
// (pending ones included, so that concurrent inserts link to each other).
func (x *Index) accept(s *searcher, node uint32, query bool) bool {
	st := x.stateOf(s.pages, node)
	if !query {
		return st != stateDeleted
	}
	if st != stateLive {
		return false
	}
	return s.filter == nil || s.filter(s.pages[node>>x.shift].ids[node&x.mask])
}

// greedy walks one upper layer towards q from cur and returns the closest
// node it reaches.
func (x *Index) greedy(s *searcher, q []float32, cur item, level int) item {
	for changed := true; changed; {
		changed = false
		l := x.list(s.pages, cur.node, level)
		n := min(int(atomic.LoadUint32(&l[0])), len(l)-1)
		for i := 1; i <= n; i++ {
			nb := atomic.LoadUint32(&l[i])
			sc := dot(q, s.vec(x, nb))
			s.dots++
			if sc > cur.score {
				cur = item{sc, nb}
				changed = true
			}
		}
	}
	return cur
}

// searchLayer is the best-first search of one layer from entries, keeping
// the ef best accepted nodes in s.res. It reports false when it ran out of
// budget. Rejected nodes are still expanded, so a filter only widens the
// walk.
func (x *Index) searchLayer(s *searcher, q []float32, entries []item, ef, level int, query bool) bool {
	s.seen.reset(int(x.n.Load()))
	s.cand = s.cand[:0]
	s.res = s.res[:0]
	for _, e := range entries {
		if !s.seen.visit(e.node) {
			continue
		}
		s.cand.push(e)
		if x.accept(s, e.node, query) {
			s.res.offer(e, ef)
		}
	}
	for len(s.cand) > 0 {
		c := s.cand.pop()
		if len(s.res) >= ef && c.score < s.res[0].score {
			break
		}
		l := x.list(s.pages, c.node, level)
		n := min(int(atomic.LoadUint32(&l[0])), len(l)-1)
		for i := 1; i <= n; i++ {
			nb := atomic.LoadUint32(&l[i])
			if !s.seen.visit(nb) {
				continue
			}
			sc := dot(q, s.vec(x, nb))
			s.dots++
			if len(s.res) < ef || sc > s.res[0].score {
				it := item{sc, nb}
				s.cand.push(it)
				if x.accept(s, nb, query) {
					s.res.offer(it, ef)
				}
			}
		}
		if s.budget > 0 && s.dots > s.budget {
			return false
		}
	}
	return true
}

// selectNeighbours picks at most m of cands (best first) for node by the
// HNSW heuristic: a candidate is kept only if it is closer to node than to
// every neighbour kept so far, which spreads the links over directions and
// keeps clusters connected. With fill, free places are then given to the
// best rejected candidates.
func (x *Index) selectNeighbours(s *searcher, dst []item, node uint32, cands []item, m int, fill bool) []item {
	dst = dst[:0]
	for _, c := range cands {
		if len(dst) >= m {
			return dst
		}
		if c.node == node {
			continue
		}
		cv := s.vec(x, c.node)
		good := true
		for _, r := range dst {
			if dot(cv, s.vec(x, r.node)) > c.score {
				good = false
				break
			}
		}
		if good {
			dst = append(dst, c)
		}
	}
	if fill {
		for _, c := range cands {
			if len(dst) >= m {
				break
			}
			if c.node != node && !slices.Contains(dst, c) {
				dst = append(dst, c)
			}
		}
	}
	return dst
}

// setList replaces a node's list on a layer. Readers may see a mix of the
// old and new neighbours while it runs, which costs them nothing but
// precision.
func (x *Index) setList(s *searcher, node uint32, level int, nbs []item) {
	l := x.list(s.pages, node, level)
	for i, nb := range nbs {
		atomic.StoreUint32(&l[1+i], nb.node)
	}
	atomic.StoreUint32(&l[0], uint32(len(nbs)))
}

// lock takes a node's stripe lock when several goroutines link at once.
func (x *Index) lock(node uint32, parallel bool) {
	if parallel {
		x.locks[node%uint32(len(x.locks))].Lock()
	}
}

func (x *Index) unlock(node uint32, parallel bool) {
	if parallel {
		x.locks[node%uint32(len(x.locks))].Unlock()
	}
}

// insert links a prepared node into the graph. With parallel set, other
// goroutines insert at the same time and lists are changed under stripe
// locks; a goroutine holds one stripe at a time, so they cannot deadlock.
func (x *Index) insert(s *searcher, node uint32, parallel bool) {
	level := x.levelOf(s.pages, node)
	x.epMu.Lock()
	e := x.entry.Load()
	if e == 0 {
		x.entry.Store(encodeEntry(node, level))
		x.epMu.Unlock()
		return
	}
	x.epMu.Unlock()
	ep, top, _ := decodeEntry(e)
	q := s.vec(x, node)
	cur := item{dot(q, s.vec(x, ep)), ep}
	for l := top; l > level; l-- {
		cur = x.greedy(s, q, cur, l)
	}
	s.found = append(s.found[:0], cur)
	for l := min(level, top); l >= 0; l-- {
		x.searchLayer(s, q, s.found, x.opts.EfConstruction, l, false)
		s.found = s.res.drain(s.found[:0])
		// M links on every layer, as in the paper; layer-0 lists grow to
		// 2M through the reverse links of later nodes.
		s.sel = x.selectNeighbours(s, s.sel, node, s.found, x.opts.M, false)
		x.lock(node, parallel)
		x.setList(s, node, l, s.sel)
		x.unlock(node, parallel)
		for _, nb := range s.sel {
			x.addLink(s, nb.node, node, nb.score, l, parallel)
		}
	}
	if level > top {
		x.epMu.Lock()
		if _, cl, _ := decodeEntry(x.entry.Load()); level > cl {
			x.entry.Store(encodeEntry(node, level))
		}
		x.epMu.Unlock()
	}
}

// addLink adds node to nb's list on a layer, pruning the list with the
// heuristic when it is full. Deleted neighbours are dropped on the way.
func (x *Index) addLink(s *searcher, nb, node uint32, score float32, level int, parallel bool) {
	x.lock(nb, parallel)
	defer x.unlock(nb, parallel)
	l := x.list(s.pages, nb, level)
	n := int(atomic.LoadUint32(&l[0]))
	if n < len(l)-1 {
		atomic.StoreUint32(&l[1+n], node)
		atomic.StoreUint32(&l[0], uint32(n+1))
		return
	}
	nv := s.vec(x, nb)
	s.pool = append(s.pool[:0], item{score, node})
	for i := 1; i <= n; i++ {
		e := atomic.LoadUint32(&l[i])
		ev := s.vec(x, e)
		if x.stateOf(s.pages, e) == stateDeleted {
			continue
		}
		s.pool = append(s.pool, item{dot(nv, ev), e})
	}
	slices.SortFunc(s.pool, compareItems)
	s.kept = x.selectNeighbours(s, s.kept, nb, s.pool, len(l)-1, false)
	x.setList(s, nb, level, s.kept)
}

func compareItems(a, b item) int {
	switch {
	case better(a, b):
		return -1
	case better(b, a):
		return 1
	}
	return 0
}
