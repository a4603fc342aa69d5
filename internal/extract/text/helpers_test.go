package text

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/document"
)

// writeFixture writes data to name in a fresh temporary directory.
func writeFixture(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// extractBytes writes data as name and runs ex on it.
func extractBytes(t *testing.T, ex document.Extractor, name, contentType string, data []byte) (*document.Document, error) {
	t.Helper()
	path := writeFixture(t, name, data)
	return ex.Extract(context.Background(), document.Input{
		Path: path, Name: name, ContentType: contentType, Size: int64(len(data)), Limits: document.DefaultLimits,
	})
}

// mustExtract is extractBytes that fails the test on an error.
func mustExtract(t *testing.T, ex document.Extractor, name, contentType string, data []byte) *document.Document {
	t.Helper()
	doc, err := extractBytes(t, ex, name, contentType, data)
	if err != nil {
		t.Fatalf("extract %s: %v", name, err)
	}
	return doc
}

// blocksOf returns the doc's blocks of kind k.
func blocksOf(doc *document.Document, k document.Kind) []document.Block {
	var out []document.Block
	for _, b := range doc.Blocks {
		if b.Kind == k {
			out = append(out, b)
		}
	}
	return out
}

// wantText fails when doc's text lacks any of want or holds any of
// unwanted.
func wantText(t *testing.T, doc *document.Document, want []string, unwanted ...string) {
	t.Helper()
	text := doc.Text()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("text holds %q:\n%s", u, text)
		}
	}
}
