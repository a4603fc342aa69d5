package delta

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/blob"
)

// corpusPath is where the shared Delta tables lie: ../shared/corpus from
// the repository root, found by walking up from the package directory.
const corpusPath = "shared/corpus/delta-tables"

func corpusDir(t testing.TB) string {
	t.Helper()
	dir := findCorpus()
	if dir == "" {
		t.Skipf("delta test tables not found: no %s in any parent directory (the shared corpus lies next to the repository)", corpusPath)
	}
	return dir
}

func openDir(t testing.TB, dir string) *Table {
	t.Helper()
	st, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	return New(st, Options{})
}

// canon renders a value deterministically for comparisons.
func canon(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		return "0x" + hex.EncodeToString(x)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return strconv.Quote(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = canon(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		keys := slices.Sorted(mapKeys(x))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ":" + canon(x[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	case map[any]any:
		parts := make([]string, 0, len(x))
		for k, e := range x {
			parts = append(parts, canon(k)+":"+canon(e))
		}
		slices.Sort(parts)
		return "{" + strings.Join(parts, ",") + "}"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// canonRows renders and sorts rows.
func canonRows(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = canon(map[string]any(r))
	}
	slices.Sort(out)
	return out
}

func diffRows(t *testing.T, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	t.Errorf("rows differ: got %d, want %d", len(got), len(want))
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("row %d:\n got  %s\n want %s", i, g, w)
		}
	}
}

// readExpected reads the Parquet files of a DAT expected table_content
// with the schema of the snapshot.
func readExpected(t *testing.T, dir string, schema *StructType) []Row {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var rows []Row
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".parquet") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		pf, err := openParquet(f, st.Size())
		if err != nil {
			t.Fatal(err)
		}
		fr, err := openRows(pf, schema, nil)
		if err != nil {
			t.Fatal(err)
		}
		for {
			r := Row{}
			ok, err := fr.next(r)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			rows = append(rows, r)
		}
		fr.close()
		f.Close()
	}
	return rows
}

// TestDAT compares every version of every DAT case with its expected rows,
// version, protocol and properties.
func TestDAT(t *testing.T) {
	t.Parallel()
	root := corpusDir(t)
	cases, _ := filepath.Glob(filepath.Join(root, "dat-*"))
	if len(cases) == 0 {
		t.Skip("no dat-* tables")
	}
	for _, c := range cases {
		versions, _ := os.ReadDir(filepath.Join(c, "expected"))
		for _, v := range versions {
			t.Run(filepath.Base(c)+"/"+v.Name(), func(t *testing.T) {
				t.Parallel()
				checkDATVersion(t, c, v.Name())
			})
		}
	}
}

func checkDATVersion(t *testing.T, caseDir, v string) {
	ctx := context.Background()
	exp := filepath.Join(caseDir, "expected", v)
	raw, err := os.ReadFile(filepath.Join(exp, "table_version_metadata.json"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Version    int64             `json:"version"`
		Properties map[string]string `json:"properties"`
		MinReader  int               `json:"min_reader_version"`
		MinWriter  int               `json:"min_writer_version"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	tbl := openDir(t, filepath.Join(caseDir, "delta"))
	var s *Snapshot
	if v == "latest" {
		s, err = tbl.Snapshot(ctx)
	} else {
		s, err = tbl.SnapshotAt(ctx, meta.Version)
	}
	if err != nil {
		t.Fatal(err)
	}
	if s.Version() != meta.Version {
		t.Errorf("version %d, want %d", s.Version(), meta.Version)
	}
	if p := s.Protocol(); p.MinReaderVersion != meta.MinReader || p.MinWriterVersion != meta.MinWriter {
		t.Errorf("protocol %d/%d, want %d/%d", p.MinReaderVersion, p.MinWriterVersion, meta.MinReader, meta.MinWriter)
	}
	props := s.Metadata().Configuration
	if len(props) != len(meta.Properties) {
		t.Errorf("properties %v, want %v", props, meta.Properties)
	}
	for k, want := range meta.Properties {
		if props[k] != want {
			t.Errorf("property %s = %q, want %q", k, props[k], want)
		}
	}
	got, err := s.ReadAll(ctx, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := readExpected(t, filepath.Join(exp, "table_content"), s.Schema())
	diffRows(t, canonRows(got), canonRows(want))
}

func ids(rows []Row, col string) []int64 {
	var out []int64
	for _, r := range rows {
		i, _ := toInt64(r[col])
		out = append(out, i)
	}
	slices.Sort(out)
	return out
}

func seq(lo, hi int64) []int64 {
	var out []int64
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

func wantInts(t *testing.T, got, want []int64) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func wantRows(t *testing.T, rows []Row, want ...Row) {
	t.Helper()
	diffRows(t, canonRows(rows), canonRows(want))
}

func utc(s string) time.Time {
	tm, err := time.Parse("2006-01-02 15:04:05.999999", s)
	if err != nil {
		panic(err)
	}
	return tm
}
