package pdf

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zero711/brain/internal/document"
)

// ocrPages replaces the text of pages without a text layer by what
// tesseract reads from them, up to in.Limits.MaxPages pages, and records
// what it did in doc's warnings and metadata. OCR failures are
// warnings: the rest of the document still counts.
func (e *extractor) ocrPages(ctx context.Context, in document.Input, pages []string, doc *document.Document) {
	var todo []int
	for i, p := range pages {
		if textChars(p, minTextChars) < minTextChars {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil || !e.tess.Available() {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("%d page(s) have no text layer; OCR needs pdftoppm and tesseract, which are not both installed", len(todo)))
		return
	}
	limit := in.Limits.MaxPages
	if limit <= 0 {
		limit = document.DefaultLimits.MaxPages
	}
	if len(todo) > limit {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("OCR limited to %d of %d pages without a text layer", limit, len(todo)))
		todo = todo[:limit]
	}
	dir, err := os.MkdirTemp("", "pdf-ocr-*")
	if err != nil {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("OCR skipped: staging directory: %v", err))
		return
	}
	defer os.RemoveAll(dir)
	var done []string
	for _, i := range todo {
		if ctx.Err() != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("OCR stopped before page %d: %v", i+1, ctx.Err()))
			break
		}
		text, err := e.ocrPage(ctx, in.Path, dir, i+1)
		if err != nil {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("OCR of page %d failed: %v", i+1, err))
			continue
		}
		done = append(done, strconv.Itoa(i+1))
		if textChars(text, minTextChars) > textChars(pages[i], minTextChars) {
			pages[i] = text
		}
	}
	if len(done) == 0 {
		return
	}
	langs, note := e.tess.Languages(ctx)
	if note != "" {
		doc.Warnings = append(doc.Warnings, note)
	}
	doc.Handler += "+ocr"
	doc.Metadata["ocr_pages"] = strconv.Itoa(len(done))
	doc.Metadata["ocr_languages"] = langs
	doc.Warnings = append(doc.Warnings, fmt.Sprintf("OCR ran on %d page(s) without a text layer: %s", len(done), strings.Join(done, ", ")))
}

// ocrPage renders page n of the PDF at path into dir and returns the
// text tesseract reads from the image.
func (e *extractor) ocrPage(ctx context.Context, path, dir string, n int) (string, error) {
	prefix := filepath.Join(dir, "page-"+strconv.Itoa(n))
	page := strconv.Itoa(n)
	_, err := runTool(ctx, e.opts.ToolTimeout, 1<<20, "pdftoppm",
		"-r", strconv.Itoa(e.opts.DPI), "-f", page, "-l", page, "-png", "-singlefile", path, prefix)
	if err != nil {
		return "", err
	}
	img := prefix + ".png"
	defer os.Remove(img)
	return e.tess.Recognize(ctx, img)
}
