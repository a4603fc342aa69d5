package vector

import (
	"slices"
	"sync"
	"sync/atomic"
)

// Compact removes the tombstones of deleted vectors from the graph and
// frees their slots for reuse. Writes call it when tombstones exceed
// Options.MaxTombstones. It runs while searches continue, which wait only
// for its last step; it takes time linear in the index size.
func (x *Index) Compact() {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	x.compact()
}

func (x *Index) maybeCompact() {
	share := x.opts.MaxTombstones
	dead := x.dead.Load()
	if share < 0 || dead == 0 {
		return
	}
	if float64(dead) > share*float64(dead+x.live.Load()) {
		x.compact()
	}
}

// compact relinks every node that points at a deleted node to that node's
// neighbours (re-pruned with the heuristic), then, alone, frees the
// deleted nodes. No writer runs meanwhile (wmu), so the deleted nodes'
// own lists stay intact while they are read and no new link to them
// appears.
func (x *Index) compact() {
	pages := *x.pages.Load()
	n := x.n.Load()
	dead := make([]bool, n)
	var deadList []uint32
	for node := range n {
		if x.stateOf(pages, node) == stateDeleted {
			dead[node] = true
			deadList = append(deadList, node)
		}
	}
	if len(deadList) == 0 {
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	const step = 256
	for range x.opts.Workers {
		wg.Go(func() {
			s := x.getSearcher()
			defer x.putSearcher(s)
			for {
				lo := uint32(next.Add(step)) - step
				if lo >= n {
					return
				}
				for node := lo; node < min(lo+step, n); node++ {
					if st := x.stateOf(pages, node); st == stateLive {
						for l := range x.levelOf(pages, node) + 1 {
							x.repair(s, node, l, dead)
						}
					}
				}
			}
		})
	}
	wg.Wait()

	x.mu.Lock()
	defer x.mu.Unlock()
	for _, node := range deadList {
		x.release(pages, node)
	}
	x.dead.Add(-int64(len(deadList)))
	if node, _, ok := decodeEntry(x.entry.Load()); ok && dead[node] {
		x.entry.Store(x.highestNode(pages, n))
	}
}

// repair replaces the deleted nodes in one of node's lists by their
// neighbours and prunes the union back to size.
func (x *Index) repair(s *searcher, node uint32, level int, dead []bool) {
	l := x.list(s.pages, node, level)
	n := int(atomic.LoadUint32(&l[0]))
	if !slices.ContainsFunc(l[1:1+n], func(e uint32) bool { return dead[e] }) {
		return
	}
	nv := s.vec(x, node)
	s.seen.reset(len(dead))
	s.seen.visit(node)
	s.pool = s.pool[:0]
	add := func(e uint32) {
		if !dead[e] && s.seen.visit(e) {
			s.pool = append(s.pool, item{dot(nv, s.vec(x, e)), e})
		}
	}
	for _, e := range l[1 : 1+n] {
		if !dead[e] {
			add(e)
			continue
		}
		dl := x.list(s.pages, e, level)
		for _, f := range dl[1 : 1+int(atomic.LoadUint32(&dl[0]))] {
			add(f)
		}
	}
	slices.SortFunc(s.pool, compareItems)
	s.kept = x.selectNeighbours(s, s.kept, node, s.pool, len(l)-1, true)
	x.setList(s, node, level, s.kept)
}

// highestNode returns the entry encoding of a live node on the top layer,
// or 0 when no node is live.
func (x *Index) highestNode(pages []*page, n uint32) uint64 {
	var best uint64
	bestLevel := -1
	for node := range n {
		if x.stateOf(pages, node) != stateLive {
			continue
		}
		if l := x.levelOf(pages, node); l > bestLevel {
			best, bestLevel = encodeEntry(node, l), l
		}
	}
	return best
}
