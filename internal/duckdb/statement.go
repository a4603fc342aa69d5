package duckdb

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/zero711/brain"
)

// kind is what a checked statement is.
type kind int

const (
	kindSelect  kind = iota + 1 // SELECT, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE
	kindExplain                 // EXPLAIN [ANALYZE] of a SELECT
	kindPragma                  // one of the PRAGMAs in pragmaRE
)

// statement is a query split for checking.
type statement struct {
	kind kind
	// text is the query without surrounding space and trailing semicolons.
	text string
	// body is the SELECT that DuckDB must parse and the tree walk approve:
	// text itself, or what follows EXPLAIN; empty for a PRAGMA.
	body string
}

var (
	// explainRE splits EXPLAIN [ANALYZE] from the statement it explains.
	// EXPLAIN with options or after a comment does not match, and is refused
	// as not being a SELECT.
	explainRE = regexp.MustCompile(`(?is)^EXPLAIN\s+(?:ANALY[SZ]E\s+)?(.+)$`)
	// pragmaRE is the whole of each PRAGMA allowed: catalog reads only.
	pragmaRE = regexp.MustCompile(`(?is)^PRAGMA\s+(?:(?:table_info|show)\s*\(\s*'[A-Za-z_][A-Za-z0-9_]*'\s*\)|show_tables|show_tables_expanded|version)$`)
)

// errNotReadOnly is returned for every statement that is not a read.
func errNotReadOnly() error {
	return brain.Errorf(brain.EFORBIDDEN, "sql: only read-only queries are allowed (SELECT, WITH, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA table_info)")
}

// parseStatement classifies q by its text. It does not decide that q is
// safe: the body still goes through DuckDB's parser and checkTree, and the
// prepared statement's type is checked too.
func parseStatement(q string) (statement, error) {
	if len(q) > MaxQueryBytes {
		return statement{}, brain.Errorf(brain.ETOOLARGE, "sql: the query is longer than %d bytes", MaxQueryBytes)
	}
	if strings.ContainsRune(q, 0) {
		return statement{}, brain.Errorf(brain.EINVALID, "sql: the query contains a NUL byte")
	}
	text := trimStatement(q)
	if text == "" {
		return statement{}, brain.Errorf(brain.EINVALID, "sql: the query is empty")
	}
	if pragmaRE.MatchString(text) {
		return statement{kind: kindPragma, text: text}, nil
	}
	if m := explainRE.FindStringSubmatch(text); m != nil {
		return statement{kind: kindExplain, text: text, body: trimStatement(m[1])}, nil
	}
	return statement{kind: kindSelect, text: text, body: text}, nil
}

// trimStatement drops surrounding space and trailing semicolons.
func trimStatement(q string) string {
	for {
		t := strings.TrimRight(strings.TrimSpace(q), ";")
		if t == q {
			return t
		}
		q = t
	}
}

// allowedTableFunctions are the table functions a query may call: generators
// and catalog reads. Everything else (read_csv, read_parquet, read_text,
// read_blob, glob, query, query_table, enable_profiling, checkpoint,
// duckdb_settings, duckdb_temporary_files, duckdb_extensions, dbgen…) is
// refused: the tables are the interface, and the rest reads files, runs SQL
// from strings, changes state or shows server paths.
var allowedTableFunctions = map[string]bool{
	"range": true, "generate_series": true, "unnest": true,
	"repeat": true, "repeat_row": true,
	"json_each": true, "json_tree": true,
	"pragma_table_info": true, "pragma_show": true, "pragma_version": true,
	"duckdb_tables": true, "duckdb_views": true, "duckdb_columns": true,
	"duckdb_schemas": true, "duckdb_types": true, "duckdb_functions": true,
	"duckdb_keywords": true, "duckdb_constraints": true,
	"icu_calendar_names": true, "pg_timezone_names": true,
}

// deniedFunctions are scalar functions a query may not call, because they
// show the server's configuration (paths of other directories among it).
var deniedFunctions = map[string]bool{
	"current_setting": true,
}

// checkTree checks the output of DuckDB's json_serialize_sql for the body of
// a statement: exactly one SELECT, no table function outside the allowed
// list, no file name used as a table, no denied function.
func checkTree(serialized string) error {
	var tree struct {
		Error        bool   `json:"error"`
		ErrorType    string `json:"error_type"`
		ErrorMessage string `json:"error_message"`
		Statements   []any  `json:"statements"`
	}
	dec := json.NewDecoder(strings.NewReader(serialized))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return brain.Errorf(brain.EINVALID, "sql: the query could not be parsed")
	}
	switch {
	case tree.Error && tree.ErrorType == "not implemented":
		// json_serialize_sql serialises SELECT statements only.
		return errNotReadOnly()
	case tree.Error:
		return brain.Errorf(brain.EINVALID, "sql: %s", tree.ErrorMessage)
	case len(tree.Statements) == 0:
		return brain.Errorf(brain.EINVALID, "sql: the query is empty")
	case len(tree.Statements) > 1:
		return brain.Errorf(brain.EINVALID, "sql: only one statement is allowed")
	}
	return walk(tree.Statements[0])
}

// walk applies checkNode to every object in the tree, in key order so that
// the first violation reported does not depend on map iteration.
func walk(v any) error {
	switch n := v.(type) {
	case []any:
		for _, c := range n {
			if err := walk(c); err != nil {
				return err
			}
		}
	case map[string]any:
		if err := checkNode(n); err != nil {
			return err
		}
		keys := make([]string, 0, len(n))
		for k := range n {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := walk(n[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkNode checks one node of the parse tree.
func checkNode(n map[string]any) error {
	switch n["type"] {
	case "TABLE_FUNCTION":
		fn, _ := n["function"].(map[string]any)
		name, _ := fn["function_name"].(string)
		if !allowedTableFunctions[strings.ToLower(name)] {
			return brain.Errorf(brain.EFORBIDDEN, "sql: table function %q is not allowed: query the lakehouse tables instead", name)
		}
	case "BASE_TABLE", "SHOW_REF":
		// A name with a dot, slash or colon is read as a file (a DuckDB
		// replacement scan); table names never contain one.
		if name, _ := n["table_name"].(string); strings.ContainsAny(name, `./\:~`) {
			return brain.Errorf(brain.EFORBIDDEN, "sql: %q is not a table: files cannot be read directly", name)
		}
	}
	if name, ok := n["function_name"].(string); ok && deniedFunctions[strings.ToLower(name)] {
		return brain.Errorf(brain.EFORBIDDEN, "sql: function %q is not allowed", name)
	}
	return nil
}
