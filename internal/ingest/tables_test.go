package ingest

import (
	"testing"
	"time"

	"github.com/zero711/brain/internal/delta"
	"github.com/zero711/brain/internal/document"
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
