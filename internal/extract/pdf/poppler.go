package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/zero711/brain/internal/document"
)

// maxText bounds the text read from pdftotext; beyond it the text is
// cut with a warning.
const maxText = 64 << 20

// poppler extracts in.Path's metadata with pdfinfo into doc and returns
// its pages' text from pdftotext.
func (e *extractor) poppler(ctx context.Context, in document.Input, doc *document.Document) ([]string, error) {
	infoErr := e.pdfinfo(ctx, in.Path, doc)
	if errors.Is(infoErr, document.ErrEncrypted) || errors.Is(infoErr, document.ErrTimeout) {
		return nil, infoErr
	}
	res, err := runTool(ctx, e.opts.ToolTimeout, maxText, "pdftotext", "-enc", "UTF-8", "-eol", "unix", in.Path, "-")
	if err != nil {
		return nil, err
	}
	if res.truncated {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("pdftotext output cut at %d bytes", maxText))
	}
	if n := strings.Count(res.stderr, "Error"); n > 0 {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("pdftotext reported %d errors, first: %s", n, firstLine(res.stderr)))
	}
	pages := strings.Split(string(res.stdout), "\f")
	if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1] // pdftotext ends every page with \f
	}
	if infoErr != nil && textChars(string(res.stdout), 1) == 0 {
		return nil, infoErr
	}
	if infoErr != nil {
		doc.Warnings = append(doc.Warnings, infoErr.Error())
	}
	return pages, nil
}

// pdfinfo fills doc's title, author, dates and metadata from pdfinfo,
// where it is installed.
func (e *extractor) pdfinfo(ctx context.Context, path string, doc *document.Document) error {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		doc.Warnings = append(doc.Warnings, "pdfinfo not installed: no PDF metadata")
		return nil
	}
	res, err := runTool(ctx, e.opts.ToolTimeout, 1<<20, "pdfinfo", "-isodates", "-enc", "UTF-8", path)
	if err != nil {
		return err
	}
	applyInfo(parseInfo(string(res.stdout)), doc)
	return nil
}

// parseInfo reads pdfinfo's "Key: value" lines.
func parseInfo(out string) map[string]string {
	info := make(map[string]string)
	for line := range strings.SplitSeq(out, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(k) == "" {
			continue
		}
		info[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return info
}

// infoKeys maps pdfinfo keys to document metadata keys.
var infoKeys = map[string]string{
	"Subject":     "subject",
	"Keywords":    "keywords",
	"Creator":     "creator",
	"Producer":    "producer",
	"Pages":       "pages",
	"Encrypted":   "encrypted",
	"PDF version": "pdf_version",
	"Tagged":      "tagged",
	"Form":        "form",
	"Page size":   "page_size",
}

func applyInfo(info map[string]string, doc *document.Document) {
	doc.Title = info["Title"]
	doc.Author = info["Author"]
	doc.Created = parseDate(info["CreationDate"])
	doc.Modified = parseDate(info["ModDate"])
	for k, mk := range infoKeys {
		if v := info[k]; v != "" {
			doc.Metadata[mk] = v
		}
	}
}

// parseDate reads pdfinfo -isodates dates, which may carry a zone as
// "+01" without minutes; the zero time when it cannot.
func parseDate(s string) time.Time {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z07", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// toolResult is what an external tool wrote.
type toolResult struct {
	stdout    []byte
	stderr    string
	truncated bool
}

// runTool runs name with args under timeout, keeping up to maxOut bytes
// of its output, and maps poppler's failures to typed errors: a wrong
// password or exit status 3 (permissions) to ErrEncrypted, exit status
// 1 (open error) to ErrCorrupt, the timeout to ErrTimeout.
func runTool(ctx context.Context, timeout time.Duration, maxOut int, name string, args ...string) (toolResult, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	stdout := &limitedBuffer{max: maxOut}
	stderr := &limitedBuffer{max: 8 << 10}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	res := toolResult{stdout: stdout.Bytes(), stderr: stderr.String(), truncated: stdout.truncated}
	if ctx.Err() != nil {
		return res, fmt.Errorf("%w: pdf: %s after %v: %v", document.ErrTimeout, name, timeout, ctx.Err())
	}
	if err == nil {
		return res, nil
	}
	detail := firstLine(res.stderr)
	var exit *exec.ExitError
	switch {
	case strings.Contains(res.stderr, "Incorrect password"):
		return res, fmt.Errorf("%w: pdf: %s: a password is needed", document.ErrEncrypted, name)
	case errors.As(err, &exit) && exit.ExitCode() == 3:
		return res, fmt.Errorf("%w: pdf: %s: permissions: %s", document.ErrEncrypted, name, detail)
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return res, fmt.Errorf("%w: pdf: %s: %s", document.ErrCorrupt, name, lastLine(res.stderr))
	default:
		return res, fmt.Errorf("pdf: %s: %v: %s", name, err, detail)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// limitedBuffer keeps the first max bytes written to it and drops the
// rest, so that a tool's output cannot exhaust memory.
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
