package lakehouse_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/delta"
	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
)

type env struct {
	dir   string
	paths *paths.CustomerPaths
	lh    *lakehouse.Lakehouse
}

func newEnv(t *testing.T, opts lakehouse.Options) *env {
	t.Helper()
	dir := pathstest.Dir(t)
	p, err := paths.New(paths.Development, dir)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{dir: dir, paths: p}
	e.lh = e.open(t, opts)
	return e
}

func (e *env) open(t *testing.T, opts lakehouse.Options) *lakehouse.Lakehouse {
	t.Helper()
	em, err := embed.NewBuiltin(embed.BuiltinConfig{})
	if err != nil {
		t.Fatal(err)
	}
	lh := lakehouse.New(lakehouse.NewDiskStorage(e.paths), em, opts)
	t.Cleanup(func() { lh.Close() })
	return lh
}

// corpus is a small German and English corpus.
var corpus = []lakehouse.NewDocument{
	{Document: lakehouse.Document{ID: "kstg", Title: "Körperschaftsteuergesetz", Domain: lakehouse.DomainTax, ContentType: "text/html", Language: "de"},
		Chunks: []lakehouse.Chunk{
			{Text: "Die Körperschaftsteuer beträgt 15 Prozent des zu versteuernden Einkommens.", Section: "§ 23 Steuersatz", Page: 1, Language: "de"},
			{Text: "Verdeckte Gewinnausschüttungen mindern das Einkommen nicht (§ 8 Abs. 3 KStG).", Section: "§ 8 Ermittlung des Einkommens", Page: 2, Language: "de"},
		},
		Entities:      []lakehouse.EntityMention{{ID: "law:kstg", Name: "KStG", Type: "law"}, {ID: "pct:15", Name: "15 Prozent", Type: "percentage"}},
		Relationships: []lakehouse.Relationship{{Source: "law:kstg", Target: "pct:15"}},
	},
	{Document: lakehouse.Document{ID: "tender-42", Title: "Ausschreibung Brückenbau Hamburg", Domain: lakehouse.DomainTender, ContentType: "application/xml", Language: "de"},
		Chunks: []lakehouse.Chunk{
			{Text: "Die Freie und Hansestadt Hamburg schreibt den Neubau einer Brücke über die Elbe aus. Angebote bis 30.06.2026.", Section: "Auftrag", Language: "de"},
		},
		Entities:      []lakehouse.EntityMention{{ID: "org:hamburg", Name: "Freie und Hansestadt Hamburg", Type: "organization"}, {ID: "pct:15", Name: "15 Prozent", Type: "percentage"}},
		Relationships: []lakehouse.Relationship{{Source: "org:hamburg", Target: "pct:15"}},
	},
	{Document: lakehouse.Document{ID: "handbook", Title: "Employee handbook", Domain: lakehouse.DomainGeneral, ContentType: "application/pdf", Language: "en"},
		Chunks: []lakehouse.Chunk{
			{Text: "Employees receive thirty days of paid vacation per year.", Section: "Leave > Vacation", Page: 7, Language: "en"},
			{Text: "Travel expenses are reimbursed within fourteen days of submitting receipts.", Section: "Expenses", Page: 9, Language: "en"},
		},
	},
}

func (e *env) load(t *testing.T, customer string) {
	t.Helper()
	for _, nd := range corpus {
		nd.Chunks = append([]lakehouse.Chunk(nil), nd.Chunks...)
		if _, err := e.lh.AddDocument(context.Background(), customer, nd); err != nil {
			t.Fatalf("add %s: %v", nd.Document.ID, err)
		}
	}
}

func top(t *testing.T, lh *lakehouse.Lakehouse, customer string, req lakehouse.SearchRequest) []lakehouse.Hit {
	t.Helper()
	hits, err := lh.Search(context.Background(), customer, req)
	if err != nil {
		t.Fatalf("search %q: %v", req.Query, err)
	}
	return hits
}

func TestSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, lakehouse.Options{})
	e.load(t, "acme")
	tests := []struct {
		q, mode, want string
		f             lakehouse.Filters
	}{
		{"Wie hoch ist der Steuersatz der Körperschaftsteuer?", "hybrid", "kstg", lakehouse.Filters{}},
		{"verdeckte Gewinnausschüttung", "bm25", "kstg", lakehouse.Filters{}},
		{"how many vacation days do employees get", "hybrid", "handbook", lakehouse.Filters{}},
		{"vacation days", "vector", "handbook", lakehouse.Filters{}},
		{"Brücke Elbe Hamburg", "hybrid", "tender-42", lakehouse.Filters{}},
		{"Einkommen", "hybrid", "kstg", lakehouse.Filters{Domain: "CTAX"}},
		{"Hamburg Brücke", "hybrid", "", lakehouse.Filters{Domain: "CTAX", DocumentID: "handbook"}},
	}
	for _, tc := range tests {
		hits := top(t, e.lh, "acme", lakehouse.SearchRequest{Query: tc.q, Mode: tc.mode, Filters: tc.f})
		if tc.want == "" {
			if len(hits) != 0 {
				t.Errorf("%q: filtered search returned %d hits", tc.q, len(hits))
			}
			continue
		}
		if len(hits) == 0 || hits[0].DocumentID != tc.want {
			t.Errorf("%q (%s): top hit %+v, want %s", tc.q, tc.mode, hits, tc.want)
			continue
		}
		h := hits[0]
		if h.Title == "" || h.ChunkID == "" || h.Text == "" || h.Score <= 0 {
			t.Errorf("%q: incomplete hit %+v", tc.q, h)
		}
	}
	// Section and page travel with the hit.
	hits := top(t, e.lh, "acme", lakehouse.SearchRequest{Query: "paid vacation per year", Mode: "bm25"})
	if hits[0].Section != "Leave > Vacation" || hits[0].Page != 7 {
		t.Fatalf("hit %+v", hits[0])
	}
	// Paging: the second page continues the first.
	all := top(t, e.lh, "acme", lakehouse.SearchRequest{Query: "Einkommen Steuer Hamburg vacation", K: 4})
	second := top(t, e.lh, "acme", lakehouse.SearchRequest{Query: "Einkommen Steuer Hamburg vacation", K: 2, Offset: 2})
	if len(all) < 4 || len(second) != 2 || second[0].ChunkID != all[2].ChunkID {
		t.Fatalf("paging: all %d, second %+v", len(all), second)
	}
	for _, bad := range []lakehouse.SearchRequest{{Query: ""}, {Query: "x", K: 1000}, {Query: "x", Mode: "magic"}, {Query: "x", Offset: -1}} {
		if _, err := e.lh.Search(context.Background(), "acme", bad); brain.ErrorCode(err) != brain.EINVALID {
			t.Errorf("search %+v: %v", bad, err)
		}
	}
}

func TestDeleteIsImmediateAndIsolated(t *testing.T) {
	t.Parallel()
	e := newEnv(t, lakehouse.Options{})
	e.load(t, "alpha")
	e.load(t, "bravo")
	ctx := context.Background()
	if err := e.lh.DeleteDocument(ctx, "alpha", "kstg"); err != nil {
		t.Fatal(err)
	}
	for _, h := range top(t, e.lh, "alpha", lakehouse.SearchRequest{Query: "Körperschaftsteuer Steuersatz Einkommen"}) {
		if h.DocumentID == "kstg" {
			t.Fatalf("deleted document still found: %+v", h)
		}
	}
	if _, err := e.lh.GetDocument(ctx, "alpha", "kstg"); brain.ErrorCode(err) != brain.ENOTFOUND {
		t.Fatalf("get deleted: %v", err)
	}
	if err := e.lh.DeleteDocument(ctx, "alpha", "kstg"); brain.ErrorCode(err) != brain.ENOTFOUND {
		t.Fatalf("delete twice: %v", err)
	}
	// Bravo's copy is untouched.
	hits := top(t, e.lh, "bravo", lakehouse.SearchRequest{Query: "Körperschaftsteuer Steuersatz"})
	if len(hits) == 0 || hits[0].DocumentID != "kstg" {
		t.Fatalf("bravo lost its document: %+v", hits)
	}
	page, _ := e.lh.ListDocuments(ctx, "alpha", "", 0, 100)
	if page.Total != 2 {
		t.Fatalf("alpha lists %d documents", page.Total)
	}
	// A document id cannot be added twice, but can be again after delete.
	if _, err := e.lh.AddDocument(ctx, "bravo", corpus[0]); brain.ErrorCode(err) != brain.ECONFLICT {
		t.Fatalf("duplicate add: %v", err)
	}
	if _, err := e.lh.AddDocument(ctx, "alpha", corpus[0]); err != nil {
		t.Fatalf("re-add after delete: %v", err)
	}
	d, err := e.lh.GetDocument(ctx, "alpha", "kstg")
	if err != nil || len(d.Chunks) != 2 {
		t.Fatalf("re-added document: %+v %v", d, err)
	}
}

func TestColdOpenAndRebuild(t *testing.T) {
	t.Parallel()
	e := newEnv(t, lakehouse.Options{})
	e.load(t, "acme")
	ctx := context.Background()
	want := top(t, e.lh, "acme", lakehouse.SearchRequest{Query: "Steuersatz Körperschaftsteuer"})
	e.lh.Close() // saves the indexes

	// A second process finds the saved indexes and answers the same.
	lh2 := e.open(t, lakehouse.Options{})
	got := top(t, lh2, "acme", lakehouse.SearchRequest{Query: "Steuersatz Körperschaftsteuer"})
	if len(got) != len(want) || got[0].ChunkID != want[0].ChunkID {
		t.Fatalf("after reopen %+v, want %+v", got, want)
	}
	lh2.Close()

	// Corrupt index files are detected and rebuilt from the tables.
	idx, _ := e.paths.Indexes("acme")
	for _, f := range []string{"vectors.hnsw", "text.bm25"} {
		p := filepath.Join(idx, f)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 0xff
		os.WriteFile(p, b, 0o600)
	}
	lh3 := e.open(t, lakehouse.Options{})
	got = top(t, lh3, "acme", lakehouse.SearchRequest{Query: "Steuersatz Körperschaftsteuer"})
	if len(got) == 0 || got[0].ChunkID != want[0].ChunkID {
		t.Fatalf("after corruption %+v", got)
	}
	// Deleting the index directory loses nothing either.
	lh3.Close()
	os.RemoveAll(idx)
	lh4 := e.open(t, lakehouse.Options{})
	st, err := lh4.Stats(ctx, "acme")
	if err != nil || st.Documents != 3 || st.Chunks != 5 || st.VectorCount != 5 {
		t.Fatalf("stats after rebuild %+v %v", st, err)
	}
}

func TestEvictionUnderBudget(t *testing.T) {
	t.Parallel()
	e := newEnv(t, lakehouse.Options{MemoryBudget: 1}) // every customer evicts the last
	for i := range 3 {
		e.load(t, fmt.Sprintf("c%d", i))
	}
	for round := range 2 {
		for i := range 3 {
			hits := top(t, e.lh, fmt.Sprintf("c%d", i), lakehouse.SearchRequest{Query: "paid vacation"})
			if len(hits) == 0 || hits[0].DocumentID != "handbook" {
				t.Fatalf("round %d customer %d after eviction: %+v", round, i, hits)
			}
		}
	}
	if n, _, _ := e.lh.CacheStats(); n > 1 {
		t.Fatalf("%d customers held under a 1-byte budget", n)
	}
}

func TestSecondNodeSeesWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t, lakehouse.Options{RefreshInterval: time.Millisecond})
	other := e.open(t, lakehouse.Options{RefreshInterval: time.Millisecond})
	e.load(t, "acme")
	time.Sleep(5 * time.Millisecond)
	hits := top(t, other, "acme", lakehouse.SearchRequest{Query: "Brücke Elbe"})
	if len(hits) == 0 || hits[0].DocumentID != "tender-42" {
		t.Fatalf("second node: %+v", hits)
	}
	if err := e.lh.DeleteDocument(context.Background(), "acme", "tender-42"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	for _, h := range top(t, other, "acme", lakehouse.SearchRequest{Query: "Brücke Elbe"}) {
		if h.DocumentID == "tender-42" {
			t.Fatal("second node still finds the deleted document")
		}
	}
}

func TestGraph(t *testing.T) {
	t.Parallel()
	e := newEnv(t, lakehouse.Options{})
	e.load(t, "acme")
	ctx := context.Background()
	ns, err := e.lh.Neighbours(ctx, "acme", "pct:15", 10)
	if err != nil || len(ns) != 2 {
		t.Fatalf("neighbours %+v %v", ns, err)
	}
	paths, err := e.lh.Paths(ctx, "acme", "law:kstg", "org:hamburg", 3, 5)
	if err != nil || len(paths) != 1 || len(paths[0].Entities) != 3 {
		t.Fatalf("paths %+v %v", paths, err)
	}
	docs, err := e.lh.EntityDocuments(ctx, "acme", "pct:15")
	if err != nil || len(docs) != 2 {
		t.Fatalf("documents %+v %v", docs, err)
	}
	if _, err := e.lh.Neighbours(ctx, "acme", "nobody", 10); brain.ErrorCode(err) != brain.ENOTFOUND {
		t.Fatalf("unknown entity: %v", err)
	}
	// Deleting a document takes its entities out of the graph.
	if err := e.lh.DeleteDocument(ctx, "acme", "tender-42"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.lh.Entity(ctx, "acme", "org:hamburg"); brain.ErrorCode(err) != brain.ENOTFOUND {
		t.Fatalf("entity of deleted document: %v", err)
	}
	var n, r, c strings.Builder
	if err := e.lh.ExportNeo4j(ctx, "acme", &n, &r, &c); err != nil || !strings.Contains(n.String(), "KStG") {
		t.Fatalf("export %v %s", err, n.String())
	}
}

func TestTablesPreviewAndUserTables(t *testing.T) {
	t.Parallel()
	e := newEnv(t, lakehouse.Options{})
	ctx := context.Background()
	tables, err := e.lh.Tables(ctx, "acme")
	if err != nil || len(tables) != 4 || tables[0].Exists {
		t.Fatalf("tables of an empty lakehouse %+v %v", tables, err)
	}
	e.load(t, "acme")
	schema := &delta.StructType{Fields: []delta.StructField{
		{Name: "artikel", Type: delta.TypeString, Nullable: false},
		{Name: "preis", Type: delta.TypeDouble, Nullable: true},
	}}
	if err := e.lh.CreateTable(ctx, "acme", "preisliste", schema); err != nil {
		t.Fatal(err)
	}
	if err := e.lh.CreateTable(ctx, "acme", "preisliste", schema); brain.ErrorCode(err) != brain.ECONFLICT {
		t.Fatalf("create twice: %v", err)
	}
	for _, bad := range []string{"chunks", "Preise", "../x", ""} {
		if err := e.lh.CreateTable(ctx, "acme", bad, schema); brain.ErrorCode(err) != brain.EINVALID {
			t.Errorf("create %q: %v", bad, err)
		}
	}
	if _, err := e.lh.AppendRows(ctx, "acme", "preisliste", []map[string]any{{"artikel": "Schraube M8", "preis": 0.12}, {"artikel": "Mutter", "preis": nil}}); err != nil {
		t.Fatal(err)
	}
	tables, _ = e.lh.Tables(ctx, "acme")
	byName := map[string]lakehouse.TableInfo{}
	for _, ti := range tables {
		byName[ti.Name] = ti
	}
	if byName["chunks"].Rows != 5 || byName["preisliste"].Rows != 2 || byName["preisliste"].Kind != "user" {
		t.Fatalf("tables %+v", tables)
	}
	rows, err := e.lh.Preview(ctx, "acme", "chunks", 2)
	if err != nil || len(rows) != 2 || rows[0]["embedding"] != nil || rows[0]["text"] == nil {
		t.Fatalf("preview %+v %v", rows, err)
	}
	if _, err := e.lh.Preview(ctx, "acme", "nope", 2); brain.ErrorCode(err) != brain.ENOTFOUND {
		t.Fatalf("preview missing: %v", err)
	}
}

func TestSQL(t *testing.T) {
	t.Parallel()
	if ok, why := lakehouse.SQLAvailable(); !ok {
		t.Skip(why)
	}
	e := newEnv(t, lakehouse.Options{})
	e.load(t, "alpha")
	e.load(t, "bravo")
	ctx := context.Background()
	if err := e.lh.DeleteDocument(ctx, "bravo", "handbook"); err != nil {
		t.Fatal(err)
	}
	res, err := e.lh.Query(ctx, "alpha", "SELECT d.expert_domain, count(*) AS n FROM chunks c JOIN documents d ON c.document_id = d.id GROUP BY 1 ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3 {
		t.Fatalf("rows %+v", res.Rows)
	}
	res, err = e.lh.Query(ctx, "bravo", "SELECT count(*) FROM documents")
	if err != nil || fmt.Sprint(res.Rows[0][0]) != "2" {
		t.Fatalf("bravo sees %+v %v", res, err)
	}
	bravoRoot, _ := e.paths.Lakehouse("bravo")
	for _, q := range []string{
		"SELECT * FROM read_csv('/etc/passwd')",
		fmt.Sprintf("SELECT * FROM read_parquet('%s/chunks/*.parquet')", bravoRoot),
		"ATTACH '/tmp/x.db' AS x",
		"COPY (SELECT 1) TO '/tmp/out.csv'",
		"SET enable_external_access = true",
		"INSTALL httpfs",
		"LOAD httpfs",
		"SELECT 1; SELECT 2",
	} {
		if _, err := e.lh.Query(ctx, "alpha", q); err == nil {
			t.Errorf("%s: allowed", q)
		} else if c := brain.ErrorCode(err); c != brain.EFORBIDDEN && c != brain.EINVALID {
			t.Errorf("%s: %v", q, err)
		}
	}
}

func TestMaintainRemovesOrphans(t *testing.T) {
	t.Parallel()
	e := newEnv(t, lakehouse.Options{})
	e.load(t, "acme")
	ctx := context.Background()
	// A crashed add: chunks committed, documents row never written.
	root, _ := e.paths.Lakehouse("acme")
	lakehouse.WriteOrphanChunk(t, root)
	hits := top(t, e.lh, "acme", lakehouse.SearchRequest{Query: "orphaned zebra text"})
	for _, h := range hits {
		if h.DocumentID == "ghost" {
			t.Fatal("chunk of an uncommitted document is searchable")
		}
	}
	rep, err := e.lh.Maintain(ctx, "acme", lakehouse.MaintainOptions{Retention: time.Hour})
	if err != nil || rep.OrphanRowsDeleted != 1 {
		t.Fatalf("maintain %+v %v", rep, err)
	}
	st, _ := e.lh.Stats(ctx, "acme")
	if st.Documents != 3 || st.Chunks != 5 {
		t.Fatalf("after maintain %+v", st)
	}
}
