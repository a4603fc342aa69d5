package office

import (
	"errors"
	"io"
	"strings"

	"golang.org/x/net/html"

	"github.com/zero711/brain/internal/document"
)

// maxTokenBytes bounds one HTML token, so that a huge tag or text run
// cannot grow the tokenizer's buffer without limit.
const maxTokenBytes = 4 << 20

// htmlWalker turns an (X)HTML chapter into blocks.
type htmlWalker struct {
	b         *builder
	page      int
	cur       strings.Builder
	heading   int
	pre       int
	listDepth int
	skip      int // depth inside head, script, style
	tables    []*wtable
}

// htmlSkip are elements whose text is not content.
var htmlSkip = map[string]bool{"head": true, "script": true, "style": true, "template": true, "noscript": true}

// htmlBlock are elements that end the text before them and start new text.
var htmlBlock = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "blockquote": true,
	"header": true, "footer": true, "nav": true, "aside": true, "main": true,
	"figure": true, "figcaption": true, "caption": true, "address": true, "hr": true,
	"dl": true, "dt": true, "dd": true, "body": true, "li": true, "center": true,
}

// walkHTML reads one chapter into b with the given page.
func walkHTML(r io.Reader, b *builder, page int) error {
	w := &htmlWalker{b: b, page: page}
	z := html.NewTokenizer(r)
	z.SetMaxBuf(maxTokenBytes)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			w.flush()
			b.closeList()
			if err := z.Err(); !errors.Is(err, io.EOF) {
				return err
			}
			return nil
		case html.TextToken:
			if w.skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			w.start(string(name), tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			w.end(string(name))
		}
	}
}

func (w *htmlWalker) text(s string) {
	if w.cur.Len() > 1<<24 {
		return
	}
	if w.pre > 0 {
		w.cur.WriteString(s)
		return
	}
	if s != "" && strings.TrimSpace(s) == "" {
		w.cur.WriteByte(' ')
		return
	}
	if s != "" && isSpace(s[0]) {
		w.cur.WriteByte(' ')
	}
	w.cur.WriteString(strings.Join(strings.Fields(s), " "))
	if s != "" && isSpace(s[len(s)-1]) {
		w.cur.WriteByte(' ')
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

func (w *htmlWalker) start(name string, selfClosing bool) {
	if htmlSkip[name] && !selfClosing {
		w.skip++
		return
	}
	if w.skip > 0 {
		return
	}
	switch name {
	case "br":
		w.cur.WriteByte('\n')
	case "h1", "h2", "h3", "h4", "h5", "h6":
		w.flush()
		w.heading = int(name[1] - '0')
	case "pre":
		w.flush()
		w.pre++
	case "ul", "ol":
		w.flush()
		w.listDepth++
	case "table":
		w.flush()
		w.tables = append(w.tables, &wtable{})
	case "tr":
		w.flush()
		if tb := lastTable(w.tables); tb != nil {
			tb.row = nil
		}
	case "td", "th":
		w.flush()
		if tb := lastTable(w.tables); tb != nil {
			tb.cell = &strings.Builder{}
		}
	default:
		if htmlBlock[name] {
			w.flush()
		}
	}
}

func (w *htmlWalker) end(name string) {
	if htmlSkip[name] {
		w.skip = max(w.skip-1, 0)
		return
	}
	if w.skip > 0 {
		return
	}
	switch name {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		w.flush()
		w.heading = 0
	case "pre":
		w.flush()
		w.pre = max(w.pre-1, 0)
	case "ul", "ol":
		w.flush()
		w.listDepth = max(w.listDepth-1, 0)
		if w.listDepth == 0 {
			w.b.closeList()
		}
	case "td", "th":
		w.flush()
		if tb := lastTable(w.tables); tb != nil && tb.cell != nil {
			tb.row = append(tb.row, tb.cell.String())
			tb.cell = nil
		}
	case "tr":
		w.flush()
		if tb := lastTable(w.tables); tb != nil {
			if tb.cell != nil { // unclosed cell
				tb.row = append(tb.row, tb.cell.String())
				tb.cell = nil
			}
			tb.rows = append(tb.rows, tb.row)
			tb.row = nil
		}
	case "table":
		w.flush()
		w.endTable()
	default:
		if htmlBlock[name] {
			w.flush()
		}
	}
}

func (w *htmlWalker) endTable() {
	tb := lastTable(w.tables)
	if tb == nil {
		return
	}
	w.tables = w.tables[:len(w.tables)-1]
	if len(tb.row) > 0 {
		tb.rows = append(tb.rows, tb.row)
	}
	if outer := lastTable(w.tables); outer != nil && outer.cell != nil {
		outer.cell.WriteString(" " + document.RenderRows(trimRows(tb.rows)))
		return
	}
	w.b.table(tb.rows, true, w.page)
}

// flush ends the current text run and routes it by context.
func (w *htmlWalker) flush() {
	raw := w.cur.String()
	w.cur.Reset()
	text := strings.TrimSpace(raw)
	if text == "" {
		return
	}
	if tb := lastTable(w.tables); tb != nil && tb.cell != nil {
		if tb.cell.Len() > 0 {
			tb.cell.WriteByte('\n')
		}
		tb.cell.WriteString(text)
		return
	}
	switch {
	case w.pre > 0:
		w.b.add(document.Block{Kind: document.Code, Text: strings.Trim(raw, "\r\n"), Page: w.page})
	case w.heading > 0:
		w.b.text(text, w.heading, w.page)
	case w.listDepth > 0:
		w.b.item(text, w.listDepth, w.page)
	default:
		w.b.text(text, 0, w.page)
	}
}
