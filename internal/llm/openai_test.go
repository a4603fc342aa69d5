package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

func chunkContent(s string) string {
	b, _ := json.Marshal(s)
	return `data: {"choices":[{"index":0,"delta":{"content":` + string(b) + `}}]}`
}

func TestOpenAIStreamTokensInOrder(t *testing.T) {
	t.Parallel()
	tokens := []string{"Guten", " Tag", ",", " Welt", "!"}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		sseHeader(w)
		sse(w, `data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}`)
		for _, tok := range tokens {
			sse(w, chunkContent(tok))
		}
		sse(w, `data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`,
			`data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":5}}`, `data: [DONE]`)
	})
	c, _ := newTestOpenAI(t, srv.URL, Config{})
	ch, err := c.Stream(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "Hallo"}}})
	if err != nil {
		t.Fatal(err)
	}
	deltas := collect(t, ch)
	var got []string
	for _, d := range deltas[:len(deltas)-1] {
		got = append(got, d.Content)
	}
	if !reflect.DeepEqual(got, tokens) {
		t.Errorf("tokens = %q, want %q", got, tokens)
	}
	end := last(t, deltas)
	if !end.Done || end.Err != nil || end.FinishReason != "stop" || end.Usage == nil || *end.Usage != (Usage{7, 5}) {
		t.Errorf("final delta = %+v (usage %+v)", end, end.Usage)
	}
	var sent map[string]any
	if err := json.Unmarshal([]byte(srv.body(0)), &sent); err != nil {
		t.Fatal(err)
	}
	if sent["model"] != "base" || sent["stream"] != true || !reflect.DeepEqual(sent["stream_options"], map[string]any{"include_usage": true}) {
		t.Errorf("request = %v", sent)
	}
}

func TestOpenAIToolCalls(t *testing.T) {
	t.Parallel()
	args0 := `{"query":"Umsatz 2024","limit":5}`
	args1 := `{"path":"a/b.pdf"}`
	want := []ToolCall{
		{ID: "call_0", Name: "search", Arguments: json.RawMessage(args0)},
		{ID: "call_1", Name: "open", Arguments: json.RawMessage(args1)},
	}
	streamed := func(w http.ResponseWriter) {
		sseHeader(w)
		sse(w, `data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_0","type":"function","function":{"name":"search","arguments":""}}]}}]}`)
		sse(w, `data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_1","type":"function","function":{"name":"open"}}]}}]}`)
		// Fragments of both calls interleaved, one or two bytes at a time.
		for i := 0; i < max(len(args0), len(args1)); i += 2 {
			for idx, a := range []string{args0, args1} {
				if i >= len(a) {
					continue
				}
				frag, _ := json.Marshal(a[i:min(i+2, len(a))])
				sse(w, `data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":`+string(rune('0'+idx))+`,"function":{"arguments":`+string(frag)+`}}]}}]}`)
			}
		}
		sse(w, `data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}`, `data: [DONE]`)
	}
	whole := func(w http.ResponseWriter) {
		a0, _ := json.Marshal(args0)
		a1, _ := json.Marshal(args1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"model":"base","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[` +
			`{"id":"call_0","type":"function","function":{"name":"search","arguments":` + string(a0) + `}},` +
			`{"id":"call_1","type":"function","function":{"name":"open","arguments":` + string(a1) + `}}]},"finish_reason":"tool_calls"}],` +
			`"usage":{"prompt_tokens":3,"completion_tokens":4}}`))
	}
	for _, stream := range []bool{true, false} {
		t.Run(map[bool]string{true: "stream", false: "complete"}[stream], func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				if stream {
					streamed(w)
				} else {
					whole(w)
				}
			})
			c, _ := newTestOpenAI(t, srv.URL, Config{})
			req := Request{
				Messages: []Message{{Role: RoleUser, Content: "Umsatz?"}},
				Tools:    []Tool{{Name: "search", Parameters: json.RawMessage(`{"type":"object"}`)}, {Name: "open"}},
			}
			var got []ToolCall
			if stream {
				ch, err := c.Stream(t.Context(), req)
				if err != nil {
					t.Fatal(err)
				}
				deltas := collect(t, ch)
				for _, d := range deltas {
					got = append(got, d.ToolCalls...)
				}
				if end := last(t, deltas); !end.Done || end.FinishReason != "tool_calls" {
					t.Errorf("final delta = %+v", end)
				}
			} else {
				resp, err := c.Complete(t.Context(), req)
				if err != nil {
					t.Fatal(err)
				}
				got = resp.ToolCalls
				if resp.FinishReason != "tool_calls" || resp.PromptTokens != 3 || resp.CompletionTokens != 4 {
					t.Errorf("response = %+v", resp)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("tool calls = %s, want %s", jsonOf(got), jsonOf(want))
			}
			if !strings.Contains(srv.body(0), `"tools":[{"type":"function","function":{"name":"search","parameters":{"type":"object"}}}`) {
				t.Errorf("tools not sent as functions: %s", srv.body(0))
			}
		})
	}
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestOpenAIStreamErrorEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, event string
		status      int
		code        string
	}{
		{"openai shape", `data: {"error":{"message":"kv cache exhausted","type":"InternalServerError","code":500}}`, 500, "500"},
		{"vllm object", `data: {"object":"error","message":"kv cache exhausted","type":"BadRequestError","code":400}`, 400, "400"},
		{"error event", "event: error\ndata: {\"error\":{\"message\":\"kv cache exhausted\",\"code\":\"overloaded\"}}", 0, "overloaded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				sseHeader(w)
				sse(w, chunkContent("Hallo"), tt.event, chunkContent("never"), `data: [DONE]`)
			})
			c, _ := newTestOpenAI(t, srv.URL, Config{})
			ch, err := c.Stream(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
			if err != nil {
				t.Fatal(err)
			}
			deltas := collect(t, ch)
			if text(deltas) != "Hallo" {
				t.Errorf("text = %q, want only the token before the error", text(deltas))
			}
			var apiErr *Error
			if end := last(t, deltas); !errors.As(end.Err, &apiErr) {
				t.Fatalf("final delta = %+v, want *Error", end)
			}
			if apiErr.Message != "kv cache exhausted" || apiErr.Status != tt.status || apiErr.Code != tt.code {
				t.Errorf("error = %+v", apiErr)
			}
		})
	}
}

// TestOpenAIStreamDeadline checks that a stream that runs out of time ends
// with the deadline error and that the server sees the client go.
func TestOpenAIStreamDeadline(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		timeout time.Duration // Config.Timeout
		ctx     func(context.Context) (context.Context, context.CancelFunc)
	}{
		{"ctx deadline", -1, func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(ctx, 50*time.Millisecond)
		}},
		{"config timeout", 50 * time.Millisecond, func(ctx context.Context) (context.Context, context.CancelFunc) {
			return ctx, func() {}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gone := make(chan struct{})
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				sseHeader(w)
				sse(w, chunkContent("slow"))
				<-r.Context().Done() // the next token never comes
				close(gone)
			})
			c, _ := newTestOpenAI(t, srv.URL, Config{Timeout: tt.timeout})
			ctx, cancel := tt.ctx(t.Context())
			defer cancel()
			ch, err := c.Stream(ctx, Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
			if err != nil {
				t.Fatal(err)
			}
			deltas := collect(t, ch)
			if end := last(t, deltas); !errors.Is(end.Err, context.DeadlineExceeded) {
				t.Errorf("final delta = %+v, want deadline exceeded", end)
			}
			<-gone
		})
	}
}

func TestOpenAIStreamClientDisconnect(t *testing.T) {
	t.Parallel()
	gone := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		sseHeader(w)
		sse(w, chunkContent("first"))
		<-r.Context().Done()
		close(gone)
	})
	c, _ := newTestOpenAI(t, srv.URL, Config{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	ch, err := c.Stream(ctx, Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if d := <-ch; d.Content != "first" {
		t.Fatalf("first delta = %+v", d)
	}
	cancel()
	<-gone // the server saw the disconnect
	deltas := collect(t, ch)
	if end := last(t, deltas); !errors.Is(end.Err, context.Canceled) {
		t.Errorf("final delta = %+v, want context canceled", end)
	}
}

func TestOpenAIErrorShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		body      string
		code, msg string
		retryable bool
	}{
		{"openai", 400, `{"error":{"message":"bad model","type":"invalid_request_error","param":"model","code":"model_not_found"}}`, "model_not_found", "bad model", false},
		{"openai no code", 401, `{"error":{"message":"no key","type":"authentication_error","code":null}}`, "authentication_error", "no key", false},
		{"fastapi detail", 404, `{"detail":"Not Found"}`, "", "Not Found", false},
		{"fastapi validation", 422, `{"detail":[{"loc":["body","messages"],"msg":"field required"}]}`, "", `[{"loc":["body","messages"],"msg":"field required"}]`, false},
		{"vllm object", 400, `{"object":"error","message":"too long","type":"BadRequestError","param":null,"code":400}`, "400", "too long", false},
		{"plain text", 500, "upstream exploded\n", "", "upstream exploded", false},
		{"empty", 503, "", "", "Service Unavailable", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			c, _ := newTestOpenAI(t, srv.URL, Config{MaxRetries: -1})
			_, err := c.Complete(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
			var apiErr *Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *Error", err)
			}
			want := Error{Status: tt.status, Code: tt.code, Message: tt.msg, Retryable: tt.retryable}
			if *apiErr != want {
				t.Errorf("error = %+v, want %+v", *apiErr, want)
			}
		})
	}
}

func TestOpenAIRetry(t *testing.T) {
	t.Parallel()
	ok := func(w http.ResponseWriter) {
		_, _ = w.Write([]byte(`{"model":"base","choices":[{"index":0,"message":{"content":"ok"},"finish_reason":"stop"}]}`))
	}
	tests := []struct {
		name   string
		status int
		header string // Retry-After
		hits   int
		waits  []time.Duration // nil: backoff, not checked
		fails  bool
	}{
		{"429 retry-after", 429, "7", 2, []time.Duration{7 * time.Second}, false},
		{"502", 502, "", 2, nil, false},
		{"503", 503, "", 2, nil, false},
		{"504", 504, "", 2, nil, false},
		{"500 not retried", 500, "", 1, []time.Duration{}, true},
		{"400 not retried", 400, "", 1, []time.Duration{}, true},
		{"429 retry-after too long", 429, "3600", 1, []time.Duration{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 0 {
					if tt.header != "" {
						w.Header().Set("Retry-After", tt.header)
					}
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(`{"error":{"message":"try again"}}`))
					return
				}
				ok(w)
			})
			c, w := newTestOpenAI(t, srv.URL, Config{})
			resp, err := c.Complete(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
			if (err != nil) != tt.fails {
				t.Fatalf("err = %v, want failure %v", err, tt.fails)
			}
			if !tt.fails && resp.Content != "ok" {
				t.Errorf("content = %q", resp.Content)
			}
			if srv.count() != tt.hits {
				t.Errorf("requests = %d, want %d", srv.count(), tt.hits)
			}
			if tt.waits != nil && !reflect.DeepEqual(w.all(), tt.waits) && !(len(tt.waits) == 0 && len(w.all()) == 0) {
				t.Errorf("waits = %v, want %v", w.all(), tt.waits)
			}
			if srv.count() == 2 && srv.body(0) != srv.body(1) {
				t.Errorf("retry sent another body:\n%s\n%s", srv.body(0), srv.body(1))
			}
		})
	}
}

func TestOpenAIStreamRetriedBeforeFirstToken(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		sseHeader(w)
		sse(w, chunkContent("ok"), `data: [DONE]`)
	})
	c, _ := newTestOpenAI(t, srv.URL, Config{})
	ch, err := c.Stream(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	deltas := collect(t, ch)
	if text(deltas) != "ok" || !last(t, deltas).Done || srv.count() != 2 {
		t.Errorf("deltas = %+v after %d requests", deltas, srv.count())
	}
}

func TestOpenAINoRetryAfterFirstToken(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		sseHeader(w)
		sse(w, chunkContent("partial"))
		panic(http.ErrAbortHandler) // drop the connection mid-stream
	})
	c, _ := newTestOpenAI(t, srv.URL, Config{MaxRetries: 5})
	ch, err := c.Stream(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	deltas := collect(t, ch)
	if text(deltas) != "partial" || last(t, deltas).Err == nil {
		t.Errorf("deltas = %+v, want the token and then an error", deltas)
	}
	if srv.count() != 1 {
		t.Errorf("requests = %d, want 1", srv.count())
	}
}

// refusingTransport fails its first n round trips as a refused dial.
type refusingTransport struct {
	n    int
	next http.RoundTripper
}

func (rt *refusingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if rt.n > 0 {
		rt.n--
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return rt.next.RoundTrip(r)
}

func TestOpenAIConnectionRefusedRetried(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		_, _ = w.Write([]byte(`{"choices":[{"message":{"content":"ok"}}]}`))
	})
	rt := &refusingTransport{n: 2, next: srv.Client().Transport}
	c, w := newTestOpenAI(t, srv.URL, Config{HTTPClient: &http.Client{Transport: rt}})
	resp, err := c.Complete(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
	if err != nil || resp.Content != "ok" {
		t.Fatalf("resp, err = %+v, %v (waits %v)", resp, err, w.all())
	}
	if len(w.all()) != 2 || srv.count() != 1 {
		t.Errorf("waits = %v, requests = %d; want 2 retries and 1 request", w.all(), srv.count())
	}
}

func TestOpenAIRequestFormat(t *testing.T) {
	t.Parallel()
	schema := `{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}`
	temp := 0.2
	tests := []struct {
		name string
		req  Request
		want string // the request body, compact
	}{
		{"structured output", Request{
			Model: "acme@v2", Messages: []Message{{Role: RoleUser, Content: "Wer?"}},
			JSONSchema: json.RawMessage(schema), SchemaName: "answer", MaxTokens: 100, Temperature: &temp,
		}, `{"model":"acme@v2","messages":[{"role":"user","content":"Wer?"}],"max_tokens":100,"temperature":0.2,` +
			`"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":` + schema + `,"strict":true}}}`},
		{"default schema name", Request{
			Messages: []Message{{Role: RoleUser, Content: "Wer?"}}, JSONSchema: json.RawMessage(`{"type":"object"}`),
		}, `{"model":"base","messages":[{"role":"user","content":"Wer?"}],` +
			`"response_format":{"type":"json_schema","json_schema":{"name":"response","schema":{"type":"object"},"strict":true}}}`},
		{"tool turn", Request{Messages: []Message{
			{Role: RoleSystem, Content: "Du bist hilfreich."},
			{Role: RoleAssistant, ToolCalls: []ToolCall{{ID: "c1", Name: "search", Arguments: json.RawMessage(`{"q":"x"}`)}}},
			{Role: RoleTool, ToolCallID: "c1", Content: "result"},
		}}, `{"model":"base","messages":[{"role":"system","content":"Du bist hilfreich."},` +
			`{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"search","arguments":"{\"q\":\"x\"}"}}]},` +
			`{"role":"tool","content":"result","tool_call_id":"c1"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
				_, _ = w.Write([]byte(`{"choices":[{"message":{"content":"{\"answer\":\"Anna\"}"}}]}`))
			})
			c, _ := newTestOpenAI(t, srv.URL, Config{})
			if _, err := c.Complete(t.Context(), tt.req); err != nil {
				t.Fatal(err)
			}
			if got := srv.body(0); got != tt.want {
				t.Errorf("body =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
