package llm

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"
)

func anText(s string) string {
	b, _ := json.Marshal(s)
	return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":" + string(b) + "}}"
}

const (
	anStart     = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-test\",\"usage\":{\"input_tokens\":11,\"output_tokens\":1}}}"
	anTextStart = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"
	anPing      = "event: ping\ndata: {\"type\": \"ping\"}"
	anStop      = "event: message_stop\ndata: {\"type\":\"message_stop\"}"
)

func anBlockStop(i string) string {
	return "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":" + i + "}"
}

func anMessageDelta(reason string) string {
	return "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + reason + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}"
}

func TestAnthropicStreamText(t *testing.T) {
	t.Parallel()
	tokens := []string{"Moin", ",", " wie", " geht's?"}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path != "/v1/messages" || r.Header.Get("X-Api-Key") != "sk-test" || r.Header.Get("Anthropic-Version") != anthropicVersion {
			http.Error(w, `{"type":"error","error":{"type":"authentication_error","message":"bad request line"}}`, http.StatusUnauthorized)
			return
		}
		sseHeader(w)
		sse(w, anStart, anTextStart, anPing)
		for _, tok := range tokens {
			sse(w, anText(tok))
		}
		sse(w, anBlockStop("0"), anMessageDelta("end_turn"), anStop)
	})
	c, _ := newTestAnthropic(t, srv.URL, Config{APIKey: "sk-test"})
	ch, err := c.Stream(t.Context(), Request{Messages: []Message{
		{Role: RoleSystem, Content: "Antworte kurz."},
		{Role: RoleUser, Content: "Hallo"},
	}})
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
	if !end.Done || end.FinishReason != "end_turn" || end.Usage == nil || *end.Usage != (Usage{11, 9}) {
		t.Errorf("final delta = %+v (usage %+v)", end, end.Usage)
	}
	want := `{"model":"claude-test","max_tokens":4096,"system":"Antworte kurz.","messages":[{"role":"user","content":[{"type":"text","text":"Hallo"}]}],"stream":true}`
	if srv.body(0) != want {
		t.Errorf("body =\n%s\nwant\n%s", srv.body(0), want)
	}
}

func TestAnthropicToolUse(t *testing.T) {
	t.Parallel()
	args := `{"query":"Rechnung 4711","limit":3}`
	want := []ToolCall{{ID: "toolu_1", Name: "search", Arguments: json.RawMessage(args)}}
	streamed := func(w http.ResponseWriter) {
		sseHeader(w)
		sse(w, anStart, anTextStart, anText("Ich suche."), anBlockStop("0"),
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"search\",\"input\":{}}}")
		for i := 0; i < len(args); i += 3 {
			frag, _ := json.Marshal(args[i:min(i+3, len(args))])
			sse(w, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"+string(frag)+"}}")
		}
		sse(w, anBlockStop("1"), anMessageDelta("tool_use"), anStop)
	}
	whole := func(w http.ResponseWriter) {
		_, _ = w.Write([]byte(`{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","stop_reason":"tool_use",` +
			`"content":[{"type":"text","text":"Ich suche."},{"type":"tool_use","id":"toolu_1","name":"search","input":` + args + `}],` +
			`"usage":{"input_tokens":11,"output_tokens":9}}`))
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
			c, _ := newTestAnthropic(t, srv.URL, Config{})
			req := Request{
				Messages: []Message{
					{Role: RoleUser, Content: "Finde 4711"},
					{Role: RoleAssistant, ToolCalls: []ToolCall{{ID: "toolu_0", Name: "search", Arguments: json.RawMessage(`{"query":"4711"}`)}}},
					{Role: RoleTool, ToolCallID: "toolu_0", Content: "nichts"},
				},
				Tools: []Tool{{Name: "search", Description: "Sucht.", Parameters: json.RawMessage(`{"type":"object"}`)}},
			}
			var got []ToolCall
			var content string
			if stream {
				ch, err := c.Stream(t.Context(), req)
				if err != nil {
					t.Fatal(err)
				}
				deltas := collect(t, ch)
				for _, d := range deltas {
					got = append(got, d.ToolCalls...)
				}
				content = text(deltas)
				if end := last(t, deltas); !end.Done || end.FinishReason != "tool_use" {
					t.Errorf("final delta = %+v", end)
				}
			} else {
				resp, err := c.Complete(t.Context(), req)
				if err != nil {
					t.Fatal(err)
				}
				got, content = resp.ToolCalls, resp.Content
				if resp.FinishReason != "tool_use" || resp.PromptTokens != 11 || resp.CompletionTokens != 9 {
					t.Errorf("response = %+v", resp)
				}
			}
			if !reflect.DeepEqual(got, want) || content != "Ich suche." {
				t.Errorf("tool calls = %s, content %q", jsonOf(got), content)
			}
			var sent anRequest
			if err := json.Unmarshal([]byte(srv.body(0)), &sent); err != nil {
				t.Fatal(err)
			}
			wantMsgs := `[{"role":"user","content":[{"type":"text","text":"Finde 4711"}]},` +
				`{"role":"assistant","content":[{"type":"tool_use","id":"toolu_0","name":"search","input":{"query":"4711"}}]},` +
				`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_0","content":"nichts"}]}]`
			if jsonOf(sent.Messages) != wantMsgs || jsonOf(sent.Tools) != `[{"name":"search","description":"Sucht.","input_schema":{"type":"object"}}]` {
				t.Errorf("sent messages %s tools %s", jsonOf(sent.Messages), jsonOf(sent.Tools))
			}
		})
	}
}

func TestAnthropicErrorEvent(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		sseHeader(w)
		sse(w, anStart, anTextStart, anText("Hal"),
			"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
			anText("lo"), anStop)
	})
	c, _ := newTestAnthropic(t, srv.URL, Config{})
	ch, err := c.Stream(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	deltas := collect(t, ch)
	var apiErr *Error
	if end := last(t, deltas); text(deltas) != "Hal" || !errors.As(end.Err, &apiErr) {
		t.Fatalf("deltas = %+v", deltas)
	}
	if apiErr.Code != "overloaded_error" || apiErr.Message != "Overloaded" || !apiErr.Retryable {
		t.Errorf("error = %+v", apiErr)
	}
	if srv.count() != 1 {
		t.Errorf("requests = %d, want 1", srv.count())
	}
}

func TestAnthropicErrors(t *testing.T) {
	t.Parallel()
	ok := `{"type":"message","model":"claude-test","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}`
	tests := []struct {
		name   string
		status int
		body   string
		hits   int
		err    *Error // nil: success after the retry
	}{
		{"529 retried", 529, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, 2, nil},
		{"429 retried", 429, `{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}`, 2, nil},
		{"400 not retried", 400, `{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too large"}}`, 1,
			&Error{Status: 400, Code: "invalid_request_error", Message: "max_tokens: too large"}},
		{"500 not retried", 500, `{"type":"error","error":{"type":"api_error","message":"internal"}}`, 1,
			&Error{Status: 500, Code: "api_error", Message: "internal"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				if n == 0 {
					w.WriteHeader(tt.status)
					_, _ = w.Write([]byte(tt.body))
					return
				}
				_, _ = w.Write([]byte(ok))
			})
			c, _ := newTestAnthropic(t, srv.URL, Config{})
			resp, err := c.Complete(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "x"}}})
			if srv.count() != tt.hits {
				t.Errorf("requests = %d, want %d", srv.count(), tt.hits)
			}
			if tt.err == nil {
				if err != nil || resp.Content != "ok" {
					t.Errorf("resp, err = %+v, %v", resp, err)
				}
				return
			}
			var apiErr *Error
			if !errors.As(err, &apiErr) || *apiErr != *tt.err {
				t.Errorf("err = %v, want %+v", err, tt.err)
			}
		})
	}
}

func TestAnthropicStructuredOutput(t *testing.T) {
	t.Parallel()
	schema := `{"type":"object","properties":{"answer":{"type":"string"}}}`
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		_, _ = w.Write([]byte(`{"type":"message","content":[{"type":"tool_use","id":"t","name":"answer","input":{"answer":"Anna"}}],"stop_reason":"tool_use"}`))
	})
	c, _ := newTestAnthropic(t, srv.URL, Config{})
	resp, err := c.Complete(t.Context(), Request{Messages: []Message{{Role: RoleUser, Content: "Wer?"}},
		JSONSchema: json.RawMessage(schema), SchemaName: "answer"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Content != `{"answer":"Anna"}` || len(resp.ToolCalls) != 0 {
		t.Errorf("response = %+v", resp)
	}
	var sent anRequest
	_ = json.Unmarshal([]byte(srv.body(0)), &sent)
	if sent.ToolChoice == nil || *sent.ToolChoice != (anToolChoice{Type: "tool", Name: "answer"}) || len(sent.Tools) != 1 || string(sent.Tools[0].InputSchema) != schema {
		t.Errorf("sent tools %s choice %+v", jsonOf(sent.Tools), sent.ToolChoice)
	}
}
