package ocr

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

// TestTikaImages runs OCR on the Tika corpus's images: each yields text
// or a typed error within the timeout, and the strings Tika's tests
// expect are looked for.
func TestTikaImages(t *testing.T) {
	dir := corpustest.Dir(t, "formats/tika/files")
	requireTesseract(t)
	asserts := corpustest.TikaAsserts(t, filepath.Join(filepath.Dir(dir), "expected_asserts.json"))
	var paths []string
	for _, pat := range []string{"*.png", "*.jpg", "*.jpeg", "*.tif", "*.tiff", "*.gif", "*.bmp", "*.webp"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		paths = append(paths, m...)
	}
	ex := New("", time.Minute)
	found, total := 0, 0
	for _, path := range paths {
		name := filepath.Base(path)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		doc, err := ex.Extract(ctx, document.Input{Path: path, Name: name})
		cancel()
		if err != nil {
			if r := document.Reason(err); r == "error" || r == "timeout" {
				t.Errorf("%s: %v", name, err)
			}
			t.Logf("%-28s %s: %v", name, document.Reason(err), err)
			continue
		}
		text := normSpace(doc.Text())
		var missing []string
		for _, want := range asserts[name] {
			total++
			if strings.Contains(text, normSpace(want)) {
				found++
			} else {
				missing = append(missing, want)
			}
		}
		t.Logf("%-28s %d blocks, text %q, missing %q", name, len(doc.Blocks), text, missing)
	}
	if total > 0 {
		t.Logf("Tika asserts found: %d of %d (%.0f%%)", found, total, 100*float64(found)/float64(total))
		if found*2 < total {
			t.Errorf("found only %d of %d Tika asserts", found, total)
		}
	}
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
