//go:build cgo

package duckdb

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/zero711/brain"
)

// fixture is a lakehouse for one customer next to another customer's.
type fixture struct {
	base    string // holds both customers
	root    string // customer 1's lakehouse
	tmp     string // customer 1's staging temp dir for DuckDB
	other   string // customer 2's lakehouse
	secret  string // a Parquet file of customer 2
	tables  map[string][]string
	opts    Options
	engine  *Engine
	outside string // a directory outside both lakehouses, for write attempts
}

// setup builds the fixture's Parquet files with an unsandboxed DuckDB and
// opens an engine over customer 1's lakehouse; edit changes the options.
func setup(t *testing.T, edit func(*Options)) *fixture {
	t.Helper()
	base := t.TempDir()
	f := &fixture{
		base:    base,
		root:    filepath.Join(base, "customers", "c1", "lakehouse"),
		tmp:     filepath.Join(base, "customers", "c1", "staging", "duckdb"),
		other:   filepath.Join(base, "customers", "c2", "lakehouse"),
		outside: filepath.Join(base, "outside"),
	}
	f.secret = filepath.Join(f.other, "secrets", "part-0.parquet")
	for _, d := range []string{f.root + "/documents", f.root + "/chunks", f.other + "/secrets", f.outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	docs0 := filepath.Join(f.root, "documents", "part-0.parquet")
	docs1 := filepath.Join(f.root, "documents", "part-1.parquet")
	chunks := filepath.Join(f.root, "chunks", "part-0.parquet")
	writeParquet(t,
		`COPY (SELECT * FROM (VALUES
			(1::BIGINT, 'Größenordnung für Übermaß', 0.5::DOUBLE, true, TIMESTAMP '2024-03-01 12:30:00', 'first'),
			(2::BIGINT, 'Çağrı ñandú', 1.25::DOUBLE, false, TIMESTAMP '2024-03-02 08:00:00', NULL)
		) AS t(id, title, score, published, created, note)) TO '`+docs0+`' (FORMAT parquet)`,
		`COPY (SELECT 3::BIGINT AS id, 'plain' AS title, NULL::DOUBLE AS score, NULL::BOOLEAN AS published,
			NULL::TIMESTAMP AS created, 'third' AS note, 9223372036854775807::BIGINT AS big) TO '`+docs1+`' (FORMAT parquet)`,
		`COPY (SELECT (i % 3 + 1)::BIGINT AS doc_id, i::INTEGER AS position, 'chunk ' || i AS text
			FROM range(30) r(i)) TO '`+chunks+`' (FORMAT parquet)`,
		`COPY (SELECT 'other customer secret' AS secret) TO '`+f.secret+`' (FORMAT parquet)`,
	)
	// Links inside the lakehouse that point out of it.
	mustSymlink(t, f.secret, filepath.Join(f.root, "escape.parquet"))
	mustSymlink(t, filepath.Join(f.other, "secrets"), filepath.Join(f.root, "escapedir"))
	f.tables = map[string][]string{
		"documents": {docs0, docs1},
		"chunks":    {chunks},
	}
	f.opts = Options{Root: f.root, TempDir: f.tmp, MaxRows: 100, Timeout: 5e9, MemoryLimit: "256MB", Threads: 2}
	if edit != nil {
		edit(&f.opts)
	}
	e, err := Open(context.Background(), f.opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	f.engine = e
	return f
}

// writeParquet runs statements on a plain DuckDB without any sandbox.
func writeParquet(t *testing.T, stmts ...string) {
	t.Helper()
	db, err := sql.Open("duckdb", "?autoinstall_known_extensions=false&autoload_known_extensions=false")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// query runs q over the fixture's tables.
func (f *fixture) query(t *testing.T, q string) (*Result, error) {
	t.Helper()
	return f.engine.Query(context.Background(), q, f.tables)
}

// mustQuery runs q and fails the test on error.
func (f *fixture) mustQuery(t *testing.T, q string) *Result {
	t.Helper()
	res, err := f.query(t, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res
}

// wantCode fails unless err carries the brain code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := brain.ErrorCode(err); got != code {
		t.Fatalf("code %q, want %q: %v", got, code, err)
	}
	var be *brain.Error
	if !errors.As(err, &be) || be.Message == "" {
		t.Fatalf("no user message in %v", err)
	}
}

// writeExampleParquet writes the example's table.
func writeExampleParquet(file string) {
	db, err := sql.Open("duckdb", "?autoinstall_known_extensions=false&autoload_known_extensions=false")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if _, err := db.Exec(`COPY (SELECT * FROM (VALUES ('Köln', 2), ('München', 3), ('Bonn', 1)) t(city, n)) TO '` + file + `'`); err != nil {
		panic(err)
	}
}
