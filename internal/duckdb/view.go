package duckdb

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/zero711/brain"
)

// tableNameRE is what a table (view) name may look like.
var tableNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// view is one table exposed to a query.
type view struct {
	name  string
	files []string // resolved, inside the root
}

// resolveViews checks tables (name → Parquet files) against root, which has
// its symbolic links resolved, and returns the views in name order. A file
// must be an absolute, clean path without glob characters whose resolved
// location is a regular file inside root. A table without files is left out.
func resolveViews(root string, tables map[string][]string) ([]view, error) {
	names := make([]string, 0, len(tables))
	for name := range tables {
		names = append(names, name)
	}
	slices.Sort(names)
	var views []view
	for _, name := range names {
		if !tableNameRE.MatchString(name) {
			return nil, brain.Errorf(brain.EINVALID, "sql: %q is not a valid table name", name)
		}
		if len(tables[name]) == 0 {
			continue
		}
		v := view{name: name}
		for _, f := range tables[name] {
			real, err := resolveFile(root, f)
			if err != nil {
				return nil, fmt.Errorf("duckdb: table %s: %w", name, err)
			}
			v.files = append(v.files, real)
		}
		views = append(views, v)
	}
	return views, nil
}

// resolveFile returns the real path of the data file f, which must lie in root.
func resolveFile(root, f string) (string, error) {
	if !filepath.IsAbs(f) || filepath.Clean(f) != f || strings.ContainsAny(f, "*?[]{}\x00") {
		return "", brain.Errorf(brain.EINVALID, "sql: %q is not a clean absolute file path", f)
	}
	real, err := filepath.EvalSymlinks(f)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", f, err)
	}
	if !within(root, real) {
		return "", brain.Errorf(brain.EFORBIDDEN, "sql: a data file lies outside the lakehouse")
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("stat %s: %w", f, err)
	}
	if !fi.Mode().IsRegular() {
		return "", brain.Errorf(brain.EINVALID, "sql: %q is not a regular file", f)
	}
	return real, nil
}

// within reports whether path is dir or lies below it; both are clean.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// createSQL is the statement that exposes v as a temporary view. Files of
// different schema versions are unified by column name.
func (v view) createSQL() string {
	var b strings.Builder
	b.WriteString(`CREATE OR REPLACE TEMP VIEW "`)
	b.WriteString(v.name)
	b.WriteString(`" AS SELECT * FROM read_parquet([`)
	for i, f := range v.files {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteLiteral(f))
	}
	b.WriteString(`], union_by_name = true)`)
	return b.String()
}

// quoteLiteral returns s as an SQL string literal.
func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
