package pdf

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/corpustest"
	"github.com/zero711/brain/internal/document"
)

func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed", name)
	}
}

func extractFile(t *testing.T, ex document.Extractor, path string, timeout time.Duration) (*document.Document, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return ex.Extract(ctx, document.Input{Path: path, Name: filepath.Base(path), ContentType: "application/pdf", Limits: document.DefaultLimits})
}

// TestPypdfSampleCER extracts every PDF of the pypdf sample files and
// measures the character error rate against the expected text where
// there is one: expected/<Stem>-<anything>.txt belongs to the PDFs whose
// name starts with <Stem> (GeoTopo-book.txt: GeoTopo.pdf and
// GeoTopo-komprimiert.pdf).
func TestPypdfSampleCER(t *testing.T) {
	dir := corpustest.Dir(t, "formats/pypdf-sample-files")
	requireTool(t, "pdftotext")
	var list struct {
		Data []struct {
			Path      string `json:"path"`
			Pages     int    `json:"pages"`
			Encrypted bool   `json:"encrypted"`
		} `json:"data"`
	}
	raw, err := os.ReadFile(filepath.Join(dir, "files.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	expected := expectedTexts(t, filepath.Join(dir, "expected"))
	ex := Extractors(Options{OCR: false})[0]
	var sum float64
	var n int
	for _, f := range list.Data {
		path := filepath.Join(dir, "files", f.Path)
		if _, err := os.Stat(path); err != nil {
			t.Logf("%-70s absent", f.Path)
			continue
		}
		doc, err := extractFile(t, ex, path, 2*time.Minute)
		if err != nil {
			if document.Reason(err) == "error" {
				t.Errorf("%s: untyped error %v", f.Path, err)
			}
			if f.Encrypted && document.Reason(err) != "encrypted" {
				t.Errorf("%s: encrypted in files.json, got %v", f.Path, err)
			}
			t.Logf("%-70s %s: %v", f.Path, document.Reason(err), err)
			continue
		}
		want, ok := expected[expectedKey(filepath.Base(f.Path))]
		if !ok {
			t.Logf("%-70s %d blocks, %d chars, no expected text", f.Path, len(doc.Blocks), len(doc.Text()))
			continue
		}
		cer, ok := characterErrorRate(doc.Text(), want)
		if !ok {
			t.Logf("%-70s texts over %d runes, CER skipped", f.Path, maxCERRunes)
			continue
		}
		sum += cer
		n++
		t.Logf("%-70s %d blocks, CER %.4f", f.Path, len(doc.Blocks), cer)
	}
	if n == 0 {
		t.Skip("no PDF with expected text")
	}
	mean := sum / float64(n)
	t.Logf("mean CER over %d file(s): %.4f", n, mean)
	// Measured: 0.0915 (GeoTopo: raw pdftotext 0.081, with -layout 0.099).
	if mean > 0.12 {
		t.Errorf("mean CER %.4f, want under 0.12", mean)
	}
}

// TestPypdfSampleCERPureGo measures the pure-Go fallback on the PDFs
// with expected text (slow: seconds per hundred pages).
func TestPypdfSampleCERPureGo(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := corpustest.Dir(t, "formats/pypdf-sample-files")
	path := filepath.Join(dir, "files", "009-pdflatex-geotopo", "GeoTopo-komprimiert.pdf")
	want, ok := expectedTexts(t, filepath.Join(dir, "expected"))["GeoTopo"]
	fi, err := os.Stat(path)
	if !ok || err != nil {
		t.Skip("GeoTopo and its expected text are not in the corpus")
	}
	e := &extractor{opts: Options{ToolTimeout: 5 * time.Minute}}
	pages, err := e.pureGo(context.Background(), inputFor(path), fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	doc := &document.Document{}
	for i, p := range pages {
		doc.Blocks = append(doc.Blocks, TextBlocks(p, i+1)...)
	}
	cer, _ := characterErrorRate(doc.Text(), want)
	t.Logf("pdf-go CER on GeoTopo: %.4f", cer)
	// Measured: 0.23 (no spaces in the font, math laid out by position).
	if cer > 0.35 {
		t.Errorf("pdf-go CER %.4f, want under 0.35", cer)
	}
}

// expectedTexts reads expected/*.txt keyed by the name's part before
// the first "-".
func expectedTexts(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := make(map[string]string)
	names, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out[expectedKey(filepath.Base(name))] = string(b)
	}
	return out
}

func expectedKey(name string) string {
	stem := strings.TrimSuffix(name, filepath.Ext(name))
	key, _, _ := strings.Cut(stem, "-")
	return key
}

// TestTikaPDFs extracts every PDF of the Tika corpus: each yields text
// or a typed error within the timeout, and the strings Tika's tests
// expect are looked for.
func TestTikaPDFs(t *testing.T) {
	dir := corpustest.Dir(t, "formats/tika/files")
	requireTool(t, "pdftotext")
	asserts := corpustest.TikaAsserts(t, filepath.Join(filepath.Dir(dir), "expected_asserts.json"))
	paths, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	ex := Extractors(DefaultOptions())[0]
	found, total := 0, 0
	for _, path := range paths {
		name := filepath.Base(path)
		start := time.Now()
		doc, err := extractFile(t, ex, path, 3*time.Minute)
		if err != nil {
			if document.Reason(err) == "error" || document.Reason(err) == "timeout" {
				t.Errorf("%s: %v", name, err)
			}
			t.Logf("%-40s %s: %v", name, document.Reason(err), err)
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
		t.Logf("%-40s %s, %d blocks, %d chars, %v, warnings %q, missing %q", name, doc.Handler, len(doc.Blocks), len(text), time.Since(start).Round(time.Millisecond), doc.Warnings, missing)
	}
	if total > 0 {
		t.Logf("Tika asserts found: %d of %d (%.0f%%)", found, total, 100*float64(found)/float64(total))
		if found*2 < total {
			t.Errorf("found only %d of %d Tika asserts", found, total)
		}
	}
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func inputFor(path string) document.Input {
	return document.Input{Path: path, Name: filepath.Base(path), ContentType: "application/pdf", Limits: document.DefaultLimits}
}
