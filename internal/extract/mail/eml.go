package mail

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/jhillyerd/enmime/v2"
	"github.com/zero711/brain/internal/document"
)

// maxPartDepth bounds the MIME nesting walked for the body.
const maxPartDepth = 32

// maxBoundaryLines bounds the lines starting with "--" (MIME boundary
// candidates) of one message: enmime spends about 0.1 ms per part, so a
// crafted message of many tiny parts would otherwise take seconds per
// megabyte, and it cannot be interrupted.
const maxBoundaryLines = 5000

// emlExtractor reads one RFC 822 message (.eml), also in Apple Mail's
// .emlx wrapping (a byte count line, the message, an XML plist).
type emlExtractor struct{}

var _ document.Extractor = emlExtractor{}

func (emlExtractor) Name() string    { return "eml" }
func (emlExtractor) Types() []string { return []string{"message/rfc822"} }

// Extract returns the message's headers, body and attachments. Errors:
// ErrTooLarge (a file over MaxMessageBytes), ErrCorrupt, ErrEmpty.
func (x emlExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	b := newBudget(in.Limits)
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("eml: %w", err)
	}
	defer f.Close()
	r, err := messageReader(bufio.NewReader(f), b.messageCap())
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(r, b.messageCap()+1))
	if err != nil {
		return nil, fmt.Errorf("eml: %w", err)
	}
	if int64(len(raw)) > b.messageCap() {
		return nil, fmt.Errorf("%w: eml: message larger than %d bytes", document.ErrTooLarge, b.messageCap())
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, fmt.Errorf("%w: eml: empty file", document.ErrEmpty)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("eml: %w", err)
	}
	b.bytes = int64(len(raw))
	doc := &document.Document{ContentType: in.ContentType, Handler: x.Name()}
	m, err := parseMessage(raw, b, doc)
	if err != nil {
		return nil, err
	}
	m.fill(doc)
	doc.Blocks = m.blocks()
	doc.Warnings = append(doc.Warnings, m.warnings...)
	return finish(doc, b, in.Name), nil
}

// messageReader skips the byte-count line of an .emlx file, whose
// message is exactly that many bytes (the plist after it is dropped).
// Other input is returned whole.
func messageReader(br *bufio.Reader, limit int64) (io.Reader, error) {
	head, _ := br.Peek(24)
	line, _, ok := bytes.Cut(head, []byte("\n"))
	line = bytes.TrimSpace(line)
	if !ok || len(line) == 0 || len(line) > 12 || bytes.ContainsFunc(line, func(r rune) bool { return r < '0' || r > '9' }) {
		return br, nil
	}
	n, err := strconv.ParseInt(string(line), 10, 64)
	if err != nil || n > limit {
		return nil, fmt.Errorf("%w: emlx: message of %s bytes, limit %d", document.ErrTooLarge, line, limit)
	}
	if _, err := br.Discard(bytes.IndexByte(head, '\n') + 1); err != nil {
		return nil, fmt.Errorf("%w: emlx: %v", document.ErrCorrupt, err)
	}
	return io.LimitReader(br, n), nil
}

// parseMessage parses one raw message; its attachments go to doc within
// the budget.
func parseMessage(raw []byte, b *budget, doc *document.Document) (*message, error) {
	if n := bytes.Count(raw, []byte("\n--")); n > maxBoundaryLines {
		return nil, fmt.Errorf("%w: eml: %d MIME boundary lines, limit %d", document.ErrTooLarge, n, maxBoundaryLines)
	}
	p := enmime.NewParser(enmime.DisableTextConversion(true), enmime.SkipMalformedParts(true), enmime.MultipartWOBoundaryAsSinglePart(true))
	env, err := p.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: eml: %v", document.ErrCorrupt, err)
	}
	m := &message{
		subject:   oneLine(env.GetHeader("Subject")),
		from:      oneLine(env.GetHeader("From")),
		to:        oneLine(env.GetHeader("To")),
		cc:        oneLine(env.GetHeader("Cc")),
		date:      oneLine(env.GetHeader("Date")),
		messageID: oneLine(env.GetHeader("Message-Id")),
	}
	if t, err := env.Date(); err == nil {
		m.created = t
	}
	w := walker{m: m, b: b, doc: doc}
	w.part(env.Root, 0)
	if len(env.Errors) > 0 {
		m.warnings = append(m.warnings, fmt.Sprintf("MIME: %d problems, first: %v", len(env.Errors), env.Errors[0]))
	}
	return m, nil
}

// walker collects a message's body paragraphs and attachments from its
// MIME tree.
type walker struct {
	m     *message
	b     *budget
	doc   *document.Document
	quiet int // > 0 inside alternatives not chosen: text is not body
	n     int // attachments seen, for names
}

func (w *walker) part(p *enmime.Part, depth int) {
	switch {
	case p == nil:
	case depth > maxPartDepth:
		w.m.warnings = append(w.m.warnings, "MIME nesting deeper than "+strconv.Itoa(maxPartDepth)+" levels ignored")
	case p.Disposition == "attachment" || p.FileName != "":
		w.attach(p)
	case p.ContentType == "multipart/alternative":
		w.alternative(p, depth)
	case strings.HasPrefix(p.ContentType, "multipart/"):
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			w.part(c, depth+1)
		}
	case p.ContentType == "text/plain" || p.ContentType == "":
		if w.quiet == 0 {
			w.m.body = append(w.m.body, paragraphs(string(p.Content))...)
		}
	case p.ContentType == "text/html":
		if w.quiet == 0 {
			w.m.body = append(w.m.body, htmlParagraphs(p.Content)...)
		}
	default:
		w.attach(p)
	}
}

// alternative walks the chosen alternative for the body: the plain-text
// one, unless the last alternative is multipart/mixed (richer content,
// often with parts the plain text lacks). The others are walked only
// for their attachments.
func (w *walker) alternative(p *enmime.Part, depth int) {
	var plain, last *enmime.Part
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if c.ContentType == "text/plain" && plain == nil {
			plain = c
		}
		last = c
	}
	chosen := last
	if plain != nil && last != nil && last.ContentType != "multipart/mixed" {
		chosen = plain
	}
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		if c != chosen {
			w.quiet++
		}
		w.part(c, depth+1)
		if c != chosen {
			w.quiet--
		}
	}
}

// attach adds a part as an attachment if the budget allows.
func (w *walker) attach(p *enmime.Part) {
	w.n++
	if !w.b.admit(len(p.Content)) {
		return
	}
	w.doc.Attachments = append(w.doc.Attachments, document.Attachment{Name: partName(p, w.n), Data: p.Content})
}

// partName is the part's file name without directories, or a name made
// from its position and content type.
func partName(p *enmime.Part, n int) string {
	if name := cleanName(p.FileName); name != "" {
		return name
	}
	ext := ".bin"
	if p.ContentType == "message/rfc822" {
		ext = ".eml"
	} else if exts, _ := mime.ExtensionsByType(p.ContentType); len(exts) > 0 {
		ext = exts[0]
	}
	return "attachment-" + strconv.Itoa(n) + ext
}

// cleanName is the last path element of an untrusted file name without
// control characters, or "".
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(path.Base(strings.ReplaceAll(s, `\`, "/")))
	if s == "." || s == "/" || s == ".." {
		return ""
	}
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
