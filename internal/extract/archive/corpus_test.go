package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

// corpusTypes maps the corpus's archive files to the extractor for the
// MIME type mimetype v1.4.16 reports for them.
var corpusTypes = map[string]document.Extractor{
	".zip": zipExtractor{}, ".tgz": gzipExtractor{}, ".gz": gzipExtractor{},
	".tar": tarExtractor{}, ".bz2": bzip2Extractor{}, ".7z": sevenZipExtractor{},
}

// zipLike are corpus files with other extensions that mimetype reports
// as plain application/zip, so they reach the ZIP extractor.
var zipLike = map[string]bool{
	"testWORD_truncated.docx": true, "testIndesign.idml": true, "testXLSX.xps": true, "testStarOffice-6.0-writer.sxw": true,
}

// TestCorpus extracts every archive of the shared corpus: each yields
// members or a typed error, and the strings Tika's tests expect are
// looked for in the name block (and, for content strings that need the
// dispatcher's recursion, in the members' raw bytes).
func TestCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "formats/tika/files")
	asserts := loadAsserts(t, filepath.Join(dir, "..", "expected_asserts.json"))
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var inText, inMembers, total int
	for _, e := range ents {
		x, ok := corpusTypes[strings.ToLower(filepath.Ext(e.Name()))]
		if zipLike[e.Name()] {
			x, ok = zipExtractor{}, true
		}
		if !ok {
			continue
		}
		d, err := extract(t, x, filepath.Join(dir, e.Name()), document.Limits{})
		if err != nil {
			if document.Reason(err) == "error" {
				t.Errorf("%s: untyped error %v", e.Name(), err)
			}
			t.Logf("%s: %s: %v", e.Name(), document.Reason(err), err)
			continue
		}
		t.Logf("%s: %d members, %d warnings", e.Name(), len(d.Attachments), len(d.Warnings))
		for _, s := range asserts[e.Name()] {
			total++
			switch {
			case strings.Contains(d.Text(), s):
				inText++
			case inAttachments(d, s):
				inMembers++
			default:
				t.Logf("%s: %q not found", e.Name(), s)
			}
		}
	}
	t.Logf("expected strings: %d of %d in the name block, %d more in member bytes", inText, total, inMembers)
}

func inAttachments(d *document.Document, s string) bool {
	for _, a := range d.Attachments {
		if bytes.Contains(a.Data, []byte(s)) {
			return true
		}
	}
	return false
}

// loadAsserts reads the "contains" strings per file.
func loadAsserts(t *testing.T, path string) map[string][]string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var all map[string][]map[string]any
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for file, groups := range all {
		seen := map[string]bool{}
		for _, g := range groups {
			for _, key := range []string{"contains", "contains_true"} {
				list, _ := g[key].([]any)
				for _, v := range list {
					if s, ok := v.(string); ok && !seen[s] {
						seen[s] = true
						out[file] = append(out[file], s)
					}
				}
			}
		}
	}
	return out
}
