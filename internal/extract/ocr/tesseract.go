package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/zero711/brain/internal/document"
)

// DefaultLanguages are the tesseract languages asked for unless
// configured: German first, then English.
const DefaultLanguages = "deu+eng"

// DefaultTimeout bounds one tesseract run unless configured.
const DefaultTimeout = 2 * time.Minute

// maxOutput bounds the text read from one tesseract run.
const maxOutput = 16 << 20

// Tesseract runs the tesseract command. The zero value is not usable;
// call NewTesseract. A Tesseract must not be copied after first use.
type Tesseract struct {
	languages string
	timeout   time.Duration

	once      sync.Once
	effective string // languages both asked for and installed
	langNote  string // why effective differs from languages, if it does
}

// NewTesseract returns a runner that asks for languages (joined by "+",
// e.g. "deu+eng"; "" means DefaultLanguages) and bounds each run by
// timeout (0 means DefaultTimeout).
func NewTesseract(languages string, timeout time.Duration) *Tesseract {
	if languages == "" {
		languages = DefaultLanguages
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Tesseract{languages: languages, timeout: timeout}
}

// Available reports whether the tesseract command is installed.
func (t *Tesseract) Available() bool {
	_, err := exec.LookPath("tesseract")
	return err == nil
}

// Languages returns the languages actually used: those asked for that
// are installed (checked once with tesseract --list-langs), and a note
// when some were dropped.
func (t *Tesseract) Languages(ctx context.Context) (langs, note string) {
	t.once.Do(func() { t.effective, t.langNote = t.resolveLanguages(ctx) })
	return t.effective, t.langNote
}

func (t *Tesseract) resolveLanguages(ctx context.Context) (string, string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tesseract", "--list-langs").Output()
	if err != nil {
		return t.languages, fmt.Sprintf("tesseract --list-langs failed (%v); asked for %s unchecked", err, t.languages)
	}
	installed := parseLangList(string(out))
	var keep, dropped []string
	for _, l := range strings.Split(t.languages, "+") {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if installed[l] {
			keep = append(keep, l)
		} else {
			dropped = append(dropped, l)
		}
	}
	if len(dropped) == 0 {
		return strings.Join(keep, "+"), ""
	}
	note := fmt.Sprintf("tesseract languages not installed: %s", strings.Join(dropped, ", "))
	return strings.Join(keep, "+"), note
}

// parseLangList reads tesseract --list-langs output: a header line,
// then one language per line.
func parseLangList(out string) map[string]bool {
	langs := make(map[string]bool)
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.Contains(line, " ") || strings.HasSuffix(line, ":") {
			continue
		}
		langs[line] = true
	}
	return langs
}

// Recognize returns the text tesseract finds in the image at path, pages
// of a multi-page image separated by form feeds. It returns
// document.ErrToolMissing when tesseract is not installed,
// ErrUnsupported when the file is not an image tesseract reads,
// ErrCorrupt when tesseract cannot read it, and ErrTimeout when the run
// exceeds its time.
func (t *Tesseract) Recognize(ctx context.Context, path string) (string, error) {
	if !t.Available() {
		return "", fmt.Errorf("%w: tesseract (install tesseract-ocr)", document.ErrToolMissing)
	}
	if err := checkImage(path); err != nil {
		return "", err
	}
	langs, _ := t.Languages(ctx)
	args := []string{path, "stdout"}
	if langs != "" {
		args = append(args, "-l", langs)
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "tesseract", args...)
	// One thread per run: ingestion runs several extractions side by
	// side, and OpenMP threads per run would oversubscribe the cores.
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	var stdout limitedBuffer
	stdout.max = maxOutput
	var stderr limitedBuffer
	stderr.max = 4 << 10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return "", fmt.Errorf("%w: tesseract after %v: %v", document.ErrTimeout, t.timeout, ctx.Err())
	}
	if err != nil {
		return "", fmt.Errorf("%w: tesseract: %v: %s", document.ErrCorrupt, err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// checkImage refuses files that do not start with an image signature
// tesseract reads (see the package comment for why).
func checkImage(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("ocr: open: %w", err)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("ocr: read: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("%w: empty file", document.ErrCorrupt)
	}
	if imageFormat(head[:n]) == "" {
		return fmt.Errorf("%w: not a PNG, JPEG, TIFF, GIF, BMP or WebP image", document.ErrUnsupported)
	}
	return nil
}

// signatures are the leading bytes of the image formats tesseract
// (leptonica) reads.
var signatures = []struct {
	format string
	prefix []byte
	at     int
}{
	{"png", []byte("\x89PNG\r\n\x1a\n"), 0},
	{"jpeg", []byte{0xFF, 0xD8, 0xFF}, 0},
	{"tiff", []byte("II*\x00"), 0},
	{"tiff", []byte("MM\x00*"), 0},
	{"gif", []byte("GIF87a"), 0},
	{"gif", []byte("GIF89a"), 0},
	{"bmp", []byte("BM"), 0},
	{"webp", []byte("WEBP"), 8},
}

// imageFormat names the image format head starts with, or "".
func imageFormat(head []byte) string {
	for _, s := range signatures {
		if len(head) >= s.at+len(s.prefix) && bytes.Equal(head[s.at:s.at+len(s.prefix)], s.prefix) {
			if s.format == "webp" && !bytes.HasPrefix(head, []byte("RIFF")) {
				continue
			}
			return s.format
		}
	}
	return ""
}

// limitedBuffer keeps the first max bytes written to it and drops the
// rest, so that a chatty tool cannot exhaust memory.
type limitedBuffer struct {
	bytes.Buffer
	max       int
	truncated bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room < len(p) {
		b.truncated = true
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
