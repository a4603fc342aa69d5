package chunk

import (
	"slices"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// part is one block's share of a chunk: the whole block, or a run of its
// units, after a repeated header row or lead-in.
type part struct {
	kind document.Kind
	head string // repeated table header or list lead-in, "" if none
	text string
	tok  int // including head
	page int
}

// packer fills chunks with the parts of one section (or one run of
// merged tiny sections) at a time.
type packer struct {
	opts Options
	out  []Chunk

	// The chunk being filled.
	path   []string // its Section
	prefix string   // its context line
	shown  []string // titles the context line shows in full
	budget int      // tokens left for the body after the context line
	parts  []part
	used   int // tokens of parts

	// The part being extended unit by unit.
	src   string
	start int
}

// begin starts chunks of a new section: path is their Section, ctx the
// path the context line shows.
func (p *packer) begin(path, ctx []string) {
	p.flush()
	p.path = path
	p.prefix, p.shown = contextLine(ctx, p.prefixBudget())
	p.budget = p.opts.MaxTokens - Tokens(p.prefix)
}

func (p *packer) prefixBudget() int { return min(maxPrefixTokens, p.opts.MaxTokens/4) }

// bodyBudget is the body budget of chunks whose context line shows ctx.
func (p *packer) bodyBudget(ctx []string) int {
	line, _ := contextLine(ctx, p.prefixBudget())
	return p.opts.MaxTokens - Tokens(line)
}

// heads writes the headings of heads from the first one the context line
// does not show in full, as lines on page.
func (p *packer) heads(heads []string, page int) {
	for i, h := range heads {
		if !slices.Contains(p.shown, h) {
			for _, h := range heads[i:] {
				p.block(&blk{kind: document.Heading, src: h, tok: Tokens(h), page: page})
			}
			return
		}
	}
}

// blocks packs a section's blocks, group by group: an Absatz with the
// lists and text that follow it, a lead-in paragraph with its list, or a
// single block.
func (p *packer) blocks(bs []blk) {
	for i := 0; i < len(bs); {
		j := groupEnd(bs, i)
		p.group(bs[i:j])
		i = j
	}
}

// groupEnd returns the end of the group that starts at bs[i].
func groupEnd(bs []blk, i int) int {
	j := i + 1
	if isAbsatz(&bs[i]) {
		for j < len(bs) && !isAbsatz(&bs[j]) {
			j++
		}
		return j
	}
	if j < len(bs) && bs[j].lead != "" && bs[j].lead == bs[i].src {
		j++
	}
	return j
}

func isAbsatz(b *blk) bool { return b.kind == document.Paragraph && absatzMarker(b.src) > 0 }

// group adds a group whole when it fits the chunk, or a fresh chunk, and
// block by block otherwise.
func (p *packer) group(g []blk) {
	if len(g) == 1 {
		p.block(&g[0])
		return
	}
	tok := 0
	for i := range g {
		tok += g[i].tok
	}
	if tok > p.budget-p.used && tok <= p.budget {
		p.flush()
	}
	if tok <= p.budget-p.used {
		for i := range g {
			p.whole(&g[i])
		}
		return
	}
	for i := range g {
		p.block(&g[i])
	}
}

// block adds b whole when it fits the chunk, or a fresh chunk, and unit
// by unit otherwise.
func (p *packer) block(b *blk) {
	if b.tok > p.budget-p.used && b.tok <= p.budget {
		p.flush()
	}
	if b.tok <= p.budget-p.used {
		p.whole(b)
		return
	}
	p.stream(b)
}

func (p *packer) whole(b *blk) {
	p.parts = append(p.parts, part{kind: b.kind, text: b.src, tok: b.tok, page: b.page})
	p.used += b.tok
}

// stream adds b unit by unit, starting new chunks as they fill. A table's
// header row starts every part of it; a list's lead-in starts the parts
// that begin a chunk. A paragraph cut between sentences or words carries
// its last sentences, up to Overlap tokens, into the next chunk.
func (p *packer) stream(b *blk) {
	head, always := "", false
	switch {
	case b.kind == document.Table && b.header:
		if ls := lineSpans(b.src); len(ls) > 1 {
			head, always = strings.TrimSpace(b.src[ls[0].s:ls[0].e]), true
		}
	case b.kind == document.List:
		head = b.lead
	}
	headTok := Tokens(head)
	if headTok > p.budget/3 {
		head, headTok, always = "", 0, false
	}
	units := b.units(p.budget-headTok, always)
	overlap := 0
	if b.kind == document.Paragraph || b.kind == document.Heading {
		overlap = p.opts.Overlap
	}
	open := -1 // index of the first unit in the chunk's last part
	for i, u := range units {
		if open >= 0 && u.tok <= p.budget-p.used {
			p.extend(u)
			continue
		}
		carry, carryTok := 0, 0
		if open >= 0 && overlap > 0 && u.cut >= cutSentence {
			for j := i - 1; j >= open && carryTok+units[j].tok <= overlap; j-- {
				carry, carryTok = carry+1, carryTok+units[j].tok
			}
		}
		h, ht := p.head(head, headTok, always)
		if open >= 0 || u.tok+ht > p.budget-p.used {
			p.flush()
			h, ht = p.head(head, headTok, always)
		}
		for carry > 0 && carryTok+u.tok+ht > p.budget-p.used {
			carry, carryTok = carry-1, carryTok-units[i-carry].tok
		}
		open = i - carry
		p.openPart(b, units[open], h, ht)
		for _, v := range units[open+1 : i+1] {
			p.extend(v)
		}
	}
}

// head returns the repeated header or lead-in for a part that starts now.
func (p *packer) head(head string, headTok int, always bool) (string, int) {
	if head != "" && (always || len(p.parts) == 0) {
		return head, headTok
	}
	return "", 0
}

func (p *packer) openPart(b *blk, u unit, head string, headTok int) {
	p.src, p.start = b.src, u.s
	p.parts = append(p.parts, part{kind: b.kind, head: head, text: b.src[u.s:u.e], tok: headTok + u.tok, page: b.page})
	p.used += headTok + u.tok
}

func (p *packer) extend(u unit) {
	last := &p.parts[len(p.parts)-1]
	last.text = p.src[p.start:u.e]
	last.tok += u.tok
	p.used += u.tok
}

// flush emits the chunk being filled, if it has any text.
func (p *packer) flush() {
	if len(p.parts) == 0 {
		return
	}
	var sb strings.Builder
	if p.prefix != "" {
		sb.WriteString(p.prefix)
		sb.WriteByte('\n')
	}
	for i, pt := range p.parts {
		if i > 0 {
			sb.WriteByte('\n')
			if p.parts[i-1].kind != document.Heading {
				sb.WriteByte('\n')
			}
		}
		if pt.head != "" {
			sb.WriteString(pt.head)
			sb.WriteByte('\n')
		}
		sb.WriteString(pt.text)
	}
	text := sb.String()
	var section []string
	if len(p.path) > 0 {
		section = slices.Clone(p.path)
	}
	p.out = append(p.out, Chunk{
		Text:    text,
		Section: section,
		Page:    p.parts[0].page,
		Tokens:  Tokens(text),
		Kind:    string(dominant(p.parts)),
	})
	p.parts = p.parts[:0]
	p.used = 0
}

// dominant returns the kind with the most tokens among parts, the first
// on a tie; heading lines count only in a chunk of nothing else.
func dominant(parts []part) document.Kind {
	var kinds []document.Kind
	var toks []int
	for _, pt := range parts {
		if pt.kind == document.Heading && len(kinds) > 0 && kinds[0] != document.Heading {
			continue
		}
		if len(kinds) == 1 && kinds[0] == document.Heading && pt.kind != document.Heading {
			kinds, toks = kinds[:0], toks[:0]
		}
		i := slices.Index(kinds, pt.kind)
		if i < 0 {
			kinds, toks = append(kinds, pt.kind), append(toks, 0)
			i = len(kinds) - 1
		}
		toks[i] += pt.tok
	}
	best := 0
	for i := range toks {
		if toks[i] > toks[best] {
			best = i
		}
	}
	return kinds[best]
}
