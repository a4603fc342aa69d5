package chunk

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/document"
)

// normalized returns a normalized copy of doc's blocks.
func normalized(doc *document.Document) []document.Block {
	d := document.Document{Blocks: slices.Clone(doc.Blocks)}
	d.Normalize()
	return d.Blocks
}

// blockText is the text of b as chunks show it: list items one per line,
// table rows as document.RenderRows renders them.
func blockText(b *document.Block) string {
	if nb, ok := newBlock(b); ok && b.Kind != document.Paragraph && b.Kind != document.Heading {
		return nb.src
	}
	return b.Text
}

// body returns a chunk's text without its context line.
func body(c Chunk, opts Options) string {
	pb := min(maxPrefixTokens, opts.MaxTokens/4)
	line, rest, ok := strings.Cut(c.Text, "\n")
	if !ok || len(c.Section) == 0 {
		return c.Text
	}
	for _, ctx := range [][]string{c.Section, c.Section[:len(c.Section)-1]} {
		if p, _ := contextLine(ctx, pb); p != "" && p == line {
			return rest
		}
	}
	return c.Text
}

// checkInvariants checks what holds for every split: chunks are not
// empty, within budget, counted right, of a known kind, and together
// hold every word of the document, in order (ignoring context lines and
// overlap), and every heading's words somewhere. Words too long to fit a
// third of a chunk may be cut and are checked by TestSplitLongWord.
func checkInvariants(t testing.TB, doc *document.Document, opts Options, chunks []Chunk) {
	t.Helper()
	var stream []string
	all := map[string]bool{}
	for i, c := range chunks {
		b := body(c, opts)
		if strings.TrimSpace(b) == "" {
			t.Fatalf("chunk %d is empty: %q", i, c.Text)
		}
		if c.Tokens != Tokens(c.Text) {
			t.Fatalf("chunk %d: Tokens %d, Tokens(Text) %d", i, c.Tokens, Tokens(c.Text))
		}
		if c.Tokens > opts.MaxTokens {
			t.Fatalf("chunk %d has %d tokens, more than %d: %q", i, c.Tokens, opts.MaxTokens, c.Text)
		}
		switch document.Kind(c.Kind) {
		case document.Heading, document.Paragraph, document.List, document.Table, document.Code:
		default:
			t.Fatalf("chunk %d: kind %q", i, c.Kind)
		}
		stream = append(stream, strings.Fields(b)...)
		for _, w := range strings.Fields(c.Text) {
			all[w] = true
		}
	}
	long := max(opts.MaxTokens/3, 1)
	k := 0
	for _, b := range normalized(doc) {
		text, titles := blockText(&b), ""
		if b.Kind == document.Paragraph {
			text, titles = withoutTitles(text)
		}
		words := strings.Fields(text)
		if b.Kind == document.Heading {
			titles, words = text, nil
		}
		for _, w := range strings.Fields(titles) {
			if Tokens(w) <= long && !all[w] {
				t.Fatalf("heading word %q of %.80q is in no chunk", w, b.Text)
			}
		}
		{
		}
		for _, w := range words {
			if Tokens(w) > long {
				continue
			}
			for k < len(stream) && stream[k] != w {
				k++
			}
			if k == len(stream) {
				t.Fatalf("word %q of %s block %.80q is missing from the chunks (in order)", w, b.Kind, b.Text)
			}
			k++
		}
	}
}

// checkWholeBlocks checks that every block that fits a chunk is in one
// chunk whole (an Absatz is not cut when it fits).
func checkWholeBlocks(t testing.TB, doc *document.Document, opts Options, chunks []Chunk) {
	t.Helper()
	texts := make([]string, len(chunks))
	for i, c := range chunks {
		texts[i] = c.Text
	}
	joined := strings.Join(texts, "\x00")
	fit := opts.MaxTokens - min(maxPrefixTokens, opts.MaxTokens/4)
	for _, b := range normalized(doc) {
		s := blockText(&b)
		if b.Kind == document.Heading || Tokens(s) > fit || len(statuteTitles(s)) > 0 {
			continue
		}
		if !strings.Contains(joined, s) {
			t.Errorf("%s block of %d tokens is cut: %.100q", b.Kind, Tokens(s), s)
		}
	}
}

// checkChunkStarts checks that every chunk's body starts at the start of
// a block, an Absatz, a clause or a heading line, or continues a block
// too large for one chunk; it returns how many do each.
func checkChunkStarts(t testing.TB, doc *document.Document, opts Options, chunks []Chunk) (starts, mid int) {
	t.Helper()
	blocks := normalized(doc)
	var sb strings.Builder
	offsets := make([]int, len(blocks))
	startOf := map[string]bool{}
	for i := range blocks {
		s := blockText(&blocks[i])
		offsets[i] = sb.Len()
		sb.WriteString(s)
		sb.WriteByte(0)
		startOf[firstLine(s)] = true
		for _, t := range statuteTitles(s) {
			startOf[firstLine(strings.TrimSpace(s[t.body:]))] = true
		}
	}
	joined := sb.String()
	fit := opts.MaxTokens - min(maxPrefixTokens, opts.MaxTokens/4)
	for i, c := range chunks {
		b := body(c, opts)
		line := firstLine(b)
		if startOf[line] || absatzMarker(b) > 0 || len(b) > 2 && clauseMarker(b) {
			starts++
			continue
		}
		// The probe may occur in several blocks: one too large will do.
		probe := b[:min(len(b), 80)]
		if j := strings.Index(probe, "\n\n"); j > 0 {
			probe = probe[:j]
		}
		inBig, found := false, false
		for from := 0; !inBig; {
			at := strings.Index(joined[from:], probe)
			if at < 0 {
				break
			}
			found = true
			k := sort.SearchInts(offsets, from+at+1) - 1
			inBig = Tokens(blockText(&blocks[k])) > fit
			from += at + 1
		}
		switch {
		case !found:
			t.Errorf("chunk %d starts with text from no block: %.80q", i, b)
			continue
		case !inBig:
			t.Errorf("chunk %d starts inside a block that fits a chunk: %.80q", i, b)
			continue
		}
		mid++
	}
	return starts, mid
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// withoutTitles splits a paragraph into its text without the § and
// article title lines Split makes headings of, and those titles.
func withoutTitles(s string) (text, titles string) {
	var tb, hb strings.Builder
	prev := 0
	for _, t := range statuteTitles(s) {
		tb.WriteString(s[prev:t.start])
		tb.WriteByte(' ')
		hb.WriteString(t.title)
		hb.WriteByte(' ')
		prev = t.body
	}
	tb.WriteString(s[prev:])
	return tb.String(), hb.String()
}
