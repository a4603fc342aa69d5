package chunk

import (
	"slices"

	"github.com/zero711/brain/internal/document"
)

// Defaults of Options.
const (
	DefaultMaxTokens = 400
	DefaultOverlap   = 50
	DefaultMinTokens = 40
)

// Options bound the chunks Split makes. Zero values take the defaults.
type Options struct {
	// MaxTokens bounds a chunk's tokens (as counted by Tokens), its
	// context line included.
	MaxTokens int
	// Overlap is how many tokens of whole sentences a paragraph cut
	// between sentences repeats at the start of its next chunk; at most
	// MaxTokens/4. Negative disables overlap.
	Overlap int
	// MinTokens is the size below which consecutive sibling sections
	// share one chunk. Negative disables merging.
	MinTokens int
}

func (o Options) withDefaults() Options {
	if o.MaxTokens <= 0 {
		o.MaxTokens = DefaultMaxTokens
	}
	switch {
	case o.Overlap == 0:
		o.Overlap = DefaultOverlap
	case o.Overlap < 0:
		o.Overlap = 0
	}
	o.Overlap = min(o.Overlap, o.MaxTokens/4)
	switch {
	case o.MinTokens == 0:
		o.MinTokens = DefaultMinTokens
	case o.MinTokens < 0:
		o.MinTokens = 0
	}
	o.MinTokens = min(o.MinTokens, o.MaxTokens)
	return o
}

// Chunk is a retrievable piece of a document.
type Chunk struct {
	// Text starts with a context line, the section path ("Teil 2 > § 8
	// Einkommen"), unless the chunk has no section, followed by the
	// body.
	Text string
	// Section is the path of headings the chunk sits under, outermost
	// first; for tiny sibling sections merged into one chunk, their
	// parent's path.
	Section []string
	// Page is the page of the chunk's first block (0 where the format has
	// no pages).
	Page int
	// Tokens is Tokens(Text), at most MaxTokens.
	Tokens int
	// Kind is the block kind with the most tokens in the chunk:
	// "paragraph", "list", "table", "code", or "heading" for headings
	// without content.
	Kind string
}

// Split cuts doc into chunks of at most opts.MaxTokens tokens, in
// document order, following its structure; see the package
// documentation for the rules. It does not modify doc, and the same
// input always gives the same chunks.
func Split(doc *document.Document, opts Options) []Chunk {
	if doc == nil || len(doc.Blocks) == 0 {
		return nil
	}
	opts = opts.withDefaults()
	norm := document.Document{Blocks: slices.Clone(doc.Blocks)}
	norm.Normalize()
	secs := segment(norm.Blocks)
	p := packer{opts: opts}
	for i := 0; i < len(secs); {
		if j := p.tinyRun(secs, i); j > i+1 {
			p.merged(secs[i:j])
			i = j
			continue
		}
		p.section(secs[i])
		i++
	}
	p.flush()
	return p.out
}

// section packs one section into chunks of its own.
func (p *packer) section(s *section) {
	if s.bare {
		p.begin(s.path, s.parent())
	} else {
		p.begin(s.path, s.path)
		p.heads(s.heads, s.blocks[0].page)
	}
	p.blocks(s.blocks)
	p.flush()
}

// merged packs tiny sibling sections into one chunk under their parent,
// each after its heading.
func (p *packer) merged(secs []*section) {
	parent := secs[0].parent()
	p.begin(slices.Clip(parent), parent)
	for _, s := range secs {
		if !s.bare {
			p.heads(s.heads, s.blocks[0].page)
		}
		p.blocks(s.blocks)
	}
	p.flush()
}

// tinyRun returns the end of the run of tiny sibling sections that
// starts at secs[i] and fits one chunk, or i+1 when there is none of two
// or more. A section is tiny when its content has fewer than MinTokens
// tokens; a heading without content is tiny when its title is.
func (p *packer) tinyRun(secs []*section, i int) int {
	first := secs[i]
	if p.opts.MinTokens == 0 || len(first.path) == 0 || first.tok >= p.opts.MinTokens {
		return i + 1
	}
	parent := first.parent()
	budget := p.bodyBudget(parent)
	used, j := 0, i
	for ; j < len(secs); j++ {
		s := secs[j]
		if s.tok >= p.opts.MinTokens || len(s.path) != len(first.path) || !slices.Equal(s.parent(), parent) {
			break
		}
		used += s.tok
		for _, h := range s.heads {
			used += Tokens(h)
		}
		if used > budget {
			break
		}
	}
	return j
}
