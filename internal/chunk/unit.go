package chunk

import (
	"strings"

	"github.com/zero711/brain/internal/document"
)

// unit is the smallest piece of a block that packing keeps whole: an
// Absatz, a clause, a sentence, a word, a list item, a table row, a line
// of code. Units of one block are separated by whitespace only, so the
// text from one unit's start to a later unit's end is the original text
// and its tokens are the sum of theirs.
type unit struct {
	s, e int // span in the block's src
	tok  int
	cut  int // the boundary the unit starts at (cutBlock … cutWord)
}

// units cuts b into units of at most budget tokens each; skip leaves out
// the first line (a table's header row, which is repeated instead).
func (b *blk) units(budget int, skip bool) []unit {
	switch b.kind {
	case document.Paragraph, document.Heading:
		return splitText(b.src, 0, len(b.src), cutAbsatz, cutBlock, budget, nil)
	}
	lines := b.lines
	if lines == nil {
		lines = lineSpans(b.src)
	}
	if skip && len(lines) > 0 {
		lines = lines[1:]
	}
	var out []unit
	for _, l := range lines {
		if b.kind != document.Code {
			l.s = l.s + len(b.src[l.s:l.e]) - len(strings.TrimLeft(b.src[l.s:l.e], " \t"))
		}
		tok := Tokens(b.src[l.s:l.e])
		switch {
		case tok <= budget:
			out = append(out, unit{l.s, l.e, tok, cutClause})
		case b.kind == document.List:
			out = splitText(b.src, l.s, l.e, cutClause, cutClause, budget, out)
		default:
			out = splitWords(b.src, l.s, l.e, cutClause, budget, out)
		}
	}
	return out
}

// lineSpans returns the spans of the non-blank lines of s, without
// trailing whitespace (leading whitespace is kept: indentation of code).
func lineSpans(s string) []span {
	var out []span
	for ls := 0; ls < len(s); {
		le := strings.IndexByte(s[ls:], '\n')
		if le < 0 {
			le = len(s)
		} else {
			le += ls
		}
		e := ls + len(strings.TrimRight(s[ls:le], " \t\r\v\f"))
		if strings.TrimLeft(s[ls:e], " \t") != "" {
			out = append(out, span{ls, e})
		}
		ls = le + 1
	}
	return out
}

// splitText appends to out the units of src[s:e]: the whole text when it
// fits budget, otherwise its segments at the strongest boundary level
// from level on that has any, each split further when it does not fit,
// down to words. The first unit gets cut; later ones their boundary.
func splitText(src string, s, e, level, cut, budget int, out []unit) []unit {
	for s < e && isSpaceByte(src[s]) {
		s++
	}
	for e > s && isSpaceByte(src[e-1]) {
		e--
	}
	if s == e {
		return out
	}
	if tok := Tokens(src[s:e]); tok <= budget {
		return append(out, unit{s, e, tok, cut})
	}
	for ; level <= cutSentence; level++ {
		bs := boundaries(src[s:e], level)
		if len(bs) == 0 {
			continue
		}
		prev, c := s, cut
		for _, b := range bs {
			out = splitText(src, prev, s+b, level+1, c, budget, out)
			prev, c = s+b, level
		}
		return splitText(src, prev, e, level+1, c, budget, out)
	}
	return splitWords(src, s, e, cut, budget, out)
}

// splitWords appends the words of src[s:e] as units, cutting a word
// longer than budget where its tokens reach the budget.
func splitWords(src string, s, e, cut, budget int, out []unit) []unit {
	for i := s; i < e; {
		i = skipSpace(src[:e], i)
		if i == e {
			break
		}
		j := i
		for j < e && !isSpaceByte(src[j]) {
			j++
		}
		if tok := Tokens(src[i:j]); tok <= budget {
			out = append(out, unit{i, j, tok, cut})
		} else {
			out = splitLong(src, i, j, cut, budget, out)
		}
		cut = cutWord
		i = j
	}
	return out
}

// splitLong cuts the word src[s:e] into pieces of budget tokens. Every
// character adds at most one token, so each piece holds at least one.
func splitLong(src string, s, e, cut, budget int, out []unit) []unit {
	var c counter
	start := s
	for i := s; i < e; {
		cls, size := classAt(src, i)
		before := c
		c.add(cls)
		if c.total() > budget && i > start {
			out = append(out, unit{start, i, before.total(), cut})
			cut, start = cutWord, i
			c = counter{}
			c.add(cls)
		}
		i += size
	}
	return append(out, unit{start, e, c.total(), cut})
}
