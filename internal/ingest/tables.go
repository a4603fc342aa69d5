package ingest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/zero711/brain/internal/delta"
	"github.com/zero711/brain/internal/document"
)

// table is tabular data typed for the lakehouse.
type table struct {
	name   string
	schema *delta.StructType
	rows   []map[string]any
}

// makeTable types the cells of d column by column (long, double, boolean,
// date, else string; German and English number formats) and names the
// table after the file and the sheet: t_{file}[_{sheet}].
func makeTable(filename, member string, d document.Data) table {
	base := strings.TrimSuffix(filepath.Base(filename), filepath.Ext(filename))
	if member != "" {
		base += "_" + strings.TrimSuffix(filepath.Base(member), filepath.Ext(member))
	}
	name := "t_" + slug(base)
	if d.Name != "" && slug(d.Name) != slug(base) && !strings.HasSuffix(name, "_"+slug(d.Name)) {
		name += "_" + slug(d.Name)
	}
	if len(name) > 63 {
		name = strings.TrimRight(name[:63], "_")
	}
	cols := columnNames(d.Columns, widest(d))
	types := make([]delta.PrimitiveType, len(cols))
	for j := range cols {
		types[j] = inferType(d.Rows, j)
	}
	schema := &delta.StructType{}
	for j, c := range cols {
		schema.Fields = append(schema.Fields, delta.StructField{Name: c, Type: types[j], Nullable: true})
	}
	rows := make([]map[string]any, 0, len(d.Rows))
	for _, r := range d.Rows {
		row := make(map[string]any, len(cols))
		for j, c := range cols {
			if j < len(r) {
				row[c] = convert(r[j], types[j])
			}
		}
		rows = append(rows, row)
	}
	return table{name: name, schema: schema, rows: rows}
}

func widest(d document.Data) int {
	n := len(d.Columns)
	for _, r := range d.Rows {
		n = max(n, len(r))
	}
	return min(n, 1000)
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug lowercases s, folds umlauts and keeps [a-z0-9_].
func slug(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss").Replace(s)
	s = norm.NFD.String(s)
	s = nonSlug.ReplaceAllString(s, "_")
	s = strings.Trim(s, "_")
	if len(s) > 40 {
		s = strings.Trim(s[:40], "_")
	}
	if s == "" {
		return "data"
	}
	return s
}

// columnNames makes n unique, non-empty column names from the header.
func columnNames(header []string, n int) []string {
	seen := map[string]int{}
	out := make([]string, n)
	for j := range n {
		c := ""
		if j < len(header) {
			c = slug(header[j])
		}
		if c == "" || c == "data" && (j >= len(header) || strings.TrimSpace(header[j]) == "") {
			c = fmt.Sprintf("col_%d", j+1)
		}
		if c[0] >= '0' && c[0] <= '9' {
			c = "c_" + c
		}
		if k := seen[c]; k > 0 {
			seen[c]++
			c = fmt.Sprintf("%s_%d", c, k+1)
		}
		seen[c]++
		out[j] = c
	}
	return out
}

var (
	intPattern    = regexp.MustCompile(`^[-+]?\d{1,18}$`)
	enNumber      = regexp.MustCompile(`^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][-+]?\d+)?$`)
	deNumber      = regexp.MustCompile(`^[-+]?(\d{1,3}(\.\d{3})+|\d+),\d+$`)
	isoDate       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	germanDate    = regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.\d{4}$`)
	leadingZeroID = regexp.MustCompile(`^0\d`)
)

func inferType(rows [][]string, j int) delta.PrimitiveType {
	kinds := map[delta.PrimitiveType]bool{}
	seen := 0
	for _, r := range rows {
		if j >= len(r) {
			continue
		}
		v := strings.TrimSpace(r[j])
		if v == "" {
			continue
		}
		seen++
		kinds[cellType(v)] = true
		if len(kinds) > 1 && !(len(kinds) == 2 && kinds[delta.TypeLong] && kinds[delta.TypeDouble]) {
			return delta.TypeString
		}
	}
	switch {
	case seen == 0:
		return delta.TypeString
	case kinds[delta.TypeDouble]:
		return delta.TypeDouble
	}
	for k := range kinds {
		return k
	}
	return delta.TypeString
}

func cellType(v string) delta.PrimitiveType {
	switch {
	case leadingZeroID.MatchString(v) && intPattern.MatchString(v):
		return delta.TypeString // postal codes, article numbers: keep the zeros
	case intPattern.MatchString(v):
		return delta.TypeLong
	case enNumber.MatchString(v) || deNumber.MatchString(v):
		return delta.TypeDouble
	case strings.EqualFold(v, "true") || strings.EqualFold(v, "false"):
		return delta.TypeBoolean
	case isoDate.MatchString(v) || germanDate.MatchString(v):
		if _, ok := parseDate(v); ok {
			return delta.TypeDate
		}
	}
	return delta.TypeString
}

func convert(v string, t delta.PrimitiveType) any {
	v = strings.TrimSpace(v)
	if v == "" && t != delta.TypeString {
		return nil
	}
	switch t {
	case delta.TypeLong:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil
		}
		return n
	case delta.TypeDouble:
		if deNumber.MatchString(v) {
			v = strings.ReplaceAll(strings.ReplaceAll(v, ".", ""), ",", ".")
		} else {
			v = strings.ReplaceAll(v, ",", "")
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil
		}
		return f
	case delta.TypeBoolean:
		return strings.EqualFold(v, "true")
	case delta.TypeDate:
		d, ok := parseDate(v)
		if !ok {
			return nil
		}
		return d
	}
	return v
}

func parseDate(v string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2.1.2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
