package fulltext

import (
	"cmp"
	"math"
	"slices"
	"sync"
)

// Search returns the k best documents for query by BM25, best first (ties by
// id). filter, when not nil, keeps only the ids it accepts. It is called
// under the index's read lock, so it must not call the Index, and only for
// documents whose score bounds could still reach the top k; a filter that
// rejects nearly every match makes the search score all of them. Queries
// are cut at 16 KiB and 256 distinct terms.
func (x *Index) Search(query string, k int, filter func(id uint64) bool) []Hit {
	if k <= 0 {
		return nil
	}
	qt := analyzeQuery(query)
	if len(qt) == 0 {
		return nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.search(qt, k, filter)
}

// cursorPool recycles cursors and their decode buffers.
var cursorPool = sync.Pool{New: func() any { return new(cursor) }}

// search runs the query under the read lock.
func (x *Index) search(qt []queryTerm, k int, filter func(uint64) bool) []Hit {
	n := len(x.ids)
	if n == 0 {
		return nil
	}
	avg := x.avgLen()
	ls := &lengths{x.norms, normTable(x.k1, x.b, avg), avg}
	qt = x.expandCompounds(qt)
	var cs []*cursor
	defer func() {
		for _, c := range cs {
			c.pl, c.blocks, c.data, c.nt, c.norms = nil, nil, nil, nil, nil
			cursorPool.Put(c)
		}
	}()
	for _, q := range qt {
		id, ok := x.terms[q.text]
		if !ok {
			continue
		}
		pl := &x.lists[id]
		df := float64(pl.df())
		idf := math.Log(1 + (float64(n)-df+0.5)/(df+0.5))
		c := cursorPool.Get().(*cursor)
		c.init(pl, q.weight*float32(idf)*(x.k1+1), ls)
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return nil
	}
	top := x.maxScore(cs, k, filter)
	hits := make([]Hit, len(top))
	for i, e := range top {
		hits[i] = Hit{ID: x.ids[e.doc], Score: e.score}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return hits
}

// maxScore is document-at-a-time MaxScore with block-max bounds. Cursors are
// ordered by their upper bound; the lowest ones, whose bounds together cannot
// lift a document above the current k-th score, are "non-essential": they
// never propose candidates and are only probed for candidates of the others.
func (x *Index) maxScore(cs []*cursor, k int, filter func(uint64) bool) []entry {
	slices.SortFunc(cs, func(a, b *cursor) int { return cmp.Compare(a.ub, b.ub) })
	prefix := make([]float32, len(cs)) // prefix[i]: sum of the bounds of cs[:i+1]
	var sum float32
	for i, c := range cs {
		sum += c.ub
		prefix[i] = sum
	}
	h := topK{k: k}
	var theta float32 // the k-th best score so far; a document must beat it
	ess := 0          // cs[ess:] are essential
	bb := make([]float32, len(cs))
	for {
		if theta > 0 && !skipBlocks(cs, ess, prefix, theta) {
			break
		}
		doc := uint32(endDoc)
		for _, c := range cs[ess:] {
			doc = min(doc, c.doc)
		}
		if doc == endDoc {
			break
		}
		var score float32
		for _, c := range cs[ess:] {
			if c.doc == doc {
				score += c.score()
				c.next()
			}
		}
		score, ok := probe(cs[:ess], bb, doc, score, theta, func() bool {
			return !x.isDead(doc) && (filter == nil || filter(x.ids[doc]))
		})
		if ok && score > theta && h.push(doc, score) {
			theta = h.min()
			for ess < len(cs) && prefix[ess] <= theta {
				ess++
			}
		}
	}
	return h.items
}

// skipBlocks moves the essential cursors past every range of documents
// where their current blocks' bounds plus the non-essential bounds cannot
// beat theta. It returns false when they are exhausted.
func skipBlocks(cs []*cursor, ess int, prefix []float32, theta float32) bool {
	for {
		var bound float32
		if ess > 0 {
			bound = prefix[ess-1]
		}
		upto := uint32(endDoc)
		for _, c := range cs[ess:] {
			bound += c.bb
			upto = min(upto, c.blockLast())
		}
		if upto == endDoc {
			return false // every essential cursor is exhausted
		}
		if bound > theta {
			return true
		}
		for _, c := range cs[ess:] {
			c.advance(upto + 1)
		}
	}
}

// probe adds the non-essential cursors' scores for doc to score, from the
// largest bound down, and returns false as soon as doc cannot beat theta.
// Once the block bounds leave doc a chance, it asks accept, which is cheaper
// than probing.
func probe(cs []*cursor, bb []float32, doc uint32, score, theta float32, accept func() bool) (float32, bool) {
	var rest float32
	for i, c := range cs {
		c.shallow(doc)
		bb[i] = c.bb
		rest += c.bb
	}
	if score+rest <= theta || !accept() {
		return 0, false
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if score+rest <= theta {
			return 0, false
		}
		c := cs[i]
		c.advance(doc)
		if c.doc == doc {
			score += c.score()
		}
		rest -= bb[i]
	}
	return score, true
}

// entry is a document in the top k.
type entry struct {
	doc   uint32
	score float32
}

// topK is a bounded min-heap of the best entries.
type topK struct {
	k     int
	items []entry
}

// min returns the smallest kept score; meaningful once the heap is full.
func (h *topK) min() float32 { return h.items[0].score }

// push offers an entry and reports whether the heap is full afterwards and
// its minimum may have risen.
func (h *topK) push(doc uint32, score float32) bool {
	e := entry{doc, score}
	if len(h.items) < h.k {
		h.items = append(h.items, e)
		for i := len(h.items) - 1; i > 0; {
			p := (i - 1) / 2
			if !less(h.items[i], h.items[p]) {
				break
			}
			h.items[i], h.items[p] = h.items[p], h.items[i]
			i = p
		}
		return len(h.items) == h.k
	}
	if !less(h.items[0], e) {
		return false
	}
	h.items[0] = e
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(h.items) && less(h.items[l], h.items[m]) {
			m = l
		}
		if r := l + 1; r < len(h.items) && less(h.items[r], h.items[m]) {
			m = r
		}
		if m == i {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return true
}

// less orders entries worst first: lower score, then later document.
func less(a, b entry) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.doc > b.doc
}
