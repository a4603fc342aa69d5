package llm

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func readAll(t testing.TB, in string) ([]sseEvent, error) {
	t.Helper()
	r := newSSEReader(strings.NewReader(in))
	var out []sseEvent
	for {
		ev, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev)
	}
}

func TestSSEReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []sseEvent
	}{
		{"data lines", "data: a\n\ndata: b\n\n", []sseEvent{{Data: "a"}, {Data: "b"}}},
		{"crlf", "data: a\r\n\r\nevent: x\r\ndata: b\r\n\r\n", []sseEvent{{Data: "a"}, {Name: "x", Data: "b"}}},
		{"no space", "data:a\n\n", []sseEvent{{Data: "a"}}},
		{"two spaces keep one", "data:  a\n\n", []sseEvent{{Data: " a"}}},
		{"multi-line data", "data: a\ndata: b\n\n", []sseEvent{{Data: "a\nb"}}},
		{"comments and ids skipped", ": keep-alive\nid: 7\nretry: 10\ndata: a\n\n", []sseEvent{{Data: "a"}}},
		{"event without data dropped", "event: ping\n\ndata: a\n\n", []sseEvent{{Data: "a"}}},
		{"name does not leak", "event: x\ndata: a\n\ndata: b\n\n", []sseEvent{{Name: "x", Data: "a"}, {Data: "b"}}},
		{"last event unterminated", "data: a\n\ndata: [DONE]", []sseEvent{{Data: "a"}, {Data: "[DONE]"}}},
		{"empty data", "data\n\n", []sseEvent{{Data: ""}}},
		{"colon in value", `data: {"a":"b:c"}` + "\n\n", []sseEvent{{Data: `{"a":"b:c"}`}}},
	}
	for _, tt := range tests {
		got, err := readAll(t, tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: events = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestSSELineTooLong(t *testing.T) {
	t.Parallel()
	_, err := readAll(t, "data: "+strings.Repeat("x", maxSSELine+1)+"\n\n")
	if err == nil {
		t.Error("an over-long line was accepted")
	}
}

func FuzzSSE(f *testing.F) {
	for _, s := range []string{
		"data: a\n\n", "event: error\r\ndata: {\"error\":{}}\r\n\r\n", ": c\n", "data\n", "data:\n\n\n", ":\n:", "\r\r\n",
		"data: [DONE]", "event: x\nevent: y\ndata: z\ndata: w",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		field, value := parseSSELine(in)
		if strings.Contains(field, ":") || len(field)+len(value) > len(in) {
			t.Fatalf("parseSSELine(%q) = %q, %q", in, field, value)
		}
		events, err := readAll(t, in)
		if err != nil {
			t.Fatalf("reading %q: %v", in, err)
		}
		for _, ev := range events {
			if strings.Contains(ev.Name, "\n") || len(ev.Data) > len(in) {
				t.Fatalf("event %+v from %q", ev, in)
			}
		}
		// The stream handlers must take any event without panicking.
		oa := &oaStream{calls: map[int]*partialCall{}}
		an := &anStream{structured: "answer", blocks: map[int]*partialCall{}}
		for _, ev := range events {
			_, _, _ = oa.handle(ev)
			_, _, _ = an.handle(ev)
		}
		_ = parseErrorBody([]byte(in))
	})
}
