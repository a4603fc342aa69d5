package legacy

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

func TestParseSheets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want [][][]string
	}{
		{"empty", "", nil},
		{"one sheet", "\"a\",\"b\"\n\"1\",\"2\"\n\f", [][][]string{{{"a", "b"}, {"1", "2"}}}},
		{"two sheets", "\"a\"\n\f\"b\"\n\f", [][][]string{{{"a"}}, {{"b"}}}},
		{"empty cells", ",\"x\",\n", [][][]string{{{"", "x", ""}}}},
		{"newline in cell", "\"line 1\nline 2\",\"y\"\n", [][][]string{{{"line 1\nline 2", "y"}}}},
		{"doubled quote", "\"say \"\"hi\"\"\"\n", [][][]string{{{"say \"hi\""}}}},
		{"form feed in quotes", "\"a\fb\"\n\f", [][][]string{{{"a\fb"}}}},
		{"unquoted", "1,2\r\n3,4", [][][]string{{{"1", "2"}, {"3", "4"}}}},
		{"stray quote", "ab\"c,\"d\"e\n", [][][]string{{{"ab\"c", "de"}}}},
		{"unterminated", "\"abc\n", [][][]string{{{"abc\n"}}}},
		{"blank line", "\"a\"\n\n\"b\"\n", [][][]string{{{"a"}, {"b"}}}},
		{"quoted empty", "\"\"\n", [][][]string{{{""}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseSheets(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseSheets(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseSheets(f *testing.F) {
	f.Add("\"a\",\"b\"\n,\"1\"\n\f\"x\"\"y\"\n\f")
	f.Add("\"unterminated\n\f")
	f.Fuzz(func(t *testing.T, in string) {
		sheets := ParseSheets(in)
		cells := 0
		for _, s := range sheets {
			for _, r := range trimRows(s) {
				if len(r) == 0 {
					t.Fatal("empty row after trimRows")
				}
				cells += len(r)
				d := sheetData("s", [][]string{r, r})
				if len(d.Columns) != len(r) || len(d.Rows[0]) != len(r) {
					t.Fatalf("sheetData widths %d/%d for %d cells", len(d.Columns), len(d.Rows[0]), len(r))
				}
			}
		}
		if cells > len(in)+1 {
			t.Fatalf("%d cells from %d bytes", cells, len(in))
		}
	})
}

func TestSheetData(t *testing.T) {
	t.Parallel()
	got := sheetData("Sheet 1", [][]string{{"", "Number", "Square"}, {"", "1"}, {"x", "2", "4", "extra"}})
	want := document.Data{
		Name:    "Sheet 1",
		Columns: []string{"column_1", "Number", "Square", "column_4"},
		Rows:    [][]string{{"", "1", "", ""}, {"x", "2", "4", "extra"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sheetData = %+v, want %+v", got, want)
	}
}

func TestFinishWord(t *testing.T) {
	t.Parallel()
	text := "Title Here\n\nSome text[pic] in a paragraph.\n\n|Cell 1 |Cell 2 |\n|Cell 3 |Cell 4 |\n\n-----------------------\n[1] A footnote.\n"
	doc, err := finishWord(&document.Document{}, text)
	if err != nil {
		t.Fatal(err)
	}
	kinds := make([]document.Kind, len(doc.Blocks))
	for i, b := range doc.Blocks {
		kinds[i] = b.Kind
	}
	want := []document.Kind{document.Heading, document.Paragraph, document.Table, document.Paragraph}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("kinds %v, want %v: %+v", kinds, want, doc.Blocks)
	}
	if got := doc.Blocks[2].Rows; !reflect.DeepEqual(got, [][]string{{"Cell 1", "Cell 2"}, {"Cell 3", "Cell 4"}}) {
		t.Errorf("rows %q", got)
	}
	if strings.Contains(doc.Text(), "[pic]") || strings.Contains(doc.Text(), "-----") {
		t.Errorf("markers left in %q", doc.Text())
	}
	if _, err := finishWord(&document.Document{}, "\n \n[pic]\n"); !errors.Is(err, document.ErrEmpty) {
		t.Errorf("blank text: %v, want ErrEmpty", err)
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHostile gives every extractor files that are not what they claim:
// each must end in a typed error.
func TestHostile(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	oleGarbage := append(append([]byte(nil), oleMagic...), random...)
	inputs := map[string][]byte{
		"zero":          nil,
		"random":        random,
		"ole garbage":   oleGarbage,
		"ole truncated": oleMagic,
		"text":          []byte("just some text, not a document\n"),
	}
	for _, ex := range Extractors(Options{ToolTimeout: 30 * time.Second}) {
		for name, data := range inputs {
			t.Run(ex.Name()+"/"+name, func(t *testing.T) {
				t.Parallel()
				path := writeFile(t, "x."+ex.Name(), data)
				_, err := ex.Extract(context.Background(), document.Input{Path: path, Name: "x." + ex.Name(), ContentType: ex.Types()[0]})
				if err == nil {
					t.Fatal("no error")
				}
				if reason := document.Reason(err); reason == "error" || reason == "timeout" {
					t.Fatalf("untyped error %v", err)
				}
			})
		}
	}
}

func TestToolMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	path := writeFile(t, "x.doc", append(append([]byte(nil), oleMagic...), make([]byte, 512)...))
	for _, ex := range Extractors(Options{}) {
		_, err := ex.Extract(context.Background(), document.Input{Path: path})
		if !errors.Is(err, document.ErrToolMissing) {
			t.Errorf("%s: %v, want ErrToolMissing", ex.Name(), err)
		}
	}
}
