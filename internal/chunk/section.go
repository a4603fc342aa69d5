package chunk

import (
	"slices"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// blk is a block prepared for packing: its text as it appears in chunks
// and its token count.
type blk struct {
	kind   document.Kind
	src    string // the text: paragraph text, list items or table rows one per line
	tok    int
	page   int
	lines  []span // list items when they span lines; nil: split src at newlines
	header bool   // table: the first line is the header row
	lead   string // list or table: the lead-in paragraph ("… folgende:")
}

type span struct{ s, e int }

// section is a run of blocks under one section path, and what the chunks
// made of it must show.
type section struct {
	path []string
	// heads are the headings the content sits under that came since the
	// previous section; those the prefix does not show in full are
	// written at the start of the first chunk, so no heading text is lost.
	heads  []string
	blocks []blk
	tok    int
	// bare is a heading without content of its own: its blocks hold the
	// heading text, its chunk's prefix shows the parent path.
	bare bool
}

func (s *section) parent() []string { return s.path[:len(s.path)-1] }

// pendingHead is a heading not yet assigned to a section.
type pendingHead struct {
	text   string
	parent []string
	page   int
}

// segmenter cuts the normalized blocks into sections.
type segmenter struct {
	secs  []*section
	heads []pendingHead
	cur   *section
	orig  []string // Section of the last content block, as extracted
	path  []string // the path its content goes to (orig, or orig + a detected §)
	fresh bool     // a heading came since the last content block
}

// segment cuts blocks (normalized) into sections: a heading, a change of
// section path, and a § or article title line inside a paragraph start a
// new one. Headings without content of their own become bare sections.
func segment(blocks []document.Block) []*section {
	g := segmenter{fresh: true}
	for i := range blocks {
		b := &blocks[i]
		if b.Kind == document.Heading {
			g.heads = append(g.heads, pendingHead{text: oneLine(b.Text), parent: b.Section, page: b.Page})
			g.fresh = true
			continue
		}
		if g.fresh || !slices.Equal(g.orig, b.Section) {
			g.orig, g.path = b.Section, b.Section
			g.cur = nil
			g.fresh = false
		}
		if b.Kind == document.Paragraph {
			g.paragraph(b)
			continue
		}
		if nb, ok := newBlock(b); ok {
			g.add(nb)
		}
	}
	g.bareHeads(nil)
	return g.secs
}

// paragraph adds a paragraph, cut at the § and article titles in it.
func (g *segmenter) paragraph(b *document.Block) {
	titles := statuteTitles(b.Text)
	end := len(b.Text)
	if len(titles) > 0 {
		end = titles[0].start
	}
	g.addText(b.Text[:end], b.Page)
	for i, t := range titles {
		g.heads = append(g.heads, pendingHead{text: t.title, parent: g.orig, page: b.Page})
		g.path = append(slices.Clip(g.orig), t.title)
		g.cur = nil
		end := len(b.Text)
		if i+1 < len(titles) {
			end = titles[i+1].start
		}
		if t.body < end {
			g.addText(b.Text[t.body:end], b.Page)
		}
	}
}

func (g *segmenter) addText(s string, page int) {
	if s = strings.TrimSpace(s); s != "" {
		g.add(blk{kind: document.Paragraph, src: s, tok: Tokens(s), page: page})
	}
}

// add appends b to the current section, opening one when needed.
func (g *segmenter) add(b blk) {
	if g.cur == nil {
		g.bareHeads(g.path)
		g.cur = &section{path: g.path, heads: g.takeHeads()}
		g.secs = append(g.secs, g.cur)
	}
	if n := len(g.cur.blocks); n > 0 && (b.kind == document.List || b.kind == document.Table) {
		if prev := g.cur.blocks[n-1]; prev.kind == document.Paragraph && strings.HasSuffix(prev.src, ":") {
			b.lead = prev.src
		}
	}
	g.cur.blocks = append(g.cur.blocks, b)
	g.cur.tok += b.tok
}

// bareHeads turns the pending headings that path does not contain into
// bare sections, and keeps the others pending.
func (g *segmenter) bareHeads(path []string) {
	kept := g.heads[:0]
	for _, h := range g.heads {
		if slices.Contains(path, h.text) {
			kept = append(kept, h)
			continue
		}
		p := append(slices.Clip(h.parent), h.text)
		g.secs = append(g.secs, &section{
			path:   p,
			blocks: []blk{{kind: document.Heading, src: h.text, tok: Tokens(h.text), page: h.page}},
			tok:    Tokens(h.text),
			bare:   true,
		})
	}
	g.heads = kept
}

func (g *segmenter) takeHeads() []string {
	var out []string
	for _, h := range g.heads {
		out = append(out, h.text)
	}
	g.heads = g.heads[:0]
	return out
}

// newBlock prepares a list, table or code block; ok is false when it has
// no text.
func newBlock(b *document.Block) (blk, bool) {
	nb := blk{kind: b.Kind, src: b.Text, page: b.Page}
	switch b.Kind {
	case document.List:
		if len(b.Items) > 0 {
			nb.src, nb.lines = joinItems(b.Items)
		}
	case document.Table:
		if len(b.Rows) > 0 {
			nb.src = strings.TrimSpace(document.RenderRows(b.Rows))
		}
		nb.header = b.Header
	case document.Paragraph, document.Code:
	default:
		nb.kind = document.Paragraph // an unknown kind is text
	}
	if strings.TrimSpace(nb.src) == "" {
		nb.src, nb.lines = strings.TrimSpace(b.Text), nil
	}
	nb.tok = Tokens(nb.src)
	return nb, nb.src != ""
}

// joinItems joins a list's non-blank items by newlines and returns the
// span of each.
func joinItems(items []string) (string, []span) {
	var sb strings.Builder
	spans := make([]span, 0, len(items))
	for _, it := range items {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('\n')
		}
		spans = append(spans, span{sb.Len(), sb.Len() + len(it)})
		sb.WriteString(it)
	}
	return sb.String(), spans
}
