package text

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/document"
)

func TestJSONArrayOfFlatObjects(t *testing.T) {
	t.Parallel()
	src := `[{"name":"Äpfel","preis":1.5},{"name":"Birnen","bio":true},{"preis":2,"name":"Kirschen","note":null}]`
	doc := mustExtract(t, JSON(), "obst.json", "application/json", []byte(src))
	if len(doc.Data) != 1 {
		t.Fatalf("data = %+v", doc.Data)
	}
	d := doc.Data[0]
	if d.Name != "obst" || !slices.Equal(d.Columns, []string{"name", "preis", "bio", "note"}) {
		t.Errorf("name %q columns %q", d.Name, d.Columns)
	}
	want := [][]string{{"Äpfel", "1.5", "", ""}, {"Birnen", "", "true", ""}, {"Kirschen", "2", "", "null"}}
	for i := range want {
		if !slices.Equal(d.Rows[i], want[i]) {
			t.Errorf("row %d = %q, want %q", i, d.Rows[i], want[i])
		}
	}
	if tb := blocksOf(doc, document.Table); len(tb) != 1 || !tb[0].Header {
		t.Errorf("tables = %+v", tb)
	}
}

func TestJSONNested(t *testing.T) {
	t.Parallel()
	src := `{"titel":"Bericht","version":2,"autor":{"name":"Erika","orte":["Köln","Bonn"]},` +
		`"kapitel":[{"nr":1,"teile":{"a":"x"}},{"nr":2}],"zeilen":[{"k":"a","v":1},{"k":"b","v":2}]}`
	doc := mustExtract(t, JSON(), "bericht.json", "application/json", []byte(src))
	wantText(t, doc, []string{
		"titel: Bericht\nversion: 2",
		"autor.name: Erika\nautor.orte[0]: Köln\nautor.orte[1]: Bonn",
		"nr: 1\nteile.a: x", "nr: 2",
	})
	if len(doc.Data) != 1 || doc.Data[0].Name != "zeilen" || len(doc.Data[0].Rows) != 2 {
		t.Errorf("data = %+v", doc.Data)
	}
	var heads []string
	for _, h := range blocksOf(doc, document.Heading) {
		heads = append(heads, h.Text)
	}
	if !slices.Equal(heads, []string{"kapitel", "zeilen"}) {
		t.Errorf("headings = %q", heads)
	}
}

func TestNDJSON(t *testing.T) {
	t.Parallel()
	src := "{\"id\":1,\"text\":\"Größe\"}\n\n{\"id\":2,\"text\":\"Straße\"}\nnot json\n{\"id\":3}\n"
	doc := mustExtract(t, NDJSON(), "log.ndjson", "application/x-ndjson", []byte(src))
	if doc.Handler != "ndjson" || len(doc.Data) != 1 || len(doc.Data[0].Rows) != 3 {
		t.Fatalf("handler %q data %+v", doc.Handler, doc.Data)
	}
	if len(doc.Warnings) != 1 || !strings.Contains(doc.Warnings[0], "1 of 4 lines") {
		t.Errorf("warnings = %q", doc.Warnings)
	}
	// Concatenated values typed as JSON read the same way.
	doc = mustExtract(t, JSON(), "log.json", "application/json", []byte("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"))
	if len(doc.Data) != 1 || len(doc.Data[0].Rows) != 3 {
		t.Errorf("concatenated JSON: %+v", doc.Blocks)
	}
}

func TestJSONErrors(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat(`{"a":`, 500) + "1" + strings.Repeat("}", 500)
	tests := []struct {
		name, src string
		err       error
	}{
		{"invalid", `{"a": tru}`, document.ErrCorrupt},
		{"truncated", `[{"a":1},{"a":`, document.ErrCorrupt},
		{"trailing", `{"a":1} ]`, document.ErrCorrupt},
		{"empty", "  ", document.ErrEmpty},
		{"deep", deep, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := extractBytes(t, JSON(), tt.name+".json", "application/json", []byte(tt.src))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Warnings) == 0 || !strings.Contains(doc.Text(), "…") {
				t.Errorf("deep value not elided: warnings %q", doc.Warnings)
			}
		})
	}
	if _, err := extractBytes(t, NDJSON(), "bad.ndjson", "application/x-ndjson", []byte("x\ny\n")); !errors.Is(err, document.ErrCorrupt) {
		t.Errorf("all-bad NDJSON: err = %v", err)
	}
}
