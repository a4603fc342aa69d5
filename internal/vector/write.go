package vector

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// Add inserts v under id, replacing the vector id had. Readers see the
// old vector, then (for an instant) neither, then the new one.
func (x *Index) Add(id uint64, v []float32) error {
	if err := x.checkVector(v); err != nil {
		return fmt.Errorf("vector: add %d: %w", id, err)
	}
	x.wmu.Lock()
	defer x.wmu.Unlock()
	node, err := x.prepare(id, v)
	if err != nil {
		return fmt.Errorf("vector: add %d: %w", id, err)
	}
	s := x.getSearcher()
	x.insert(s, node, false)
	x.putSearcher(s)
	x.publish(id, node)
	x.maybeCompact()
	return nil
}

// AddBatch inserts vs[i] under ids[i] like Add, linking with
// Options.Workers goroutines. If an id occurs twice, the later vector
// wins. Vectors become visible in chunks as they are linked; on an
// invalid vector nothing is added.
func (x *Index) AddBatch(ids []uint64, vs [][]float32) error {
	if len(ids) != len(vs) {
		return fmt.Errorf("vector: add batch: %d ids, %d vectors: %w", len(ids), len(vs), ErrInvalid)
	}
	for i, v := range vs {
		if err := x.checkVector(v); err != nil {
			return fmt.Errorf("vector: add batch: id %d: %w", ids[i], err)
		}
	}
	x.wmu.Lock()
	defer x.wmu.Unlock()
	chunk := 512 * x.opts.Workers
	nodes := make([]uint32, 0, min(chunk, len(ids)))
	for start := 0; start < len(ids); start += chunk {
		end := min(start+chunk, len(ids))
		nodes = nodes[:0]
		for i := start; i < end; i++ {
			node, err := x.prepare(ids[i], vs[i])
			if err != nil {
				x.abandon(nodes)
				return fmt.Errorf("vector: add batch: %w", err)
			}
			nodes = append(nodes, node)
		}
		x.linkAll(nodes)
		for i, node := range nodes {
			x.publish(ids[start+i], node)
		}
		x.maybeCompact()
	}
	return nil
}

// linkAll inserts prepared nodes with the configured number of workers.
func (x *Index) linkAll(nodes []uint32) {
	workers := min(x.opts.Workers, len(nodes))
	if workers <= 1 {
		s := x.getSearcher()
		for _, node := range nodes {
			x.insert(s, node, false)
		}
		x.putSearcher(s)
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			s := x.getSearcher()
			defer x.putSearcher(s)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(nodes) {
					return
				}
				x.insert(s, nodes[i], true)
			}
		})
	}
	wg.Wait()
}

// Delete removes id and reports whether it was present. The node stays
// in the graph as a tombstone, routing searches but never returned, until
// tombstones exceed Options.MaxTombstones and the graph is compacted.
func (x *Index) Delete(id uint64) bool {
	x.wmu.Lock()
	defer x.wmu.Unlock()
	node, ok := x.ids[id]
	if !ok {
		return false
	}
	x.idsMu.Lock()
	delete(x.ids, id)
	x.idsMu.Unlock()
	x.setState(*x.pages.Load(), node, stateDeleted)
	x.live.Add(-1)
	x.dead.Add(1)
	x.maybeCompact()
	return true
}

// prepare allocates a slot and fills it with id, v and a random level.
// The node is pending: reachable once linked, but not yet returned.
func (x *Index) prepare(id uint64, v []float32) (uint32, error) {
	node, err := x.alloc()
	if err != nil {
		return 0, err
	}
	pages := *x.pages.Load()
	p := pages[node>>x.shift]
	i := int(node & x.mask)
	copy(p.vec[i*x.dim:(i+1)*x.dim], v)
	p.ids[i] = id
	level := x.randomLevel()
	x.upperLen.Add(int64(level*(1+x.opts.M) - len(p.upper[i])))
	p.upper[i] = nil
	if level > 0 {
		p.upper[i] = make([]uint32, level*(1+x.opts.M))
	}
	atomic.StoreUint32(&p.link0[i*(1+x.m0)], 0)
	x.setState(pages, node, statePending)
	return node, nil
}

// abandon returns prepared but unlinked nodes to the free list.
func (x *Index) abandon(nodes []uint32) {
	pages := *x.pages.Load()
	for _, node := range nodes {
		x.release(pages, node)
	}
}

// release frees a slot that no list refers to.
func (x *Index) release(pages []*page, node uint32) {
	p := pages[node>>x.shift]
	i := int(node & x.mask)
	x.setState(pages, node, stateFree)
	x.upperLen.Add(-int64(len(p.upper[i])))
	p.upper[i] = nil
	p.ids[i] = 0
	atomic.StoreUint32(&p.link0[i*(1+x.m0)], 0)
	x.free = append(x.free, node)
}

// alloc returns a free slot, growing the index by a page when needed.
func (x *Index) alloc() (uint32, error) {
	if n := len(x.free); n > 0 {
		node := x.free[n-1]
		x.free = x.free[:n-1]
		return node, nil
	}
	node := x.n.Load()
	if node >= maxSlots {
		return 0, fmt.Errorf("index full at %d nodes: %w", node, ErrInvalid)
	}
	pages := *x.pages.Load()
	if int(node>>x.shift) >= len(pages) {
		// Readers hold the old slice; append only writes past its length.
		grown := append(pages, x.newPage())
		x.pages.Store(&grown)
	}
	x.n.Store(node + 1)
	return node, nil
}

// publish makes a linked node visible under id, retiring the node id had.
func (x *Index) publish(id uint64, node uint32) {
	pages := *x.pages.Load()
	if old, ok := x.ids[id]; ok {
		x.setState(pages, old, stateDeleted)
		x.live.Add(-1)
		x.dead.Add(1)
	}
	x.idsMu.Lock()
	x.ids[id] = node
	x.idsMu.Unlock()
	x.setState(pages, node, stateLive)
	x.live.Add(1)
}

// randomLevel draws a node's top layer from the geometric distribution
// of the HNSW paper, P(level >= l) = M^-l.
func (x *Index) randomLevel() int {
	u := 1 - x.rng.Float64() // (0, 1]
	return min(int(-math.Log(u)*x.mult), maxLevel)
}
