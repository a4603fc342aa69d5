package vector

import "fmt"

// Scores returns the similarity of q to each id's vector, and whether the
// id is live, for fusing a vector score into hits found by other means
// (the BM25 candidates of a hybrid search). It takes the writer lock, so
// it waits for a write in progress; its cost is one dot product per id.
func (x *Index) Scores(q []float32, ids []uint64) ([]float32, []bool, error) {
	if len(q) != x.dim {
		return nil, nil, fmt.Errorf("vector: scores: %w: got %d components, index has %d", ErrDimension, len(q), x.dim)
	}
	scores, ok := make([]float32, len(ids)), make([]bool, len(ids))
	x.wmu.Lock() // ids is guarded by wmu; lock order wmu, then mu, as writers do
	defer x.wmu.Unlock()
	x.mu.RLock()
	defer x.mu.RUnlock()
	pages := *x.pages.Load()
	for i, id := range ids {
		node, found := x.ids[id]
		if !found || x.stateOf(pages, node) != stateLive {
			continue
		}
		scores[i], ok[i] = dot(q, x.vec(pages, node)), true
	}
	return scores, ok, nil
}
