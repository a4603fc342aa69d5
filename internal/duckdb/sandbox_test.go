//go:build cgo

package duckdb

import (
	"context"
	"database/sql/driver"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	duck "github.com/duckdb/duckdb-go/v2"

	"github.com/zero711/brain"
)

// TestAttacks sends queries that try to leave the sandbox through Query, with
// all its defences; each must be refused with a user-facing code.
func TestAttacks(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	out := f.outside
	rel, err := filepath.Rel(f.root, f.secret)
	if err != nil {
		t.Fatal(err)
	}
	forbidden, invalid := brain.EFORBIDDEN, brain.EINVALID
	for _, tc := range []struct{ q, code string }{
		// Files outside the lakehouse.
		{`SELECT * FROM read_csv('/etc/passwd')`, forbidden},
		{`SELECT * FROM read_csv_auto('/etc/passwd')`, forbidden},
		{`SELECT * FROM read_text('/etc/passwd')`, forbidden},
		{`SELECT * FROM READ_TEXT('/etc/passwd')`, forbidden},
		{`SELECT * FROM system.main.read_text('/etc/passwd')`, forbidden},
		{`SELECT * FROM read_blob('/etc/passwd')`, forbidden},
		{`SELECT * FROM read_json('/etc/passwd')`, forbidden},
		{`SELECT (SELECT content FROM read_text('/etc/passwd'))`, forbidden},
		{`SELECT * FROM documents WHERE title IN (SELECT content FROM read_text('/etc/passwd'))`, forbidden},
		{`SELECT * FROM read_parquet('` + f.secret + `')`, forbidden},
		{`SELECT * FROM parquet_scan('` + f.secret + `')`, forbidden},
		{`SELECT * FROM parquet_metadata('` + f.secret + `')`, forbidden},
		{`SELECT * FROM read_parquet('` + f.root + `/../../c2/lakehouse/secrets/part-0.parquet')`, forbidden},
		{`SELECT * FROM read_parquet('` + rel + `')`, forbidden},
		{`SELECT * FROM read_parquet('` + f.root + `/escape.parquet')`, forbidden},
		{`SELECT * FROM read_parquet('` + f.root + `/escapedir/part-0.parquet')`, forbidden},
		{`SELECT * FROM read_parquet('` + f.root + `/*/*.parquet')`, forbidden},
		{`SELECT * FROM '` + f.secret + `'`, forbidden},
		{`SELECT * FROM "` + f.secret + `"`, forbidden},
		{`SELECT * FROM '/etc/passwd'`, forbidden},
		{`DESCRIBE '/etc/passwd'`, forbidden},
		{`SUMMARIZE '` + f.secret + `'`, forbidden},
		{`SELECT * FROM glob('/*')`, forbidden},
		{`SELECT * FROM glob('` + f.root + `/*')`, forbidden},
		{`SELECT * FROM sniff_csv('/etc/passwd')`, forbidden},
		// Writing, attaching, extensions.
		{`ATTACH '` + out + `/x.db'`, forbidden},
		{`ATTACH '` + out + `/x.db' AS x; SELECT 1`, forbidden},
		{`COPY (SELECT 1) TO '` + out + `/out.csv'`, forbidden},
		{`COPY documents TO '` + f.tmp + `/out.csv'`, forbidden},
		{`SELECT * FROM read_text('` + f.tmp + `/spill.tmp')`, forbidden},
		{`EXPORT DATABASE '` + out + `/export'`, forbidden},
		{`INSTALL httpfs`, forbidden},
		{`LOAD httpfs`, forbidden},
		{`LOAD '` + out + `/evil.duckdb_extension'`, forbidden},
		// Configuration.
		{`SET enable_external_access = true`, forbidden},
		{`SET allowed_directories = ['/']`, forbidden},
		{`SET GLOBAL lock_configuration = false`, forbidden},
		{`RESET enable_external_access`, forbidden},
		{`RESET ALL`, forbidden},
		{`SET VARIABLE x = 1`, forbidden},
		{`PRAGMA enable_profiling`, forbidden},
		{`PRAGMA table_info('/etc/passwd')`, forbidden},
		{`SELECT * FROM enable_profiling()`, forbidden},
		{`SELECT * FROM checkpoint()`, forbidden},
		// State and catalog changes.
		{`CREATE TABLE t AS SELECT 1`, forbidden},
		{`CREATE TEMP TABLE t (x INT)`, forbidden},
		{`CREATE MACRO m(x) AS x + 1`, forbidden},
		{`CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')`, forbidden},
		{`INSERT INTO documents (id) VALUES (4)`, forbidden},
		{`UPDATE documents SET title = 'x'`, forbidden},
		{`DELETE FROM documents`, forbidden},
		{`DROP VIEW documents`, forbidden},
		{`ALTER VIEW documents RENAME TO d`, forbidden},
		{`CALL pragma_version()`, forbidden},
		{`CHECKPOINT`, forbidden},
		{`BEGIN TRANSACTION`, forbidden},
		{`USE system`, forbidden},
		{`DETACH memory`, forbidden},
		{`VACUUM`, forbidden},
		{`PREPARE p AS SELECT 1`, forbidden},
		{`EXPLAIN ANALYZE COPY (SELECT 1) TO '` + out + `/explain.csv'`, forbidden},
		{`EXPLAIN (FORMAT json) SELECT 1`, invalid}, // only plain EXPLAIN is recognised
		// SQL from strings and server information.
		{`SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')`, forbidden},
		{`SELECT * FROM query_table('documents')`, forbidden},
		{`SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))`, forbidden},
		{`SELECT getenv('HOME')`, invalid}, // not a function outside the CLI
		{`SELECT current_setting('allowed_directories')`, forbidden},
		{`SELECT list_transform([1], x -> current_setting('temp_directory'))`, forbidden},
		{`SELECT * FROM duckdb_settings()`, forbidden},
		{`SELECT * FROM duckdb_temporary_files()`, forbidden},
		{`SELECT * FROM duckdb_extensions()`, forbidden},
		{`SELECT * FROM duckdb_secrets()`, forbidden},
		{`SELECT * FROM dbgen(sf = 0.01)`, forbidden},
		// More than one statement, however it is dressed up: invalid when
		// all are reads, forbidden when one is not.
		{`SELECT 1; SELECT 2`, invalid},
		{`SELECT 1; DROP VIEW documents`, forbidden},
		{`/* */; DROP VIEW documents`, forbidden},
		{`SELECT 1 /* ; */; DROP VIEW documents`, forbidden},
		{"SELECT 1 --\n; DROP VIEW documents", forbidden},
		{`SELECT ';'; DROP VIEW documents`, forbidden},
		{`EXPLAIN SELECT 1; DROP VIEW documents`, forbidden},
		{`PRAGMA version; DROP VIEW documents`, forbidden},
		{`WITH x AS (SELECT 1) SELECT * FROM x; DROP VIEW documents`, forbidden},
		// Not SQL.
		{``, invalid},
		{`   ;  `, invalid},
		{`SELEC 1`, invalid},
		{"SELECT 1\x00", invalid},
		{`SELECT * FROM nope`, invalid},
		{`SELECT $1`, invalid},
	} {
		_, err := f.query(t, tc.q)
		if err == nil {
			t.Errorf("%s: accepted", tc.q)
			continue
		}
		if got := brain.ErrorCode(err); got != tc.code {
			t.Errorf("%s: code %s, want %s: %v", tc.q, got, tc.code, err)
		}
		if msg := brain.ErrorMessage(err); strings.Contains(msg, "root:") || strings.Contains(msg, "other customer") {
			t.Errorf("%s: message leaks content: %s", tc.q, msg)
		}
	}
	// Nothing was written and the views are intact.
	for _, p := range []string{out + "/x.db", out + "/out.csv", out + "/export", out + "/explain.csv", f.tmp + "/out.csv"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists", p)
		}
	}
	if res := f.mustQuery(t, `SELECT count(*) FROM documents`); res.Rows[0][0] != int64(3) {
		t.Fatalf("documents changed: %v", res.Rows)
	}
}

// TestSandboxConfiguration proves the first wall alone: statements run on a
// raw connection to a locked engine, past the statement checks, still cannot
// reach beyond Root or undo the configuration. (DuckDB does grant access to
// temp_directory; TestAttacks shows the statement checks close it.)
func TestSandboxConfiguration(t *testing.T) {
	t.Parallel()
	f := setup(t, nil)
	dc, err := f.engine.connector.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	c := dc.(*duck.Conn)
	run := func(q string) error {
		rows, err := c.QueryContext(context.Background(), q, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, len(rows.Columns()))
		for {
			if err := rows.Next(dest); err != nil {
				if err.Error() == "EOF" {
					return nil
				}
				return err
			}
		}
	}
	// The own lakehouse stays readable, directly as well.
	for _, q := range []string{
		`SELECT * FROM read_parquet('` + f.tables["documents"][0] + `')`,
		`SELECT * FROM '` + f.tables["chunks"][0] + `'`,
	} {
		if err := run(q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	rel, _ := filepath.Rel(f.root, f.secret)
	permission := []string{
		`SELECT * FROM read_csv('/etc/passwd')`,
		`SELECT * FROM read_text('/etc/passwd')`,
		`SELECT * FROM read_blob('/etc/passwd')`,
		`SELECT * FROM read_parquet('` + f.secret + `')`,
		`SELECT * FROM read_parquet('` + f.root + `/../../c2/lakehouse/secrets/part-0.parquet')`,
		`SELECT * FROM read_parquet('` + rel + `')`,
		`SELECT * FROM read_parquet('` + f.root + `/escape.parquet')`,
		`SELECT * FROM read_parquet('` + f.root + `/escapedir/part-0.parquet')`,
		`SELECT * FROM read_parquet('` + f.root + `/*.parquet')`, // matches escape.parquet
		`SELECT * FROM read_parquet('` + f.root + `/escapedir/*.parquet')`,
		`SELECT * FROM glob('/*')`,
		`ATTACH '` + f.outside + `/x.db'`,
		`COPY (SELECT 1) TO '` + f.outside + `/out.csv'`,
		`EXPORT DATABASE '` + f.outside + `/export'`,
		`INSTALL httpfs`,
		`LOAD httpfs`,
	}
	for _, q := range permission {
		err := run(q)
		var de *duck.Error
		if !errors.As(err, &de) || de.Type != duck.ErrorTypePermission {
			t.Errorf("%s: %v, want a permission error", q, err)
		}
	}
	for _, q := range []string{
		`SET enable_external_access = true`,
		`SET allowed_directories = ['/']`,
		`SET allowed_paths = ['/etc/passwd']`,
		`SET temp_directory = '/tmp'`,
		`SET autoload_known_extensions = true`,
		`SET memory_limit = '100GB'`,
		`SET lock_configuration = false`,
		`RESET enable_external_access`,
	} {
		if err := run(q); err == nil || !strings.Contains(err.Error(), "locked") {
			t.Errorf("%s: %v, want the configuration locked", q, err)
		}
	}
	if err := run(`SELECT * FROM read_text('/etc/passwd')`); err == nil {
		t.Fatal("the configuration came undone")
	}
}
