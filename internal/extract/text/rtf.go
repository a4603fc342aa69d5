package text

import (
	"context"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/zero711/brain/internal/document"
)

// rtfSink says where a group's text goes.
type rtfSink uint8

const (
	sinkBody  rtfSink = iota // the document's paragraphs
	sinkNone                 // dropped (pictures, tables of fonts, colours…)
	sinkAux                  // headers, footers, footnotes: appended after the body
	sinkMeta                 // an \info field
	sinkFont                 // the font table: read charsets, drop names
	sinkStyle                // the stylesheet: read heading styles
)

// rtfGroup is the state a group inherits and a closing brace restores.
type rtfGroup struct {
	sink     rtfSink
	uprSink  rtfSink // the sink \ud restores inside \upr
	meta     string  // the \info field for sinkMeta
	font     int     // current font, -1 for the default
	uc       int     // characters to skip after \uN
	style    int     // paragraph style \sN
	outline  int     // \outlinelevelN + 1, 0 for none
	list     bool    // paragraph in a list (\lsN)
	intbl    bool    // paragraph in a table
	htmlrtf  bool    // inside \htmlrtf: RTF-only rendering of HTML mail
	info     bool    // inside \info
	inUpr    bool    // inside \upr's ANSI alternative
	styleDef int     // style being defined in the stylesheet, -1 none
	first    bool    // no token seen yet in this group
	starred  bool    // group began with \*
	dateLvl  int     // depth of the \creatim-like group, 0 none
}

// rtfParser turns RTF into blocks. It is a tokenizer and a group stack:
// control words change the state, text goes to the current sink.
type rtfParser struct {
	ctx    context.Context
	data   []byte
	pos    int
	cur    rtfGroup
	stack  []rtfGroup
	budget *budget
	done   bool
	err    error

	ansiCP  int
	defFont int
	fonts   map[int]int // font number → code page (0 = \ansicpg)
	fontID  int         // font being defined in the font table
	styles  map[int]int // paragraph style → heading level

	pending   []byte // code-page bytes not yet decoded
	pendingCP int
	skip      int  // characters still to skip after \uN
	high      rune // unpaired high surrogate from \uN
	tokens    int

	para      strings.Builder // body paragraph being gathered
	aux       strings.Builder // header/footer/footnote paragraph
	styleName strings.Builder
	meta      map[string]*strings.Builder
	dates     map[string]time.Time
	dateField string
	date      [6]int // year, month, day, hour, minute, second

	cell   strings.Builder
	row    []string
	rows   [][]string
	items  []string
	blocks []document.Block
	auxOut []document.Block
}

// rtfResult is what a parse yields.
type rtfResult struct {
	blocks    []document.Block
	meta      map[string]string
	dates     map[string]time.Time
	codePage  int
	truncated bool
}

// parseRTF parses data, which starts with {\rtf.
func parseRTF(ctx context.Context, data []byte) (rtfResult, error) {
	p := &rtfParser{
		ctx: ctx, data: data, budget: newBudget(), ansiCP: 1252, defFont: -1,
		fonts: map[int]int{}, styles: map[int]int{}, meta: map[string]*strings.Builder{},
		dates: map[string]time.Time{},
	}
	p.cur = rtfGroup{font: -1, uc: 1, styleDef: -1}
	p.run()
	if p.err != nil {
		return rtfResult{}, p.err
	}
	p.flushText()
	p.endPara(true)
	p.endTable()
	p.endList()
	res := rtfResult{
		blocks: append(p.blocks, p.auxOut...), meta: map[string]string{},
		dates: p.dates, codePage: p.ansiCP, truncated: p.done && p.budget.left == 0,
	}
	for k, b := range p.meta {
		if v := strings.TrimSpace(b.String()); v != "" {
			res.meta[k] = v
		}
	}
	return res, nil
}

// run tokenizes until the end of the data, the closing brace of the
// outermost group, cancellation or the output bound.
func (p *rtfParser) run() {
	for p.pos < len(p.data) && !p.done {
		p.tokens++
		if p.tokens%65536 == 0 {
			if err := p.ctx.Err(); err != nil {
				p.err = err
				return
			}
		}
		c := p.data[p.pos]
		switch c {
		case '{':
			p.pos++
			p.push()
		case '}':
			p.pos++
			p.pop()
		case '\\':
			p.pos++
			p.control()
		case '\r', '\n':
			p.pos++
		default:
			p.pos++
			p.literal(c)
		}
	}
}

// push opens a group.
func (p *rtfParser) push() {
	p.flushText()
	p.skip = 0
	if len(p.stack) >= maxDepth {
		p.skipGroup()
		return
	}
	p.stack = append(p.stack, p.cur)
	p.cur.first = true
	p.cur.starred = false
	if p.cur.sink == sinkStyle {
		p.cur.styleDef = 0
		p.styleName.Reset()
	}
}

// pop closes a group, finishing what it defined.
func (p *rtfParser) pop() {
	p.flushText()
	p.skip = 0
	if len(p.stack) == 0 {
		p.done = true // the closing brace of the document
		return
	}
	if p.cur.sink == sinkStyle && p.cur.styleDef >= 0 {
		p.defineStyle()
	}
	if p.cur.dateLvl == len(p.stack) && p.dateField != "" {
		p.commitDate()
	}
	if p.cur.sink == sinkAux && (len(p.stack) == 0 || p.stack[len(p.stack)-1].sink != sinkAux) {
		p.endAux()
	}
	p.cur = p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
}

// skipGroup skips a group nested deeper than maxDepth, up to its
// closing brace.
func (p *rtfParser) skipGroup() {
	depth := 1
	for p.pos < len(p.data) && depth > 0 {
		switch p.data[p.pos] {
		case '\\':
			p.pos++
		case '{':
			depth++
		case '}':
			depth--
		}
		p.pos++
	}
}

// literal handles a text byte.
func (p *rtfParser) literal(c byte) {
	p.cur.first = false
	if p.skip > 0 {
		p.skip--
		return
	}
	if c == '\t' {
		p.emit("\t")
		return
	}
	p.addByte(c)
}

// addByte queues a byte in the current font's code page.
func (p *rtfParser) addByte(c byte) {
	if !p.wantsText() {
		return
	}
	cp := p.codePage()
	if len(p.pending) > 0 && cp != p.pendingCP {
		p.flushText()
	}
	p.pendingCP = cp
	p.pending = append(p.pending, c)
}

// wantsText says the current sink keeps text.
func (p *rtfParser) wantsText() bool {
	if p.cur.htmlrtf {
		return false
	}
	switch p.cur.sink {
	case sinkNone, sinkFont:
		return false
	}
	return true
}

// codePage is the code page of the current font.
func (p *rtfParser) codePage() int {
	f := p.cur.font
	if f < 0 {
		f = p.defFont
	}
	if cp, ok := p.fonts[f]; ok && cp != 0 {
		return cp
	}
	return p.ansiCP
}

// flushText decodes the queued bytes.
func (p *rtfParser) flushText() {
	if len(p.pending) == 0 {
		return
	}
	s := decodeCodePage(p.pending, p.pendingCP)
	p.pending = p.pending[:0]
	p.emit(s)
}

// emit sends decoded text to the current sink.
func (p *rtfParser) emit(s string) {
	if p.high != 0 {
		p.high = 0
		p.emit("\uFFFD")
	}
	if !p.wantsText() {
		return
	}
	if !p.budget.take(len(s)) {
		p.done = true
		return
	}
	switch p.cur.sink {
	case sinkBody:
		p.para.WriteString(s)
	case sinkAux:
		p.aux.WriteString(s)
	case sinkStyle:
		p.styleName.WriteString(s)
	case sinkMeta:
		b := p.meta[p.cur.meta]
		if b == nil {
			b = &strings.Builder{}
			p.meta[p.cur.meta] = b
		}
		b.WriteString(s)
	}
}

// unicode emits the character of \uN, pairing surrogates.
func (p *rtfParser) unicode(n int) {
	p.flushText()
	if n < 0 {
		n += 65536
	}
	r := rune(n)
	switch {
	case utf16.IsSurrogate(r) && r < 0xDC00:
		if p.high != 0 {
			p.emit("\uFFFD") // also clears p.high
		}
		p.high = r
		return
	case utf16.IsSurrogate(r):
		if p.high != 0 {
			pair := utf16.DecodeRune(p.high, r)
			p.high = 0
			p.emit(string(pair))
			return
		}
		r = '\uFFFD'
	case r == 0:
		return
	}
	p.emit(string(r))
}

// endPara ends the paragraph at \par; final says it is the end of the
// document.
func (p *rtfParser) endPara(final bool) {
	p.flushText()
	if p.cur.sink == sinkAux {
		p.endAux()
		return
	}
	if p.cur.sink != sinkBody && !final {
		return
	}
	text := strings.TrimSpace(p.para.String())
	p.para.Reset()
	if p.cur.intbl && !final {
		if p.cell.Len() > 0 && text != "" {
			p.cell.WriteByte('\n')
		}
		p.cell.WriteString(text)
		return
	}
	if text == "" && !final {
		return
	}
	p.endTable()
	if text == "" {
		return
	}
	if p.cur.list {
		p.items = append(p.items, listItemText(text))
		return
	}
	p.endList()
	if lvl := p.headingLevel(); lvl > 0 && len(text) <= 300 {
		p.blocks = append(p.blocks, document.Block{Kind: document.Heading, Level: lvl, Text: text})
		return
	}
	p.blocks = append(p.blocks, document.Block{Kind: document.Paragraph, Text: text})
}

// headingLevel is the current paragraph's heading level, 0 for none.
func (p *rtfParser) headingLevel() int {
	if p.cur.outline > 0 {
		return min(p.cur.outline, 6)
	}
	return p.styles[p.cur.style]
}

// endAux ends a header/footer/footnote paragraph.
func (p *rtfParser) endAux() {
	p.flushText()
	if text := strings.TrimSpace(p.aux.String()); text != "" {
		p.auxOut = append(p.auxOut, document.Block{Kind: document.Paragraph, Text: text})
	}
	p.aux.Reset()
}

// endCell ends a table cell at \cell.
func (p *rtfParser) endCell() {
	p.flushText()
	if p.cur.sink != sinkBody {
		return
	}
	text := strings.TrimSpace(p.para.String())
	p.para.Reset()
	if p.cell.Len() > 0 && text != "" {
		p.cell.WriteByte('\n')
	}
	p.cell.WriteString(text)
	if len(p.row) < 4096 {
		p.row = append(p.row, p.cell.String())
	}
	p.cell.Reset()
}

// endRow ends a table row at \row.
func (p *rtfParser) endRow() {
	p.flushText()
	if p.cur.sink != sinkBody {
		return
	}
	if strings.TrimSpace(p.para.String()) != "" {
		p.endCell()
	}
	p.endList()
	if len(p.row) > 0 {
		p.rows = append(p.rows, p.row)
	}
	p.row = nil
	if len(p.rows) >= rowsPerTable {
		p.endTable()
	}
}

// endTable emits the rows gathered so far as a Table block.
func (p *rtfParser) endTable() {
	if len(p.row) > 0 {
		p.rows = append(p.rows, p.row)
		p.row = nil
	}
	if len(p.rows) > 0 {
		p.endList()
		p.blocks = append(p.blocks, document.Block{Kind: document.Table, Rows: p.rows})
	}
	p.rows = nil
}

// endList emits the list items gathered so far as a List block.
func (p *rtfParser) endList() {
	if len(p.items) > 0 {
		p.blocks = append(p.blocks, document.Block{Kind: document.List, Level: 1, Items: p.items})
	}
	p.items = nil
}

// defineStyle records a stylesheet entry whose name marks a heading.
func (p *rtfParser) defineStyle() {
	name := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p.styleName.String()), ";")))
	p.styleName.Reset()
	if lvl := headingStyleLevel(name); lvl > 0 {
		p.styles[p.cur.styleDef] = lvl
	} else if p.cur.outline > 0 {
		p.styles[p.cur.styleDef] = min(p.cur.outline, 6)
	}
}

// headingStyleLevel reads "heading 2", "Überschrift 2", "Titre 2"… as
// a heading level.
func headingStyleLevel(name string) int {
	for _, prefix := range []string{"heading ", "überschrift ", "titre ", "kop ", "título ", "titolo ", "rubrik ", "otsikko ", "nagłówek "} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && len(rest) == 1 && rest[0] >= '1' && rest[0] <= '9' {
			return min(int(rest[0]-'0'), 6)
		}
	}
	return 0
}

// commitDate stores the \creatim-like date gathered.
func (p *rtfParser) commitDate() {
	d := p.date
	if d[0] > 0 && d[0] < 10000 && d[1] >= 1 && d[1] <= 12 && d[2] >= 1 && d[2] <= 31 {
		p.dates[p.dateField] = time.Date(d[0], time.Month(d[1]), d[2], d[3]%24, d[4]%60, d[5]%60, 0, time.UTC)
	}
	p.dateField = ""
	p.date = [6]int{}
}

// listItemText drops the bullet glyph \listtext writes before an item
// (numbers stay) and turns tabs into spaces.
func listItemText(s string) string {
	for _, bullet := range []string{"•", "·", "▪", "o\t", "§", "-\t", "\uf0b7"} {
		if rest, ok := strings.CutPrefix(s, bullet); ok {
			s = rest
			break
		}
	}
	return strings.Join(strings.Fields(s), " ")
}
