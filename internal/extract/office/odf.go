package office

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// odfMode is the kind of OpenDocument, which decides what tables and
// pages mean.
type odfMode int

const (
	odfText odfMode = iota
	odfSpreadsheet
	odfPresentation
)

// odf extracts OpenDocument (and StarOffice 6/7) files of one kind.
type odf struct {
	name  string
	mode  odfMode
	types []string
}

var _ document.Extractor = odf{}

func (x odf) Name() string    { return x.name }
func (x odf) Types() []string { return x.types }

func (x odf) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	a, err := openArchive(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", x.name, err)
	}
	defer a.Close()
	if !a.has("content.xml") {
		return nil, fmt.Errorf("%s: %w: no content.xml", x.name, document.ErrCorrupt)
	}
	if err := odfEncrypted(a); err != nil {
		return nil, fmt.Errorf("%s: %w", x.name, err)
	}
	doc := &document.Document{ContentType: in.ContentType, Handler: x.name}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", x.name, err)
	}
	b := &builder{}
	err = walkPart(a, "content.xml", func(r io.Reader) error { return walkODF(r, x.mode, b, doc) })
	if err != nil {
		if isLimitErr(err) || len(b.blocks) == 0 && b.list == nil {
			return nil, fmt.Errorf("%s: %w", x.name, err)
		}
		doc.Warnings = append(doc.Warnings, "content.xml: "+err.Error())
	}
	doc.Blocks = b.done()
	readODFMeta(a, doc)
	return finish(doc, x.name)
}

// odfEncrypted returns ErrEncrypted when the manifest lists encryption
// data for content.xml.
func odfEncrypted(a *archive) error {
	const manifest = "META-INF/manifest.xml"
	if !a.has(manifest) {
		return nil
	}
	b, err := a.readSmall(manifest)
	if err != nil {
		return err
	}
	d := newDecoder(bytes.NewReader(b))
	entry := ""
	for {
		tok, err := d.Token()
		if err != nil {
			return nil // a broken manifest does not stop extraction
		}
		if t, ok := tok.(xml.StartElement); ok {
			switch t.Name.Local {
			case "file-entry":
				entry = attr(t, "full-path")
			case "encryption-data":
				if entry == "content.xml" {
					return fmt.Errorf("%w: encrypted OpenDocument", document.ErrEncrypted)
				}
			}
		}
	}
}

// opara is a paragraph, heading or drawing title being read.
type opara struct {
	text      strings.Builder
	heading   int
	caption   bool // svg:title or svg:desc of a drawing
	tables    int  // tables open when it started
	listDepth int
}

// otable is a table being read; in a spreadsheet a top-level table is a
// sheet.
type otable struct {
	row       []string
	cell      *strings.Builder
	colRepeat int
	rowRepeat int
	empty     int    // empty cells not yet materialised in the row
	sheet     *sheet // the rows read, within a sheet's budget
	isSheet   bool   // a spreadsheet's sheet, not a table in text
	page      int
}

// maxColumns bounds the cells of one row (Excel's column count), so
// that repeated empty columns are never expanded.
const maxColumns = 16384

// maxRowRepeat bounds how often one non-empty row is repeated.
const maxRowRepeat = 10_000

// odfSkip are elements without document text, or with text that is not
// content: change history, footnote marks, embedded binaries, forms.
var odfSkip = map[string]bool{
	"tracked-changes": true, "note-citation": true, "binary-data": true,
	"forms": true, "scripts": true, "event-listeners": true, "page-thumbnail": true,
}

// odfWalker turns an OpenDocument content.xml into blocks.
type odfWalker struct {
	mode      odfMode
	b         *builder
	doc       *document.Document
	paras     []*opara
	tables    []*otable
	listDepth int
	page      int
	sheets    int
	slide     *slideText
	notes     *slideText
	inNotes   bool
	frames    []bool // open draw:frames, true for a slide title frame
}

// walkODF reads content.xml into b; spreadsheet Data and warnings go to doc.
func walkODF(r io.Reader, mode odfMode, b *builder, doc *document.Document) error {
	w := &odfWalker{mode: mode, b: b, doc: doc}
	if mode == odfText {
		w.page = 1
	}
	d := newDecoder(r)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if odfSkip[t.Name.Local] {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			w.start(t)
		case xml.EndElement:
			w.end(t)
		case xml.CharData:
			w.write(string(t))
		}
	}
}

// target is the builder new blocks go to: the open slide's notes or
// content in a presentation, the document otherwise.
func (w *odfWalker) target() *builder {
	switch {
	case w.inNotes && w.notes != nil:
		return &w.notes.b
	case w.slide != nil:
		return &w.slide.b
	}
	return w.b
}

func (w *odfWalker) write(s string) {
	if len(w.paras) == 0 {
		return
	}
	if p := w.paras[len(w.paras)-1]; p.text.Len() < 1<<24 {
		p.text.WriteString(s)
	}
}

func (w *odfWalker) table() *otable {
	if len(w.tables) == 0 {
		return nil
	}
	return w.tables[len(w.tables)-1]
}

func (w *odfWalker) start(t xml.StartElement) {
	switch t.Name.Local {
	case "p", "h":
		p := &opara{tables: len(w.tables), listDepth: w.listDepth}
		if t.Name.Local == "h" {
			p.heading = max(atoi(attr(t, "outline-level"), 0), atoi(attr(t, "level"), 0), 1)
			p.heading = min(p.heading, 9)
		}
		w.paras = append(w.paras, p)
	case "title", "desc":
		if strings.Contains(t.Name.Space, "svg") {
			w.paras = append(w.paras, &opara{caption: true, tables: len(w.tables)})
		}
	case "s":
		w.write(strings.Repeat(" ", min(max(atoi(attr(t, "c"), 1), 1), 100)))
	case "tab", "tab-stop":
		w.write("\t")
	case "line-break":
		w.write("\n")
	case "soft-page-break":
		if w.mode == odfText && len(w.tables) == 0 {
			w.page++
		}
	case "list", "ordered-list", "unordered-list":
		w.listDepth++
	case "page":
		if w.mode == odfPresentation && w.slide == nil {
			w.page++
			w.slide, w.notes = &slideText{}, &slideText{}
		}
	case "notes":
		w.inNotes = true
	case "frame":
		w.frames = append(w.frames, attr(t, "class") == "title" && !w.inNotes)
	case "table":
		w.startTable(t)
	case "table-row":
		if tb := w.table(); tb != nil {
			tb.row, tb.empty = nil, 0
			tb.rowRepeat = min(max(atoi(attr(t, "number-rows-repeated"), 1), 1), maxRowRepeat)
		}
	case "table-cell", "covered-table-cell":
		if tb := w.table(); tb != nil {
			tb.cell = &strings.Builder{}
			tb.colRepeat = min(max(atoi(attr(t, "number-columns-repeated"), 1), 1), maxColumns)
		}
	}
}

func (w *odfWalker) startTable(t xml.StartElement) {
	tb := &otable{page: w.page, sheet: &sheet{}}
	if w.mode == odfSpreadsheet && len(w.tables) == 0 {
		tb.isSheet = true
		w.sheets++
		tb.sheet = &sheet{name: attr(t, "name"), page: w.sheets}
		if tb.sheet.name == "" {
			tb.sheet.name = fmt.Sprintf("Sheet%d", w.sheets)
		}
	}
	w.tables = append(w.tables, tb)
}

func (w *odfWalker) end(t xml.EndElement) {
	switch t.Name.Local {
	case "p", "h":
		w.endPara()
	case "title", "desc":
		if strings.Contains(t.Name.Space, "svg") {
			w.endPara()
		}
	case "list", "ordered-list", "unordered-list":
		w.listDepth = max(w.listDepth-1, 0)
		if w.listDepth == 0 {
			w.target().closeList()
		}
	case "notes":
		w.inNotes = false
	case "frame":
		if len(w.frames) > 0 {
			w.frames = w.frames[:len(w.frames)-1]
		}
		w.target().closeList()
	case "page":
		w.endSlide()
	case "table-cell", "covered-table-cell":
		w.endCell()
	case "table-row":
		w.endRow()
	case "table":
		w.endTable()
	}
}

// inTitle reports whether a slide title frame is open.
func (w *odfWalker) inTitle() bool {
	for _, t := range w.frames {
		if t {
			return true
		}
	}
	return false
}

func (w *odfWalker) endPara() {
	if len(w.paras) == 0 {
		return
	}
	p := w.paras[len(w.paras)-1]
	w.paras = w.paras[:len(w.paras)-1]
	text := strings.TrimSpace(p.text.String())
	if tb := w.table(); tb != nil && tb.cell != nil && p.tables == len(w.tables) {
		if tb.cell.Len() > 0 && text != "" {
			tb.cell.WriteByte('\n')
		}
		tb.cell.WriteString(text)
		return
	}
	if text == "" {
		return
	}
	page := w.page
	b := w.target()
	switch {
	case p.heading > 0:
		b.text(text, p.heading, page)
	case p.caption:
		b.text(text, 0, page)
	case w.slide != nil && !w.inNotes && w.inTitle():
		w.slide.title = strings.TrimSpace(w.slide.title + " " + text)
	case p.listDepth > 0:
		b.item(text, p.listDepth, page)
	default:
		b.text(text, 0, page)
	}
}

func (w *odfWalker) endCell() {
	tb := w.table()
	if tb == nil || tb.cell == nil {
		return
	}
	text := strings.TrimSpace(tb.cell.String())
	tb.cell = nil
	if text == "" {
		tb.empty += tb.colRepeat
		return
	}
	for ; tb.empty > 0 && len(tb.row) < maxColumns; tb.empty-- {
		tb.row = append(tb.row, "")
	}
	tb.empty = 0
	for n := 0; n < tb.colRepeat && len(tb.row) < maxColumns; n++ {
		tb.row = append(tb.row, text)
	}
}

func (w *odfWalker) endRow() {
	tb := w.table()
	if tb == nil {
		return
	}
	row := trimRow(tb.row)
	tb.row = nil
	if len(row) == 0 {
		return // repeated empty rows are never expanded
	}
	for range tb.rowRepeat {
		if !tb.sheet.addRow(append([]string(nil), row...)) {
			return
		}
	}
}

func (w *odfWalker) endTable() {
	tb := w.table()
	if tb == nil {
		return
	}
	w.tables = w.tables[:len(w.tables)-1]
	if tb.isSheet {
		w.emitSheet(tb.sheet)
		return
	}
	if tb.sheet.truncated {
		w.doc.Warnings = append(w.doc.Warnings, fmt.Sprintf("table truncated after %d cells", tb.sheet.cells))
	}
	rows := tb.sheet.rows
	if outer := w.table(); outer != nil && outer.cell != nil {
		if outer.cell.Len() > 0 {
			outer.cell.WriteByte('\n')
		}
		if outer.cell.Len() < maxSheetBytes {
			outer.cell.WriteString(document.RenderRows(rows))
		}
		return
	}
	page := tb.page
	if w.mode == odfSpreadsheet {
		page = w.sheets
	}
	w.target().table(rows, true, page)
}

// emitSheet adds a finished sheet's blocks and data.
func (w *odfWalker) emitSheet(s *sheet) {
	tmp := &document.Document{}
	s.emit(tmp)
	for _, bl := range tmp.Blocks {
		w.b.add(bl)
	}
	w.doc.Data = append(w.doc.Data, tmp.Data...)
	w.doc.Warnings = append(w.doc.Warnings, tmp.Warnings...)
}

// endSlide adds a finished presentation page like a PPTX slide.
func (w *odfWalker) endSlide() {
	if w.slide == nil {
		return
	}
	s, notes := w.slide, w.notes
	w.slide, w.notes, w.inNotes, w.frames = nil, nil, false, nil
	var section []string
	if title := strings.Join(strings.Fields(s.title), " "); title != "" {
		w.b.add(document.Block{Kind: document.Heading, Level: 1, Text: title, Page: w.page})
	} else {
		section = []string{}
	}
	for _, bl := range append(s.b.done(), notes.b.done()...) {
		bl.Page = w.page
		if bl.Section == nil && section != nil {
			bl.Section = section
		}
		w.b.add(bl)
	}
}
