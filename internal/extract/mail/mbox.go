package mail

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/zero711/brain/internal/document"
)

// mboxExtractor reads a mailbox: messages that each start with a
// "From " line.
type mboxExtractor struct{}

var _ document.Extractor = mboxExtractor{}

func (mboxExtractor) Name() string    { return "mbox" }
func (mboxExtractor) Types() []string { return []string{"application/mbox"} }

// Extract returns each message as a heading (its subject), its header
// paragraph and its body, and the attachments of all messages. The file
// is streamed; see the package doc for the limits. Errors: ErrCorrupt
// (no "From " line), ErrEmpty.
func (x mboxExtractor) Extract(ctx context.Context, in document.Input) (*document.Document, error) {
	b := newBudget(in.Limits)
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("mbox: %w", err)
	}
	defer f.Close()
	doc := &document.Document{ContentType: in.ContentType, Handler: x.Name()}
	sp := &splitter{r: bufio.NewReaderSize(f, 64<<10), limit: b.messageCap()}
	count := 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("mbox: %w", err)
		}
		raw, err := sp.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: mbox: %v", document.ErrCorrupt, err)
		}
		count++
		if count > b.limits.MaxMembers || b.bytes+int64(len(raw)) > b.limits.MaxExpandedBytes {
			doc.Warnings = append(doc.Warnings, fmt.Sprintf("mailbox read up to message %d: limit of %d messages or %d bytes reached", count-1, b.limits.MaxMembers, b.limits.MaxExpandedBytes))
			break
		}
		b.bytes += int64(len(raw))
		x.add(doc, raw, sp.tooBig, count, b)
	}
	if count == 0 {
		return nil, noMessages(sp)
	}
	doc.Metadata = map[string]string{"messages": strconv.Itoa(count)}
	return finish(doc, b, in.Name), nil
}

// add parses one message and appends its blocks.
func (mboxExtractor) add(doc *document.Document, raw []byte, tooBig bool, n int, b *budget) {
	if tooBig {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("message %d skipped: larger than %d bytes", n, b.messageCap()))
		return
	}
	m, err := parseMessage(raw, b, doc)
	if err != nil {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("message %d skipped: %v", n, err))
		return
	}
	heading := m.subject
	if heading == "" {
		heading = "Message " + strconv.Itoa(n)
	}
	doc.Blocks = append(doc.Blocks, document.Block{Kind: document.Heading, Level: 1, Text: heading})
	doc.Blocks = append(doc.Blocks, m.blocks()...)
	if doc.Title == "" && m.subject != "" {
		doc.Title = m.subject
	}
	for _, w := range m.warnings {
		doc.Warnings = append(doc.Warnings, fmt.Sprintf("message %d: %s", n, w))
	}
}

func noMessages(sp *splitter) error {
	if sp.preamble > 0 {
		return fmt.Errorf("%w: mbox: no \"From \" line starts a message", document.ErrCorrupt)
	}
	return fmt.Errorf("%w: mbox: no messages", document.ErrEmpty)
}

// splitter cuts a mailbox stream into messages at lines that start with
// "From ", undoing the ">From " quoting of mboxrd (and of mboxo, where
// it is the best guess).
type splitter struct {
	r        *bufio.Reader
	limit    int64 // most bytes kept of one message
	started  bool  // a "From " line has been seen
	midLine  bool  // the last fragment read did not end a line
	inFrom   bool  // inside an overlong "From " line
	eof      bool
	preamble int64 // non-blank bytes before the first "From " line
	tooBig   bool  // the message last returned was cut at limit
}

var fromLine = []byte("From ")

// next returns the next message without its "From " line, or io.EOF.
func (s *splitter) next() ([]byte, error) {
	if s.eof {
		return nil, io.EOF
	}
	var buf bytes.Buffer
	s.tooBig = false
	for {
		line, err := s.r.ReadSlice('\n')
		atStart := !s.midLine
		s.midLine = err == bufio.ErrBufferFull
		switch {
		case atStart && bytes.HasPrefix(line, fromLine):
			s.inFrom = s.midLine
			if s.started {
				return buf.Bytes(), nil
			}
			s.started = true
			continue
		case s.inFrom:
			// the rest of an overlong "From " line
			s.inFrom = s.midLine
		case !s.started:
			s.preamble += int64(len(bytes.TrimSpace(line)))
		default:
			s.keep(&buf, line, atStart)
		}
		switch {
		case err == io.EOF:
			s.eof = true
			if !s.started {
				return nil, io.EOF
			}
			return buf.Bytes(), nil
		case err != nil && err != bufio.ErrBufferFull:
			return nil, err
		}
	}
}

// keep appends a line fragment to the message within the limit.
func (s *splitter) keep(buf *bytes.Buffer, line []byte, atStart bool) {
	if atStart && isQuotedFrom(line) {
		line = line[1:]
	}
	if int64(buf.Len()+len(line)) > s.limit {
		s.tooBig = true
		return
	}
	buf.Write(line)
}

// isQuotedFrom reports a line of one or more '>' followed by "From ".
func isQuotedFrom(line []byte) bool {
	rest := bytes.TrimLeft(line, ">")
	return len(rest) < len(line) && bytes.HasPrefix(rest, fromLine)
}
