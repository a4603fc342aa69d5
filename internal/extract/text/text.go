package text

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// Bounds on what one extraction reads and produces.
const (
	// maxInputBytes bounds the bytes read into memory by the extractors
	// that need the whole file (plain text, Markdown, HTML, RTF).
	maxInputBytes = 64 << 20
	// maxOutputBytes bounds the text one extraction emits.
	maxOutputBytes = 64 << 20
	// maxDepth bounds nesting (RTF groups, JSON values, XML elements,
	// HTML elements walked).
	maxDepth = 256
	// rowsPerTable is the number of body rows per Table block.
	rowsPerTable = 50
)

// extractor is a document.Extractor made of a name, its types and a
// function over the file's bytes or path.
type extractor struct {
	name  string
	types []string
	run   func(ctx context.Context, in document.Input) (*document.Document, error)
}

func (e *extractor) Name() string    { return e.name }
func (e *extractor) Types() []string { return append([]string(nil), e.types...) }

// Extract implements document.Extractor. It returns ErrCorrupt for
// malformed input, ErrEmpty when there is no text, ErrTooLarge when a
// bound is exceeded and ctx's error when cancelled.
func (e *extractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, err := e.run(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.name, err)
	}
	return doc, nil
}

var _ document.Extractor = (*extractor)(nil)

// readInput reads in.Path up to maxInputBytes; truncated says the file
// was longer.
func readInput(in document.Input) (data []byte, truncated bool, err error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, false, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	limit := int64(maxInputBytes)
	if m := in.Limits.MaxExpandedBytes; m > 0 && m < limit {
		limit = m
	}
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, fmt.Errorf("read: %w", err)
	}
	if int64(len(data)) > limit {
		return data[:limit], true, nil
	}
	return data, false, nil
}

// newDoc starts a Document for in.
func newDoc(in document.Input, handler string) *document.Document {
	return &document.Document{
		ContentType: in.ContentType,
		Handler:     handler,
		Metadata:    map[string]string{},
	}
}

// finish normalizes doc and reports ErrEmpty when nothing was found.
func finish(doc *document.Document) (*document.Document, error) {
	doc.Normalize()
	if len(doc.Metadata) == 0 {
		doc.Metadata = nil
	}
	if len(doc.Blocks) == 0 && len(doc.Data) == 0 {
		return nil, fmt.Errorf("%w: no text found", document.ErrEmpty)
	}
	return doc, nil
}

// truncatedWarning is the warning for an input cut at maxInputBytes.
func truncatedWarning() string {
	return fmt.Sprintf("file longer than %d MiB: only the first %d MiB were extracted", maxInputBytes>>20, maxInputBytes>>20)
}

// ext is the lower-case extension of the input's original name, or of
// its path when it has no name.
func ext(in document.Input) string {
	name := in.Name
	if name == "" {
		name = in.Path
	}
	return strings.ToLower(filepath.Ext(name))
}

// stem is the input's file name without directory and extension.
func stem(in document.Input) string {
	name := in.Name
	if name == "" {
		name = in.Path
	}
	base := filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if s := strings.TrimSuffix(base, filepath.Ext(base)); s != "" {
		return s
	}
	return base
}

// budget counts emitted text against maxOutputBytes.
type budget struct{ left int }

func newBudget() *budget { return &budget{left: maxOutputBytes} }

// take charges n bytes and says whether they still fit.
func (b *budget) take(n int) bool {
	if n > b.left {
		b.left = 0
		return false
	}
	b.left -= n
	return true
}

// errOutputFull stops an extraction that reached maxOutputBytes; the
// extractors turn it into a warning.
var errOutputFull = errors.New("output limit reached")

// outputWarning is the warning for an extraction cut at maxOutputBytes.
func outputWarning() string {
	return fmt.Sprintf("extracted text exceeds %d MiB: the rest was dropped", maxOutputBytes>>20)
}

// collapse joins s's whitespace-separated fields with single spaces.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// Extractors returns the extractors of this package: plain text,
// Markdown, HTML, MHTML, RTF, CSV/TSV, JSON, NDJSON and XML.
func Extractors() []document.Extractor {
	return []document.Extractor{
		Plain(), Markdown(), HTML(), MHTML(), RTF(), CSV(), JSON(), NDJSON(), XML(),
	}
}
