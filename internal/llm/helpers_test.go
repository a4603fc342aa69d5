package llm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// waits records the retry waits a client asked for instead of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// server is a scripted model server: handle answers the n-th request
// (counting from 0) to any path.
type server struct {
	*httptest.Server
	mu     sync.Mutex
	hits   int
	bodies []string
}

func newServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := s.hits
		s.hits++
		s.bodies = append(s.bodies, string(body))
		s.mu.Unlock()
		handle(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

func (s *server) body(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bodies[n]
}

func newTestOpenAI(t *testing.T, base string, cfg Config) (*OpenAI, *waits) {
	t.Helper()
	cfg.BaseURL = base
	if cfg.Model == "" {
		cfg.Model = "base"
	}
	c, err := NewOpenAI(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := &waits{}
	c.t.sleep = w.sleep
	return c, w
}

func newTestAnthropic(t *testing.T, base string, cfg Config) (*Anthropic, *waits) {
	t.Helper()
	cfg.BaseURL = base
	if cfg.Model == "" {
		cfg.Model = "claude-test"
	}
	c, err := NewAnthropic(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := &waits{}
	c.t.sleep = w.sleep
	return c, w
}

// sse writes events (each "data: ..." or "event: ...\ndata: ...") and
// flushes them.
func sse(w http.ResponseWriter, events ...string) {
	for _, ev := range events {
		fmt.Fprintf(w, "%s\n\n", ev)
	}
	w.(http.Flusher).Flush()
}

func sseHeader(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
}

// collect reads ch until it is closed.
func collect(t *testing.T, ch <-chan Delta) []Delta {
	t.Helper()
	var out []Delta
	for d := range ch {
		out = append(out, d)
	}
	return out
}

// text joins the content of deltas.
func text(deltas []Delta) string {
	var b strings.Builder
	for _, d := range deltas {
		b.WriteString(d.Content)
	}
	return b.String()
}

// last returns the final delta, failing if there is none.
func last(t *testing.T, deltas []Delta) Delta {
	t.Helper()
	if len(deltas) == 0 {
		t.Fatal("stream delivered nothing")
	}
	return deltas[len(deltas)-1]
}
