package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

// member is one file of a generated fixture.
type member struct {
	name  string
	data  []byte
	flags uint16
	mode  os.FileMode
	size  int64 // > 0: data is that many zero bytes, streamed
}

func writeZip(t *testing.T, members []member) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return newFlate(w) })
	for _, m := range members {
		fh := &zip.FileHeader{Name: m.name, Method: zip.Deflate, Flags: m.flags}
		if len(m.data) == 0 && m.size == 0 {
			fh.Method = zip.Store
		}
		if m.mode != 0 {
			fh.SetMode(m.mode)
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			t.Fatal(err)
		}
		if m.size > 0 {
			_, err = io.CopyN(w, zeros{}, m.size)
		} else {
			_, err = w.Write(m.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "test.zip", buf.Bytes())
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func extract(t *testing.T, x document.Extractor, path string, l document.Limits) (*document.Document, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	return x.Extract(ctx, document.Input{Path: path, Name: filepath.Base(path), ContentType: x.Types()[0], Limits: l})
}

func attachmentNames(d *document.Document) []string {
	var names []string
	for _, a := range d.Attachments {
		names = append(names, a.Name)
	}
	return names
}

func TestZipNested(t *testing.T) {
	t.Parallel()
	p := writeZip(t, []member{
		{name: "top.txt", data: []byte("top level")},
		{name: "docs/"},
		{name: "docs/inner/deep.md", data: []byte("# deep")},
		{name: "docs/empty.txt"},
	})
	d, err := extract(t, zipExtractor{}, p, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"top.txt", "docs/inner/deep.md", "docs/empty.txt"}
	if got := attachmentNames(d); !slices.Equal(got, want) {
		t.Errorf("attachments %q, want %q", got, want)
	}
	if string(d.Attachments[1].Data) != "# deep" {
		t.Errorf("deep.md = %q", d.Attachments[1].Data)
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Text != strings.Join(want, "\n") {
		t.Errorf("blocks %+v", d.Blocks)
	}
	if d.Handler != "zip" || d.Title != "test.zip" || d.Metadata["members"] != "3" {
		t.Errorf("handler %q title %q metadata %v", d.Handler, d.Title, d.Metadata)
	}
}

func TestZipLimits(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	tests := []struct {
		name    string
		members []member
		limits  document.Limits
		mention string
	}{
		{"bomb member", []member{{name: "ok.txt", data: []byte("fine")}, {name: "bomb.bin", size: 32 * mib}}, document.Limits{MaxExpandedBytes: 8 * mib}, `"bomb.bin"`},
		{"total", []member{{name: "a", size: 3 * mib}, {name: "b", size: 3 * mib}, {name: "c", size: 3 * mib}}, document.Limits{MaxExpandedBytes: 8 * mib}, `"c"`},
		{"members", manyEmpty(20_000), document.Limits{}, "10000"},
		{"depth", []member{{name: "a", data: []byte("a")}}, document.Limits{Depth: 5, MaxDepth: 5}, "nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := extract(t, zipExtractor{}, writeZip(t, tt.members), tt.limits)
			if !errors.Is(err, document.ErrTooLarge) || !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("err = %v, want ErrTooLarge mentioning %s", err, tt.mention)
			}
		})
	}
}

func manyEmpty(n int) []member {
	ms := make([]member, n)
	for i := range ms {
		ms[i].name = "e" + strings.Repeat("x", i%7) + "/" + string(rune('a'+i%26))
	}
	return ms
}

// TestZipLyingSizes: a member whose header claims 10 bytes but holds
// 32 MiB, and one that claims 1 TiB but holds 5, are both bounded by what
// is actually decompressed.
func TestZipLyingSizes(t *testing.T) {
	t.Parallel()
	var bomb bytes.Buffer
	fw, _ := newFlate(&bomb)
	io.CopyN(fw, zeros{}, 32<<20)
	fw.Close()
	var small bytes.Buffer
	fw, _ = newFlate(&small)
	fw.Write([]byte("hello"))
	fw.Close()

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range []struct {
		name string
		raw  []byte
		size uint64
	}{{"liar.bin", bomb.Bytes(), 10}, {"huge-claim.txt", small.Bytes(), 1 << 40}} {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: m.name, Method: zip.Deflate, CompressedSize64: uint64(len(m.raw)), UncompressedSize64: m.size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(m.raw)
	}
	zw.Close()
	// archive/zip itself rejects a member whose size disagrees with its
	// header (ErrCorrupt here); the 8 MiB cap would stop it otherwise.
	d, err := extract(t, zipExtractor{}, writeFile(t, "liar.zip", buf.Bytes()), document.Limits{MaxExpandedBytes: 8 << 20})
	if errors.Is(err, document.ErrTooLarge) || errors.Is(err, document.ErrCorrupt) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range d.Attachments {
		if a.Name == "liar.bin" {
			t.Errorf("liar.bin extracted with %d bytes", len(a.Data))
		}
	}
}

func TestZipHostileNames(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := writeZip(t, []member{
		{name: "../../etc/passwd", data: []byte("p")},
		{name: "/abs", data: []byte("a")},
		{name: `C:\x`, data: []byte("c")},
		{name: "nul\x00name", data: []byte("n")},
		{name: "new\nline", data: []byte("l")},
		{name: "..", data: []byte("d")},
	})
	d, err := extract(t, zipExtractor{}, p, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"etc/passwd", "abs", "x", "nulname", "newline", "member-6"}
	if got := attachmentNames(d); !slices.Equal(got, want) {
		t.Errorf("names %q, want %q", got, want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("extraction touched the file system: %v", ents)
	}
}

func TestZipEncrypted(t *testing.T) {
	t.Parallel()
	some := writeZip(t, []member{{name: "secret.txt", data: []byte("x"), flags: 1}, {name: "open.txt", data: []byte("open")}})
	d, err := extract(t, zipExtractor{}, some, document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := attachmentNames(d); !slices.Equal(got, []string{"open.txt"}) || len(d.Warnings) != 1 || !strings.Contains(d.Text(), "secret.txt") {
		t.Errorf("attachments %q warnings %q text %q", got, d.Warnings, d.Text())
	}
	all := writeZip(t, []member{{name: "a", data: []byte("x"), flags: 1}, {name: "b", data: []byte("y"), flags: 1}})
	if _, err := extract(t, zipExtractor{}, all, document.Limits{}); !errors.Is(err, document.ErrEncrypted) {
		t.Errorf("all encrypted: err = %v, want ErrEncrypted", err)
	}
}

func TestZipDamaged(t *testing.T) {
	t.Parallel()
	p := writeZip(t, []member{{name: "a.txt", data: bytes.Repeat([]byte("abc "), 5000)}, {name: "b.txt", data: []byte("b")}})
	raw, _ := os.ReadFile(p)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"truncated", raw[:len(raw)/2], document.ErrCorrupt},
		{"not a zip", []byte("PK\x03\x04 garbage"), document.ErrCorrupt},
		{"empty archive", emptyZip(t), document.ErrEmpty},
		{"directories only", dirOnlyZip(t), document.ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := extract(t, zipExtractor{}, writeFile(t, "x.zip", tt.data), document.Limits{})
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func emptyZip(t *testing.T) []byte {
	b, _ := os.ReadFile(writeZip(t, nil))
	return b
}

func dirOnlyZip(t *testing.T) []byte {
	b, _ := os.ReadFile(writeZip(t, []member{{name: "a/"}, {name: "a/b/"}}))
	return b
}

func writeTar(t *testing.T, w io.Writer) {
	t.Helper()
	tw := tar.NewWriter(w)
	entries := []tar.Header{
		{Name: "dir/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: "dir/a.txt", Typeflag: tar.TypeReg, Size: 5, Mode: 0o644},
		{Name: "dir/link", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"},
		{Name: "dir/hard", Typeflag: tar.TypeLink, Linkname: "dir/a.txt"},
		{Name: "dev/null", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3},
		{Name: "dev/sda", Typeflag: tar.TypeBlock, Devmajor: 8},
		{Name: "fifo", Typeflag: tar.TypeFifo},
		{Name: "../b.txt", Typeflag: tar.TypeReg, Size: 3, Mode: 0o644},
	}
	for _, h := range entries {
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			tw.Write([]byte("hello"[:h.Size]))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestTar(t *testing.T) {
	t.Parallel()
	var plain, gz bytes.Buffer
	writeTar(t, &plain)
	zw := gzip.NewWriter(&gz)
	zw.Write(plain.Bytes())
	zw.Close()
	tests := []struct {
		x    document.Extractor
		file string
		data []byte
	}{
		{tarExtractor{}, "t.tar", plain.Bytes()},
		{gzipExtractor{}, "t.tar.gz", gz.Bytes()},
		{gzipExtractor{}, "t.tgz", gz.Bytes()},
		{gzipExtractor{}, "no-tar-suffix.gz", gz.Bytes()}, // found by the header checksum
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			d, err := extract(t, tt.x, writeFile(t, tt.file, tt.data), document.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := attachmentNames(d); !slices.Equal(got, []string{"dir/a.txt", "b.txt"}) {
				t.Errorf("attachments %q", got)
			}
			if len(d.Warnings) != 5 {
				t.Errorf("warnings %q, want 5 skipped entries", d.Warnings)
			}
			if !strings.Contains(d.Text(), "dir/link") || string(d.Attachments[1].Data) != "hel" {
				t.Errorf("text %q, b.txt %q", d.Text(), d.Attachments[1].Data)
			}
		})
	}
}

func TestTarTruncated(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range []string{"one.txt", "two.txt"} {
		tw.WriteHeader(&tar.Header{Name: n, Typeflag: tar.TypeReg, Size: 2000, Mode: 0o644})
		tw.Write(bytes.Repeat([]byte("z"), 2000))
	}
	tw.Close()
	raw := buf.Bytes()
	d, err := extract(t, tarExtractor{}, writeFile(t, "cut.tar", raw[:3500]), document.Limits{})
	if err != nil || len(d.Attachments) != 1 || len(d.Warnings) == 0 {
		t.Errorf("cut in second member: err %v, doc %+v", err, d)
	}
	if _, err := extract(t, tarExtractor{}, writeFile(t, "cut.tar", raw[:1000]), document.Limits{}); !errors.Is(err, document.ErrCorrupt) {
		t.Errorf("cut in first member: err = %v, want ErrCorrupt", err)
	}
}

func TestGzipSingle(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Name = "../stored-name.txt"
	zw.Write([]byte("Grüße aus der Datei"))
	zw.Close()
	tests := []struct{ file, want string }{
		{"notes.txt.gz", "notes.txt"},
		{"NOTES.TXT.GZ", "NOTES.TXT"},
		{"upload", "stored-name.txt"},
	}
	for _, tt := range tests {
		d, err := extract(t, gzipExtractor{}, writeFile(t, tt.file, gz.Bytes()), document.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if got := attachmentNames(d); !slices.Equal(got, []string{tt.want}) || string(d.Attachments[0].Data) != "Grüße aus der Datei" {
			t.Errorf("%s: attachments %q", tt.file, got)
		}
	}
	raw := gz.Bytes()
	if _, err := extract(t, gzipExtractor{}, writeFile(t, "cut.gz", raw[:len(raw)-6]), document.Limits{}); !errors.Is(err, document.ErrCorrupt) {
		t.Errorf("truncated gzip: err = %v, want ErrCorrupt", err)
	}
	var bomb bytes.Buffer
	zw, _ = gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
	io.CopyN(zw, zeros{}, 32<<20)
	zw.Close()
	if _, err := extract(t, gzipExtractor{}, writeFile(t, "bomb.gz", bomb.Bytes()), document.Limits{MaxExpandedBytes: 4 << 20}); !errors.Is(err, document.ErrTooLarge) {
		t.Errorf("gzip bomb: err = %v, want ErrTooLarge", err)
	}
}

func TestBzip2(t *testing.T) {
	t.Parallel()
	tool, err := exec.LookPath("bzip2")
	if err != nil {
		t.Skip("bzip2 not installed")
	}
	p := writeFile(t, "hello.txt", []byte("hello bzip2"))
	if out, err := exec.Command(tool, p).CombinedOutput(); err != nil {
		t.Fatalf("bzip2: %v %s", err, out)
	}
	d, err := extract(t, bzip2Extractor{}, p+".bz2", document.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := attachmentNames(d); !slices.Equal(got, []string{"hello.txt"}) || string(d.Attachments[0].Data) != "hello bzip2" {
		t.Errorf("attachments %q", got)
	}
	if _, err := extract(t, bzip2Extractor{}, writeFile(t, "bad.bz2", []byte("BZh9 not really")), document.Limits{}); !errors.Is(err, document.ErrCorrupt) {
		t.Errorf("bad bzip2: err = %v", err)
	}
}

func TestSevenZip(t *testing.T) {
	t.Parallel()
	_, err := extract(t, sevenZipExtractor{}, writeFile(t, "a.7z", []byte("7z\xbc\xaf\x27\x1c")), document.Limits{})
	if !errors.Is(err, document.ErrUnsupported) {
		t.Errorf("err = %v", err)
	}
}

// TestMemberCap checks the per-member cap, which the other tests cannot
// reach without 512 MiB members.
func TestMemberCap(t *testing.T) {
	t.Parallel()
	c, err := newCollector(t.Context(), document.Input{}, "zip")
	if err != nil {
		t.Fatal(err)
	}
	c.memberCap = 100
	if err := c.add("small", bytes.NewReader(make([]byte, 100))); err != nil {
		t.Fatal(err)
	}
	err = c.add("big", bytes.NewReader(make([]byte, 101)))
	if !errors.Is(err, document.ErrTooLarge) || !strings.Contains(err.Error(), `member "big" expands beyond 100 bytes`) {
		t.Errorf("err = %v", err)
	}
}

func TestCanceled(t *testing.T) {
	t.Parallel()
	p := writeZip(t, []member{{name: "a", data: []byte("a")}})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := (zipExtractor{}).Extract(ctx, document.Input{Path: p}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}
