package lakehouse

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Entity is a node of the entity graph: an organisation, person, amount,
// id… mentioned in the customer's documents.
type Entity struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Mentions  int      `json:"mentions"`
	Documents []string `json:"documents,omitempty"`
}

// Relationship is an edge of the entity graph.
type Relationship struct {
	Source     string  `json:"source"`
	Target     string  `json:"target"`
	Type       string  `json:"type"`
	Weight     float64 `json:"weight"`
	DocumentID string  `json:"document_id,omitempty"`
}

// Neighbour is an entity next to another, with the edges between them.
type Neighbour struct {
	Entity Entity  `json:"entity"`
	Type   string  `json:"type"`
	Weight float64 `json:"weight"`
}

// Path is a chain of entities joined by relationships.
type Path struct {
	Entities []Entity `json:"entities"`
}

// graph is an in-memory adjacency view of the entities and relationships
// tables; edges are undirected for traversal.
type graph struct {
	nodes map[string]*Entity
	adj   map[string]map[string]*edge
}

type edge struct {
	typ    string
	weight float64
}

func newGraph(ents []Entity, rels []Relationship) *graph {
	g := &graph{nodes: map[string]*Entity{}, adj: map[string]map[string]*edge{}}
	for i := range ents {
		e := ents[i]
		if n, ok := g.nodes[e.ID]; ok {
			n.Mentions += e.Mentions
			n.Documents = mergeSorted(n.Documents, e.Documents)
			continue
		}
		e.Documents = mergeSorted(nil, e.Documents)
		g.nodes[e.ID] = &e
	}
	for _, r := range rels {
		if r.Source == r.Target || g.nodes[r.Source] == nil || g.nodes[r.Target] == nil {
			continue
		}
		g.link(r.Source, r.Target, r)
		g.link(r.Target, r.Source, r)
	}
	return g
}

func (g *graph) link(a, b string, r Relationship) {
	m := g.adj[a]
	if m == nil {
		m = map[string]*edge{}
		g.adj[a] = m
	}
	if e := m[b]; e != nil {
		e.weight += r.Weight
		return
	}
	m[b] = &edge{typ: r.Type, weight: r.Weight}
}

// neighbours returns the entities next to id, strongest first.
func (g *graph) neighbours(id string, limit int) ([]Neighbour, bool) {
	if g.nodes[id] == nil {
		return nil, false
	}
	var out []Neighbour
	for other, e := range g.adj[id] {
		out = append(out, Neighbour{Entity: *g.nodes[other], Type: e.typ, Weight: e.weight})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].Entity.ID < out[j].Entity.ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, true
}

// paths returns up to limit shortest simple paths from a to b of at most
// maxDepth edges, found breadth-first.
func (g *graph) paths(a, b string, maxDepth, limit int) ([]Path, error) {
	if g.nodes[a] == nil || g.nodes[b] == nil {
		return nil, fmt.Errorf("unknown entity")
	}
	type partial []string
	queue := []partial{{a}}
	var out []Path
	for len(queue) > 0 && len(out) < limit {
		p := queue[0]
		queue = queue[1:]
		last := p[len(p)-1]
		if last == b {
			out = append(out, g.path(p))
			continue
		}
		if len(p)-1 >= maxDepth {
			continue
		}
		next := make([]string, 0, len(g.adj[last]))
		for n := range g.adj[last] {
			next = append(next, n)
		}
		sort.Strings(next)
		for _, n := range next {
			if !contains(p, n) {
				q := append(append(partial(nil), p...), n)
				queue = append(queue, q)
			}
		}
		if len(queue) > 100_000 {
			break // a dense graph: the shortest paths are found by now
		}
	}
	return out, nil
}

func (g *graph) path(ids []string) Path {
	p := Path{Entities: make([]Entity, len(ids))}
	for i, id := range ids {
		p.Entities[i] = *g.nodes[id]
	}
	return p
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func mergeSorted(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	sort.Strings(out)
	w := 0
	for i, s := range out {
		if i == 0 || s != out[w-1] {
			out[w] = s
			w++
		}
	}
	return out[:w]
}

// writeNeo4j writes the graph as Neo4j-importable CSV (nodes, then
// relationships, each with a header) and the Cypher that loads them.
func (g *graph) writeNeo4j(nodes, rels, cypher io.Writer) error {
	ids := make([]string, 0, len(g.nodes))
	for id := range g.nodes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	nw := csv.NewWriter(nodes)
	_ = nw.Write([]string{"id:ID", "name", "type", "mentions:int", ":LABEL"})
	for _, id := range ids {
		n := g.nodes[id]
		_ = nw.Write([]string{n.ID, n.Name, n.Type, fmt.Sprint(n.Mentions), "Entity;" + label(n.Type)})
	}
	nw.Flush()
	rw := csv.NewWriter(rels)
	_ = rw.Write([]string{":START_ID", ":END_ID", ":TYPE", "weight:float"})
	for _, a := range ids {
		others := make([]string, 0, len(g.adj[a]))
		for b := range g.adj[a] {
			if a < b {
				others = append(others, b)
			}
		}
		sort.Strings(others)
		for _, b := range others {
			e := g.adj[a][b]
			_ = rw.Write([]string{a, b, label(e.typ), fmt.Sprint(e.weight)})
		}
	}
	rw.Flush()
	_, err := io.WriteString(cypher, `// Load with: neo4j-admin database import full --nodes=entities.csv --relationships=relationships.csv
// or, on a running server, with the files in its import directory:
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;
LOAD CSV WITH HEADERS FROM 'file:///entities.csv' AS row
MERGE (e:Entity {id: row.`+"`id:ID`"+`}) SET e.name = row.name, e.type = row.type, e.mentions = toInteger(row.`+"`mentions:int`"+`});
LOAD CSV WITH HEADERS FROM 'file:///relationships.csv' AS row
MATCH (a:Entity {id: row.`+"`:START_ID`"+`}), (b:Entity {id: row.`+"`:END_ID`"+`})
MERGE (a)-[r:RELATED {type: row.`+"`:TYPE`"+`}]->(b) SET r.weight = toFloat(row.`+"`weight:float`"+`});
`)
	if err := nw.Error(); err != nil {
		return err
	}
	if err := rw.Error(); err != nil {
		return err
	}
	return err
}

// label makes a Neo4j label or type of an entity or relationship type.
func label(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "Other"
	}
	return strings.ToUpper(b.String()[:1]) + b.String()[1:]
}

func foldCase(s string) string { return strings.ToLower(s) }

func containsFold(s, lowerSub string) bool { return strings.Contains(strings.ToLower(s), lowerSub) }
