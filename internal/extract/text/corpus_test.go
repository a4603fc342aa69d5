package text

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gabriel-vasile/mimetype"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

// corpusExts are the corpus files this package reads.
var corpusExts = []string{
	".txt", ".html", ".mhtml", ".rtf", ".csv", ".xml", ".md", ".json", ".ics", ".vcs",
	".vtt", ".properties", ".xlf", ".tmx", ".rdf", ".dita", ".fb2",
}

// pick routes a file as the dispatcher does: Markdown and MHTML by
// extension, the rest by the type mimetype reports.
func pick(t *testing.T, path string) (document.Extractor, string) {
	t.Helper()
	m, err := mimetype.DetectFile(path)
	if err != nil {
		t.Fatalf("detect %s: %v", path, err)
	}
	ct := strings.TrimSpace(strings.SplitN(m.String(), ";", 2)[0])
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md":
		return Markdown(), ct
	case ".mhtml", ".mht":
		return MHTML(), ct
	}
	for _, e := range Extractors() {
		if slices.Contains(e.Types(), ct) {
			return e, ct
		}
	}
	return nil, ct
}

// typedError says err is one of document's typed errors.
func typedError(err error) bool {
	for _, e := range []error{document.ErrUnsupported, document.ErrEncrypted, document.ErrCorrupt, document.ErrEmpty, document.ErrTooLarge, document.ErrToolMissing, document.ErrTimeout} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// searchable is the document's text as Tika renders it (table cells
// separated by spaces), with its title, author and metadata, all
// whitespace collapsed.
func searchable(doc *document.Document) string {
	var b strings.Builder
	b.WriteString(doc.Title + " " + doc.Author + " ")
	for _, v := range doc.Metadata {
		b.WriteString(v + " ")
	}
	for _, bl := range doc.Blocks {
		switch {
		case bl.Kind == document.Table:
			for _, r := range bl.Rows {
				b.WriteString(strings.Join(r, " ") + " ")
			}
		default:
			b.WriteString(bl.Text + " ")
		}
	}
	return collapse(b.String())
}

type assertEntry struct {
	Method        string   `json:"method"`
	Contains      []string `json:"contains"`
	ContainsTrue  []string `json:"contains_true"`
	EqualsLiteral []string `json:"equals_literal"`
}

// applicable says an expected string is about extracted text: not
// Tika's XHTML markup, archive member names or parser class names.
func applicable(method, s string) bool {
	if strings.Contains(method, "Parsing") || method == "testEmbedded" || method == "testBoilerplateRemoval" ||
		method == "testBoilerplateWithMarkup" || strings.HasSuffix(method, "ToXMLHandler") || method == "testVariousStyle" {
		return false
	}
	if strings.TrimSpace(s) == "" || strings.ContainsAny(s, "<>") || strings.Contains(s, "=\"") {
		return false
	}
	return true
}

func TestCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "formats/tika/files")
	var asserts map[string][]assertEntry
	if raw, err := os.ReadFile(filepath.Join(dir, "..", "expected_asserts.json")); err == nil {
		if err := json.Unmarshal(raw, &asserts); err != nil {
			t.Fatalf("expected_asserts.json: %v", err)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var found, total, litFound, litTotal, files int
	for _, e := range ents {
		if !slices.Contains(corpusExts, strings.ToLower(filepath.Ext(e.Name()))) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		ex, ct := pick(t, path)
		if ex == nil {
			t.Logf("%-40s %s: not ours", e.Name(), ct)
			continue
		}
		files++
		doc, err := ex.Extract(context.Background(), document.Input{Path: path, Name: e.Name(), ContentType: ct, Limits: document.DefaultLimits})
		if err != nil {
			if !typedError(err) {
				t.Errorf("%s: untyped error %v", e.Name(), err)
			}
			t.Logf("%-40s %-28s %s: %v", e.Name(), ct, ex.Name(), err)
			continue
		}
		text := searchable(doc)
		var missing []string
		for _, a := range asserts[e.Name()] {
			for _, s := range append(append([]string(nil), a.Contains...), a.ContainsTrue...) {
				if !applicable(a.Method, s) {
					continue
				}
				total++
				if strings.Contains(text, collapse(s)) {
					found++
				} else {
					missing = append(missing, s)
				}
			}
			for _, s := range a.EqualsLiteral {
				if !applicable(a.Method, s) {
					continue
				}
				litTotal++
				if strings.Contains(text, collapse(s)) {
					litFound++
				} else if testing.Verbose() {
					t.Logf("%s: equals_literal %q not in text or metadata", e.Name(), s)
				}
			}
		}
		t.Logf("%-40s %-28s %-8s blocks=%-4d data=%d chars=%-6d charset=%s title=%q missing=%q",
			e.Name(), ct, doc.Handler, len(doc.Blocks), len(doc.Data), len(doc.Text()), doc.Metadata["charset"], doc.Title, missing)
	}
	t.Logf("files=%d contains-asserts found %d/%d, equals_literal found in text/metadata %d/%d", files, found, total, litFound, litTotal)
	if total > 0 && float64(found) < 0.9*float64(total) {
		t.Errorf("only %d of %d expected strings found", found, total)
	}
}
