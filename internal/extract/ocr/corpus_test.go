package ocr

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
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
	asserts := tikaAsserts(t, filepath.Join(filepath.Dir(dir), "expected_asserts.json"))
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

// tikaAsserts returns, per file, the strings Tika's single-document
// tests expect in the text ("contains", "contains_true"), leaving out
// markup, file names and the like that concern Tika's XHTML or metadata.
func tikaAsserts(t *testing.T, path string) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Logf("no asserts: %v", err)
		return nil
	}
	var all map[string][]struct {
		Docs         []string `json:"docs_in_method"`
		Contains     []string `json:"contains"`
		ContainsTrue []string `json:"contains_true"`
	}
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]string)
	for file, methods := range all {
		seen := make(map[string]bool)
		for _, m := range methods {
			if len(m.Docs) != 1 {
				continue // archive tests: the strings belong to members
			}
			for _, s := range append(m.Contains, m.ContainsTrue...) {
				if seen[s] || !textAssert(s) {
					continue
				}
				seen[s] = true
				out[file] = append(out[file], s)
			}
		}
		sort.Strings(out[file])
	}
	return out
}

var fileName = regexp.MustCompile(`^[\w./-]+\.\w{2,4}$`)

func textAssert(s string) bool {
	return strings.TrimSpace(s) != "" && !strings.ContainsAny(s, "<>\"=") && !fileName.MatchString(s) &&
		!strings.Contains(s, "Exception") && !strings.Contains(s, "timeout")
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
