package lakehouse

import (
	"bytes"
	"strings"
	"testing"
)

func testGraph() *graph {
	ents := []Entity{
		{ID: "acme", Name: "ACME GmbH", Type: "organization", Mentions: 3, Documents: []string{"d1"}},
		{ID: "erika", Name: "Erika Muster", Type: "person", Mentions: 1, Documents: []string{"d1"}},
		{ID: "bank", Name: "Sparkasse", Type: "organization", Mentions: 1, Documents: []string{"d2"}},
		{ID: "iban", Name: "DE89370400440532013000", Type: "iban", Mentions: 1, Documents: []string{"d2"}},
		{ID: "acme", Name: "ACME GmbH", Type: "organization", Mentions: 2, Documents: []string{"d2"}},
	}
	rels := []Relationship{
		{Source: "acme", Target: "erika", Type: "co_occurs", Weight: 1},
		{Source: "acme", Target: "bank", Type: "co_occurs", Weight: 2},
		{Source: "bank", Target: "iban", Type: "co_occurs", Weight: 1},
		{Source: "erika", Target: "ghost", Type: "co_occurs", Weight: 1},
	}
	return newGraph(ents, rels)
}

func TestGraphNeighboursAndPaths(t *testing.T) {
	t.Parallel()
	g := testGraph()
	ns, ok := g.neighbours("acme", 10)
	if !ok || len(ns) != 2 || ns[0].Entity.ID != "bank" {
		t.Fatalf("neighbours %+v", ns)
	}
	if g.nodes["acme"].Mentions != 5 || len(g.nodes["acme"].Documents) != 2 {
		t.Fatalf("merged node %+v", g.nodes["acme"])
	}
	ps, err := g.paths("erika", "iban", 3, 5)
	if err != nil || len(ps) != 1 || len(ps[0].Entities) != 4 {
		t.Fatalf("paths %+v %v", ps, err)
	}
	if ps, _ := g.paths("erika", "iban", 2, 5); len(ps) != 0 {
		t.Fatalf("path longer than the depth: %+v", ps)
	}
	if _, err := g.paths("erika", "nobody", 3, 5); err == nil {
		t.Fatal("unknown entity accepted")
	}
}

func TestGraphNeo4jExport(t *testing.T) {
	t.Parallel()
	var n, r, c bytes.Buffer
	if err := testGraph().writeNeo4j(&n, &r, &c); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(n.String(), "\n"); lines != 5 {
		t.Fatalf("nodes csv has %d lines:\n%s", lines, n.String())
	}
	if lines := strings.Count(r.String(), "\n"); lines != 4 {
		t.Fatalf("relationships csv has %d lines:\n%s", lines, r.String())
	}
	if !strings.Contains(n.String(), "Entity;Organization") || !strings.Contains(c.String(), "LOAD CSV") {
		t.Fatalf("export:\n%s\n%s", n.String(), c.String())
	}
}
