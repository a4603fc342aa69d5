package legacy

import (
	"context"
	"fmt"
	"strings"

	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/extract/pdf"
)

// powerPointExtractor reads .ppt files with catppt.
type powerPointExtractor struct{ opts Options }

var _ document.Extractor = (*powerPointExtractor)(nil)

// Name identifies the extractor in job status.
func (e *powerPointExtractor) Name() string { return "ppt" }

// Types are the PowerPoint MIME types.
func (e *powerPointExtractor) Types() []string { return []string{"application/vnd.ms-powerpoint"} }

// Extract returns the slides' text of the PowerPoint file at in.Path,
// Page being the slide number. It returns ErrCorrupt for a file that is
// not OLE2, ErrEncrypted for a protected presentation, ErrEmpty when no
// slide has text, ErrToolMissing without catppt and ErrTimeout when it
// runs too long.
func (e *powerPointExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	head, err := readHead(in.Path, 8)
	if err != nil {
		return nil, err
	}
	if !isOLE(head) {
		return nil, fmt.Errorf("%w: ppt: not an OLE2 file", document.ErrCorrupt)
	}
	if !haveTool("catppt") {
		return nil, fmt.Errorf("%w: catppt (install catdoc)", document.ErrToolMissing)
	}
	res, err := runTool(ctx, e.opts.ToolTimeout, "catppt", "-d", "utf-8", in.Path)
	if err != nil {
		return nil, err
	}
	msg := strings.ToLower(res.stderr)
	switch {
	case strings.Contains(msg, "encrypt") || strings.Contains(msg, "password"):
		return nil, fmt.Errorf("%w: ppt: catppt: %s", document.ErrEncrypted, firstLine(res.stderr))
	case strings.Contains(msg, "not ole file"):
		return nil, fmt.Errorf("%w: ppt: catppt: %s", document.ErrCorrupt, firstLine(res.stderr))
	case res.err != nil:
		return nil, fmt.Errorf("%w: ppt: catppt: %v: %s", document.ErrCorrupt, res.err, firstLine(res.stderr))
	}
	doc := newDoc(in, "application/vnd.ms-powerpoint", "catppt")
	slides := strings.Split(strings.TrimRight(res.stdout, "\f\n "), "\f")
	for i, s := range slides {
		doc.Blocks = append(doc.Blocks, pdf.TextBlocks(s, i+1)...)
	}
	doc.Metadata["slides"] = fmt.Sprint(len(slides))
	doc.Normalize()
	if len(doc.Blocks) == 0 {
		return nil, fmt.Errorf("%w: ppt: catppt found no text", document.ErrEmpty)
	}
	return doc, nil
}
