package legacy

import (
	"context"
	"fmt"
	"strings"

	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/extract/pdf"
)

// wordExtractor reads .doc files with antiword, falling back to catdoc
// for the files antiword gives up on (Word 6/95 text streams it
// considers too small, documents whose text it finds empty).
type wordExtractor struct{ opts Options }

var _ document.Extractor = (*wordExtractor)(nil)

// Name identifies the extractor in job status.
func (e *wordExtractor) Name() string { return "doc" }

// Types are the Word MIME types.
func (e *wordExtractor) Types() []string { return []string{"application/msword"} }

// Extract returns the text of the Word file at in.Path. It returns
// ErrEncrypted for a password-protected document, ErrCorrupt for a file
// that is not a Word document, ErrEmpty when neither tool finds text,
// ErrToolMissing when neither antiword nor catdoc is installed and
// ErrTimeout when a tool runs too long.
func (e *wordExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	head, err := readHead(in.Path, 8)
	if err != nil {
		return nil, err
	}
	hasAnti, hasCat := haveTool("antiword"), haveTool("catdoc")
	if !hasAnti && !hasCat {
		return nil, fmt.Errorf("%w: antiword or catdoc (install antiword, catdoc)", document.ErrToolMissing)
	}
	doc := newDoc(in, "application/msword", "antiword")
	var text string
	if hasAnti {
		text, err = e.antiword(ctx, in.Path)
		if err == nil && strings.TrimSpace(text) != "" {
			return finishWord(doc, text)
		}
		if !canFallBack(err) || !isOLE(head) || !hasCat {
			return nil, wordError(err)
		}
		doc.Warnings = append(doc.Warnings, "antiword: "+warnText(err)+"; used catdoc")
	}
	doc.Handler = "catdoc"
	if !isOLE(head) {
		return nil, fmt.Errorf("%w: doc: not an OLE2 file", document.ErrCorrupt)
	}
	text, err = e.catdoc(ctx, in.Path)
	if err != nil {
		return nil, err
	}
	return finishWord(doc, text)
}

// errNoText marks antiword output without text, which catdoc may still
// read.
var errNoText = fmt.Errorf("%w: antiword found no text", document.ErrEmpty)

func canFallBack(err error) bool {
	return err == nil || err == errNoText || !isTyped(err)
}

func isTyped(err error) bool { return document.Reason(err) != "error" }

func wordError(err error) error {
	if err == nil {
		return errNoText
	}
	return err
}

func warnText(err error) string {
	if err == nil {
		return "no text"
	}
	return err.Error()
}

// antiword runs antiword, mapping its messages to typed errors.
func (e *wordExtractor) antiword(ctx context.Context, path string) (string, error) {
	res, err := runTool(ctx, e.opts.ToolTimeout, "antiword", "-m", "UTF-8.txt", "-w", "0", path)
	if err != nil {
		return "", err
	}
	msg := res.message()
	switch {
	case strings.Contains(msg, "Encrypted documents are not supported"), strings.Contains(msg, "is encrypted"):
		return "", fmt.Errorf("%w: doc: antiword: %s", document.ErrEncrypted, firstLine(msg))
	case strings.Contains(msg, "is not a Word Document"):
		return "", fmt.Errorf("%w: doc: not a Word document", document.ErrCorrupt)
	case res.err != nil:
		return "", fmt.Errorf("doc: antiword: %v: %s", res.err, firstLine(msg))
	case strings.TrimSpace(res.stdout) == "":
		return "", errNoText
	}
	return res.stdout, nil
}

// catdoc runs catdoc, which prints garbage rather than fail on files it
// cannot read, so callers check for OLE first.
func (e *wordExtractor) catdoc(ctx context.Context, path string) (string, error) {
	res, err := runTool(ctx, e.opts.ToolTimeout, "catdoc", "-d", "utf-8", "-w", path)
	if err != nil {
		return "", err
	}
	msg := res.message()
	switch {
	case strings.Contains(msg, "[File is encrypted"), strings.Contains(res.stderr, "encrypted"):
		return "", fmt.Errorf("%w: doc: catdoc: %s", document.ErrEncrypted, firstLine(msg))
	case strings.Contains(msg, "is not a Word Document"), strings.Contains(msg, "not OLE file"):
		return "", fmt.Errorf("%w: doc: not a Word document", document.ErrCorrupt)
	case res.err != nil:
		return "", fmt.Errorf("%w: doc: catdoc: %v: %s", document.ErrCorrupt, res.err, firstLine(msg))
	}
	return res.stdout, nil
}

// finishWord turns the tool's text into blocks: antiword's tables
// ("|cell |cell |" lines) become table blocks, the rest goes through
// pdf.TextBlocks.
func finishWord(doc *document.Document, text string) (*document.Document, error) {
	text = strings.ReplaceAll(text, "[pic]", "")
	var prose []string
	var rows [][]string
	flush := func() {
		if len(prose) > 0 {
			doc.Blocks = append(doc.Blocks, pdf.TextBlocks(strings.Join(prose, "\n"), 0)...)
			prose = nil
		}
		if len(rows) > 0 {
			doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Table, Rows: rows})
			rows = nil
		}
	}
	for line := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(line)
		if isRule(t) {
			continue
		}
		if len(t) >= 2 && strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|") {
			if len(prose) > 0 {
				flush()
			}
			rows = append(rows, tableCells(t))
			continue
		}
		if len(rows) > 0 {
			flush()
		}
		prose = append(prose, line)
	}
	flush()
	doc.Normalize()
	if len(doc.Blocks) == 0 {
		return nil, fmt.Errorf("%w: doc: no text", document.ErrEmpty)
	}
	return doc, nil
}

// isRule reports whether line is a separator antiword draws (above
// footnotes, for instance).
func isRule(line string) bool {
	return len(line) >= 5 && strings.Trim(line, "-") == ""
}

func tableCells(line string) []string {
	parts := strings.Split(strings.Trim(line, "|"), "|")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}
