package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/extract/ocr"
)

// Options configure PDF extraction.
type Options struct {
	// OCR runs tesseract on pages without a text layer. DefaultOptions
	// turns it on when tesseract is installed.
	OCR bool
	// OCRLanguages are tesseract's languages joined by "+"; "" means
	// "deu+eng". Languages that are not installed are left out.
	OCRLanguages string
	// DPI is the resolution pages are rendered at for OCR; 0 means 300.
	DPI int
	// ToolTimeout bounds each run of an external tool (and the pure-Go
	// fallback); 0 means DefaultToolTimeout.
	ToolTimeout time.Duration
}

// DefaultToolTimeout bounds one run of pdftotext, pdfinfo, pdftoppm or
// tesseract unless configured.
const DefaultToolTimeout = 2 * time.Minute

// minTextChars is the number of non-space characters below which a
// page counts as having no text layer and is OCRed.
const minTextChars = 20

// DefaultOptions are OCR on where tesseract is installed, German and
// English, 300 DPI and DefaultToolTimeout.
func DefaultOptions() Options {
	_, err := exec.LookPath("tesseract")
	return Options{OCR: err == nil, OCRLanguages: ocr.DefaultLanguages, DPI: 300, ToolTimeout: DefaultToolTimeout}
}

// Extractors returns the PDF extractor configured by opts, zero fields
// taking their defaults (OCR stays as given).
func Extractors(opts Options) []document.Extractor {
	if opts.OCRLanguages == "" {
		opts.OCRLanguages = ocr.DefaultLanguages
	}
	if opts.DPI <= 0 {
		opts.DPI = 300
	}
	if opts.ToolTimeout <= 0 {
		opts.ToolTimeout = DefaultToolTimeout
	}
	return []document.Extractor{&extractor{opts: opts, tess: ocr.NewTesseract(opts.OCRLanguages, opts.ToolTimeout)}}
}

// extractor runs pdftotext where installed and the pure-Go reader
// otherwise.
type extractor struct {
	opts Options
	tess *ocr.Tesseract
}

var _ document.Extractor = (*extractor)(nil)

// Name identifies the extractor in job status.
func (e *extractor) Name() string { return "pdf" }

// Types are the PDF MIME types.
func (e *extractor) Types() []string { return []string{"application/pdf"} }

// Extract returns the text of the PDF at in.Path. It returns
// ErrEncrypted for a PDF that needs a password, ErrCorrupt for one that
// cannot be read, ErrEmpty when no page has text (and OCR found none or
// could not run), ErrTimeout when a tool runs too long, ErrTooLarge when
// the pure-Go fallback gets too large a file and ErrToolMissing when
// neither poppler nor the fallback can run.
func (e *extractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	fi, err := os.Stat(in.Path)
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("%w: pdf: empty file", document.ErrCorrupt)
	}
	doc := &document.Document{ContentType: contentType(in), Metadata: map[string]string{}}
	var pages []string
	if _, err := exec.LookPath("pdftotext"); err == nil {
		doc.Handler = "pdftotext"
		pages, err = e.poppler(ctx, in, doc)
		if err != nil {
			return nil, err
		}
	} else {
		doc.Handler = "pdf-go"
		doc.Warnings = append(doc.Warnings, "pdftotext not installed (poppler-utils): used the pure-Go PDF reader, which is less exact")
		pages, err = e.pureGo(ctx, in, fi.Size())
		if errors.Is(err, document.ErrCorrupt) {
			// poppler reads many files the pure-Go reader cannot.
			return nil, fmt.Errorf("%w: pdftotext (poppler-utils) not installed, and %v", document.ErrToolMissing, err)
		}
		if err != nil {
			return nil, err
		}
	}
	if e.opts.OCR && doc.Handler == "pdftotext" {
		e.ocrPages(ctx, in, pages, doc)
	}
	for i, p := range pages {
		doc.Blocks = append(doc.Blocks, TextBlocks(p, i+1)...)
	}
	doc.Normalize()
	if len(doc.Blocks) == 0 && doc.Handler == "pdf-go" {
		return nil, fmt.Errorf("%w: pdftotext (poppler-utils) not installed, and the pure-Go reader found no text", document.ErrToolMissing)
	}
	if len(doc.Blocks) == 0 {
		return nil, fmt.Errorf("%w: pdf: no page has a text layer%s", document.ErrEmpty, e.ocrHint(doc))
	}
	return doc, nil
}

// ocrHint says why OCR did not help an empty document.
func (e *extractor) ocrHint(doc *document.Document) string {
	switch {
	case doc.Metadata["ocr_pages"] != "":
		return " and OCR recognised none"
	case !e.opts.OCR:
		return " (OCR is off)"
	case doc.Handler != "pdftotext":
		return " (OCR needs poppler's pdftoppm)"
	default:
		return ""
	}
}

func contentType(in document.Input) string {
	if in.ContentType != "" {
		return in.ContentType
	}
	return "application/pdf"
}

// textChars counts the non-space characters in s, stopping at limit.
func textChars(s string, limit int) int {
	n := 0
	for _, r := range s {
		if !strings.ContainsRune(" \t\r\n\f\v\u00a0", r) {
			n++
			if n >= limit {
				break
			}
		}
	}
	return n
}
