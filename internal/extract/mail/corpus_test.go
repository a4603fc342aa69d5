package mail

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

// corpusExtractor picks the extractor the dispatcher would use for a
// corpus file: mimetype v1.4.16 reports testRFC822* and .mhtml as
// message/rfc822, .msg as application/vnd.ms-outlook, and .eml, .emlx
// and .mbox as text/plain (the dispatcher must go by extension there).
func corpusExtractor(name string) document.Extractor {
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".eml" || ext == ".emlx" || ext == ".mhtml" || strings.HasPrefix(name, "testRFC822"):
		return emlExtractor{}
	case ext == ".mbox":
		return mboxExtractor{}
	case ext == ".msg":
		return msgExtractor{}
	}
	return nil
}

// TestCorpus extracts every mail file of the shared corpus: each yields
// text or a typed error, and the strings Tika's tests expect are looked
// for ("contains" in the text; "equals_literal", mostly metadata, in the
// text, metadata and attachment names).
func TestCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "formats/tika/files")
	contains, literals := loadAsserts(t, filepath.Join(dir, "..", "expected_asserts.json"))
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found, inMeta, total, litFound, litTotal int
	for _, e := range ents {
		x := corpusExtractor(e.Name())
		if x == nil {
			continue
		}
		d, err := x.Extract(t.Context(), document.Input{Path: filepath.Join(dir, e.Name()), Name: e.Name(), ContentType: x.Types()[0]})
		if err != nil {
			if document.Reason(err) == "error" {
				t.Errorf("%s: untyped error %v", e.Name(), err)
			}
			t.Logf("%s: %s: %v", e.Name(), document.Reason(err), err)
			continue
		}
		if strings.TrimSpace(d.Text()) == "" {
			t.Errorf("%s: no text", e.Name())
		}
		t.Logf("%s: %q by %q, %d blocks, %d attachments, warnings %q", e.Name(), d.Title, d.Author, len(d.Blocks), len(d.Attachments), d.Warnings)
		text := d.Text()
		all := everything(d)
		for _, s := range contains[e.Name()] {
			total++
			switch {
			case strings.Contains(text, s):
				found++
			case strings.Contains(all, s):
				inMeta++
			default:
				t.Logf("%s: contains %q not found", e.Name(), s)
			}
		}
		for _, s := range literals[e.Name()] {
			litTotal++
			if strings.Contains(all, s) {
				litFound++
			} else {
				t.Logf("%s: literal %q not found", e.Name(), s)
			}
		}
	}
	t.Logf("contains: %d of %d in the text, %d more in metadata; equals_literal: %d of %d found", found, total, inMeta, litFound, litTotal)
}

// everything is the document's text, metadata and attachment names.
func everything(d *document.Document) string {
	parts := []string{d.Text(), d.Title, d.Author, d.ContentType, d.Created.Format(time.RFC3339)}
	for _, v := range d.Metadata {
		parts = append(parts, v)
	}
	for _, a := range d.Attachments {
		parts = append(parts, a.Name)
	}
	return strings.Join(parts, "\n")
}

func loadAsserts(t *testing.T, path string) (contains, literals map[string][]string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var all map[string][]map[string]any
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	contains, literals = map[string][]string{}, map[string][]string{}
	for file, groups := range all {
		seen := map[string]bool{}
		for _, g := range groups {
			docs, _ := g["docs_in_method"].([]any)
			for key, dst := range map[string]map[string][]string{"contains": contains, "contains_true": contains, "equals_literal": literals} {
				list, _ := g[key].([]any)
				if key == "equals_literal" && len(docs) > 1 {
					continue // a method over several files: the literal's file is unknown
				}
				for _, v := range list {
					// Tika's markup ("<p>…") and empty literals do not apply.
					if s, ok := v.(string); ok && strings.TrimSpace(s) != "" && !strings.Contains(s, "<") && !seen[key+s] {
						seen[key+s] = true
						dst[file] = append(dst[file], s)
					}
				}
			}
		}
	}
	return contains, literals
}
