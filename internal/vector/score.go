package vector

import "fmt"

// Scores returns the similarity of q to each id's vector, and whether the
// id is live, for fusing a vector score into hits found by other means
// (the BM25 candidates of a hybrid search). Like Search it runs beside a
// writer without waiting for it; its cost is one dot product per id.
func (x *Index) Scores(q []float32, ids []uint64) ([]float32, []bool, error) {
	if len(q) != x.dim {
		return nil, nil, fmt.Errorf("vector: scores: %w: got %d components, index has %d", ErrDimension, len(q), x.dim)
	}
	scores, ok := make([]float32, len(ids)), make([]bool, len(ids))
	x.mu.RLock() // no slot is freed meanwhile
	defer x.mu.RUnlock()
	for i, id := range ids {
		node, found := x.lookup(id)
		pages := *x.pages.Load() // after the lookup: the node may be new
		if !found || x.stateOf(pages, node) != stateLive {
			continue
		}
		scores[i], ok[i] = dot(q, x.vec(pages, node)), true
	}
	return scores, ok, nil
}
