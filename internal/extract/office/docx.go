package office

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// docx extracts WordprocessingML documents (.docx, .docm, .dotx).
type docx struct{}

var _ document.Extractor = docx{}

func (docx) Name() string { return "docx" }

func (docx) Types() []string {
	return []string{
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.template",
		"application/vnd.ms-word.document.macroEnabled.12",
		"application/vnd.ms-word.template.macroEnabled.12",
	}
}

func (x docx) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	a, err := openArchive(in)
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	defer a.Close()
	main, err := a.mainPart("word/document.xml")
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	doc := &document.Document{ContentType: in.ContentType, Handler: x.Name()}
	rels, err := a.rels(main)
	if err != nil {
		doc.Warnings = append(doc.Warnings, err.Error())
	}
	st := readStyles(a, relTarget(rels, "styles"), doc)
	b := &builder{}
	if err := walkPart(a, main, func(r io.Reader) error { return walkWord(r, st, b, true) }); err != nil {
		if isLimitErr(err) || len(b.blocks) == 0 && b.list == nil {
			return nil, fmt.Errorf("docx: %w", err)
		}
		doc.Warnings = append(doc.Warnings, "document body: "+err.Error())
	}
	b.closeList()
	b.section = []string{}
	for _, kind := range []string{"footnotes", "endnotes", "comments"} {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("docx: %w", err)
		}
		part := relTarget(rels, kind)
		if part == "" || !a.has(part) {
			continue
		}
		if err := walkPart(a, part, func(r io.Reader) error { return walkWord(r, st, b, false) }); err != nil {
			if isLimitErr(err) {
				return nil, fmt.Errorf("docx: %w", err)
			}
			doc.Warnings = append(doc.Warnings, kind+": "+err.Error())
		}
	}
	doc.Blocks = b.done()
	readCoreProps(a, doc)
	return finish(doc, "docx")
}

// walkPart opens a part and runs fn on it.
func walkPart(a *archive, part string, fn func(io.Reader) error) error {
	rc, err := a.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	return xmlErr(part, fn(rc))
}

// finish normalizes doc and reports ErrEmpty when it holds no text.
func finish(doc *document.Document, handler string) (*document.Document, error) {
	doc.Normalize()
	if len(doc.Blocks) == 0 {
		return nil, fmt.Errorf("%s: %w", handler, document.ErrEmpty)
	}
	return doc, nil
}

// wstyle is one paragraph style of styles.xml.
type wstyle struct {
	name, basedOn string
	outline       int // outline level 0-8, -1 when unset
	numbered      bool
}

// styles maps style ids to styles.
type styles map[string]wstyle

// readStyles reads the style definitions; a broken part only warns.
func readStyles(a *archive, part string, doc *document.Document) styles {
	if part == "" {
		part = "word/styles.xml"
	}
	st := styles{}
	if !a.has(part) {
		return st
	}
	err := walkPart(a, part, func(r io.Reader) error { return parseStyles(r, st) })
	if err != nil {
		doc.Warnings = append(doc.Warnings, "styles: "+err.Error())
	}
	return st
}

// parseStyles reads w:style elements into st.
func parseStyles(r io.Reader, st styles) error {
	d := newDecoder(r)
	var id string
	var cur wstyle
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
			switch t.Name.Local {
			case "style":
				id, cur = attr(t, "styleId"), wstyle{outline: -1}
			case "name":
				cur.name = attr(t, "val")
			case "basedOn":
				cur.basedOn = attr(t, "val")
			case "outlineLvl":
				cur.outline = atoi(attr(t, "val"), -1)
			case "numId":
				cur.numbered = attr(t, "val") != "0"
			case "rPr", "tblPr", "trPr", "tcPr", "tblStylePr":
				if err := d.Skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if t.Name.Local == "style" && id != "" {
				st[id] = cur
				id = ""
			}
		}
	}
}

// heading returns the heading level (1-9) a paragraph style implies, or 0.
func (st styles) heading(id string) int {
	for range 10 { // basedOn chains are short; this also stops cycles
		s, ok := st[id]
		if lvl := headingName(id); lvl > 0 {
			return lvl
		}
		if !ok {
			return 0
		}
		if lvl := headingName(s.name); lvl > 0 {
			return lvl
		}
		if s.outline >= 0 && s.outline < 9 {
			return s.outline + 1
		}
		id = s.basedOn
	}
	return 0
}

// numbered reports whether a paragraph style carries list numbering.
func (st styles) numbered(id string) bool {
	for range 10 {
		s, ok := st[id]
		if !ok {
			return false
		}
		if s.numbered {
			return true
		}
		id = s.basedOn
	}
	return false
}

// headingName recognises built-in heading style names and ids in
// English and German ("heading 1", "Heading1", "Überschrift 2", whose id
// Word writes as "berschrift2"), and "Title".
func headingName(name string) int {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	switch n {
	case "title", "titel":
		return 1
	}
	for _, p := range []string{"heading", "überschrift", "berschrift"} {
		if rest, ok := strings.CutPrefix(n, p); ok && len(rest) == 1 && rest[0] >= '1' && rest[0] <= '9' {
			return int(rest[0] - '0')
		}
	}
	return 0
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func atoi(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// wpara is a paragraph being read.
type wpara struct {
	text    strings.Builder
	style   string
	outline int
	numID   string
	ilvl    int
	page    int // page of its first text; 0 before
}

// wtable is a table being read.
type wtable struct {
	rows [][]string
	row  []string
	cell *strings.Builder
	span int
	page int // page the table starts on
}

// wordWalker turns a WordprocessingML body (or notes, comments) into
// blocks.
type wordWalker struct {
	st        styles
	b         *builder
	paras     []*wpara
	tables    []*wtable
	inText    bool
	inPPr     bool
	pages     bool // count pages (body only)
	page      int
	justBroke bool
}

// wordSkip are elements whose content is not document text: property
// change history, moved-away and deleted runs, fallbacks that repeat
// the preferred alternative, content-control properties.
var wordSkip = map[string]bool{
	"Fallback": true, "pPrChange": true, "rPrChange": true, "sectPrChange": true,
	"tblPrChange": true, "trPrChange": true, "tcPrChange": true, "moveFrom": true,
	"del": true, "sdtPr": true, "instrText": true, "delText": true,
}

// walkWord reads one WordprocessingML part into b. pages says whether
// page breaks count (blocks get Page ≥ 1) or not (Page 0).
func walkWord(r io.Reader, st styles, b *builder, pages bool) error {
	w := &wordWalker{st: st, b: b, pages: pages}
	if pages {
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
			if wordSkip[t.Name.Local] {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			w.start(t)
		case xml.EndElement:
			w.end(t.Name.Local)
		case xml.CharData:
			if w.inText {
				w.write(string(t))
			}
		}
	}
}

func (w *wordWalker) para() *wpara {
	if len(w.paras) == 0 {
		return nil
	}
	return w.paras[len(w.paras)-1]
}

func (w *wordWalker) table() *wtable {
	if len(w.tables) == 0 {
		return nil
	}
	return w.tables[len(w.tables)-1]
}

// write appends run text to the open paragraph.
func (w *wordWalker) write(s string) {
	p := w.para()
	if p == nil {
		return
	}
	if p.page == 0 && strings.TrimSpace(s) != "" {
		p.page = w.page
		w.justBroke = false
	}
	if p.text.Len() < 1<<24 {
		p.text.WriteString(s)
	}
}

func (w *wordWalker) start(t xml.StartElement) {
	p := w.para()
	switch t.Name.Local {
	case "p":
		w.paras = append(w.paras, &wpara{outline: -1})
	case "pPr":
		w.inPPr = true
	case "pStyle":
		if p != nil && w.inPPr {
			p.style = attr(t, "val")
		}
	case "outlineLvl":
		if p != nil && w.inPPr {
			p.outline = atoi(attr(t, "val"), -1)
		}
	case "numId":
		if p != nil && w.inPPr {
			p.numID = attr(t, "val")
		}
	case "ilvl":
		if p != nil && w.inPPr {
			p.ilvl = min(max(atoi(attr(t, "val"), 0), 0), 8)
		}
	case "pageBreakBefore":
		if p != nil && w.inPPr && attr(t, "val") != "0" && attr(t, "val") != "false" {
			w.pageBreak(false)
		}
	case "t":
		w.inText = true
	case "tab":
		if !w.inPPr {
			w.write("\t")
		}
	case "br":
		if attr(t, "type") == "page" {
			w.pageBreak(false)
		} else if !w.inPPr {
			w.write("\n")
		}
	case "cr":
		w.write("\n")
	case "noBreakHyphen":
		w.write("-")
	case "lastRenderedPageBreak":
		w.pageBreak(true)
	case "tbl":
		w.tables = append(w.tables, &wtable{page: w.page})
	case "tr":
		if tb := w.table(); tb != nil {
			tb.row = nil
		}
	case "tc":
		if tb := w.table(); tb != nil {
			tb.cell, tb.span = &strings.Builder{}, 1
		}
	case "gridSpan":
		if tb := w.table(); tb != nil && tb.cell != nil {
			tb.span = min(max(atoi(attr(t, "val"), 1), 1), 64)
		}
	}
}

// pageBreak advances the page. A rendered break right after an explicit
// one marks the same break and is not counted again.
func (w *wordWalker) pageBreak(rendered bool) {
	if !w.pages || (rendered && w.justBroke) {
		return
	}
	w.page++
	w.justBroke = !rendered
}

func (w *wordWalker) end(local string) {
	switch local {
	case "t":
		w.inText = false
	case "pPr":
		w.inPPr = false
	case "p":
		if p := w.para(); p != nil {
			w.paras = w.paras[:len(w.paras)-1]
			w.endPara(p)
		}
	case "tc":
		if tb := w.table(); tb != nil && tb.cell != nil {
			tb.row = append(tb.row, tb.cell.String())
			for range tb.span - 1 {
				tb.row = append(tb.row, "")
			}
			tb.cell = nil
		}
	case "tr":
		if tb := w.table(); tb != nil {
			tb.rows = append(tb.rows, tb.row)
			tb.row = nil
		}
	case "tbl":
		if tb := w.table(); tb != nil {
			w.tables = w.tables[:len(w.tables)-1]
			w.endTable(tb)
		}
	}
}

// endPara routes a finished paragraph: into the enclosing table cell,
// or as a heading, list item or paragraph block.
func (w *wordWalker) endPara(p *wpara) {
	text := p.text.String()
	if tb := w.table(); tb != nil && tb.cell != nil {
		if tb.cell.Len() > 0 && strings.TrimSpace(text) != "" {
			tb.cell.WriteByte('\n')
		}
		tb.cell.WriteString(strings.TrimSpace(text))
		return
	}
	page := p.page
	if page == 0 {
		page = w.page
	}
	level := 0
	if p.outline >= 0 && p.outline < 9 {
		level = p.outline + 1
	} else if p.style != "" {
		level = w.st.heading(p.style)
	}
	numbered := p.numID != "" && p.numID != "0" || p.numID == "" && p.style != "" && w.st.numbered(p.style)
	switch {
	case level > 0:
		w.b.text(text, level, page)
	case numbered:
		w.b.item(text, p.ilvl+1, page)
	default:
		if strings.TrimSpace(text) != "" {
			w.b.text(text, 0, page)
		}
	}
}

// endTable adds a finished table, or for a nested table its text to the
// enclosing cell.
func (w *wordWalker) endTable(tb *wtable) {
	if outer := w.table(); outer != nil && outer.cell != nil {
		if outer.cell.Len() > 0 {
			outer.cell.WriteByte('\n')
		}
		outer.cell.WriteString(document.RenderRows(trimRows(tb.rows)))
		return
	}
	// Word marks repeated header rows (tblHeader), but most tables have
	// their column names in the first row without saying so.
	w.b.table(tb.rows, true, tb.page)
}
