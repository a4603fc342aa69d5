package upload_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/blob/s3"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
	"github.com/zero711/brain/internal/upload"
)

func TestSanitizeFilename(t *testing.T) {
	long := strings.Repeat("ä", 150) + ".pdf"
	tests := []struct{ in, want string }{
		{"Bericht 2024.pdf", "Bericht 2024.pdf"},
		{"../../etc/passwd", "passwd"},
		{`..\..\windows\system32\cmd.exe`, "cmd.exe"},
		{"/abs/path/x.txt", "x.txt"},
		{"C:\\Users\\a\\b.docx", "b.docx"},
		{"..", "upload"},
		{".", "upload"},
		{"", "upload"},
		{".htaccess", "htaccess"},
		{".tmp-123", "tmp-123"},
		{"a\x00b\nc\rd\x1b.txt", "abcd.txt"},
		{"evil\u202egnp.exe", "evilgnp.exe"},
		{"we<i>rd:na|me?*.txt", "we_i_rd_na_me__.txt"},
		{"  spaced   out  .txt ", "spaced out .txt"},
		{"trailing dots...", "trailing dots"},
		{"Gro\u0308\u00dfe.txt", "Größe.txt"}, // decomposed ö becomes NFC
		{"\xff\xfe bad utf8.txt", "bad utf8.txt"},
	}
	for _, tt := range tests {
		if got := upload.SanitizeFilename(tt.in); got != tt.want {
			t.Errorf("SanitizeFilename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := upload.SanitizeFilename(long)
	if len(got) > 200 || !strings.HasSuffix(got, ".pdf") || !utf8.ValidString(got) {
		t.Errorf("long name: %d bytes %q", len(got), got)
	}
}

func FuzzSanitizeFilename(f *testing.F) {
	for _, s := range []string{"a.txt", "../x", "\x00", "ä/ö\\ü", strings.Repeat("x", 300) + ".tar.gz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := upload.SanitizeFilename(in)
		if got == "" || len(got) > 200 || !utf8.ValidString(got) || strings.ContainsAny(got, "/\\<>:\"|?*\x00\n\r") ||
			strings.HasPrefix(got, ".") || got == ".." {
			t.Fatalf("SanitizeFilename(%q) = %q", in, got)
		}
		if upload.SanitizeFilename(got) != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, got, upload.SanitizeFilename(got))
		}
	})
}

func stores(t *testing.T) map[string]*upload.Store {
	t.Helper()
	p, err := paths.New(paths.Development, pathstest.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(ts.Close)
	cfg := s3.Config{Endpoint: strings.TrimPrefix(ts.URL, "https://"), AccessKey: "k", SecretKey: "s",
		Region: "us-east-1", UseSSL: true, Transport: ts.Client().Transport}
	now := func() time.Time { return time.Date(2026, 11, 26, 14, 5, 9, 0, time.UTC) }
	return map[string]*upload.Store{
		"local": upload.New(upload.NewLocalBuckets(p), now),
		"s3":    upload.New(upload.NewS3Buckets(cfg), now),
	}
}

func TestStore(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if list, err := st.List(ctx, "acme"); err != nil || len(list) != 0 {
				t.Fatalf("list before first upload: %v, %v", list, err)
			}
			obj, created, err := st.Put(ctx, "acme", "../Verträge/Mietvertrag 2024.pdf", strings.NewReader("hello"), 100)
			if err != nil || !created {
				t.Fatalf("first put: %+v created=%v err=%v", obj, created, err)
			}
			if obj.Name != "20261126_140509_Mietvertrag 2024.pdf" || obj.Bucket != "customer-acme" || obj.Size != 5 ||
				obj.SHA256 != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" || obj.Path == "" {
				t.Fatalf("object = %+v", obj)
			}
			// Same name in the same second gets a number; the bucket exists now.
			obj2, created, err := st.Put(ctx, "acme", "Mietvertrag 2024.pdf", strings.NewReader("world"), 100)
			if err != nil || created || obj2.Name != "20261126_140509-2_Mietvertrag 2024.pdf" || obj2.Filename != "Mietvertrag 2024.pdf" {
				t.Fatalf("second put: %+v created=%v err=%v", obj2, created, err)
			}
			// Over the limit: refused, nothing kept.
			_, _, err = st.Put(ctx, "acme", "big.bin", bytes.NewReader(make([]byte, 101)), 100)
			if brain.ErrorCode(err) != brain.ETOOLARGE {
				t.Fatalf("oversized put: %v", err)
			}
			list, err := st.List(ctx, "acme")
			if err != nil || len(list) != 2 || list[0].Filename != "Mietvertrag 2024.pdf" || list[1].Filename != "Mietvertrag 2024.pdf" || list[1].Size+list[0].Size != 10 {
				t.Fatalf("list = %+v, %v", list, err)
			}
			rd, err := st.Open(ctx, "acme", obj.Name)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rd)
			rd.Close()
			if string(b) != "hello" {
				t.Fatalf("read back %q", b)
			}
			// Another customer sees nothing of acme's.
			if list, _ := st.List(ctx, "beta"); len(list) != 0 {
				t.Fatalf("beta lists %+v", list)
			}
			if _, err := st.Open(ctx, "beta", obj.Name); err == nil {
				t.Fatal("beta opened acme's upload")
			}
			if _, err := st.Open(ctx, "acme", "../x"); brain.ErrorCode(err) != brain.ENOTFOUND {
				t.Fatalf("open hostile name: %v", err)
			}
			n, err := st.Clear(ctx, "acme")
			if err != nil || n != 2 {
				t.Fatalf("clear = %d, %v", n, err)
			}
			if list, _ := st.List(ctx, "acme"); len(list) != 0 {
				t.Fatalf("after clear: %+v", list)
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("client went away") }

func TestPutKeepsNothingOnReadError(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if _, _, err := st.Put(ctx, "acme", "x.txt", io.MultiReader(strings.NewReader("part"), failingReader{}), 0); err == nil {
				t.Fatal("put succeeded on a failing body")
			}
			if list, _ := st.List(ctx, "acme"); len(list) != 0 {
				t.Fatalf("kept %+v", list)
			}
		})
	}
}

func TestIsUploadName(t *testing.T) {
	for name, want := range map[string]bool{
		"20261126_140509_a.pdf": true, "20261126_140509_": false, "lakehouse/x": false, "20261126_140509-12_a.pdf": true,
		"20261126_140509-_a.pdf": false, "20261126_140509-2a.pdf": false,
		"2026112a_140509_a.pdf": false, "20261126_140509_../a": false, "20261126-140509_a.pdf": false,
	} {
		if got := upload.IsUploadName(name); got != want {
			t.Errorf("IsUploadName(%q) = %v", name, got)
		}
	}
}
