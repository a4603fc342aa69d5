package mail

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

// FuzzExtract feeds arbitrary bytes to every mail extractor: none may
// panic or return an untyped error for bad input.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(germanEML))
	f.Add([]byte(threeMessages))
	f.Add([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + string(make([]byte, 600))))
	dir := f.TempDir()
	limits := document.Limits{MaxExpandedBytes: 1 << 20, MaxMembers: 50}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "in")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, x := range Extractors() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			d, err := x.Extract(ctx, document.Input{Path: p, Name: "in", Limits: limits})
			cancel()
			if err == nil && len(d.Attachments) > limits.MaxMembers {
				t.Fatalf("%s: %d attachments", x.Name(), len(d.Attachments))
			}
		}
	})
}

func FuzzHTMLParagraphs(f *testing.F) {
	f.Add([]byte("<p>a<br>b</p><script>x</script>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		htmlParagraphs(data)
	})
}
