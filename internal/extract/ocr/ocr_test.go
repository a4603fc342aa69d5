package ocr

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/document"
)

// glyphs is a 5×7 bitmap font for the letters the tests write.
var glyphs = map[rune][7]string{
	'A': {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'B': {"####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."},
	'D': {"####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."},
	'E': {"#####", "#....", "#....", "####.", "#....", "#....", "#####"},
	'H': {"#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
	'I': {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "#####"},
	'L': {"#....", "#....", "#....", "#....", "#....", "#....", "#####"},
	'N': {"#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#", "#...#"},
	'O': {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
	'R': {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"},
	'W': {"#...#", "#...#", "#...#", "#.#.#", "#.#.#", "##.##", "#...#"},
	' ': {".....", ".....", ".....", ".....", ".....", ".....", "....."},
}

// renderText draws lines of text in the bitmap font, each pixel scaled
// up to a square of scale pixels, black on white with a margin.
func renderText(lines []string, scale int) *image.Gray {
	width := 0
	for _, l := range lines {
		width = max(width, len(l))
	}
	margin := 4 * scale
	img := image.NewGray(image.Rect(0, 0, 2*margin+width*6*scale, 2*margin+len(lines)*10*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for li, line := range lines {
		for ci, r := range line {
			g := glyphs[r]
			for y, row := range g {
				for x, px := range row {
					if px != '#' {
						continue
					}
					x0, y0 := margin+(ci*6+x)*scale, margin+(li*10+y)*scale
					for dy := range scale {
						for dx := range scale {
							img.SetGray(x0+dx, y0+dy, color.Gray{})
						}
					}
				}
			}
		}
	}
	return img
}

func writeImage(t *testing.T, name string, encode func(io.Writer) error) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := encode(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func requireTesseract(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("tesseract not installed")
	}
}

func TestExtractRendered(t *testing.T) {
	requireTesseract(t)
	t.Parallel()
	img := renderText([]string{"HELLO WORLD", "", "BREAD"}, 6)
	encoders := map[string]func(io.Writer) error{
		"png":  func(w io.Writer) error { return png.Encode(w, img) },
		"jpeg": func(w io.Writer) error { return jpeg.Encode(w, img, &jpeg.Options{Quality: 95}) },
		"gif":  func(w io.Writer) error { return gif.Encode(w, img, nil) },
	}
	ex := New("", time.Minute)
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := writeImage(t, "text."+name, enc)
			doc, err := ex.Extract(context.Background(), document.Input{Path: path, ContentType: "image/" + name})
			if err != nil {
				t.Fatal(err)
			}
			text := doc.Text()
			for _, want := range []string{"HELLO", "WORLD", "BREAD"} {
				if !strings.Contains(text, want) {
					t.Errorf("OCR text %q lacks %q", text, want)
				}
			}
			if doc.Handler != "tesseract" || doc.Metadata["ocr_languages"] == "" {
				t.Errorf("handler %q, metadata %v", doc.Handler, doc.Metadata)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	requireTesseract(t)
	t.Parallel()
	blank := renderText([]string{"   "}, 4)
	tests := []struct {
		name string
		data func(t *testing.T) string
		want error
	}{
		{"blank image", func(t *testing.T) string {
			return writeImage(t, "blank.png", func(w io.Writer) error { return png.Encode(w, blank) })
		}, document.ErrEmpty},
		{"zero bytes", func(t *testing.T) string { return writeImage(t, "x.png", func(io.Writer) error { return nil }) }, document.ErrCorrupt},
		{"file list", func(t *testing.T) string {
			return writeImage(t, "x.png", func(w io.Writer) error { _, err := io.WriteString(w, "/etc/hostname\n"); return err })
		}, document.ErrUnsupported},
		{"truncated png", func(t *testing.T) string {
			return writeImage(t, "x.png", func(w io.Writer) error { _, err := w.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00")); return err })
		}, document.ErrCorrupt},
		{"huge dimensions", func(t *testing.T) string {
			return writeImage(t, "x.png", func(w io.Writer) error { _, err := w.Write(pngHeader(20000, 20000)); return err })
		}, document.ErrTooLarge},
	}
	ex := New("", time.Minute)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ex.Extract(context.Background(), document.Input{Path: tt.data(t)})
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// pngHeader returns a PNG signature and IHDR chunk declaring a
// width×height grey image, without image data.
func pngHeader(width, height uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, width)
	ihdr = binary.BigEndian.AppendUint32(ihdr, height)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	chunk := append([]byte("IHDR"), ihdr...)
	out := append([]byte("\x89PNG\r\n\x1a\n"), binary.BigEndian.AppendUint32(nil, uint32(len(ihdr)))...)
	out = append(out, chunk...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

func TestToolMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := New("", 0).Extract(context.Background(), document.Input{Path: "/nonexistent.png"})
	if !errors.Is(err, document.ErrToolMissing) {
		t.Errorf("got %v, want ErrToolMissing", err)
	}
}

func TestLanguages(t *testing.T) {
	requireTesseract(t)
	t.Parallel()
	langs, note := NewTesseract("deu+xxx+eng", 0).Languages(context.Background())
	if strings.Contains(langs, "xxx") || !strings.Contains(note, "xxx") {
		t.Errorf("languages %q, note %q", langs, note)
	}
}

func TestParseLangList(t *testing.T) {
	t.Parallel()
	out := "List of available languages in \"/usr/share/tesseract-ocr/5/tessdata/\" (3):\ndeu\neng\nosd\n"
	want := map[string]bool{"deu": true, "eng": true, "osd": true}
	if got := parseLangList(out); !reflect.DeepEqual(got, want) {
		t.Errorf("parseLangList = %v, want %v", got, want)
	}
}

func TestImageFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		head string
		want string
	}{
		{"\x89PNG\r\n\x1a\n....", "png"},
		{"\xff\xd8\xff\xe0", "jpeg"},
		{"II*\x00", "tiff"},
		{"MM\x00*", "tiff"},
		{"GIF89a", "gif"},
		{"BM....", "bmp"},
		{"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"},
		{"RIFX\x00\x00\x00\x00WEBP", ""},
		{"/etc/passwd\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := imageFormat([]byte(tt.head)); got != tt.want {
			t.Errorf("imageFormat(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	t.Parallel()
	got := Paragraphs("The quick brown\nfox jumps over the lazy dog. Silben-\ntrennung\n\n\nSecond para-\nGraph\n", 2)
	want := []document.Block{
		{Kind: document.Paragraph, Text: "The quick brown fox jumps over the lazy dog. Silbentrennung", Page: 2},
		{Kind: document.Paragraph, Text: "Second para- Graph", Page: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Paragraphs = %+v, want %+v", got, want)
	}
}

func FuzzParagraphs(f *testing.F) {
	f.Add("a-\nb\n\nc")
	f.Add("-\n-\n\n")
	f.Fuzz(func(t *testing.T, text string) {
		for _, b := range Paragraphs(text, 1) {
			if strings.TrimSpace(b.Text) == "" || strings.Contains(b.Text, "\n") {
				t.Fatalf("bad block %q", b.Text)
			}
		}
	})
}
