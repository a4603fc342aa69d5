package llm

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// maxSSELine bounds one line of an event stream; a longer line fails the
// stream rather than growing the buffer without end.
const maxSSELine = 4 << 20

// sseEvent is one server-sent event: its event name (may be empty) and its
// data lines joined by "\n".
type sseEvent struct {
	Name string
	Data string
}

// sseReader reads server-sent events
// (https://html.spec.whatwg.org/multipage/server-sent-events.html) from a
// response body. Lines end in "\n" or "\r\n"; comments, id and retry
// fields are skipped.
type sseReader struct {
	sc      *bufio.Scanner
	name    string
	data    strings.Builder
	hasData bool
}

func newSSEReader(r io.Reader) *sseReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxSSELine)
	return &sseReader{sc: sc}
}

// Next returns the next event with data; io.EOF when the body ends
// cleanly. An event still open at the end of the body is returned, as
// servers do not always end the last one with a blank line.
func (r *sseReader) Next() (sseEvent, error) {
	for r.sc.Scan() {
		line := strings.TrimSuffix(r.sc.Text(), "\r")
		if line == "" {
			if ev, ok := r.dispatch(); ok {
				return ev, nil
			}
			continue
		}
		r.add(parseSSELine(line))
	}
	if err := r.sc.Err(); err != nil {
		return sseEvent{}, fmt.Errorf("read event stream: %w", err)
	}
	if ev, ok := r.dispatch(); ok {
		return ev, nil
	}
	return sseEvent{}, io.EOF
}

// add takes one field of the event being read.
func (r *sseReader) add(field, value string) {
	switch field {
	case "data":
		if r.hasData {
			r.data.WriteByte('\n')
		}
		r.data.WriteString(value)
		r.hasData = true
	case "event":
		r.name = value
	}
}

// dispatch ends the event being read; ok is false if it had no data.
func (r *sseReader) dispatch() (sseEvent, bool) {
	ev := sseEvent{Name: r.name, Data: r.data.String()}
	ok := r.hasData
	r.name, r.hasData = "", false
	r.data.Reset()
	return ev, ok
}

// parseSSELine splits one non-empty line into field and value. A comment
// (":...") has the empty field; a line without a colon is a field with an
// empty value; one space after the colon is dropped.
func parseSSELine(line string) (field, value string) {
	field, value, found := strings.Cut(line, ":")
	if !found {
		return line, ""
	}
	return field, strings.TrimPrefix(value, " ")
}
