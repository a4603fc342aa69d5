package openai

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zero711/brain/internal/embed"
)

// fakeServer is an /v1/embeddings endpoint that answers each request with
// the next scripted reply and, once the script is used up, with the
// vectors of the builtin embedder, listed in reverse order.
type fakeServer struct {
	t       *testing.T
	URL     string
	builtin *embed.Builtin

	mu       sync.Mutex
	script   []reply
	requests []seen
}

// reply answers one request.
type reply func(w http.ResponseWriter, r *http.Request, req request)

// seen is what the server received.
type seen struct {
	Path, Auth string
	Req        request
}

func newFakeServer(t *testing.T, script ...reply) *fakeServer {
	t.Helper()
	b, err := embed.NewBuiltin(embed.BuiltinConfig{Dim: 32})
	if err != nil {
		t.Fatal(err)
	}
	s := &fakeServer{t: t, builtin: b, script: script}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, seen{Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Req: req})
	next := s.builtinReply
	if len(s.script) > 0 {
		next, s.script = s.script[0], s.script[1:]
	}
	s.mu.Unlock()
	next(w, r, req)
}

// seen returns the requests so far.
func (s *fakeServer) seen() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.requests...)
}

func (s *fakeServer) builtinReply(w http.ResponseWriter, r *http.Request, req request) {
	vs, err := s.builtin.Embed(r.Context(), req.Input, embed.Passage)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeVectors(w, req, vs, true)
}

// writeVectors answers with vs in the requested encoding, in reverse order
// if shuffle is set.
func writeVectors(w http.ResponseWriter, req request, vs [][]float32, shuffle bool) {
	type item struct {
		Object    string `json:"object"`
		Index     int    `json:"index"`
		Embedding any    `json:"embedding"`
	}
	items := make([]item, len(vs))
	for i, v := range vs {
		var e any = v
		if req.EncodingFormat == EncodingBase64 {
			e = base64Vector(v)
		}
		pos := i
		if shuffle {
			pos = len(vs) - 1 - i
		}
		items[pos] = item{Object: "embedding", Index: i, Embedding: e}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": items, "model": req.Model})
}

func base64Vector(v []float32) string {
	b := make([]byte, 0, 4*len(v))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// status answers with an error status, a body and header pairs.
func status(code int, body string, header ...string) reply {
	return func(w http.ResponseWriter, _ *http.Request, _ request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		w.Write([]byte(body))
	}
}

// raw answers 200 with a literal body.
func raw(body string) reply { return status(http.StatusOK, body) }

// vectorsOf answers with a vector per input made by f.
func vectorsOf(f func(i int, input string) []float32) reply {
	return func(w http.ResponseWriter, _ *http.Request, req request) {
		vs := make([][]float32, len(req.Input))
		for i, in := range req.Input {
			vs[i] = f(i, in)
		}
		writeVectors(w, req, vs, false)
	}
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter, _ *http.Request, _ request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// slow answers only after d or when the client gives up.
func slow(d time.Duration) reply {
	return func(w http.ResponseWriter, r *http.Request, req request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		vectorsOf(func(int, string) []float32 { return []float32{1, 0} })(w, r, req)
	}
}

// newClient returns a client of s with fast retries; cfg's non-zero fields
// override.
func newClient(t *testing.T, s *fakeServer, cfg Config) *Client {
	t.Helper()
	if cfg.Model == "" {
		cfg.Model = "test-model"
	}
	cfg.BaseURL = s.URL
	setDefault(&cfg.Backoff, time.Millisecond)
	setDefault(&cfg.MaxBackoff, 5*time.Millisecond)
	setDefault(&cfg.Timeout, 5*time.Second)
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func embedTexts(ctx context.Context, c *Client, texts ...string) ([][]float32, error) {
	return c.Embed(ctx, texts, embed.Passage)
}

func numbered(n int) []string {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = "text " + strings.Repeat("x", i%7) + string(rune('a'+i%26))
	}
	return texts
}
