package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/zero711/brain/internal/document"
)

// MaxMessageBytes bounds one message read into memory (a .eml file, a
// message of a mailbox); Limits.MaxExpandedBytes bounds it too.
const MaxMessageBytes = 256 << 20

// maxStringBytes bounds one text property of a .msg file.
const maxStringBytes = 16 << 20

// Extractors returns the e-mail extractors: EML/EMLX, MBOX and MSG.
func Extractors() []document.Extractor {
	return []document.Extractor{emlExtractor{}, mboxExtractor{}, msgExtractor{}}
}

// message is one parsed e-mail, whatever its container.
type message struct {
	subject, from, to, cc, date, messageID string
	created                                time.Time
	body                                   []string // paragraphs
	warnings                               []string
}

// headerText lists the headers that are set, one per line.
func (m *message) headerText() string {
	var b strings.Builder
	for _, h := range [][2]string{{"From", m.from}, {"To", m.to}, {"Cc", m.cc}, {"Subject", m.subject}, {"Date", m.date}} {
		if h[1] != "" {
			fmt.Fprintf(&b, "%s: %s\n", h[0], h[1])
		}
	}
	return b.String()
}

// blocks are the header paragraph and the body's paragraphs.
func (m *message) blocks() []document.Block {
	out := []document.Block{{Kind: document.Paragraph, Text: m.headerText()}}
	for _, p := range m.body {
		out = append(out, document.Block{Kind: document.Paragraph, Text: p})
	}
	return out
}

// fill sets the document's title, author, date and metadata from m.
func (m *message) fill(d *document.Document) {
	d.Title, d.Author, d.Created = m.subject, m.from, m.created
	if d.Metadata == nil {
		d.Metadata = map[string]string{}
	}
	for k, v := range map[string]string{"subject": m.subject, "from": m.from, "to": m.to, "cc": m.cc, "date": m.date, "message_id": m.messageID} {
		if v != "" {
			d.Metadata[k] = v
		}
	}
}

// paragraphs splits plain text at blank lines.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	var cur []string
	flush := func() {
		if p := strings.TrimSpace(strings.Join(cur, "\n")); p != "" {
			out = append(out, p)
		}
		cur = cur[:0]
	}
	for line := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		cur = append(cur, strings.TrimRight(line, " \t\r"))
	}
	flush()
	return out
}

// budget admits attachments within the limits; what it turns away is
// counted and reported once.
type budget struct {
	limits  document.Limits
	members int
	bytes   int64
	skipped int
	reason  string
}

func newBudget(l document.Limits) *budget {
	d := document.DefaultLimits
	if l.MaxExpandedBytes <= 0 {
		l.MaxExpandedBytes = d.MaxExpandedBytes
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = d.MaxMembers
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	return &budget{limits: l}
}

// messageCap is the most bytes one message may take.
func (b *budget) messageCap() int64 { return min(MaxMessageBytes, b.limits.MaxExpandedBytes) }

// admit reports whether an attachment of size bytes fits, and counts it.
func (b *budget) admit(size int) bool {
	reason := ""
	switch {
	case b.limits.Depth >= b.limits.MaxDepth:
		reason = fmt.Sprintf("nested too deeply (depth %d)", b.limits.Depth)
	case b.members >= b.limits.MaxMembers:
		reason = fmt.Sprintf("more than %d attachments", b.limits.MaxMembers)
	case b.bytes+int64(size) > b.limits.MaxExpandedBytes:
		reason = fmt.Sprintf("attachments exceed %d bytes", b.limits.MaxExpandedBytes)
	}
	if reason != "" {
		b.skipped++
		b.reason = reason
		return false
	}
	b.members++
	b.bytes += int64(size)
	return true
}

// warning summarises what admit turned away, or "".
func (b *budget) warning() string {
	if b.skipped == 0 {
		return ""
	}
	return fmt.Sprintf("%d attachments skipped: %s", b.skipped, b.reason)
}

// finish completes a document: warnings, title fallback, Normalize.
func finish(d *document.Document, b *budget, name string) *document.Document {
	if w := b.warning(); w != "" {
		d.Warnings = append(d.Warnings, w)
	}
	if d.Title == "" {
		d.Title = name
	}
	d.Normalize()
	return d
}
