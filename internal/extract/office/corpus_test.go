package office

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gabriel-vasile/mimetype"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

// corpusFiles maps corpus files of this package's formats to the
// extractor that handles them (the dispatcher picks by sniffed type,
// or by extension where the sniffer sees only a zip or compound file).
var corpusExt = map[string]string{
	".docx": "docx", ".pptx": "pptx", ".xlsx": "xlsx", ".xlsb": "xlsx",
	".odt": "odt", ".ods": "ods", ".odp": "odp", ".sxw": "odt", ".epub": "epub",
}

func byName(t *testing.T, name string) document.Extractor {
	t.Helper()
	for _, x := range Extractors() {
		if x.Name() == name {
			return x
		}
	}
	t.Fatalf("no extractor %q", name)
	return nil
}

// TestCorpus runs every corpus file of these formats: each yields text
// or a typed error, and the strings Tika's tests expect are counted.
func TestCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "formats/tika/files")
	asserts := loadAsserts(t, filepath.Join(filepath.Dir(dir), "expected_asserts.json"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found, total int
	for _, e := range entries {
		name, ok := corpusExt[strings.ToLower(filepath.Ext(e.Name()))]
		if !ok {
			continue
		}
		path := filepath.Join(dir, e.Name())
		mt, _ := mimetype.DetectFile(path)
		in := document.Input{Path: path, Name: e.Name(), ContentType: mt.String(), Limits: document.DefaultLimits}
		doc, err := byName(t, name).Extract(context.Background(), in)
		if err != nil {
			if document.Reason(err) == "error" {
				t.Errorf("%s: untyped error: %v", e.Name(), err)
			}
			t.Logf("%-36s %-8s %s", e.Name(), document.Reason(err), err)
			continue
		}
		hay := haystack(doc)
		var f, n int
		var missing []string
		for _, s := range asserts[e.Name()] {
			n++
			if strings.Contains(hay, s) {
				f++
			} else {
				missing = append(missing, s)
			}
		}
		found += f
		total += n
		t.Logf("%-36s blocks=%d data=%d pages=%d asserts %d/%d missing=%q warnings=%q", e.Name(), len(doc.Blocks), len(doc.Data), lastPage(doc), f, n, missing, doc.Warnings)
	}
	if total > 0 {
		t.Logf("expected strings found: %d/%d (%.0f%%)", found, total, 100*float64(found)/float64(total))
	}
}

func lastPage(doc *document.Document) int {
	p := 0
	for _, b := range doc.Blocks {
		p = max(p, b.Page)
	}
	return p
}

// haystack is everything a search could match: text with whitespace
// collapsed, title, author and metadata values.
func haystack(doc *document.Document) string {
	text := strings.Join(strings.Fields(doc.Text()), " ")
	parts := []string{text, strings.ReplaceAll(text, " | ", " "), doc.Title, doc.Author,
		doc.Created.Format("2006-01-02T15:04:05"), doc.Modified.Format("2006-01-02T15:04:05")}
	for _, v := range doc.Metadata {
		parts = append(parts, v)
	}
	return strings.Join(parts, "\n")
}

// loadAsserts returns per file the expected strings that are about text
// (not Tika's XHTML markup, MIME types or Java class names).
func loadAsserts(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string][]map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for file, methods := range raw {
		seen := map[string]bool{}
		for _, m := range methods {
			if docs, _ := m["docs_in_method"].([]any); len(docs) > 1 {
				continue // archive tests: about the other members
			}
			for _, key := range []string{"contains", "contains_true", "equals_literal"} {
				list, _ := m[key].([]any)
				for _, v := range list {
					s, _ := v.(string)
					if s == "" || seen[s] || !textual(s, file) {
						continue
					}
					seen[s] = true
					out[file] = append(out[file], s)
				}
			}
		}
	}
	return out
}

// textual reports whether an expected string is about extracted text.
func textual(s, file string) bool {
	switch {
	case strings.ContainsAny(s, "<>"),
		strings.HasPrefix(s, "application/"), strings.HasPrefix(s, "image/"),
		strings.HasPrefix(s, "org.apache."), strings.HasPrefix(s, "test-documents/"),
		s == "true" || s == "false":
		return false
	}
	// The archive tests list testOpenOffice2.odt's siblings in archives.
	return !strings.HasPrefix(file, "testOpenOffice2") || !strings.Contains(s, ".")
}
