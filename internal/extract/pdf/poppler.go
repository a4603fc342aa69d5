package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/zero711/brain/internal/document"
)

// maxText bounds the text read from pdftotext; beyond it the text is
// cut with a warning.
const maxText = 64 << 20

// poppler extracts in.Path's pages and metadata with one pdftotext run
// (-htmlmeta wraps the text in an HTML head with the document
// information); a second process for pdfinfo cost almost as much as the
// text itself on small files.
func (e *extractor) poppler(ctx context.Context, in document.Input, doc *document.Document) ([]string, error) {
	res, err := runTool(ctx, e.opts.ToolTimeout, maxText, "pdftotext", "-htmlmeta", "-enc", "UTF-8", "-eol", "unix", in.Path, "-")
	if err != nil {
		return nil, err
	}
	if res.truncated {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("pdftotext output cut at %d bytes", maxText))
	}
	if n := strings.Count(res.stderr, "Error"); n > 0 {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("pdftotext reported %d errors, first: %s", n, firstLine(res.stderr)))
	}
	info, text := splitHTMLMeta(string(res.stdout))
	applyInfo(info, doc)
	pages := strings.Split(text, "\f")
	if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1] // pdftotext ends every page with \f
	}
	doc.Metadata["pages"] = strconv.Itoa(len(pages))
	return pages, nil
}

var (
	metaTag  = regexp.MustCompile(`<meta name="([^"]*)" content="([^"]*)"/>`)
	titleTag = regexp.MustCompile(`<title>([^<]*)</title>`)
)

// splitHTMLMeta separates pdftotext -htmlmeta output into the document
// information (pdfinfo's keys) and the text of the <pre> body. Output
// without the wrapper (an older poppler) is all text.
func splitHTMLMeta(out string) (map[string]string, string) {
	info := map[string]string{}
	head, body, ok := strings.Cut(out, "<pre>")
	if !ok {
		return info, out
	}
	if m := titleTag.FindStringSubmatch(head); m != nil {
		info["Title"] = html.UnescapeString(m[1])
	}
	for _, m := range metaTag.FindAllStringSubmatch(head, -1) {
		info[m[1]] = html.UnescapeString(m[2])
	}
	if i := strings.LastIndex(body, "</pre>"); i >= 0 {
		body = body[:i]
	}
	return info, html.UnescapeString(strings.TrimPrefix(body, "\n"))
}

// infoKeys maps the document information keys (as pdfinfo names them)
// to document metadata keys.
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
