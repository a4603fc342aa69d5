package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

// makePDF writes a minimal PDF with one page per entry of pages, each
// line of a page shown in Helvetica, and the given title.
func makePDF(title string, pages ...[]string) []byte {
	var objs []string
	n := len(pages)
	kids := make([]string, n)
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 5+2*i)
	}
	objs = append(objs,
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Title (%s) /Author (Test Author) /CreationDate (D:20240102030405Z) >>", title),
	)
	for i, lines := range pages {
		var content strings.Builder
		content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
		for _, l := range lines {
			fmt.Fprintf(&content, "(%s) Tj T*\n", l)
		}
		content.WriteString("ET")
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>", 6+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
		)
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

var samplePages = [][]string{
	{"INTRODUCTION", "", "The quick brown fox jumps over the lazy dog again and again."},
	{"Second page text that is long enough to be real text."},
}

func TestExtractPoppler(t *testing.T) {
	requireTool(t, "pdftotext")
	t.Parallel()
	path := writeFile(t, "sample.pdf", makePDF("Sample Title", samplePages...))
	doc, err := Extractors(Options{})[0].Extract(context.Background(), inputFor(path))
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, doc, "pdftotext")
	if doc.Title != "Sample Title" || doc.Author != "Test Author" || doc.Metadata["pages"] != "2" {
		t.Errorf("metadata: title %q author %q pages %q", doc.Title, doc.Author, doc.Metadata["pages"])
	}
	if want := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC); !doc.Created.Equal(want) {
		t.Errorf("created %v, want %v", doc.Created, want)
	}
}

func checkSample(t *testing.T, doc *document.Document, handler string) {
	t.Helper()
	if doc.Handler != handler {
		t.Errorf("handler %q, want %q", doc.Handler, handler)
	}
	text := doc.Text()
	for _, want := range []string{"The quick brown fox jumps over the lazy dog", "Second page text"} {
		if !strings.Contains(text, want) {
			t.Errorf("text %q lacks %q", text, want)
		}
	}
	last := doc.Blocks[len(doc.Blocks)-1]
	if last.Page != 2 {
		t.Errorf("last block on page %d, want 2: %+v", last.Page, last)
	}
}

// TestExtractPureGo hides the poppler tools so that the pure-Go reader
// runs.
func TestExtractPureGo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	path := writeFile(t, "sample.pdf", makePDF("Sample Title", samplePages...))
	doc, err := Extractors(DefaultOptions())[0].Extract(context.Background(), inputFor(path))
	if err != nil {
		t.Fatal(err)
	}
	checkSample(t, doc, "pdf-go")
	if len(doc.Warnings) == 0 {
		t.Error("no warning about the fallback")
	}
	_, err = Extractors(DefaultOptions())[0].Extract(context.Background(), inputFor(writeFile(t, "bad.pdf", []byte("%PDF-1.4 garbage"))))
	if !errors.Is(err, document.ErrToolMissing) {
		t.Errorf("broken file without poppler: %v, want ErrToolMissing", err)
	}
}

func TestExtractHostile(t *testing.T) {
	requireTool(t, "pdftotext")
	t.Parallel()
	good := makePDF("T", samplePages...)
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range random {
		random[i] = byte(rng.IntN(256))
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"zero bytes", nil, document.ErrCorrupt},
		{"random bytes", random, document.ErrCorrupt},
		{"truncated", good[:len(good)/3], nil},
		{"header only", []byte("%PDF-1.7\n"), document.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, err := Extractors(DefaultOptions())[0].Extract(ctx, inputFor(writeFile(t, "x.pdf", tt.data)))
			if err == nil {
				t.Fatal("no error")
			}
			if reason := document.Reason(err); reason == "error" || reason == "timeout" {
				t.Fatalf("untyped error %v", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2016-12-31T17:43:23Z", time.Date(2016, 12, 31, 17, 43, 23, 0, time.UTC)},
		{"2009-04-28T10:06:56+01", time.Date(2009, 4, 28, 9, 6, 56, 0, time.UTC)},
		{"2009-04-28T10:06:56+01:00", time.Date(2009, 4, 28, 9, 6, 56, 0, time.UTC)},
		{"", time.Time{}},
		{"Sat Dec 31 17:43:23 2016 UTC", time.Time{}},
	}
	for _, tt := range tests {
		if got := parseDate(tt.in); !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// FuzzPureGo feeds bytes through the pure-Go reader: it must return
// pages or a typed error, never panic or hang.
func FuzzPureGo(f *testing.F) {
	f.Add(makePDF("T", []string{"Hello"}))
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"))
	dir := f.TempDir()
	e := &extractor{opts: Options{ToolTimeout: 5 * time.Second}}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "fuzz.pdf")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := e.pureGo(context.Background(), inputFor(path), int64(len(data)))
		if err != nil && document.Reason(err) == "error" {
			t.Fatalf("untyped error %v", err)
		}
	})
}
