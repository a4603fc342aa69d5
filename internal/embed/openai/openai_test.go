package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/apierr"
	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/embed/embedtest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	for _, enc := range []string{EncodingFloat, EncodingBase64} {
		t.Run(enc, func(t *testing.T) {
			t.Parallel()
			s := newFakeServer(t)
			embedtest.Run(t, newClient(t, s, Config{Encoding: enc}))
			for _, r := range s.seen() {
				if r.Req.EncodingFormat != enc {
					t.Fatalf("encoding_format %q, want %q", r.Req.EncodingFormat, enc)
				}
			}
		})
	}
}

func TestBatching(t *testing.T) {
	t.Parallel()
	s := newFakeServer(t)
	c := newClient(t, s, Config{BatchSize: 128, APIKey: "sk-test", Model: "my/model"})
	texts := numbered(300)
	vs, err := embedTexts(context.Background(), c, texts...)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := s.builtin.Embed(context.Background(), texts, embed.Passage)
	for i := range texts {
		if embed.Dot(vs[i], want[i]) < 0.9999 {
			t.Fatalf("vector %d is not the one of text %d", i, i)
		}
	}
	var sizes []int
	for _, r := range s.seen() {
		sizes = append(sizes, len(r.Req.Input))
		if r.Path != "/v1/embeddings" || r.Auth != "Bearer sk-test" || r.Req.Model != "my/model" || r.Req.EncodingFormat != "float" {
			t.Errorf("request %+v", r)
		}
	}
	if fmt.Sprint(sizes) != "[128 128 44]" {
		t.Errorf("batch sizes %v, want [128 128 44]", sizes)
	}
	if c.Dim() != 32 {
		t.Errorf("Dim() = %d after the first response, want 32", c.Dim())
	}
}

func TestPrefixes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg            Config
		query, passage string
	}{
		{Config{Model: "intfloat/multilingual-e5-large"}, "query: ", "passage: "},
		{Config{Model: "intfloat/E5-base-v2"}, "query: ", "passage: "},
		{Config{Model: "intfloat/multilingual-e5-large-instruct"}, e5InstructPrefix, ""},
		{Config{Model: "intfloat/multilingual-e5-large", NoAutoPrefix: true}, "", ""},
		{Config{Model: "e5", QueryPrefix: "search_query: "}, "search_query: ", ""},
		{Config{Model: "nomic-embed-text", QueryPrefix: "search_query: ", PassagePrefix: "search_document: "}, "search_query: ", "search_document: "},
		{Config{Model: "text-embedding-3-small"}, "", ""},
	} {
		s := newFakeServer(t)
		c := newClient(t, s, tc.cfg)
		ctx := context.Background()
		if _, err := c.Embed(ctx, []string{"Wer erhebt die Steuer?"}, embed.Query); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Embed(ctx, []string{"Die Gemeinde."}, embed.Passage); err != nil {
			t.Fatal(err)
		}
		r := s.seen()
		if got, want := r[0].Req.Input[0], tc.query+"Wer erhebt die Steuer?"; got != want {
			t.Errorf("%s: query sent as %q, want %q", tc.cfg.Model, got, want)
		}
		if got, want := r[1].Req.Input[0], tc.passage+"Die Gemeinde."; got != want {
			t.Errorf("%s: passage sent as %q, want %q", tc.cfg.Model, got, want)
		}
	}
}

func TestReordersByIndex(t *testing.T) {
	t.Parallel()
	s := newFakeServer(t, raw(`{"data":[
		{"index":2,"embedding":[0,0,3]},
		{"index":0,"embedding":[1,0,0]},
		{"index":1,"embedding":"AAAAAAAAAEAAAAAA"}]}`)) // base64 of [0, 2, 0]
	c := newClient(t, s, Config{})
	vs, err := embedTexts(context.Background(), c, "a", "b", "c")
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
		if v[i] != 1 {
			t.Errorf("vector %d = %v, want unit vector %d", i, v, i)
		}
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		script   []reply
		requests int
	}{
		{"5xx", []reply{status(500, "boom"), status(502, "<html>bad gateway</html>"), status(503, `{"error":"loading"}`)}, 4},
		{"429", []reply{status(429, `{"error":{"message":"slow down","type":"rate_limit"}}`)}, 2},
		{"408", []reply{status(408, "")}, 2},
		{"network", []reply{hangUp, hangUp}, 3},
		{"slow", []reply{slow(time.Minute)}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newFakeServer(t, tc.script...)
			c := newClient(t, s, Config{Timeout: 2 * time.Second})
			if _, err := embedTexts(context.Background(), c, "a", "b"); err != nil {
				t.Fatal(err)
			}
			if n := len(s.seen()); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header, value string
		min           time.Duration
	}{
		{"Retry-After", "1", time.Second},
		{"Retry-After-Ms", "300", 300 * time.Millisecond},
	} {
		t.Run(tc.header, func(t *testing.T) {
			t.Parallel()
			s := newFakeServer(t, status(429, `{"error":"rate limited"}`, tc.header, tc.value))
			c := newClient(t, s, Config{})
			start := time.Now()
			if _, err := embedTexts(context.Background(), c, "a"); err != nil {
				t.Fatal(err)
			}
			if elapsed := time.Since(start); elapsed < tc.min {
				t.Errorf("retried after %v, the server asked for %v", elapsed, tc.min)
			}
		})
	}
}

func TestRetryAfterTooLong(t *testing.T) {
	t.Parallel()
	s := newFakeServer(t, status(429, "", "Retry-After", "3600"))
	c := newClient(t, s, Config{MaxRetryAfter: time.Minute})
	start := time.Now()
	_, err := embedTexts(context.Background(), c, "a")
	if brain.ErrorCode(err) != brain.EUNAVAILABLE || time.Since(start) > 5*time.Second {
		t.Errorf("err %v after %v, want unavailable at once", err, time.Since(start))
	}
	if n := len(s.seen()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestNoRetry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		reply reply
		code  string
	}{
		{status(400, `{"error":{"message":"input too long","type":"invalid_request_error","code":null}}`), brain.EINVALID},
		{status(413, `{"error":"Input validation error: inputs must have less than 512 tokens","error_type":"Validation"}`), brain.EINVALID},
		{status(422, `{"detail":[{"loc":["body","input"],"msg":"field required"}]}`), brain.EINVALID},
		{status(401, `{"error":{"message":"bad key","type":"authentication_error","code":"invalid_api_key"}}`), brain.EINTERNAL},
		{status(404, `{"object":"error","message":"The model does not exist.","type":"NotFoundError","code":404}`), brain.EINTERNAL},
		{raw(`not json`), brain.EINTERNAL},
	} {
		s := newFakeServer(t, tc.reply)
		c := newClient(t, s, Config{})
		_, err := embedTexts(context.Background(), c, "a")
		if code := brain.ErrorCode(err); code != tc.code {
			t.Errorf("err %v: code %q, want %q", err, code, tc.code)
		}
		if n := len(s.seen()); n != 1 {
			t.Errorf("err %v: %d requests, want 1", err, n)
		}
	}
}

func TestRetriesExhausted(t *testing.T) {
	t.Parallel()
	always := make([]reply, 10)
	for i := range always {
		always[i] = status(503, `{"detail":"model is loading"}`)
	}
	for _, tc := range []struct{ maxRetries, requests int }{{0, 5}, {2, 3}, {-1, 1}} {
		s := newFakeServer(t, always...)
		c := newClient(t, s, Config{MaxRetries: tc.maxRetries})
		_, err := embedTexts(context.Background(), c, "a")
		var apiErr *APIError
		if brain.ErrorCode(err) != brain.EUNAVAILABLE || !errors.As(err, &apiErr) || apiErr.Message != "model is loading" {
			t.Errorf("MaxRetries %d: err %v, want unavailable carrying the server's message", tc.maxRetries, err)
		}
		if n := len(s.seen()); n != tc.requests {
			t.Errorf("MaxRetries %d: %d requests, want %d", tc.maxRetries, n, tc.requests)
		}
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	c, err := New(Config{BaseURL: "http://127.0.0.1:1", Model: "m", MaxRetries: 1, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Embed(context.Background(), []string{"a"}, embed.Query); brain.ErrorCode(err) != brain.EUNAVAILABLE {
		t.Errorf("err %v, want unavailable", err)
	}
}

func TestDimension(t *testing.T) {
	t.Parallel()
	vec := func(n int) reply {
		return vectorsOf(func(int, string) []float32 { return make1(n) })
	}
	ctx := context.Background()

	s := newFakeServer(t, vec(3))
	c := newClient(t, s, Config{Dim: 4})
	if _, err := embedTexts(ctx, c, "a"); !errors.Is(err, ErrDimension) || brain.ErrorCode(err) != brain.EINTERNAL {
		t.Errorf("configured 4, got 3: err %v, want ErrDimension", err)
	}

	s = newFakeServer(t, vec(3), vec(5))
	c = newClient(t, s, Config{})
	if c.Dim() != 0 {
		t.Errorf("Dim() = %d before any response", c.Dim())
	}
	if _, err := embedTexts(ctx, c, "a"); err != nil || c.Dim() != 3 {
		t.Fatalf("err %v, Dim() %d, want 3", err, c.Dim())
	}
	if _, err := embedTexts(ctx, c, "a"); !errors.Is(err, ErrDimension) {
		t.Errorf("learned 3, got 5: err %v, want ErrDimension", err)
	}

	s = newFakeServer(t, vectorsOf(func(i int, _ string) []float32 { return make1(2 + i) }))
	c = newClient(t, s, Config{})
	if _, err := embedTexts(ctx, c, "a", "b"); !errors.Is(err, ErrDimension) {
		t.Errorf("mixed lengths in one response: err %v, want ErrDimension", err)
	}
}

// make1 returns (1, 0, 0, …) of length n.
func make1(n int) []float32 {
	v := make([]float32, n)
	v[0] = 1
	return v
}

func TestMalformed(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"data":[]}`,
		`{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[1]}]}`,
		`{"data":[{"index":0,"embedding":[1]},{"index":2,"embedding":[1]}]}`,
		`{"data":[{"index":-1,"embedding":[1]},{"index":0,"embedding":[1]}]}`,
		`{"data":[{"index":0,"embedding":[]},{"index":1,"embedding":[1]}]}`,
		`{"data":[{"index":0,"embedding":null},{"index":1,"embedding":[1]}]}`,
		`{"data":[{"index":0,"embedding":"!!"},{"index":1,"embedding":[1]}]}`,
		`{"data":[{"index":0,"embedding":"AAA="},{"index":1,"embedding":[1]}]}`,
		`{"data":[{"index":0,"embedding":"AADAfw=="},{"index":1,"embedding":[1]}]}`, // NaN
		`{"data":[{"index":0,"embedding":[1e39]},{"index":1,"embedding":[1]}]}`,
		`{"data":[{"index":0,"embedding":["x"]},{"index":1,"embedding":[1]}]}`,
		`[]`,
	} {
		s := newFakeServer(t, raw(body))
		c := newClient(t, s, Config{})
		_, err := embedTexts(context.Background(), c, "a", "b")
		if !errors.Is(err, ErrResponse) {
			t.Errorf("%s: err %v, want ErrResponse", body, err)
		}
	}
}

func TestNoIndex(t *testing.T) {
	t.Parallel()
	s := newFakeServer(t, raw(`{"data":[{"embedding":[2,0]},{"embedding":[0,3]}]}`))
	vs, err := embedTexts(context.Background(), newClient(t, s, Config{}), "a", "b")
	if err != nil || vs[0][0] != 1 || vs[1][1] != 1 {
		t.Errorf("got %v, %v; want the vectors in the order sent, normalized", vs, err)
	}
}

func TestContext(t *testing.T) {
	t.Parallel()
	t.Run("CancelDuringBackoff", func(t *testing.T) {
		t.Parallel()
		s := newFakeServer(t, status(503, ""))
		c := newClient(t, s, Config{Backoff: time.Hour, MaxBackoff: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := embedTexts(ctx, c, "a")
		if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
			t.Errorf("err %v after %v, want context.Canceled soon", err, time.Since(start))
		}
	})
	t.Run("CancelDuringRequest", func(t *testing.T) {
		t.Parallel()
		s := newFakeServer(t, slow(time.Minute))
		c := newClient(t, s, Config{})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		if _, err := embedTexts(ctx, c, "a"); !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
		if n := len(s.seen()); n != 1 {
			t.Errorf("%d requests after cancelling, want 1", n)
		}
	})
	t.Run("DeadlineBeforeRetry", func(t *testing.T) {
		t.Parallel()
		s := newFakeServer(t, status(503, "", "Retry-After", "30"))
		c := newClient(t, s, Config{})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		_, err := embedTexts(ctx, c, "a")
		if brain.ErrorCode(err) != brain.EUNAVAILABLE || time.Since(start) > 2*time.Second {
			t.Errorf("err %v after %v, want unavailable at once", err, time.Since(start))
		}
	})
}

func TestParseError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body               string
		message, typ, code string
	}{
		{`{"error":{"message":"bad","type":"invalid_request_error","code":"context_length_exceeded"}}`, "bad", "invalid_request_error", "context_length_exceeded"},
		{`{"error":{"message":"bad","type":"BadRequestError","code":400}}`, "bad", "BadRequestError", "400"},
		{`{"error":"Input validation error","error_type":"Validation"}`, "Input validation error", "Validation", ""},
		{`{"detail":"Not Found"}`, "Not Found", "", ""},
		{`{"detail":[{"msg":"field required"}]}`, `[{"msg":"field required"}]`, "", ""},
		{`{"object":"error","message":"no such model","type":"NotFoundError","code":404}`, "no such model", "NotFoundError", "404"},
		{`<html>502 Bad Gateway</html>`, "<html>502 Bad Gateway</html>", "", ""},
		{``, "Bad Gateway", "", ""},
		{strings.Repeat("é", 1000), strings.Repeat("é", 250) + "…", "", ""},
	} {
		resp := &http.Response{StatusCode: 502, Header: http.Header{}, Body: nopCloser{strings.NewReader(tc.body)}}
		e := parseError(resp)
		if e.Message != tc.message || e.Type != tc.typ || e.Code != tc.code {
			t.Errorf("%s: got %q %q %q, want %q %q %q", tc.body, e.Message, e.Type, e.Code, tc.message, tc.typ, tc.code)
		}
	}
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

func TestRetryAfterHeader(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		header, value string
		want          time.Duration
	}{
		{"Retry-After", "7", 7 * time.Second},
		{"Retry-After", "1.5", 1500 * time.Millisecond},
		{"Retry-After", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"Retry-After", now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"Retry-After", "-3", 0},
		{"Retry-After", "soon", 0},
		{"Retry-After", "1e300", 0},
		{"Retry-After-Ms", "250", 250 * time.Millisecond},
		{"X-Other", "5", 0},
	} {
		h := http.Header{}
		h.Set(tc.header, tc.value)
		if got := apierr.RetryAfter(h, now); got != tc.want {
			t.Errorf("%s: %s = %v, want %v", tc.header, tc.value, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	c := &Client{cfg: Config{Backoff: 100 * time.Millisecond, MaxBackoff: time.Second, MaxRetryAfter: time.Minute}}
	ctx := context.Background()
	for attempt, max := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		max *= time.Millisecond
		for range 20 {
			d, ok := c.wait(ctx, attempt, 0)
			if !ok || d < max/2 || d > max {
				t.Fatalf("attempt %d: wait %v, want in [%v, %v]", attempt, d, max/2, max)
			}
		}
	}
	if d, _ := c.wait(ctx, 1000, 0); d > time.Second {
		t.Errorf("attempt 1000: wait %v beyond MaxBackoff", d)
	}
	if d, ok := c.wait(ctx, 0, 10*time.Second); !ok || d != 10*time.Second {
		t.Errorf("Retry-After 10s: wait %v %v", d, ok)
	}
	if _, ok := c.wait(ctx, 0, 2*time.Minute); ok {
		t.Error("Retry-After beyond MaxRetryAfter accepted")
	}
	huge := &Client{cfg: Config{Backoff: 1 << 62, MaxBackoff: 1<<63 - 1, MaxRetryAfter: time.Minute}}
	if d, ok := huge.wait(ctx, 10, 0); !ok || d <= 0 {
		t.Errorf("huge backoff: wait %v %v", d, ok)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base, endpoint string
	}{
		{"http://tei:8080", "http://tei:8080/v1/embeddings"},
		{"http://tei:8080/", "http://tei:8080/v1/embeddings"},
		{"http://vllm:8000/v1", "http://vllm:8000/v1/embeddings"},
		{"https://api.openai.com/v1/", "https://api.openai.com/v1/embeddings"},
		{"https://gw.example/openai/v2", "https://gw.example/openai/v2/embeddings"},
	} {
		c, err := New(Config{BaseURL: tc.base, Model: "m"})
		if err != nil || c.endpoint != tc.endpoint {
			t.Errorf("%s: endpoint %v %v, want %s", tc.base, c, err, tc.endpoint)
			continue
		}
		if c.cfg.BatchSize != 128 || c.cfg.Timeout != time.Minute || c.cfg.MaxRetries != 4 || c.cfg.Encoding != "float" || c.Model() != "m" {
			t.Errorf("defaults not applied: %+v", c.cfg)
		}
	}
	for _, cfg := range []Config{
		{BaseURL: "http://x"},
		{BaseURL: "ftp://x", Model: "m"},
		{BaseURL: "localhost:8080", Model: "m"},
		{BaseURL: "http://x", Model: "m", Dim: -1},
		{BaseURL: "http://x", Model: "m", BatchSize: -1},
		{BaseURL: "http://x", Model: "m", Encoding: "int8"},
		{BaseURL: "http://x", Model: "m", Timeout: -time.Second},
	} {
		if _, err := New(cfg); brain.ErrorCode(err) != brain.EINVALID {
			t.Errorf("New(%+v): err %v, want invalid", cfg, err)
		}
	}
}

func TestKind(t *testing.T) {
	t.Parallel()
	s := newFakeServer(t)
	c := newClient(t, s, Config{})
	if _, err := c.Embed(context.Background(), []string{"a"}, embed.Kind(7)); brain.ErrorCode(err) != brain.EINVALID {
		t.Errorf("err %v, want invalid", err)
	}
	if len(s.seen()) != 0 {
		t.Error("a request was sent for an invalid kind")
	}
}

func TestProbe(t *testing.T) {
	t.Parallel()
	s := newFakeServer(t)
	c := newClient(t, s, Config{})
	if d, err := embed.Probe(context.Background(), c); err != nil || d != 32 || c.Dim() != 32 {
		t.Fatalf("Probe = %d, %v; Dim() %d; want 32", d, err, c.Dim())
	}
	if d, err := embed.Probe(context.Background(), c); err != nil || d != 32 || len(s.seen()) != 1 {
		t.Errorf("second Probe = %d, %v after %d requests, want 32 from memory", d, err, len(s.seen()))
	}
	down := newFakeServer(t, status(401, `{"error":{"message":"bad key"}}`))
	if _, err := embed.Probe(context.Background(), newClient(t, down, Config{})); err == nil {
		t.Error("Probe of a failing server succeeded")
	}
}
