package office

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// builder collects blocks, grouping consecutive list items into one
// list block.
type builder struct {
	blocks []document.Block
	list   *document.Block // the list being filled, not yet in blocks
	base   int             // level of the open list's first item
	// section, when not nil, is set on every block added (used to keep
	// appended notes and untitled slides out of the previous heading).
	section []string
}

// add appends a block, closing any open list first.
func (b *builder) add(bl document.Block) {
	b.closeList()
	if b.section != nil && bl.Section == nil {
		bl.Section = b.section
	}
	b.blocks = append(b.blocks, bl)
}

// text adds a paragraph or, for level > 0, a heading.
func (b *builder) text(s string, level, page int) {
	if strings.TrimSpace(s) == "" {
		return
	}
	kind := document.Paragraph
	if level > 0 {
		kind = document.Heading
	}
	b.add(document.Block{Kind: kind, Level: level, Text: s, Page: page})
}

// item adds a list item at nesting level (1 is the outermost); nested
// items are indented by two spaces per level below the list's first.
func (b *builder) item(s string, level, page int) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	level = max(level, 1)
	if b.list == nil {
		b.list = &document.Block{Kind: document.List, Level: level, Page: page}
		b.base = level
		if b.section != nil {
			b.list.Section = b.section
		}
	}
	if level < b.list.Level {
		b.list.Level = level
	}
	if d := level - b.base; d > 0 {
		s = strings.Repeat("  ", d) + s
	}
	b.list.Items = append(b.list.Items, s)
}

// closeList moves the open list, if any, into the blocks.
func (b *builder) closeList() {
	if b.list != nil {
		b.blocks = append(b.blocks, *b.list)
		b.list = nil
	}
}

// done closes the open list and returns the blocks.
func (b *builder) done() []document.Block {
	b.closeList()
	return b.blocks
}

// table adds a table block; header says the first row names columns.
func (b *builder) table(rows [][]string, header bool, page int) {
	rows = trimRows(rows)
	if len(rows) == 0 {
		return
	}
	b.add(document.Block{Kind: document.Table, Rows: rows, Header: header && len(rows) > 1, Page: page})
}

// trimRows drops empty trailing cells and empty rows.
func trimRows(rows [][]string) [][]string {
	out := rows[:0]
	for _, r := range rows {
		r = trimRow(r)
		if len(r) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// trimRow trims the cells' whitespace and drops empty trailing cells.
func trimRow(r []string) []string {
	for i := range r {
		r[i] = strings.TrimSpace(r[i])
	}
	n := len(r)
	for n > 0 && r[n-1] == "" {
		n--
	}
	return r[:n]
}

// sheetChunkRows is the most data rows one table block of a sheet holds.
const sheetChunkRows = 50

// maxSheetCells bounds the cells read from one sheet (or table), and
// maxSheetBytes their text, which repeated cells and shared strings
// could otherwise multiply.
const (
	maxSheetCells = 1_000_000
	maxSheetBytes = 64 << 20
)

// sheet accumulates one spreadsheet sheet's non-empty rows.
type sheet struct {
	name      string
	page      int
	rows      [][]string
	cells     int
	bytes     int
	truncated bool
}

// addRow records a row unless it is empty; it returns false once the
// cell budget is exhausted.
func (s *sheet) addRow(r []string) bool {
	r = trimRow(r)
	if len(r) == 0 {
		return true
	}
	n := 0
	for _, c := range r {
		n += len(c)
	}
	if s.cells+len(r) > maxSheetCells || s.bytes+n > maxSheetBytes {
		s.truncated = true
		return false
	}
	s.cells += len(r)
	s.bytes += n
	s.rows = append(s.rows, r)
	return true
}

// emit adds the sheet's heading, table blocks and data to doc.
func (s *sheet) emit(doc *document.Document) {
	if s.truncated {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("sheet %q truncated after %d cells", s.name, s.cells))
	}
	doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Heading, Level: 1, Text: s.name, Page: s.page})
	if len(s.rows) == 0 {
		return
	}
	cols := columnNames(s.rows)
	data := s.rows[1:]
	for i := range data {
		if len(data[i]) < len(cols) {
			data[i] = append(data[i], make([]string, len(cols)-len(data[i]))...)
		}
	}
	header := s.rows[0]
	for start := 0; start < len(data) || start == 0; start += sheetChunkRows {
		end := min(start+sheetChunkRows, len(data))
		rows := make([][]string, 0, end-start+1)
		rows = append(rows, header)
		rows = append(rows, data[start:end]...)
		doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Table, Rows: rows, Header: len(rows) > 1, Page: s.page})
		if end == len(data) {
			break
		}
	}
	doc.Data = append(doc.Data, document.Data{Name: s.name, Columns: cols, Rows: data})
}

// columnNames derives unique, non-empty column names from the first row,
// widened to the longest row.
func columnNames(rows [][]string) []string {
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	cols := make([]string, width)
	seen := make(map[string]bool, width)
	next := make(map[string]int) // next suffix to try per name, so that many equal names stay linear
	for i := range cols {
		name := ""
		if i < len(rows[0]) {
			name = strings.Join(strings.Fields(rows[0][i]), " ")
		}
		if name == "" {
			name = "column_" + strconv.Itoa(i+1)
		}
		base := name
		for n := max(next[base], 2); seen[name]; n++ {
			name = base + "_" + strconv.Itoa(n)
			next[base] = n + 1
		}
		seen[name] = true
		cols[i] = name
	}
	return cols
}
