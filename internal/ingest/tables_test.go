package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/delta"
	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/lakehouse"
)

func TestMakeTable(t *testing.T) {
	d := document.Data{Name: "Tabelle 1", Columns: []string{"Artikel-Nr.", "Preis (€)", "Menge", "Datum", "aktiv", "", "Menge"},
		Rows: [][]string{
			{"00123", "1.234,56", "3", "31.12.2024", "true", "x", "1"},
			{"00456", "7,5", "", "01.01.2025", "FALSE", "y", "2"},
		}}
	tb := makeTable("Preisliste Größe.xlsx", "", d)
	if tb.name != "t_preisliste_groesse_tabelle_1" {
		t.Errorf("name %q", tb.name)
	}
	want := []struct {
		name string
		typ  delta.PrimitiveType
	}{{"artikel_nr", delta.TypeString}, {"preis", delta.TypeDouble}, {"menge", delta.TypeLong},
		{"datum", delta.TypeDate}, {"aktiv", delta.TypeBoolean}, {"col_6", delta.TypeString}, {"menge_2", delta.TypeLong}}
	for i, w := range want {
		f := tb.schema.Fields[i]
		if f.Name != w.name || f.Type != w.typ {
			t.Errorf("column %d = %s %s, want %s %s", i, f.Name, f.Type, w.name, w.typ)
		}
	}
	r := tb.rows[0]
	if r["artikel_nr"] != "00123" || r["preis"] != 1234.56 || r["menge"] != int64(3) || r["aktiv"] != true ||
		!r["datum"].(time.Time).Equal(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("row 0 = %v", r)
	}
	if tb.rows[1]["menge"] != nil || tb.rows[1]["preis"] != 7.5 {
		t.Errorf("row 1 = %v", tb.rows[1])
	}
}

func TestCellType(t *testing.T) {
	for v, want := range map[string]delta.PrimitiveType{
		"42": delta.TypeLong, "-7": delta.TypeLong, "007": delta.TypeString, "1,234.5": delta.TypeDouble,
		"1.234,5": delta.TypeDouble, "3.14": delta.TypeDouble, "2024-02-30": delta.TypeString, "2024-02-29": delta.TypeDate,
		"1.2.3": delta.TypeString, "true": delta.TypeBoolean, "abc": delta.TypeString, "1e5": delta.TypeDouble,
	} {
		if got := cellType(v); got != want {
			t.Errorf("cellType(%q) = %s, want %s", v, got, want)
		}
	}
}

// FuzzMakeTable types arbitrary cells: no panic, valid names, every
// value of the declared type or nil.
func FuzzMakeTable(f *testing.F) {
	f.Add("Preis,Datum\n1.234,56,31.12.2024\n7,x")
	f.Add("a\n00123\n\n")
	f.Add(",,,\n1,2,3,4,5")
	f.Fuzz(func(t *testing.T, raw string) {
		lines := strings.Split(raw, "\n")
		d := document.Data{Name: lines[0], Columns: strings.Split(lines[0], ",")}
		for _, l := range lines[1:] {
			d.Rows = append(d.Rows, strings.Split(l, ","))
		}
		tb := makeTable(raw, "", d)
		if err := lakehouse.ValidateTableName(tb.name); err != nil {
			t.Fatalf("table name %q: %v", tb.name, err)
		}
		seen := map[string]bool{}
		for _, fl := range tb.schema.Fields {
			if fl.Name == "" || seen[fl.Name] {
				t.Fatalf("column names %v", tb.schema.Fields)
			}
			seen[fl.Name] = true
		}
		for _, r := range tb.rows {
			for _, fl := range tb.schema.Fields {
				v, ok := r[fl.Name]
				if !ok || v == nil {
					continue
				}
				switch fl.Type {
				case delta.TypeLong:
					_, ok = v.(int64)
				case delta.TypeDouble:
					_, ok = v.(float64)
				case delta.TypeBoolean:
					_, ok = v.(bool)
				case delta.TypeDate:
					_, ok = v.(time.Time)
				default:
					_, ok = v.(string)
				}
				if !ok {
					t.Fatalf("column %s of type %s holds %T", fl.Name, fl.Type, v)
				}
			}
		}
	})
}
