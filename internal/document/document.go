// Package document is the normalized model that every format extractor
// produces and that chunking, entity extraction and classification
// consume: a sequence of typed blocks (heading, paragraph, list, table,
// code) with their section path and page, the document's metadata,
// tabular data that becomes typed lakehouse tables, and embedded files
// (e-mail attachments, archive members) that are extracted in turn.
package document

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is the type of a block.
type Kind string

const (
	Heading   Kind = "heading"
	Paragraph Kind = "paragraph"
	List      Kind = "list"
	Table     Kind = "table"
	Code      Kind = "code"
)

// Block is one structural unit of a document.
type Block struct {
	Kind Kind `json:"kind"`
	// Level is the heading level (1 is the top) for headings, and the
	// nesting depth for lists; 0 otherwise.
	Level int `json:"level,omitempty"`
	// Text is the block's text. For a list, the items joined by "\n";
	// for a table, the rows rendered one per line with cells joined by
	// " | " (so that every block has searchable text).
	Text string `json:"text"`
	// Items are a list's items, in order.
	Items []string `json:"items,omitempty"`
	// Rows are a table's cells, row by row; Header says the first row
	// holds column names.
	Rows   [][]string `json:"rows,omitempty"`
	Header bool       `json:"header,omitempty"`
	// Section is the path of headings above the block, outermost first.
	// Extractors may leave it empty: Normalize fills it from the
	// headings.
	Section []string `json:"section,omitempty"`
	// Page is the 1-based page (PDF page, slide, sheet number); 0 where
	// the format has no pages.
	Page int `json:"page,omitempty"`
}

// Data is tabular content that should also become a typed table the
// customer can query with SQL: a CSV/TSV file, a spreadsheet sheet.
type Data struct {
	Name    string     `json:"name"`    // sheet name or file name stem
	Columns []string   `json:"columns"` // header row
	Rows    [][]string `json:"rows"`    // cells as written; typing is the loader's job
}

// Attachment is a file embedded in the document (an e-mail attachment,
// an archive member) that is extracted in its own right.
type Attachment struct {
	Name string `json:"name"` // as named inside the container; not trusted as a path
	Data []byte `json:"-"`
}

// Document is the result of extracting one file.
type Document struct {
	Title       string            `json:"title,omitempty"`
	Author      string            `json:"author,omitempty"`
	Created     time.Time         `json:"created,omitzero"`
	Modified    time.Time         `json:"modified,omitzero"`
	Language    string            `json:"language,omitempty"` // "de", "en", … ("" unknown)
	ContentType string            `json:"content_type"`       // MIME type of the source
	Handler     string            `json:"handler"`            // which extractor produced it, e.g. "pdftotext", "docx"
	Metadata    map[string]string `json:"metadata,omitempty"` // other properties (subject, from, to, sheet count, …)
	Blocks      []Block           `json:"blocks"`
	Data        []Data            `json:"data,omitempty"`
	Attachments []Attachment      `json:"-"`
	// Warnings are problems that did not stop extraction (a page whose
	// OCR failed, a missing tool with a fallback, a skipped member).
	Warnings []string `json:"warnings,omitempty"`
}

// Text is the document's blocks' text joined by blank lines.
func (d *Document) Text() string {
	var b strings.Builder
	for i, bl := range d.Blocks {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(bl.Text)
	}
	return b.String()
}

// Input is one file to extract. The file is on local disk (the ingestion
// staging area), so that external tools can read it by path.
type Input struct {
	Path        string // local file to read
	Name        string // original file name (sanitised), for titles and extension hints
	ContentType string // sniffed MIME type, without parameters
	Size        int64
	Limits      Limits
}

// Limits bound what one extraction may consume.
type Limits struct {
	// MaxExpandedBytes bounds the bytes an archive or compressed stream
	// may expand to, all members together.
	MaxExpandedBytes int64
	// MaxMembers bounds the number of archive members / attachments.
	MaxMembers int
	// MaxDepth bounds nesting of containers (archive in mail in archive).
	MaxDepth int
	// Depth is the current nesting depth (0 for an uploaded file).
	Depth int
	// MaxPages bounds the pages OCR is run on.
	MaxPages int
}

// DefaultLimits are the limits ingestion uses unless configured.
var DefaultLimits = Limits{
	MaxExpandedBytes: 1 << 30,
	MaxMembers:       10_000,
	MaxDepth:         5,
	MaxPages:         500,
}

// Extractor turns one file of the formats it handles into a Document.
// Implementations must honour ctx (external tools are run with
// exec.CommandContext), never panic on hostile input, and return the
// typed errors below wrapped with detail.
type Extractor interface {
	// Name identifies the extractor in job status ("docx", "pdftotext").
	Name() string
	// Types are the MIME types it handles.
	Types() []string
	Extract(ctx context.Context, in Input) (*Document, error)
}

// Typed extraction errors. Extractors wrap them:
// fmt.Errorf("%w: zip: %v", document.ErrCorrupt, err).
var (
	ErrUnsupported = errors.New("unsupported format")
	ErrEncrypted   = errors.New("file is encrypted or password-protected")
	ErrCorrupt     = errors.New("file is corrupt or truncated")
	ErrEmpty       = errors.New("file has no extractable text")
	ErrTooLarge    = errors.New("file exceeds an extraction limit")
	ErrToolMissing = errors.New("external tool not installed")
	ErrTimeout     = errors.New("extraction timed out")
)

// Reason classifies err as one of the typed errors' short codes for job
// status: "unsupported", "encrypted", "corrupt", "empty", "too_large",
// "tool_missing", "timeout", or "error".
func Reason(err error) string {
	switch {
	case errors.Is(err, ErrUnsupported):
		return "unsupported"
	case errors.Is(err, ErrEncrypted):
		return "encrypted"
	case errors.Is(err, ErrCorrupt):
		return "corrupt"
	case errors.Is(err, ErrEmpty):
		return "empty"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrToolMissing):
		return "tool_missing"
	case errors.Is(err, ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	default:
		return "error"
	}
}

// Normalize fills in what extractors may leave out: section paths from
// the headings, table and list text from rows and items; it drops invalid
// UTF-8 and control characters (tabs and newlines stay), blocks with no
// text, and trims whitespace. Extractors call it (or the
// dispatcher does) before returning.
func (d *Document) Normalize() {
	var path []string
	var levels []int
	out := d.Blocks[:0]
	for _, b := range d.Blocks {
		switch b.Kind {
		case List:
			if b.Text == "" {
				b.Text = strings.Join(b.Items, "\n")
			}
		case Table:
			if b.Text == "" {
				b.Text = RenderRows(b.Rows)
			}
		}
		b.Text = strings.TrimSpace(cleanText(b.Text))
		if b.Text == "" {
			continue
		}
		if b.Kind == Heading {
			lvl := max(b.Level, 1)
			b.Level = lvl
			for len(levels) > 0 && levels[len(levels)-1] >= lvl {
				levels = levels[:len(levels)-1]
				path = path[:len(path)-1]
			}
			if b.Section == nil {
				b.Section = append([]string(nil), path...)
			}
			levels = append(levels, lvl)
			path = append(path, oneLine(b.Text))
		} else if b.Section == nil && len(path) > 0 {
			b.Section = append([]string(nil), path...)
		}
		out = append(out, b)
	}
	d.Blocks = out
}

// RenderRows renders table rows one per line, cells joined by " | ".
func RenderRows(rows [][]string) string {
	var b strings.Builder
	for i, r := range rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, c := range r {
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(oneLine(c))
		}
	}
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cleanText drops invalid UTF-8 and control characters other than tab
// and newline (a carriage return becomes a newline).
func cleanText(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
			return -1
		}
		return r
	}, s)
}
