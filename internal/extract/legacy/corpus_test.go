package legacy

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

// TestTikaCorpus extracts every .doc, .xls and .ppt of the Tika corpus:
// each yields text or a typed error within the timeout, and the strings
// Tika's tests expect are looked for.
func TestTikaCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "formats/tika/files")
	asserts := corpustest.TikaAsserts(t, filepath.Join(filepath.Dir(dir), "expected_asserts.json"))
	byExt := make(map[string]document.Extractor)
	for _, ex := range Extractors(Options{ToolTimeout: time.Minute}) {
		byExt["."+ex.Name()] = ex
	}
	found, total := 0, 0
	for _, ext := range []string{".doc", ".xls", ".ppt"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*"+ext))
		for _, path := range paths {
			name := filepath.Base(path)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			doc, err := byExt[ext].Extract(ctx, document.Input{Path: path, Name: name, ContentType: "application/x-ole-storage"})
			cancel()
			if err != nil {
				if r := document.Reason(err); r == "error" || r == "timeout" {
					t.Errorf("%s: %v", name, err)
				}
				t.Logf("%-36s %s: %v", name, document.Reason(err), err)
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
			t.Logf("%-36s %s, %d blocks, %d data, %d chars, warnings %q, missing %q", name, doc.Handler, len(doc.Blocks), len(doc.Data), len(text), doc.Warnings, missing)
		}
	}
	if total > 0 {
		t.Logf("Tika asserts found: %d of %d (%.0f%%)", found, total, 100*float64(found)/float64(total))
		if found*2 < total {
			t.Errorf("found only %d of %d Tika asserts", found, total)
		}
	}
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }
