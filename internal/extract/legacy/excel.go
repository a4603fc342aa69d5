package legacy

import (
	"context"
	"fmt"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// excelExtractor reads .xls files with xls2csv.
type excelExtractor struct{ opts Options }

var _ document.Extractor = (*excelExtractor)(nil)

// Name identifies the extractor in job status.
func (e *excelExtractor) Name() string { return "xls" }

// Types are the Excel MIME types.
func (e *excelExtractor) Types() []string { return []string{"application/vnd.ms-excel"} }

// Extract returns every sheet of the Excel file at in.Path as a table
// block (Page is the sheet's number) and a Data table named "Sheet N"
// (xls2csv does not print sheet names) whose columns are the first
// row. It returns ErrUnsupported for Excel 2–4 files (not OLE2),
// ErrEncrypted for a password-protected workbook, ErrCorrupt for other
// files xls2csv cannot read, ErrEmpty when no cell has text,
// ErrToolMissing without xls2csv and ErrTimeout when it runs too long.
func (e *excelExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	head, err := readHead(in.Path, 8)
	if err != nil {
		return nil, err
	}
	if !isOLE(head) {
		if isBIFF(head) {
			return nil, fmt.Errorf("%w: xls: Excel 2-4 worksheet (not OLE2), which xls2csv does not read", document.ErrUnsupported)
		}
		return nil, fmt.Errorf("%w: xls: not an OLE2 file", document.ErrCorrupt)
	}
	if !haveTool("xls2csv") {
		return nil, fmt.Errorf("%w: xls2csv (install catdoc)", document.ErrToolMissing)
	}
	res, err := runTool(ctx, e.opts.ToolTimeout, "xls2csv", "-x", "-c,", "-q3", "-d", "utf-8", in.Path)
	if err != nil {
		return nil, err
	}
	msg := strings.ToLower(res.stderr)
	switch {
	case strings.Contains(msg, "encrypt") || strings.Contains(msg, "password"):
		return nil, fmt.Errorf("%w: xls: xls2csv: %s", document.ErrEncrypted, firstLine(res.stderr))
	case strings.Contains(msg, "not ole file"):
		return nil, fmt.Errorf("%w: xls: xls2csv: %s", document.ErrCorrupt, firstLine(res.stderr))
	case res.err != nil:
		return nil, fmt.Errorf("%w: xls: xls2csv: %v: %s", document.ErrCorrupt, res.err, firstLine(res.stderr))
	}
	doc := newDoc(in, "application/vnd.ms-excel", "xls2csv")
	sheets := ParseSheets(res.stdout)
	for i, rows := range sheets {
		rows = trimRows(rows)
		if len(rows) == 0 {
			continue
		}
		doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Table, Rows: rows, Header: len(rows) > 1, Page: i + 1})
		doc.Data = append(doc.Data, sheetData(fmt.Sprintf("Sheet %d", i+1), rows))
	}
	doc.Metadata["sheets"] = fmt.Sprint(len(sheets))
	doc.Normalize()
	if len(doc.Blocks) == 0 {
		return nil, fmt.Errorf("%w: xls: no cell has text", document.ErrEmpty)
	}
	return doc, nil
}

// isBIFF reports whether head starts with the BOF record of an Excel
// 2, 3 or 4 worksheet, which is a bare BIFF stream rather than OLE2.
func isBIFF(head []byte) bool {
	return len(head) >= 4 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04)
}

// ParseSheets parses xls2csv output: comma-separated cells, quoted with
// double quotes (doubled inside), rows ending in newlines, sheets ending
// in a form feed at the start of a line. Newlines and form feeds inside
// quotes belong to the cell. Malformed quoting never fails: a stray
// quote is taken literally and an unterminated cell runs to the end.
func ParseSheets(out string) [][][]string {
	var sheets [][][]string
	var rows [][]string
	var row []string
	var cell strings.Builder
	quoted, inQuotes, rowStarted := false, false, false
	endCell := func() {
		row = append(row, cell.String())
		cell.Reset()
		quoted = false
	}
	endRow := func() {
		if rowStarted || cell.Len() > 0 || quoted {
			endCell()
			rows = append(rows, row)
		}
		row, rowStarted = nil, false
	}
	for i := 0; i < len(out); i++ {
		c := out[i]
		if inQuotes {
			switch {
			case c == '"' && i+1 < len(out) && out[i+1] == '"':
				cell.WriteByte('"')
				i++
			case c == '"':
				inQuotes = false
			default:
				cell.WriteByte(c)
			}
			continue
		}
		switch c {
		case '"':
			if cell.Len() == 0 && !quoted {
				inQuotes, quoted, rowStarted = true, true, true
			} else {
				cell.WriteByte(c)
			}
		case ',':
			endCell()
			rowStarted = true
		case '\r':
		case '\n':
			endRow()
		case '\f':
			endRow()
			sheets = append(sheets, rows)
			rows = nil
		default:
			cell.WriteByte(c)
			rowStarted = true
		}
	}
	endRow()
	if len(rows) > 0 {
		sheets = append(sheets, rows)
	}
	return sheets
}

// trimRows drops empty trailing cells, then empty rows.
func trimRows(rows [][]string) [][]string {
	var out [][]string
	for _, r := range rows {
		n := len(r)
		for n > 0 && strings.TrimSpace(r[n-1]) == "" {
			n--
		}
		if n > 0 {
			out = append(out, r[:n])
		}
	}
	return out
}

// sheetData makes a Data table of rows: the first row names the
// columns (blank names become "column_N"), and every row is padded to
// the widest row.
func sheetData(name string, rows [][]string) document.Data {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	cols := pad(rows[0], width)
	for i, c := range cols {
		if c = strings.TrimSpace(c); c == "" {
			c = fmt.Sprintf("column_%d", i+1)
		}
		cols[i] = c
	}
	data := document.Data{Name: name, Columns: cols}
	for _, r := range rows[1:] {
		data.Rows = append(data.Rows, pad(r, width))
	}
	return data
}

func pad(r []string, width int) []string {
	out := make([]string, width)
	copy(out, r)
	return out
}
