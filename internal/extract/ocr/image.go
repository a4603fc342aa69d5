package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // DecodeConfig for the pixel bound
	_ "image/jpeg"
	_ "image/png"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zero711/brain/internal/document"
)

// MaxPixels bounds the size of an image handed to tesseract, which
// needs several bytes of memory per pixel.
const MaxPixels = 100_000_000

// Extractor recognises the text in images with tesseract.
type Extractor struct {
	tess *Tesseract
}

var _ document.Extractor = (*Extractor)(nil)

// New returns an image extractor that asks tesseract for languages
// ("" means DefaultLanguages) and bounds each run by timeout (0 means
// DefaultTimeout).
func New(languages string, timeout time.Duration) *Extractor {
	return &Extractor{tess: NewTesseract(languages, timeout)}
}

// Name identifies the extractor in job status.
func (e *Extractor) Name() string { return "tesseract" }

// Types are the image MIME types as github.com/gabriel-vasile/mimetype
// reports them.
func (e *Extractor) Types() []string {
	return []string{
		"image/png", "image/vnd.mozilla.apng", "image/jpeg", "image/tiff",
		"image/gif", "image/bmp", "image/webp",
	}
}

// Extract runs tesseract on in.Path. It returns ErrToolMissing without
// tesseract, ErrUnsupported for a file that is not an image, ErrTooLarge
// for an image over MaxPixels, ErrCorrupt when tesseract cannot read it,
// ErrEmpty when no text is recognised and ErrTimeout when it takes too
// long.
func (e *Extractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	if !e.tess.Available() {
		return nil, fmt.Errorf("%w: tesseract (install tesseract-ocr)", document.ErrToolMissing)
	}
	if err := checkPixels(in.Path); err != nil {
		return nil, err
	}
	text, err := e.tess.Recognize(ctx, in.Path)
	if err != nil {
		return nil, fmt.Errorf("ocr: %w", err)
	}
	doc := &document.Document{ContentType: in.ContentType, Handler: "tesseract", Metadata: map[string]string{}}
	langs, note := e.tess.Languages(ctx)
	doc.Metadata["ocr_languages"] = langs
	if note != "" {
		doc.Warnings = append(doc.Warnings, note)
	}
	pages := strings.Split(strings.TrimRight(text, "\f\n "), "\f")
	for i, p := range pages {
		page := 0
		if len(pages) > 1 {
			page = i + 1
		}
		doc.Blocks = append(doc.Blocks, Paragraphs(p, page)...)
	}
	if len(pages) > 1 {
		doc.Metadata["pages"] = fmt.Sprint(len(pages))
	}
	doc.Normalize()
	if len(doc.Blocks) == 0 {
		return nil, fmt.Errorf("%w: tesseract recognised no text", document.ErrEmpty)
	}
	return doc, nil
}

// checkPixels refuses images whose header declares more than MaxPixels,
// for the formats the standard library reads headers of.
func checkPixels(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("ocr: open: %w", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if errors.Is(err, image.ErrFormat) {
		return nil // TIFF, BMP, WebP: tesseract's own reader decides
	}
	if err != nil {
		return fmt.Errorf("%w: image header: %v", document.ErrCorrupt, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return fmt.Errorf("%w: image of %dx%d pixels exceeds %d", document.ErrTooLarge, cfg.Width, cfg.Height, MaxPixels)
	}
	return nil
}

// Paragraphs turns OCR output into paragraph blocks on page: tesseract
// separates paragraphs by blank lines and wraps lines within them; a
// word hyphenated at a line end is joined when the next line goes on in
// lower case.
func Paragraphs(text string, page int) []document.Block {
	var blocks []document.Block
	var cur []byte
	flush := func() {
		if s := strings.TrimSpace(string(cur)); s != "" {
			blocks = append(blocks, document.Block{Kind: document.Paragraph, Text: s, Page: page})
		}
		cur = cur[:0]
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			flush()
			continue
		}
		cur = joinLine(cur, line)
	}
	flush()
	return blocks
}

// joinLine appends line to the paragraph in buf: after a hyphen that
// ends a word with a lower-case continuation the hyphen is dropped,
// otherwise a space separates the lines.
func joinLine(buf []byte, line string) []byte {
	if len(buf) == 0 {
		return append(buf, line...)
	}
	if n := len(buf); buf[n-1] == '-' && n > 1 && startsLower(line) {
		if r, _ := utf8.DecodeLastRune(buf[:n-1]); unicode.IsLetter(r) {
			return append(buf[:n-1], line...)
		}
	}
	return append(append(buf, ' '), line...)
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}
