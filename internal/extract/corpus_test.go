package extract_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
	"github.com/zero711/brain/internal/extract"
)

// TestCorpus runs every file of the shared format corpus (Tika's and
// py-pdf's test documents) through the built-in dispatcher: each must
// yield text or a typed error, within the timeout and without a panic.
// It reports the share that yields text and the share of the strings
// Tika's own tests expect that we find.
func TestCorpus(t *testing.T) {
	root := corpustest.Dir(t, "formats")
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.Contains(p, "/expected") &&
			!slices.Contains([]string{"expected_asserts.json", "files.json", "upstream-LICENSE", "upstream-README.md"}, d.Name()) {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 100 {
		t.Fatalf("only %d corpus files under %s", len(files), root)
	}
	x := extract.Builtin(extract.Options{Timeout: time.Minute, TempDir: t.TempDir()})
	texts := map[string]string{}
	withText, typed := 0, 0
	reasons := map[string]int{}
	for _, p := range files {
		start := time.Now()
		res := x.Extract(context.Background(), p, filepath.Base(p))
		var b strings.Builder
		res.Walk(func(r *extract.Result) {
			if r.Doc == nil {
				return
			}
			b.WriteString(r.Doc.Title + "\n" + r.Doc.Author + "\n")
			for _, v := range r.Doc.Metadata {
				b.WriteString(v + "\n")
			}
			b.WriteString(r.Doc.Text() + "\n")
			for _, d := range r.Doc.Data {
				b.WriteString(strings.Join(d.Columns, " ") + "\n")
			}
		})
		text := b.String()
		texts[filepath.Base(p)] = text
		took := time.Since(start)
		switch {
		case res.Err == nil && strings.TrimSpace(res.Doc.Text()) != "" || hasChildText(res):
			withText++
		case res.Err != nil && document.Reason(res.Err) != "error":
			typed++
			reasons[document.Reason(res.Err)]++
			t.Logf("%-45s %-12s %s", filepath.Base(p), document.Reason(res.Err), clip(res.Err.Error(), 160))
		case res.Err != nil:
			t.Errorf("%s: untyped error: %v", p, res.Err)
		default:
			t.Errorf("%s: no error and no text", p)
		}
		if took > 2*time.Minute {
			t.Errorf("%s took %v", p, took)
		}
	}
	share := float64(withText) / float64(len(files))
	t.Logf("%d files: %d yield text (%.1f %%), %d a typed error %v", len(files), withText, 100*share, typed, reasons)
	// Encrypted and corrupt files are in the corpus to fail.
	meant := float64(withText) / float64(len(files)-reasons["encrypted"]-reasons["corrupt"])
	t.Logf("of the files not meant to fail (encrypted, corrupt): %.1f %% yield text", 100*meant)
	if share < 0.85 {
		t.Errorf("only %.1f %% of the corpus yields text", 100*share)
	}

	// Strings Tika's tests expect in the extracted text.
	raw, err := os.ReadFile(filepath.Join(root, "tika", "expected_asserts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var asserts map[string][]struct {
		Contains     []string `json:"contains"`
		ContainsTrue []string `json:"contains_true"`
		Docs         []string `json:"docs_in_method"`
	}
	if err := json.Unmarshal(raw, &asserts); err != nil {
		t.Fatal(err)
	}
	found, total := 0, 0
	for name, list := range asserts {
		text, ok := texts[name]
		if !ok {
			continue
		}
		norm := normSpace(text)
		for _, a := range list {
			if len(a.Docs) > 1 {
				continue // the test covers several files: which one holds the string is unknown
			}
			for _, s := range append(a.Contains, a.ContainsTrue...) {
				if strings.ContainsAny(s, "<>") || strings.Contains(s, "org.apache") {
					continue // Tika's XHTML markup or class names, not text
				}
				total++
				if strings.Contains(norm, normSpace(s)) {
					found++
				}
			}
		}
	}
	t.Logf("Tika's expected strings found: %d of %d (%.1f %%)", found, total, 100*float64(found)/float64(max(total, 1)))
	if float64(found) < 0.6*float64(total) {
		t.Errorf("only %d of %d expected strings found", found, total)
	}
}

func hasChildText(r *extract.Result) bool {
	ok := false
	for _, c := range r.Children {
		c.Walk(func(x *extract.Result) {
			if x.Doc != nil && strings.TrimSpace(x.Doc.Text()) != "" {
				ok = true
			}
		})
	}
	return ok
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// TestHostileFiles: what an upload may contain gets a typed error or
// text, never a panic or a hang.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	x := extract.Builtin(extract.Options{Timeout: 30 * time.Second, TempDir: t.TempDir()})
	cases := map[string][]byte{
		"empty.pdf":    {},
		"random.pdf":   []byte("\x00\x01\x02 garbage %PDF"),
		"trunc.pdf":    []byte("%PDF-1.7\n1 0 obj << /Type /Catalog"),
		"fake.docx":    []byte("PK\x03\x04 not really"),
		"text.docx":    []byte("Just plain text with a wrong extension."),
		"noext":        []byte("Ein Text ohne Endung mit Umlauten: Größe."),
		"latin1.txt":   []byte("Gr\xf6\xdfe \xfcber alles"),
		"bad.json":     []byte(`{"a": [1, 2,`),
		"binary.bin":   {0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 1, 2, 3},
		"unicode.html": []byte("<html><body><p>\u202eevil\u202c text</p></body></html>"),
	}
	for name, data := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		res := x.Extract(context.Background(), p, name)
		if res.Err != nil {
			if document.Reason(res.Err) == "error" {
				t.Errorf("%s: untyped error %v", name, res.Err)
			}
			continue
		}
		if res.Doc == nil {
			t.Errorf("%s: neither document nor error", name)
		}
	}
	var empty *extract.Result
	if res := x.Extract(context.Background(), filepath.Join(dir, "missing"), "missing"); res.Err == nil || errors.Is(res.Err, document.ErrEmpty) {
		t.Errorf("missing file: %v", res.Err)
	}
	_ = empty
}

// TestMissingTools: without poppler, tesseract, antiword and catdoc on
// the PATH, their formats degrade with a clear reason (or the pure-Go
// PDF reader), never a crash.
func TestMissingTools(t *testing.T) {
	root := corpustest.Dir(t, "formats/tika/files")
	t.Setenv("PATH", t.TempDir())
	x := extract.Builtin(extract.Options{Timeout: time.Minute, TempDir: t.TempDir()})
	for name, want := range map[string]string{
		"testWORD.doc":        "tool_missing",
		"testEXCEL.xls":       "tool_missing",
		"testOCR.jpg":         "tool_missing",
		"testPDF.pdf":         "pdf-go", // the pure-Go fallback reads it
		"testOpenOffice2.odt": "odt",    // pure Go: unaffected
	} {
		p := filepath.Join(root, name)
		if _, err := os.Stat(p); err != nil {
			t.Logf("%s not in the corpus", name)
			continue
		}
		res := x.Extract(context.Background(), p, name)
		got := ""
		if res.Err != nil {
			got = document.Reason(res.Err)
		} else {
			got = res.Doc.Handler
		}
		if got != want && !(want == "pdf-go" && got == "tool_missing") {
			t.Errorf("%s without tools: %q (%v), want %q", name, got, res.Err, want)
		}
		if res.Err != nil && !strings.Contains(res.Err.Error(), "install") && !strings.Contains(res.Err.Error(), "not installed") {
			t.Errorf("%s: the error does not say what to install: %v", name, res.Err)
		}
	}
}
