package mail

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlParagraphs turns an HTML body into paragraphs: block elements end
// a paragraph, <br> ends a line, the content of title, script and style
// is dropped, and whitespace collapses. It is deliberately simple; it
// only has to make mail bodies searchable.
func htmlParagraphs(src []byte) []string {
	var t htmlText
	z := html.NewTokenizer(bytes.NewReader(src))
	for {
		switch z.Next() {
		case html.ErrorToken:
			t.flush()
			return t.out
		case html.TextToken:
			if t.skip == 0 {
				t.text(string(z.Text()))
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			t.tag(atom.Lookup(name), true)
		case html.SelfClosingTagToken:
			if name, _ := z.TagName(); !skipped(atom.Lookup(name)) {
				t.tag(atom.Lookup(name), true)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			t.tag(atom.Lookup(name), false)
		}
	}
}

// htmlText accumulates paragraphs.
type htmlText struct {
	out   []string
	cur   strings.Builder
	space bool // a space is owed before the next word
	skip  int  // depth inside title/script/style
}

// skipped are the elements whose content is not text.
func skipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Title, atom.Noscript, atom.Template:
		return true
	}
	return false
}

func (t *htmlText) tag(a atom.Atom, start bool) {
	switch {
	case skipped(a):
		if start {
			t.skip++
		} else if t.skip > 0 {
			t.skip--
		}
		return
	case a == atom.Body:
		t.skip = 0 // an unclosed title or script ends here
	}
	switch a {
	case atom.Br:
		t.cur.WriteByte('\n')
		t.space = false
	case atom.Td, atom.Th:
		t.space = true
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Table, atom.Tr, atom.Blockquote,
		atom.Pre, atom.Hr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section,
		atom.Article, atom.Header, atom.Footer, atom.Nav, atom.Aside, atom.Dl, atom.Dt, atom.Dd,
		atom.Address, atom.Figure, atom.Figcaption, atom.Main, atom.Center, atom.Form, atom.Body:
		t.flush()
	}
}

func (t *htmlText) text(s string) {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	words := strings.Fields(s)
	if len(words) == 0 {
		t.space = t.space || s != ""
		return
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	lead := unicode.IsSpace(first)
	if t.cur.Len() > 0 && (t.space || lead) && !strings.HasSuffix(t.cur.String(), "\n") {
		t.cur.WriteByte(' ')
	}
	t.cur.WriteString(strings.Join(words, " "))
	t.space = unicode.IsSpace(last)
}

func (t *htmlText) flush() {
	if p := strings.TrimSpace(t.cur.String()); p != "" {
		t.out = append(t.out, p)
	}
	t.cur.Reset()
	t.space = false
}
