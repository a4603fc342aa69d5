package office

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/zero711/brain/internal/document"
)

// part is one zip member of a generated fixture.
type part struct{ name, body string }

// zipBytes builds a zip archive of parts in order.
func zipBytes(t testing.TB, parts []part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		method := zip.Deflate
		if p.name == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes data under t.TempDir and returns its path.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// extract runs the named extractor on a file with default limits.
func extract(t *testing.T, handler, path string) (*document.Document, error) {
	t.Helper()
	in := document.Input{Path: path, Name: filepath.Base(path), Limits: document.DefaultLimits}
	return byName(t, handler).Extract(context.Background(), in)
}

// want is the expected shape of one block.
type want struct {
	kind    document.Kind
	level   int
	text    string
	section []string
	page    int
}

// checkBlocks compares the blocks' kind, level, text, section and page.
func checkBlocks(t *testing.T, got []document.Block, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		for i, b := range got {
			t.Logf("block %d: %s L%d p%d %q %q", i, b.Kind, b.Level, b.Page, b.Text, b.Section)
		}
		t.Fatalf("got %d blocks, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		b := got[i]
		sec := b.Section
		if len(sec) == 0 {
			sec = nil
		}
		if b.Kind != w.kind || b.Level != w.level || b.Text != w.text || b.Page != w.page || !reflect.DeepEqual(sec, w.section) {
			t.Errorf("block %d = %s L%d p%d %q %q, want %s L%d p%d %q %q", i, b.Kind, b.Level, b.Page, b.Text, b.Section, w.kind, w.level, w.page, w.text, w.section)
		}
	}
}
