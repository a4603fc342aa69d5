package lakehouse

import "sort"

// rrfK is the rank constant of reciprocal-rank fusion (Cormack et al. use
// 60): it keeps one list's top hit from drowning the other list.
const rrfK = 60

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

// fuse merges the BM25 and vector rankings by reciprocal rank, best first.
// Ties break on the id so that results are stable.
func fuse(bm25, vec []ranked) []fused {
	byID := make(map[uint64]*fused, len(bm25)+len(vec))
	get := func(id uint64) *fused {
		f := byID[id]
		if f == nil {
			f = &fused{id: id}
			byID[id] = f
		}
		return f
	}
	for i, h := range bm25 {
		f := get(h.id)
		f.bm25, f.bm25Rank = h.score, i+1
		f.score += 1 / float64(rrfK+i+1)
	}
	for i, h := range vec {
		f := get(h.id)
		f.vector, f.vecRank = h.score, i+1
		f.score += 1 / float64(rrfK+i+1)
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
