package text

import (
	"bytes"
	"context"
	"strings"

	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	gtext "github.com/yuin/goldmark/text"
	"golang.org/x/net/html"

	"github.com/zero711/brain/internal/document"
)

// Markdown returns the extractor for Markdown (CommonMark with the GFM
// extensions). mimetype reports .md files as text/plain, so the
// dispatcher routes them here by extension; Types lists the registered
// Markdown types for inputs typed by other means.
func Markdown() document.Extractor {
	return &extractor{name: "markdown", types: []string{"text/markdown", "text/x-markdown"}, run: extractMarkdown}
}

func extractMarkdown(_ context.Context, in document.Input) (*document.Document, error) {
	data, truncated, err := readInput(in)
	if err != nil {
		return nil, err
	}
	text, cs := decodeBytes(data)
	doc := newDoc(in, "markdown")
	doc.Metadata["charset"] = cs
	if truncated {
		doc.Warnings = append(doc.Warnings, truncatedWarning())
	}
	src := []byte(text)
	src = frontMatter(src, doc)
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	root := md.Parser().Parse(gtext.NewReader(src))
	w := &mdWalker{src: src}
	w.blocks(root, 0)
	doc.Blocks = w.out
	if doc.Title == "" {
		for _, b := range doc.Blocks {
			if b.Kind == document.Heading && b.Level == 1 {
				doc.Title = collapse(b.Text)
				break
			}
		}
	}
	return finish(doc)
}

// frontMatter strips YAML (---) or TOML (+++) front matter from src,
// reading title, author and date into doc.
func frontMatter(src []byte, doc *document.Document) []byte {
	for _, fence := range []string{"---", "+++"} {
		if !bytes.HasPrefix(src, []byte(fence+"\n")) && !bytes.HasPrefix(src, []byte(fence+"\r\n")) {
			continue
		}
		rest := src[len(fence):]
		end := bytes.Index(rest, []byte("\n"+fence))
		if end < 0 {
			return src
		}
		for line := range strings.SplitSeq(string(rest[:end]), "\n") {
			frontMatterLine(line, doc)
		}
		after := rest[end+1+len(fence):]
		if i := bytes.IndexByte(after, '\n'); i >= 0 {
			return after[i+1:]
		}
		return nil
	}
	return src
}

// frontMatterLine reads one "key: value" or "key = value" line.
func frontMatterLine(line string, doc *document.Document) {
	key, val, ok := strings.Cut(line, ":")
	if k, v, ok2 := strings.Cut(line, "="); !ok || (ok2 && len(k) < len(key)) {
		key, val, ok = k, v, ok2
	}
	if !ok || strings.HasPrefix(key, " ") {
		return
	}
	key = strings.ToLower(strings.TrimSpace(key))
	val = strings.Trim(strings.TrimSpace(val), `"'`)
	if val == "" {
		return
	}
	switch key {
	case "title":
		doc.Title = val
	case "author":
		doc.Author = val
	case "date", "description", "tags", "keywords", "lang", "language":
		doc.Metadata[key] = val
	}
}

// mdWalker turns a goldmark AST into blocks.
type mdWalker struct {
	src []byte
	out []document.Block
}

// blocks emits the block children of n.
func (w *mdWalker) blocks(n gast.Node, depth int) {
	if depth > maxDepth {
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.block(c, depth)
	}
}

func (w *mdWalker) block(n gast.Node, depth int) {
	switch n := n.(type) {
	case *gast.Heading:
		w.out = append(w.out, document.Block{Kind: document.Heading, Level: n.Level, Text: w.inline(n)})
	case *gast.Paragraph, *gast.TextBlock:
		w.out = append(w.out, document.Block{Kind: document.Paragraph, Text: w.inline(n)})
	case *gast.FencedCodeBlock, *gast.CodeBlock:
		w.out = append(w.out, document.Block{Kind: document.Code, Text: w.lines(n)})
	case *gast.List:
		w.out = append(w.out, document.Block{Kind: document.List, Level: 1, Items: w.items(n, 0)})
	case *gast.HTMLBlock:
		if t := htmlFragmentText(w.lines(n)); t != "" {
			w.out = append(w.out, document.Block{Kind: document.Paragraph, Text: t})
		}
	case *east.Table:
		w.out = append(w.out, w.table(n))
	default:
		w.blocks(n, depth+1)
	}
}

// lines is the raw text of a block's lines.
func (w *mdWalker) lines(n gast.Node) string {
	var b strings.Builder
	l := n.Lines()
	for i := range l.Len() {
		s := l.At(i)
		b.Write(s.Value(w.src))
	}
	return strings.TrimRight(b.String(), "\n")
}

// items flattens a list's items, nested lists indented under their
// parent item.
func (w *mdWalker) items(list gast.Node, depth int) []string {
	if depth > maxDepth {
		return nil
	}
	var items []string
	indent := strings.Repeat("  ", depth)
	for li := list.FirstChild(); li != nil; li = li.NextSibling() {
		var parts []string
		var nested []string
		for c := li.FirstChild(); c != nil; c = c.NextSibling() {
			switch c.(type) {
			case *gast.List:
				nested = append(nested, w.items(c, depth+1)...)
			case *gast.FencedCodeBlock, *gast.CodeBlock:
				parts = append(parts, w.lines(c))
			default:
				parts = append(parts, w.inline(c))
			}
		}
		items = append(items, indent+strings.Join(parts, " "))
		items = append(items, nested...)
	}
	return items
}

// table turns a GFM table into a Table block.
func (w *mdWalker) table(t *east.Table) document.Block {
	b := document.Block{Kind: document.Table}
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var row []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			row = append(row, w.inline(c))
		}
		if _, ok := r.(*east.TableHeader); ok && len(b.Rows) == 0 {
			b.Header = true
		}
		b.Rows = append(b.Rows, row)
	}
	return b
}

// inline is the text of n's inline content.
func (w *mdWalker) inline(n gast.Node) string {
	var b strings.Builder
	w.inlineTo(&b, n, 0)
	return strings.TrimSpace(b.String())
}

func (w *mdWalker) inlineTo(b *strings.Builder, n gast.Node, depth int) {
	if depth > maxDepth {
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *gast.Text:
			b.Write(c.Segment.Value(w.src))
			switch {
			case c.HardLineBreak():
				b.WriteByte('\n')
			case c.SoftLineBreak():
				b.WriteByte(' ')
			}
		case *gast.String:
			b.Write(c.Value)
		case *gast.AutoLink:
			b.Write(c.URL(w.src))
		case *gast.RawHTML:
			// inline tags carry no text
		default:
			if c.Type() == gast.TypeBlock {
				b.WriteByte(' ')
			}
			w.inlineTo(b, c, depth+1)
		}
	}
}

// htmlFragmentText is the text of an HTML fragment, tags removed.
func htmlFragmentText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return collapse(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style") && skip > 0 {
				skip--
			}
		}
	}
}
