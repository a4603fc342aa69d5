//go:build cgo

package duckdb

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zero711/brain"
)

func TestAvailable(t *testing.T) {
	if !Available() || UnavailableReason() != "" {
		t.Fatalf("Available() = %v, %q in a cgo build", Available(), UnavailableReason())
	}
}

func TestQueryTypes(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	res := f.mustQuery(t, `SELECT id, title, score, published, created, note FROM documents ORDER BY id`)
	wantCols := []Column{
		{"id", "BIGINT"}, {"title", "VARCHAR"}, {"score", "DOUBLE"},
		{"published", "BOOLEAN"}, {"created", "TIMESTAMP"}, {"note", "VARCHAR"},
	}
	if !slices.Equal(res.Columns, wantCols) {
		t.Fatalf("columns %v, want %v", res.Columns, wantCols)
	}
	want := [][]any{
		{int64(1), "Größenordnung für Übermaß", 0.5, true, time.Date(2024, 3, 1, 12, 30, 0, 0, time.UTC), "first"},
		{int64(2), "Çağrı ñandú", 1.25, false, time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC), nil},
		{int64(3), "plain", nil, nil, nil, "third"},
	}
	if res.Truncated || len(res.Rows) != len(want) {
		t.Fatalf("got %d rows (truncated %v), want %d", len(res.Rows), res.Truncated, len(want))
	}
	for i := range want {
		for j := range want[i] {
			got, w := res.Rows[i][j], want[i][j]
			if gt, ok := got.(time.Time); ok {
				if !gt.Equal(w.(time.Time)) {
					t.Errorf("row %d col %d: %v, want %v", i, j, got, w)
				}
				continue
			}
			if got != w {
				t.Errorf("row %d col %d: %#v, want %#v", i, j, got, w)
			}
		}
	}
	// The column only the second file has is unified by name.
	res = f.mustQuery(t, `SELECT id, big FROM documents WHERE big IS NOT NULL`)
	if len(res.Rows) != 1 || res.Rows[0][1] != int64(9223372036854775807) {
		t.Fatalf("int64 max: %v", res.Rows)
	}
}

func TestQueryJoinAggregate(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	res := f.mustQuery(t, `
		WITH per_doc AS (
			SELECT d.id, d.title, count(*) AS chunks, sum(c.position) AS positions
			FROM documents d JOIN chunks c ON c.doc_id = d.id
			GROUP BY ALL
		)
		SELECT title, chunks, positions, avg(chunks) OVER () AS mean FROM per_doc ORDER BY id;`)
	if len(res.Rows) != 3 {
		t.Fatalf("rows %v", res.Rows)
	}
	first := res.Rows[0]
	// Chunks 0, 3, …, 27 belong to document 1: ten of them, positions 135.
	if first[0] != "Größenordnung für Übermaß" || first[1] != int64(10) || first[3] != 10.0 {
		t.Fatalf("first row %v", first)
	}
	if p, ok := first[2].(*big.Int); !ok || p.Int64() != 135 {
		t.Fatalf("sum (HUGEINT) = %#v", first[2])
	}
	res = f.mustQuery(t, `SELECT sum(score)::DECIMAL(10,2) AS total, uuid() IS NOT NULL AS u,
		'12345678-1234-5678-1234-567812345678'::UUID AS id, [1, 2] AS l, {'k': 1.5::DECIMAL(4,1)} AS s FROM documents`)
	row := res.Rows[0]
	if row[0] != 1.75 || row[1] != true || row[2] != "12345678-1234-5678-1234-567812345678" {
		t.Fatalf("normalised values %#v", row)
	}
	if s, ok := row[4].(map[string]any); !ok || s["k"] != 1.5 {
		t.Fatalf("struct %#v", row[4])
	}
}

func TestQueryReadForms(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	for _, q := range []string{
		`VALUES (1, 'a'), (2, 'b')`,
		`FROM documents SELECT title`,
		`DESCRIBE documents`,
		`DESCRIBE SELECT 1 AS x`,
		`SHOW TABLES`,
		`SHOW ALL TABLES`,
		`SUMMARIZE chunks`,
		`EXPLAIN SELECT * FROM chunks WHERE position > 3`,
		`EXPLAIN ANALYZE SELECT count(*) FROM chunks`,
		`PRAGMA table_info('documents')`,
		`PRAGMA show_tables`,
		`PRAGMA version`,
		`SELECT * FROM documents PIVOT (count(*) FOR published IN (true, false))`,
		`SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()`,
		`SELECT column_name FROM information_schema.columns WHERE table_name = 'chunks'`,
		`SELECT * FROM range(3) r, unnest([1, 2]) u`,
		`SELECT 1; -- a trailing comment after the semicolon`,
		`/* leading comment */ SELECT 1 /* ; not a separator */`,
		"SELECT 1 -- line comment without newline",
		`SELECT ';' AS semicolon, 'DROP VIEW documents; --' AS text`,
	} {
		if _, err := f.query(t, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	res := f.mustQuery(t, `SELECT 1 AS a, 2 AS a`)
	if res.Columns[0].Name != "a" || res.Columns[1].Name != "a" {
		t.Fatalf("duplicate names renamed: %v", res.Columns)
	}
	res = f.mustQuery(t, `DESCRIBE documents`)
	if len(res.Rows) != 7 || res.Rows[0][0] != "id" {
		t.Fatalf("describe: %v", res.Rows)
	}
}

func TestQueryTruncated(t *testing.T) {
	t.Parallel()
	f := setup(t, func(o *Options) { o.MaxRows = 10 })
	start := time.Now()
	// Without the outer LIMIT this would never finish (or run out of memory).
	res := f.mustQuery(t, `SELECT range AS n FROM range(10000000000)`)
	if !res.Truncated || len(res.Rows) != 10 || res.Rows[9][0] != int64(9) {
		t.Fatalf("truncated %v, %d rows", res.Truncated, len(res.Rows))
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("a truncated result took %v", d)
	}
	res = f.mustQuery(t, `SELECT * FROM range(10)`)
	if res.Truncated || len(res.Rows) != 10 {
		t.Fatalf("exactly MaxRows: truncated %v, %d rows", res.Truncated, len(res.Rows))
	}
	// A statement that cannot be wrapped is still cut off while fetching.
	res = f.mustQuery(t, "SELECT * FROM range(50); -- no wrapper")
	if !res.Truncated || len(res.Rows) != 10 {
		t.Fatalf("unwrapped: truncated %v, %d rows", res.Truncated, len(res.Rows))
	}
}

func TestQueryTimeout(t *testing.T) {
	t.Parallel()
	f := setup(t, func(o *Options) { o.Timeout = time.Second })
	start := time.Now()
	_, err := f.query(t, `SELECT count(*) FROM range(10000000000)`)
	wantCode(t, err, brain.EINVALID)
	if !strings.Contains(brain.ErrorMessage(err), "ran longer than 1s") {
		t.Fatalf("message %q", brain.ErrorMessage(err))
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("timeout took %v", d)
	}
	// The engine is still usable (unless the machine is so loaded that a
	// small query takes a second).
	if _, err := f.query(t, `SELECT count(*) FROM chunks`); err != nil && !strings.Contains(err.Error(), "ran longer") {
		t.Fatal(err)
	}
}

func TestQueryCallerCancel(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	_, err := f.engine.Query(ctx, `SELECT count(*) FROM range(10000000000)`, f.tables)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

func TestQueryMemory(t *testing.T) {
	t.Parallel()
	// About 100 MB of strings to sort in 64 MB.
	const sort = `SELECT count(*) FROM (SELECT md5(range::VARCHAR) AS s FROM range(1500000) ORDER BY s)`
	spill := setup(t, func(o *Options) { o.MemoryLimit = "64MB"; o.Timeout = time.Minute })
	if res := spill.mustQuery(t, sort); res.Rows[0][0] != int64(1500000) {
		t.Fatalf("spilled sort: %v", res.Rows)
	}
	noSpill := setup(t, func(o *Options) { o.MemoryLimit = "64MB"; o.TempDir = ""; o.Timeout = time.Minute })
	_, err := noSpill.query(t, sort)
	wantCode(t, err, brain.ETOOLARGE)
}

func TestQuerySnapshots(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	docs := f.tables["documents"]
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			files := docs[:1+i%2]
			res, err := f.engine.Query(context.Background(), `SELECT count(*) FROM documents`,
				map[string][]string{"documents": files})
			if err != nil {
				t.Error(err)
				return
			}
			if want := int64(2 + i%2); res.Rows[0][0] != want {
				t.Errorf("snapshot of %d files: %v rows, want %d", len(files), res.Rows[0][0], want)
			}
		})
	}
	wg.Wait()
	// Views live as long as their query: chunks is not there when not given.
	_, err := f.engine.Query(context.Background(), `SELECT * FROM chunks`, map[string][]string{"documents": docs})
	wantCode(t, err, brain.EINVALID)
}

func TestQueryTables(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	docs := f.tables["documents"][0]
	for _, tc := range []struct {
		name   string
		tables map[string][]string
		code   string
	}{
		{"bad name", map[string][]string{`x"; DROP`: {docs}}, brain.EINVALID},
		{"relative", map[string][]string{"t": {"documents/part-0.parquet"}}, brain.EINVALID},
		{"dot dot", map[string][]string{"t": {f.root + "/../../c2/lakehouse/secrets/part-0.parquet"}}, brain.EINVALID},
		{"glob", map[string][]string{"t": {f.root + "/documents/*.parquet"}}, brain.EINVALID},
		{"other customer", map[string][]string{"t": {f.secret}}, brain.EFORBIDDEN},
		{"symlink out", map[string][]string{"t": {filepath.Join(f.root, "escape.parquet")}}, brain.EFORBIDDEN},
		{"symlinked dir", map[string][]string{"t": {filepath.Join(f.root, "escapedir", "part-0.parquet")}}, brain.EFORBIDDEN},
		{"directory", map[string][]string{"t": {filepath.Join(f.root, "documents")}}, brain.EINVALID},
	} {
		_, err := f.engine.Query(context.Background(), `SELECT 1`, tc.tables)
		if err == nil || brain.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := f.engine.Query(context.Background(), `SELECT 1`, map[string][]string{"t": {filepath.Join(f.root, "missing.parquet")}}); err == nil {
		t.Error("missing file accepted")
	}
}

func TestOpenOptions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, o := range []Options{
		{},
		{Root: "relative"},
		{Root: filepath.Join(dir, "missing")},
		{Root: dir, TempDir: "relative"},
		{Root: dir, MemoryLimit: "lots"},
	} {
		if e, err := Open(context.Background(), o); err == nil {
			e.Close()
			t.Errorf("Open(%+v) succeeded", o)
		}
	}
	_, err := Open(context.Background(), Options{Root: dir, MemoryLimit: "lots"})
	wantCode(t, err, brain.EINVALID)
	// A root reached through a symbolic link works.
	link := filepath.Join(t.TempDir(), "link")
	mustSymlink(t, dir, link)
	writeParquet(t, `COPY (SELECT 42 AS x) TO '`+dir+`/t.parquet'`)
	e, err := Open(context.Background(), Options{Root: link})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	res, err := e.Query(context.Background(), `SELECT x FROM t`, map[string][]string{"t": {link + "/t.parquet"}})
	if err != nil || res.Rows[0][0] != int32(42) {
		t.Fatalf("%v %v", res, err)
	}
}

func TestClose(t *testing.T) {
	t.Parallel()
	f := setup(t, func(o *Options) { o.Timeout = time.Minute })
	errc := make(chan error, 1)
	go func() {
		_, err := f.query(t, `SELECT count(*) FROM range(10000000000)`)
		errc <- err
	}()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if err := f.engine.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Close waited %v", d)
	}
	wantCode(t, <-errc, brain.EUNAVAILABLE)
	_, err := f.query(t, `SELECT 1`)
	wantCode(t, err, brain.EUNAVAILABLE)
}

func ExampleEngine_Query() {
	root, _ := os.MkdirTemp("", "lakehouse")
	defer os.RemoveAll(root)
	// In the platform the files come from the Delta log; here DuckDB writes one.
	file := filepath.Join(root, "part-0.parquet")
	writeExampleParquet(file)

	e, err := Open(context.Background(), Options{Root: root, MaxRows: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer e.Close()
	res, err := e.Query(context.Background(), "SELECT city, n FROM cities ORDER BY n DESC",
		map[string][]string{"cities": {file}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Columns, res.Rows, res.Truncated)

	_, err = e.Query(context.Background(), "SELECT * FROM read_csv('/etc/passwd')", nil)
	fmt.Println(brain.ErrorCode(err))
	// Output:
	// [{city VARCHAR} {n INTEGER}] [[München 3] [Köln 2]] true
	// forbidden
}
