package legacy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/zero711/brain/internal/document"
)

// Options configure the legacy extractors.
type Options struct {
	// ToolTimeout bounds each run of an external tool; 0 means
	// DefaultToolTimeout.
	ToolTimeout time.Duration
}

// DefaultToolTimeout bounds one tool run unless configured.
const DefaultToolTimeout = 2 * time.Minute

// maxOutput bounds the text read from one tool run.
const maxOutput = 64 << 20

// Extractors returns the extractors for Word, Excel and PowerPoint
// files of before 2007.
func Extractors(opts Options) []document.Extractor {
	if opts.ToolTimeout <= 0 {
		opts.ToolTimeout = DefaultToolTimeout
	}
	return []document.Extractor{&wordExtractor{opts}, &excelExtractor{opts}, &powerPointExtractor{opts}}
}

// oleMagic starts every OLE2 compound file (.doc, .xls, .ppt since
// Office 97).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// readHead returns up to n leading bytes of the file at path; an empty
// file is ErrCorrupt.
func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("legacy: %w", err)
	}
	defer f.Close()
	head := make([]byte, n)
	m, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("legacy: %w", err)
	}
	if m == 0 {
		return nil, fmt.Errorf("%w: empty file", document.ErrCorrupt)
	}
	return head[:m], nil
}

func isOLE(head []byte) bool { return bytes.HasPrefix(head, oleMagic) }

func haveTool(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

// toolResult is what an external tool wrote and how it ended.
type toolResult struct {
	stdout string
	stderr string
	err    error // the exit status, if not zero
}

// runTool runs name with args under timeout, keeping up to maxOutput
// bytes of its output. Only failing to start and the timeout are
// errors; the exit status is in the result, since these tools report
// problems in their output as often as in their status.
func runTool(ctx context.Context, timeout time.Duration, name string, args ...string) (toolResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	stdout := &limitedBuffer{max: maxOutput}
	stderr := &limitedBuffer{max: 8 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return toolResult{}, fmt.Errorf("%w: %s after %v: %v", document.ErrTimeout, name, timeout, ctx.Err())
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return toolResult{}, fmt.Errorf("legacy: %s: %w", name, err)
	}
	return toolResult{stdout: stdout.String(), stderr: stderr.String(), err: err}, nil
}

// message is the tool's diagnostics: stderr and, for tools that write
// errors to stdout, the start of stdout.
func (r toolResult) message() string {
	out := r.stdout
	if len(out) > 512 {
		out = out[:512]
	}
	return strings.TrimSpace(r.stderr + "\n" + out)
}

// limitedBuffer keeps the first max bytes written to it and drops the
// rest, so that a tool's output cannot exhaust memory.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room < len(p) {
		if room > 0 {
			b.Buffer.Write(p[:room])
		}
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func newDoc(in document.Input, contentType, handler string) *document.Document {
	if in.ContentType != "" && in.ContentType != "application/x-ole-storage" && in.ContentType != "application/octet-stream" {
		contentType = in.ContentType
	}
	return &document.Document{ContentType: contentType, Handler: handler, Metadata: map[string]string{}}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
