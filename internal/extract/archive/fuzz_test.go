package archive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

// FuzzExtract feeds arbitrary bytes to every archive extractor: none may
// panic, and small limits keep time and memory bounded.
func FuzzExtract(f *testing.F) {
	var tb, gz bytes.Buffer
	tw := tar.NewWriter(&tb)
	tw.WriteHeader(&tar.Header{Name: "a.txt", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644})
	tw.Write([]byte("a"))
	tw.Close()
	zw := gzip.NewWriter(&gz)
	zw.Write(tb.Bytes())
	zw.Close()
	f.Add(tb.Bytes())
	f.Add(gz.Bytes())
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("BZh91AY&SY"))
	dir := f.TempDir()
	xs := Extractors()
	limits := document.Limits{MaxExpandedBytes: 1 << 20, MaxMembers: 100}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "in")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, x := range xs {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			d, err := x.Extract(ctx, document.Input{Path: p, Name: "in.tar.gz", Limits: limits})
			cancel()
			if err == nil && len(d.Attachments) > limits.MaxMembers {
				t.Fatalf("%s: %d attachments", x.Name(), len(d.Attachments))
			}
			if err != nil && document.Reason(err) == "error" {
				t.Fatalf("%s: untyped error %v", x.Name(), err)
			}
		}
	})
}
