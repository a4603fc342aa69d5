package duckdb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zero711/brain"
)

func TestParseStatement(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q          string
		kind       kind
		text, body string
		code       string
	}{
		{q: "SELECT 1", kind: kindSelect, text: "SELECT 1", body: "SELECT 1"},
		{q: "  SELECT 1 ;; \n", kind: kindSelect, text: "SELECT 1", body: "SELECT 1"},
		{q: "explain analyze SELECT 1;", kind: kindExplain, text: "explain analyze SELECT 1", body: "SELECT 1"},
		{q: "EXPLAIN\n\tSELECT 1", kind: kindExplain, text: "EXPLAIN\n\tSELECT 1", body: "SELECT 1"},
		{q: "PRAGMA table_info('documents');", kind: kindPragma, text: "PRAGMA table_info('documents')"},
		{q: "pragma SHOW_TABLES", kind: kindPragma, text: "pragma SHOW_TABLES"},
		// Anything else starting with PRAGMA is left to the SELECT checks,
		// which refuse it.
		{q: "PRAGMA enable_profiling", kind: kindSelect, text: "PRAGMA enable_profiling", body: "PRAGMA enable_profiling"},
		{q: "PRAGMA table_info('a'); DROP VIEW a", kind: kindSelect, text: "PRAGMA table_info('a'); DROP VIEW a", body: "PRAGMA table_info('a'); DROP VIEW a"},
		{q: "PRAGMA table_info('/etc/passwd')", kind: kindSelect, text: "PRAGMA table_info('/etc/passwd')", body: "PRAGMA table_info('/etc/passwd')"},
		{q: "", code: brain.EINVALID},
		{q: " ; ; ", code: brain.EINVALID},
		{q: "SELECT '\x00'", code: brain.EINVALID},
		{q: "SELECT " + strings.Repeat("1", MaxQueryBytes), code: brain.ETOOLARGE},
	} {
		st, err := parseStatement(tc.q)
		if tc.code != "" {
			if brain.ErrorCode(err) != tc.code {
				t.Errorf("%q: %v, want %s", tc.q, err, tc.code)
			}
			continue
		}
		if err != nil || st.kind != tc.kind || st.text != tc.text || st.body != tc.body {
			t.Errorf("%q: %+v %v, want kind %d text %q body %q", tc.q, st, err, tc.kind, tc.text, tc.body)
		}
	}
}

func TestCheckTree(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ json, code string }{
		{`{"error":false,"statements":[{"node":{"type":"SELECT_NODE","from_table":{"type":"BASE_TABLE","table_name":"documents"}}}]}`, ""},
		{`{"error":false,"statements":[{"node":{"from_table":{"type":"TABLE_FUNCTION","function":{"class":"FUNCTION","function_name":"range"}}}}]}`, ""},
		{`{"error":false,"statements":[{"node":{"from_table":{"type":"TABLE_FUNCTION","function":{"class":"FUNCTION","function_name":"Read_CSV"}}}}]}`, brain.EFORBIDDEN},
		{`{"error":false,"statements":[{"node":{"from_table":{"type":"TABLE_FUNCTION","function":null}}}]}`, brain.EFORBIDDEN},
		{`{"error":false,"statements":[{"node":{"from_table":{"type":"BASE_TABLE","table_name":"/etc/passwd"}}}]}`, brain.EFORBIDDEN},
		{`{"error":false,"statements":[{"node":{"from_table":{"type":"SHOW_REF","table_name":"x.csv"}}}]}`, brain.EFORBIDDEN},
		{`{"error":false,"statements":[{"node":{"select_list":[{"class":"FUNCTION","function_name":"CURRENT_SETTING"}]}}]}`, brain.EFORBIDDEN},
		{`{"error":false,"statements":[{"node":{"a":[[{"b":{"type":"TABLE_FUNCTION","function":{"function_name":"glob"}}}]]}}]}`, brain.EFORBIDDEN},
		{`{"error":false,"statements":[{},{}]}`, brain.EINVALID},
		{`{"error":false,"statements":[]}`, brain.EINVALID},
		{`{"error":true,"error_type":"not implemented","error_message":"Only SELECT statements can be serialized to json!"}`, brain.EFORBIDDEN},
		{`{"error":true,"error_type":"parser","error_message":"syntax error at or near \"SELEC\""}`, brain.EINVALID},
		{`not json`, brain.EINVALID},
	} {
		err := checkTree(tc.json)
		if got := brain.ErrorCode(err); got != tc.code {
			t.Errorf("%s: %v, want %q", tc.json, err, tc.code)
		}
	}
}

func TestResolveViews(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "root")
	other := filepath.Join(base, "other")
	for _, d := range []string{root + "/t", other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{root + "/t/a.parquet", root + "/t/it's.parquet", other + "/b.parquet"} {
		if err := os.WriteFile(f, []byte("PAR1"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(other+"/b.parquet", root+"/t/link.parquet"); err != nil {
		t.Fatal(err)
	}
	views, err := resolveViews(root, map[string][]string{
		"b_table": {root + "/t/a.parquet", root + "/t/it's.parquet"},
		"a_empty": nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 1 || views[0].name != "b_table" {
		t.Fatalf("views %+v", views)
	}
	want := `CREATE OR REPLACE TEMP VIEW "b_table" AS SELECT * FROM read_parquet(['` + root + `/t/a.parquet', '` + root + `/t/it''s.parquet'], union_by_name = true)`
	if got := views[0].createSQL(); got != want {
		t.Fatalf("createSQL\n got %s\nwant %s", got, want)
	}
	for _, tc := range []struct {
		name, file, code string
	}{
		{"1bad", root + "/t/a.parquet", brain.EINVALID},
		{"a-b", root + "/t/a.parquet", brain.EINVALID},
		{"t", "t/a.parquet", brain.EINVALID},
		{"t", root + "/t/../t/a.parquet", brain.EINVALID},
		{"t", root + "/t/*.parquet", brain.EINVALID},
		{"t", other + "/b.parquet", brain.EFORBIDDEN},
		{"t", root + "/t/link.parquet", brain.EFORBIDDEN},
		{"t", root + "/t", brain.EINVALID},
		{"t", root + "/t/missing.parquet", brain.EINTERNAL},
	} {
		_, err := resolveViews(root, map[string][]string{tc.name: {tc.file}})
		if got := brain.ErrorCode(err); got != tc.code {
			t.Errorf("%s %s: %v, want %s", tc.name, tc.file, err, tc.code)
		}
	}
}

func TestWithin(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"/r", true}, {"/r/a", true}, {"/r/..a", true}, {"/r/a/b", true},
		{"/", false}, {"/ra", false}, {"/other/a", false},
	} {
		if got := within("/r", tc.path); got != tc.want {
			t.Errorf("within(/r, %s) = %v", tc.path, got)
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	t.Parallel()
	o := Options{}.withDefaults()
	if o.MaxRows != DefaultMaxRows || o.Timeout != DefaultTimeout || o.MemoryLimit != DefaultMemoryLimit || o.Threads < 1 || o.Threads > 4 {
		t.Fatalf("defaults %+v", o)
	}
}

func FuzzParseStatement(f *testing.F) {
	for _, s := range []string{"SELECT 1", "EXPLAIN SELECT 1;", "PRAGMA table_info('t')", ";", "/* */; DROP VIEW v"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		st, err := parseStatement(q)
		if err != nil {
			return
		}
		if st.text == "" || strings.HasSuffix(st.text, ";") {
			t.Fatalf("%q: text %q", q, st.text)
		}
		if st.kind != kindPragma && st.body == "" {
			t.Fatalf("%q: no body to check", q)
		}
	})
}
