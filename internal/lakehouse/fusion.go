package lakehouse

import "sort"

// ranked is one retriever's hit.
type ranked struct {
	id    uint64
	score float32
}

// fused is a hit after fusion, with the inputs it came from.
type fused struct {
	id       uint64
	score    float64
	bm25     float32
	vector   float32
	bm25Rank int // 1-based; 0 when absent
	vecRank  int
}

// fuse merges the BM25 and vector rankings by a convex-style combination
// of normalised scores, best first: BM25 scores are divided by the query's
// best, vector similarities are min–max scaled over the candidates, and
// the fused score is bm25 + wVec·vector (a hit missing from one list
// scores 0 there). Score fusion keeps how much better the top hit is,
// which reciprocal-rank fusion flattens away (on SQuAD it lost a tenth of
// BM25's MRR); see Bruch et al., "An Analysis of Fusion Functions for
// Hybrid Retrieval" (2023). Ties break on the id so results are stable.
func fuse(bm25, vec []ranked, wBM25, wVec float64) []fused {
	byID := make(map[uint64]*fused, len(bm25)+len(vec))
	get := func(id uint64) *fused {
		f := byID[id]
		if f == nil {
			f = &fused{id: id}
			byID[id] = f
		}
		return f
	}
	var top float32
	for _, h := range bm25 {
		top = max(top, h.score)
	}
	for i, h := range bm25 {
		f := get(h.id)
		f.bm25, f.bm25Rank = h.score, i+1
		if top > 0 {
			f.score += wBM25 * float64(h.score/top)
		}
	}
	for i, h := range vec {
		f := get(h.id)
		f.vector, f.vecRank = h.score, i+1
		f.score += wVec * float64(max(h.score, 0))
	}
	out := make([]fused, 0, len(byID))
	for _, f := range byID {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].id < out[j].id
	})
	return out
}
