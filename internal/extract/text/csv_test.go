package text

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/zero711/brain/internal/document"
)

func TestSniffDialect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, sample string
		preferTab    bool
		want         dialect
	}{
		{"comma", "a,b,c\n1,2,3\n4,5,6\n", false, dialect{',', '"', true}},
		{"semicolon-decimal-comma", "Name;Preis\nApfel;1,50\nBirne;2,00\n", false, dialect{';', '"', true}},
		{"tab", "x\ty\n1\t2\n", false, dialect{'\t', '"', true}},
		{"tab-with-commas", "Doe, John\t42\nRoe, Jane\t17\n", true, dialect{'\t', '"', false}},
		{"pipe", "a|b\n1|2\n3|4\n", false, dialect{'|', '"', true}},
		{"no-header", "1,2,3\n4,5,6\n", false, dialect{',', '"', false}},
		{"single-quotes", "'a','b'\n'1','2'\n", false, dialect{',', '\'', true}},
		{"one-column", "Zeile\nNoch eine\n", false, dialect{',', '"', true}},
		{"quoted-newline", "\"a\";\"b\"\n\"x\ny\";\"2\"\n\"z\";\"3\"\n", false, dialect{';', '"', true}},
	}
	for _, tt := range tests {
		if got := sniffDialect(tt.sample, tt.preferTab); got != tt.want {
			t.Errorf("%s: sniffDialect = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestCSVSemicolonQuotedNewlines(t *testing.T) {
	t.Parallel()
	src := "Artikel;Beschreibung;Preis\n\"Äpfel\";\"rot;\nund süß\";\"1,50\"\nBirnen;\"grün\";2,00\n"
	latin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(src))
	for name, data := range map[string][]byte{"utf8": []byte(src), "latin1": latin1} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := mustExtract(t, CSV(), "preise.csv", "text/csv", data)
			if len(doc.Data) != 1 {
				t.Fatalf("data = %+v", doc.Data)
			}
			d := doc.Data[0]
			if d.Name != "preise" || !slices.Equal(d.Columns, []string{"Artikel", "Beschreibung", "Preis"}) {
				t.Errorf("data name %q columns %q", d.Name, d.Columns)
			}
			if len(d.Rows) != 2 || d.Rows[0][1] != "rot;\nund süß" || d.Rows[1][2] != "2,00" {
				t.Errorf("rows = %q", d.Rows)
			}
			if doc.Metadata["delimiter"] != "semicolon" || doc.Handler != "csv" {
				t.Errorf("metadata %v handler %q", doc.Metadata, doc.Handler)
			}
		})
	}
}

func TestTSVAndChunks(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("id\tname\n")
	for i := range 120 {
		fmt.Fprintf(&b, "%d\tItem %d\n", i, i)
	}
	doc := mustExtract(t, CSV(), "items.tsv", "text/tab-separated-values", []byte(b.String()))
	tables := blocksOf(doc, document.Table)
	if len(tables) != 3 {
		t.Fatalf("got %d tables, want 3", len(tables))
	}
	for i, tb := range tables {
		if !tb.Header || !slices.Equal(tb.Rows[0], []string{"id", "name"}) {
			t.Errorf("table %d lacks the header: %q", i, tb.Rows[0])
		}
	}
	if n := len(tables[2].Rows); n != 21 {
		t.Errorf("last table has %d rows, want 21", n)
	}
	if d := doc.Data[0]; len(d.Rows) != 120 || d.Rows[119][1] != "Item 119" {
		t.Errorf("data rows = %d", len(d.Rows))
	}
}

func TestCSVNoHeaderAndRagged(t *testing.T) {
	t.Parallel()
	doc := mustExtract(t, CSV(), "zahlen.csv", "text/csv", []byte("1,2\n3,4,5\n\n6,7\n"))
	d := doc.Data[0]
	if !slices.Equal(d.Columns, []string{"column_1", "column_2", "column_3"}) || len(d.Rows) != 3 {
		t.Errorf("columns %q rows %q", d.Columns, d.Rows)
	}
	if tb := blocksOf(doc, document.Table); len(tb) != 1 || tb[0].Header {
		t.Errorf("tables = %+v", tb)
	}
}

func TestColumnNames(t *testing.T) {
	t.Parallel()
	got := columnNames([]string{"a", "", "a", " b "}, [][]string{{"1", "2", "3", "4", "5"}})
	want := []string{"a", "column_2", "a_2", "b", "column_5"}
	if !slices.Equal(got, want) {
		t.Errorf("columnNames = %q, want %q", got, want)
	}
}
