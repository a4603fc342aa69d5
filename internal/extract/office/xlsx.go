package office

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/zero711/brain/internal/document"
)

// xlsx extracts SpreadsheetML workbooks with excelize's streaming row
// reader: one heading, table blocks and a Data table per sheet.
type xlsx struct{}

var _ document.Extractor = xlsx{}

func (xlsx) Name() string { return "xlsx" }

func (xlsx) Types() []string {
	return []string{
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.template",
		"application/vnd.ms-excel.sheet.macroEnabled.12",
		"application/vnd.ms-excel.template.macroEnabled.12",
	}
}

func (x xlsx) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	doc := &document.Document{ContentType: in.ContentType, Handler: x.Name()}
	if err := x.check(in, doc); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	limit := in.Limits.MaxExpandedBytes
	if limit <= 0 {
		limit = document.DefaultLimits.MaxExpandedBytes
	}
	f, err := excelize.OpenFile(in.Path, excelize.Options{
		UnzipSizeLimit:    limit,
		UnzipXMLSizeLimit: min(limit, 16<<20),
		// The locale's short date (built-in formats 14 and 22) as ISO
		// dates, which the lakehouse loader types without guessing.
		ShortDatePattern: "yyyy-mm-dd",
	})
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", excelizeErr(err))
	}
	defer f.Close()
	names := f.GetSheetList()
	for i, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		s := &sheet{name: name, page: i + 1}
		if err := readSheet(f, s); err != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("sheet %q: %v", name, err))
		}
		s.emit(doc)
	}
	setMeta(doc, "sheets", strconv.Itoa(len(names)))
	if len(doc.Data) == 0 {
		return nil, fmt.Errorf("xlsx: %w: no sheet holds cells", document.ErrEmpty)
	}
	return finish(doc, "xlsx")
}

// check opens the package with our own zip reader first: it classifies
// encrypted and binary (xlsb) workbooks, bounds every part's expanded
// size before excelize reads it into memory, and reads the properties.
func (xlsx) check(in document.Input, doc *document.Document) error {
	a, err := openArchive(in)
	if err != nil {
		return err
	}
	defer a.Close()
	main, err := a.mainPart("xl/workbook.xml")
	if err != nil {
		return err
	}
	if main == "xl/workbook.bin" || a.has("xl/workbook.bin") {
		return fmt.Errorf("%w: binary workbook (xlsb)", document.ErrUnsupported)
	}
	var total uint64
	for _, f := range a.zr.File {
		if f.UncompressedSize64 > uint64(a.partMax) {
			return fmt.Errorf("%w: part %s expands to %d bytes", document.ErrTooLarge, f.Name, f.UncompressedSize64)
		}
		total += f.UncompressedSize64
	}
	if total > uint64(a.budget) {
		return fmt.Errorf("%w: workbook expands to %d bytes", document.ErrTooLarge, total)
	}
	readCoreProps(a, doc)
	return nil
}

// readSheet streams a sheet's rows into s, with cells as displayed
// (number formats applied, cached formula results). A second iterator
// over the raw values runs in step, because excelize shows large
// numbers in the General format in exponent notation, which loses
// digits.
func readSheet(f *excelize.File, s *sheet) error {
	shown, err := f.Rows(s.name)
	if err != nil {
		return excelizeErr(err)
	}
	defer shown.Close()
	raw, err := f.Rows(s.name)
	if err != nil {
		return excelizeErr(err)
	}
	defer raw.Close()
	for shown.Next() {
		cols, err := shown.Columns()
		if err != nil {
			return excelizeErr(err)
		}
		if raw.Next() {
			if rawCols, err := raw.Columns(excelize.Options{RawCellValue: true}); err == nil {
				exactNumbers(cols, rawCols)
			}
		}
		if !s.addRow(cols) {
			break
		}
	}
	return excelizeErr(shown.Error())
}

// exactNumbers replaces cells shown in exponent notation by their raw
// value when that is a plain number.
func exactNumbers(cols, raw []string) {
	for i := range min(len(cols), len(raw)) {
		c, r := cols[i], raw[i]
		if c == r || !strings.ContainsAny(c, "Ee") || strings.ContainsAny(r, "Ee") {
			continue
		}
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			continue
		}
		if _, err := strconv.ParseFloat(r, 64); err == nil {
			cols[i] = r
		}
	}
}

// excelizeErr maps excelize's errors onto the typed errors.
func excelizeErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fmt.Errorf("%w: %v", document.ErrCorrupt, err)
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return fmt.Errorf("%w: %v", document.ErrEncrypted, err)
	case errors.Is(err, document.ErrTooLarge), errors.Is(err, document.ErrCorrupt):
		return err
	default:
		return fmt.Errorf("%w: %v", document.ErrCorrupt, err)
	}
}
