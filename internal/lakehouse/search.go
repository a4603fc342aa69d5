package lakehouse

import (
	"context"
	"strings"
	"sync"

	"github.com/zero711/brain"
)

// Search runs a hybrid (BM25 + vector, fused by reciprocal rank), BM25-only
// or vector-only search over the customer's chunks.
func (l *Lakehouse) Search(ctx context.Context, customerID string, req SearchRequest) ([]Hit, error) {
	var hits []Hit
	err := l.with(ctx, customerID, func(c *customerLake) error {
		var err error
		hits, err = c.search(ctx, req)
		return err
	})
	return hits, wrap("search", err)
}

func normalizeRequest(req *SearchRequest) error {
	req.Query = strings.TrimSpace(req.Query)
	switch {
	case req.Query == "":
		return brain.Errorf(brain.EINVALID, "q is required")
	case len(req.Query) > 2000:
		return brain.Errorf(brain.EINVALID, "q must be at most 2000 bytes")
	case req.K < 0 || req.K > 100:
		return brain.Errorf(brain.EINVALID, "k must be between 1 and 100")
	case req.Offset < 0 || req.Offset > 1000:
		return brain.Errorf(brain.EINVALID, "offset must be between 0 and 1000")
	}
	if req.K == 0 {
		req.K = 10
	}
	switch req.Mode {
	case "":
		req.Mode = "hybrid"
	case "hybrid", "bm25", "vector":
	default:
		return brain.Errorf(brain.EINVALID, "mode must be hybrid, bm25 or vector")
	}
	return nil
}

func (c *customerLake) search(ctx context.Context, req SearchRequest) ([]Hit, error) {
	if err := normalizeRequest(&req); err != nil {
		return nil, err
	}
	if err := c.fresh(ctx); err != nil {
		return nil, err
	}
	var q []float32
	if req.Mode != "bm25" {
		vs, err := c.lh.embedder.Embed(ctx, []string{req.Query}, embedQuery)
		if err != nil {
			return nil, err
		}
		q = vs[0]
	}
	want := req.Offset + req.K
	depth := max(50, 2*want) // candidates per retriever before fusion
	c.mu.RLock()
	defer c.mu.RUnlock()
	filter := c.filter(req.Filters)
	var bm, vec []ranked
	var wg sync.WaitGroup
	if req.Mode != "vector" {
		// The two retrievers run side by side: a hybrid search takes the
		// longer of the two, not their sum.
		wg.Go(func() {
			for _, h := range c.text.Search(req.Query, depth, filter) {
				bm = append(bm, ranked{h.ID, h.Score})
			}
		})
	}
	if req.Mode != "bm25" {
		hs, err := c.vec.Search(q, depth, filter)
		if err != nil {
			wg.Wait()
			return nil, err
		}
		for _, h := range hs {
			vec = append(vec, ranked{h.ID, h.Score})
		}
	}
	wg.Wait()
	if req.Mode == "hybrid" {
		// BM25 candidates the vector search did not reach still have a
		// similarity: fuse the true one, not zero.
		seen := make(map[uint64]bool, len(vec))
		for _, h := range vec {
			seen[h.id] = true
		}
		var missing []uint64
		for _, h := range bm {
			if !seen[h.id] {
				missing = append(missing, h.id)
			}
		}
		scores, ok, err := c.vec.Scores(q, missing)
		if err != nil {
			return nil, err
		}
		for i, id := range missing {
			if ok[i] {
				vec = append(vec, ranked{id, scores[i]})
			}
		}
	}
	fusedHits := fuse(bm, vec, 1, c.lh.opts.VectorWeight)
	if req.Offset >= len(fusedHits) {
		return []Hit{}, nil
	}
	fusedHits = fusedHits[req.Offset:min(len(fusedHits), want)]
	out := make([]Hit, 0, len(fusedHits))
	for _, f := range fusedHits {
		e := c.chunks[f.id]
		d := c.docs[e.Doc]
		out = append(out, Hit{DocumentID: e.Doc, Title: d.Title, ChunkID: e.ID, Text: e.Text, Section: e.Section,
			Page: int(e.Page), Score: f.score, BM25Score: f.bm25, VectorScore: f.vector, Domain: d.Domain})
	}
	return out, nil
}

// filter returns the predicate of live chunks that match f; the caller
// holds c.mu.
func (c *customerLake) filter(f Filters) func(uint64) bool {
	return func(k uint64) bool {
		e := c.chunks[k]
		if e == nil {
			return false
		}
		d := c.docs[e.Doc]
		if d == nil {
			return false // not committed, or deleted
		}
		if f.DocumentID != "" && d.ID != f.DocumentID || f.Domain != "" && !strings.EqualFold(d.Domain, f.Domain) ||
			f.ContentType != "" && !strings.EqualFold(d.ContentType, f.ContentType) {
			return false
		}
		if f.From != nil || f.To != nil {
			t := d.CreatedAt
			if d.DocumentDate != nil {
				t = *d.DocumentDate
			}
			if f.From != nil && t.Before(*f.From) || f.To != nil && !t.Before(*f.To) {
				return false
			}
		}
		return true
	}
}
