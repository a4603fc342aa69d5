package text

import (
	"context"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/zero711/brain/internal/document"
)

// htmlWalker turns an HTML tree into blocks: inline text gathers in
// buf until a block element ends the paragraph.
type htmlWalker struct {
	ctx    context.Context
	budget *budget
	// dropChrome drops navigation, header, footer, aside and form: the
	// boilerplate that readability removes when it finds an article.
	dropChrome bool
	buf        strings.Builder
	space      bool // buf ends in collapsed whitespace
	out        []document.Block
	nodes      int
}

// walk emits the blocks below n.
func (w *htmlWalker) walk(n *html.Node, depth int) error {
	if depth > maxDepth {
		return nil
	}
	w.nodes++
	if w.nodes%4096 == 0 {
		if err := w.ctx.Err(); err != nil {
			return err
		}
	}
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return nil
	case html.ElementNode:
		return w.element(n, depth)
	case html.DocumentNode:
		return w.children(n, depth)
	}
	return nil
}

func (w *htmlWalker) children(n *html.Node, depth int) error {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := w.walk(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// element handles one element by its kind.
func (w *htmlWalker) element(n *html.Node, depth int) error {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Iframe,
		atom.Object, atom.Embed, atom.Svg, atom.Canvas, atom.Select, atom.Button,
		atom.Input, atom.Textarea, atom.Math:
		return nil
	case atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Form:
		if w.dropChrome {
			return nil
		}
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return w.emit(document.Block{Kind: document.Heading, Level: int(n.Data[1] - '0'), Text: inlineText(n)})
	case atom.Br:
		w.buf.WriteByte('\n')
		w.space = true
		return nil
	case atom.Pre:
		return w.emit(document.Block{Kind: document.Code, Text: strings.Trim(nodeText(n), "\n")})
	case atom.Ul, atom.Ol:
		return w.emit(document.Block{Kind: document.List, Level: 1, Items: listItems(n, 0)})
	case atom.Table:
		if !isLayoutTable(n) {
			return w.table(n)
		}
	}
	if !isBlock(n.DataAtom) {
		return w.children(n, depth)
	}
	if err := w.flushChecked(); err != nil {
		return err
	}
	if err := w.children(n, depth); err != nil {
		return err
	}
	return w.flushChecked()
}

// text appends s to the paragraph with whitespace collapsed.
func (w *htmlWalker) text(s string) {
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f' {
			if !w.space && w.buf.Len() > 0 {
				w.buf.WriteByte(' ')
			}
			w.space = true
			continue
		}
		w.buf.WriteRune(r)
		w.space = false
	}
}

// flush ends the paragraph being gathered.
func (w *htmlWalker) flush() {
	t := w.buf.String()
	w.buf.Reset()
	w.space = false
	lines := strings.Split(t, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	if t = strings.TrimSpace(strings.Join(lines, "\n")); t != "" {
		w.out = append(w.out, document.Block{Kind: document.Paragraph, Text: t})
	}
}

func (w *htmlWalker) flushChecked() error {
	n := w.buf.Len()
	w.flush()
	if !w.budget.take(n) {
		return errOutputFull
	}
	return nil
}

// emit ends the paragraph and appends b.
func (w *htmlWalker) emit(b document.Block) error {
	if err := w.flushChecked(); err != nil {
		return err
	}
	if !w.budget.take(len(b.Text) + len(strings.Join(b.Items, "\n"))) {
		return errOutputFull
	}
	w.out = append(w.out, b)
	return nil
}

// table emits a data table's caption and rows.
func (w *htmlWalker) table(t *html.Node) error {
	var rows [][]string
	header := false
	for tr := range tableRows(t) {
		var row []string
		allTH := true
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
				row = append(row, inlineText(c))
				allTH = allTH && c.DataAtom == atom.Th
			}
		}
		if len(row) == 0 {
			continue
		}
		if len(rows) == 0 {
			header = allTH || (tr.Parent != nil && tr.Parent.DataAtom == atom.Thead)
		}
		rows = append(rows, row)
	}
	if c := findElement(t, atom.Caption, maxDepth-1); c != nil {
		if err := w.emit(document.Block{Kind: document.Paragraph, Text: inlineText(c)}); err != nil {
			return err
		}
	}
	if len(rows) == 0 {
		return nil
	}
	b := document.Block{Kind: document.Table, Rows: rows, Header: header}
	b.Text = document.RenderRows(rows)
	return w.emit(b)
}

// tableRows yields t's rows, not those of nested tables.
func tableRows(t *html.Node) func(func(*html.Node) bool) {
	return func(yield func(*html.Node) bool) {
		for c := t.FirstChild; c != nil; c = c.NextSibling {
			switch c.DataAtom {
			case atom.Tr:
				if !yield(c) {
					return
				}
			case atom.Thead, atom.Tbody, atom.Tfoot:
				for r := c.FirstChild; r != nil; r = r.NextSibling {
					if r.DataAtom == atom.Tr && !yield(r) {
						return
					}
				}
			}
		}
	}
}

// isLayoutTable says a table lays out the page rather than holding
// data: it nests tables or block content, or says so by its role.
func isLayoutTable(t *html.Node) bool {
	if r := attr(t, "role"); r == "presentation" || r == "none" {
		return true
	}
	for d := range t.Descendants() {
		if d.Type != html.ElementNode {
			continue
		}
		switch d.DataAtom {
		case atom.Table, atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.Ul, atom.Ol, atom.Div, atom.Blockquote, atom.Pre:
			return true
		}
	}
	return false
}

// listItems flattens a list's items, nested lists indented under their
// parent item.
func listItems(list *html.Node, depth int) []string {
	if depth > 32 {
		return nil
	}
	var items []string
	indent := strings.Repeat("  ", depth)
	for li := list.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		var b strings.Builder
		var nested []string
		for c := li.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Ul || c.DataAtom == atom.Ol {
				nested = append(nested, listItems(c, depth+1)...)
				continue
			}
			b.WriteString(inlineText(c))
			b.WriteByte(' ')
		}
		if t := collapse(b.String()); t != "" {
			items = append(items, indent+t)
		}
		items = append(items, nested...)
	}
	return items
}

// inlineText is n's text with whitespace collapsed, line breaks kept.
func inlineText(n *html.Node) string {
	if n.Type == html.TextNode {
		return collapse(n.Data)
	}
	w := &htmlWalker{ctx: context.Background(), budget: newBudget()}
	_ = w.walkInline(n, 0)
	w.flush()
	parts := make([]string, 0, len(w.out))
	for _, b := range w.out {
		parts = append(parts, b.Text)
	}
	return strings.Join(parts, "\n")
}

// walkInline gathers all text below n into one paragraph buffer.
func (w *htmlWalker) walkInline(n *html.Node, depth int) error {
	if depth > maxDepth {
		return nil
	}
	switch {
	case n.Type == html.TextNode:
		w.text(n.Data)
	case n.Type == html.ElementNode && n.DataAtom == atom.Br:
		w.buf.WriteByte('\n')
		w.space = true
	case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Template):
	default:
		if n.Type == html.ElementNode && isBlock(n.DataAtom) {
			w.text(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			_ = w.walkInline(c, depth+1)
		}
	}
	return nil
}

// isBlock says an element ends the paragraph before and after it.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Blockquote,
		atom.Figure, atom.Figcaption, atom.Address, atom.Center, atom.Dd, atom.Dt, atom.Dl,
		atom.Details, atom.Summary, atom.Fieldset, atom.Hr, atom.Li, atom.Table, atom.Tr,
		atom.Td, atom.Th, atom.Caption, atom.Body, atom.Html, atom.Nav, atom.Header,
		atom.Footer, atom.Aside, atom.Form, atom.Legend, atom.Tbody, atom.Thead, atom.Tfoot, atom.H1,
		atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Pre, atom.Ul, atom.Ol, atom.Menu, atom.Hgroup:
		return true
	}
	return false
}
