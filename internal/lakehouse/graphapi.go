package lakehouse

import (
	"context"
	"errors"
	"io"
	"sort"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/delta"
)

// loadGraph returns the entity graph of the live documents, rebuilt when
// the tables changed since the last build.
func (c *customerLake) loadGraph(ctx context.Context) (*graph, error) {
	if err := c.fresh(ctx); err != nil {
		return nil, err
	}
	ents, errE := c.snapshot(ctx, TableEntities)
	rels, errR := c.snapshot(ctx, TableRelationships)
	if err := errors.Join(errE, errR); err != nil {
		return nil, err
	}
	key := [2]int64{version(ents), version(rels)}
	c.graphMu.Lock()
	defer c.graphMu.Unlock()
	c.mu.RLock()
	docsVer := c.docsVer
	c.mu.RUnlock()
	if c.graphVal != nil && c.graphVer == key && c.graphDocs == docsVer {
		return c.graphVal, nil
	}
	c.mu.RLock()
	live := make(map[string]bool, len(c.docs))
	for id := range c.docs {
		live[id] = true
	}
	c.mu.RUnlock()
	var es []Entity
	if ents != nil {
		for r, err := range ents.Rows(ctx, delta.ScanOptions{}) {
			if err != nil {
				return nil, err
			}
			doc := str(r["document_id"])
			if !live[doc] {
				continue
			}
			es = append(es, Entity{ID: str(r["id"]), Name: str(r["name"]), Type: str(r["type"]),
				Mentions: int(max(1, i64(r["count"]))), Documents: []string{doc}})
		}
	}
	var rs []Relationship
	if rels != nil {
		for r, err := range rels.Rows(ctx, delta.ScanOptions{}) {
			if err != nil {
				return nil, err
			}
			if !live[str(r["document_id"])] {
				continue
			}
			rs = append(rs, Relationship{Source: str(r["source"]), Target: str(r["target"]), Type: str(r["type"]),
				Weight: max(f64(r["weight"]), 1), DocumentID: str(r["document_id"])})
		}
	}
	c.graphVal, c.graphVer, c.graphDocs = newGraph(es, rs), key, docsVer
	return c.graphVal, nil
}

// Entity returns one entity of the customer's graph.
func (l *Lakehouse) Entity(ctx context.Context, customerID, entityID string) (*Entity, error) {
	var out *Entity
	err := l.with(ctx, customerID, func(c *customerLake) error {
		g, err := c.loadGraph(ctx)
		if err != nil {
			return err
		}
		n := g.nodes[entityID]
		if n == nil {
			return notFound("entity", entityID)
		}
		e := *n
		out = &e
		return nil
	})
	return out, wrap("entity", err)
}

// FindEntities lists entities whose name contains q (case-insensitive),
// most mentioned first.
func (l *Lakehouse) FindEntities(ctx context.Context, customerID, q, typ string, limit int) ([]Entity, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []Entity
	err := l.with(ctx, customerID, func(c *customerLake) error {
		g, err := c.loadGraph(ctx)
		if err != nil {
			return err
		}
		lq := foldCase(q)
		for _, n := range g.nodes {
			if (typ == "" || n.Type == typ) && (lq == "" || containsFold(n.Name, lq)) {
				out = append(out, *n)
			}
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].Mentions != out[j].Mentions {
				return out[i].Mentions > out[j].Mentions
			}
			return out[i].ID < out[j].ID
		})
		if len(out) > limit {
			out = out[:limit]
		}
		if out == nil {
			out = []Entity{}
		}
		return nil
	})
	return out, wrap("find entities", err)
}

// Neighbours returns the entities related to one entity, strongest first.
func (l *Lakehouse) Neighbours(ctx context.Context, customerID, entityID string, limit int) ([]Neighbour, error) {
	var out []Neighbour
	err := l.with(ctx, customerID, func(c *customerLake) error {
		g, err := c.loadGraph(ctx)
		if err != nil {
			return err
		}
		ns, ok := g.neighbours(entityID, limit)
		if !ok {
			return notFound("entity", entityID)
		}
		out = ns
		if out == nil {
			out = []Neighbour{}
		}
		return nil
	})
	return out, wrap("neighbours", err)
}

// Paths returns up to limit shortest paths of at most maxDepth (1–4)
// relationships between two entities.
func (l *Lakehouse) Paths(ctx context.Context, customerID, from, to string, maxDepth, limit int) ([]Path, error) {
	if maxDepth < 1 || maxDepth > 4 {
		return nil, brain.Errorf(brain.EINVALID, "depth must be between 1 and 4")
	}
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	var out []Path
	err := l.with(ctx, customerID, func(c *customerLake) error {
		g, err := c.loadGraph(ctx)
		if err != nil {
			return err
		}
		if g.nodes[from] == nil {
			return notFound("entity", from)
		}
		if g.nodes[to] == nil {
			return notFound("entity", to)
		}
		out, err = g.paths(from, to, maxDepth, limit)
		if out == nil {
			out = []Path{}
		}
		return err
	})
	return out, wrap("paths", err)
}

// EntityDocuments returns the live documents that mention an entity.
func (l *Lakehouse) EntityDocuments(ctx context.Context, customerID, entityID string) ([]*Document, error) {
	var out []*Document
	err := l.with(ctx, customerID, func(c *customerLake) error {
		g, err := c.loadGraph(ctx)
		if err != nil {
			return err
		}
		n := g.nodes[entityID]
		if n == nil {
			return notFound("entity", entityID)
		}
		c.mu.RLock()
		defer c.mu.RUnlock()
		out = []*Document{}
		for _, id := range n.Documents {
			if d := c.docs[id]; d != nil {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, wrap("entity documents", err)
}

// ExportNeo4j writes the customer's graph as Neo4j-importable CSV files
// and the Cypher that loads them.
func (l *Lakehouse) ExportNeo4j(ctx context.Context, customerID string, nodes, rels, cypher io.Writer) error {
	return wrap("export graph", l.with(ctx, customerID, func(c *customerLake) error {
		g, err := c.loadGraph(ctx)
		if err != nil {
			return err
		}
		return g.writeNeo4j(nodes, rels, cypher)
	}))
}
