package office

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/zero711/brain/internal/document"
)

// xlsxFile writes a workbook with a small typed sheet, a sheet of 120
// rows and an empty sheet.
func xlsxFile(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Sales"))
	must(f.SetSheetRow("Sales", "A1", &[]any{"Product", "Price", "Date", "Price", ""}))
	must(f.SetSheetRow("Sales", "A2", &[]any{"Apple", 1.5, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)}))
	must(f.SetSheetRow("Sales", "A4", &[]any{"Pear", 123456789012345, time.Date(2023, 12, 24, 0, 0, 0, 0, time.UTC), nil, nil, "extra"}))
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	must(f.SetCellStyle("Sales", "C2", "C4", date))
	must(f.SetCellFormula("Sales", "B5", "B2*2"))
	must(f.SetCellValue("Sales", "B5", 3))
	_, err = f.NewSheet("Big")
	must(err)
	must(f.SetSheetRow("Big", "A1", &[]any{"n", "square"}))
	for i := 1; i <= 120; i++ {
		must(f.SetSheetRow("Big", fmt.Sprintf("A%d", i+1), &[]any{i, i * i}))
	}
	_, err = f.NewSheet("Empty")
	must(err)
	must(f.SetDocProps(&excelize.DocProperties{Title: "Book", Creator: "Ann"}))
	p := filepath.Join(t.TempDir(), "book.xlsx")
	must(f.SaveAs(p))
	return p
}

func TestXLSX(t *testing.T) {
	t.Parallel()
	doc, err := extract(t, "xlsx", xlsxFile(t))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Book" || doc.Author != "Ann" || doc.Metadata["sheets"] != "3" {
		t.Errorf("title %q author %q metadata %v", doc.Title, doc.Author, doc.Metadata)
	}
	if len(doc.Data) != 2 {
		t.Fatalf("got %d data tables, want 2", len(doc.Data))
	}
	sales := doc.Data[0]
	wantCols := []string{"Product", "Price", "Date", "Price_2", "column_5", "column_6"}
	wantRows := [][]string{
		{"Apple", "1.5", "2024-03-01", "", "", ""},
		{"Pear", "123456789012345", "2023-12-24", "", "", "extra"},
		{"", "3", "", "", "", ""},
	}
	if sales.Name != "Sales" || !reflect.DeepEqual(sales.Columns, wantCols) || !reflect.DeepEqual(sales.Rows, wantRows) {
		t.Errorf("Sales data = %q %q %q", sales.Name, sales.Columns, sales.Rows)
	}
	big := doc.Data[1]
	if len(big.Rows) != 120 || big.Rows[119][1] != "14400" {
		t.Errorf("Big data has %d rows, last %q", len(big.Rows), big.Rows[len(big.Rows)-1])
	}
	// Sales: heading + 1 table; Big: heading + 3 tables (50, 50, 20
	// rows plus the header); Empty: its heading.
	var kinds []string
	for _, b := range doc.Blocks {
		kinds = append(kinds, fmt.Sprintf("%s/p%d/%d", b.Kind, b.Page, len(b.Rows)))
		if b.Kind == document.Table && (!b.Header || b.Rows[0][0] != map[int]string{1: "Product", 2: "n"}[b.Page]) {
			t.Errorf("table without repeated header: %q", b.Rows[0])
		}
	}
	wantKinds := []string{"heading/p1/0", "table/p1/4", "heading/p2/0", "table/p2/51", "table/p2/51", "table/p2/21", "heading/p3/0"}
	if !reflect.DeepEqual(kinds, wantKinds) {
		t.Errorf("blocks = %v, want %v", kinds, wantKinds)
	}
	if s := doc.Blocks[5].Section; !reflect.DeepEqual(s, []string{"Big"}) {
		t.Errorf("section = %q", s)
	}
}

func TestColumnNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rows [][]string
		want []string
	}{
		{[][]string{{"a", "b"}}, []string{"a", "b"}},
		{[][]string{{"a", "", "a", "a"}}, []string{"a", "column_2", "a_2", "a_3"}},
		{[][]string{{"x"}, {"1", "2"}}, []string{"x", "column_2"}},
		{[][]string{{" two  words "}}, []string{"two words"}},
		{[][]string{{"column_2", ""}}, []string{"column_2", "column_2_2"}},
	} {
		if got := columnNames(tc.rows); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("columnNames(%q) = %q, want %q", tc.rows, got, tc.want)
		}
	}
}

func TestSheetCellCap(t *testing.T) {
	t.Parallel()
	s := &sheet{name: "S", page: 1}
	row := make([]string, 1000)
	for i := range row {
		row[i] = "x"
	}
	n := 0
	for s.addRow(append([]string(nil), row...)) {
		n++
	}
	if n != maxSheetCells/1000 || !s.truncated {
		t.Fatalf("accepted %d rows, truncated %v", n, s.truncated)
	}
	doc := &document.Document{}
	s.emit(doc)
	if len(doc.Warnings) != 1 {
		t.Errorf("warnings = %q", doc.Warnings)
	}
}
