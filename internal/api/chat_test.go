package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/api"
	"github.com/zero711/brain/internal/chat"
)

// sse posts body and returns the stream's events and their data.
func (h *harness) sse(path, token string, body any) (events []string, data []string, status int) {
	h.t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if ev, ok := strings.CutPrefix(line, "event: "); ok {
			events = append(events, ev)
		}
		if d, ok := strings.CutPrefix(line, "data: "); ok {
			data = append(data, d)
		}
	}
	return events, data, resp.StatusCode
}

func TestChatRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("acme")
	r := h.upload(a.token, "/api/upload/files", map[string]string{
		"Reisekosten.md": "# Reisekostenrichtlinie\n\n## Verpflegung\n\nDie Verpflegungspauschale beträgt 28 Euro pro vollem Kalendertag.",
	})
	want(t, r, http.StatusOK)
	var up api.UploadResponse
	r.json(t, &up)
	h.waitJob(a.token, up.IngestionJobID)

	// JSON answer.
	var res chat.Result
	r = h.do("POST", "/api/chat", a.token, api.ChatRequest{Message: "Wie hoch ist die Verpflegungspauschale?"})
	want(t, r, http.StatusOK)
	r.json(t, &res)
	if res.Mode != "extractive" || !strings.Contains(res.Answer, "28 Euro") || len(res.Sources) != 1 || res.Sources[0].Title != "Reisekostenrichtlinie" ||
		res.ConversationID == "" || res.MessageID == "" {
		t.Fatalf("chat: %s", r.body)
	}
	// Follow-up in the same conversation, then the conversation itself.
	want(t, h.do("POST", "/api/chat", a.token, api.ChatRequest{Message: "Und pro halbem Tag?", ConversationID: res.ConversationID}), http.StatusOK)
	var conv api.ConversationDetail
	h.do("GET", "/api/chat/conversations/"+res.ConversationID, a.token, nil).json(t, &conv)
	if len(conv.Messages) != 4 || conv.Messages[1].Sources[0].Title != "Reisekostenrichtlinie" {
		t.Fatalf("conversation %+v", conv)
	}
	var list api.ConversationList
	h.do("GET", "/api/chat/conversations", a.token, nil).json(t, &list)
	if len(list.Conversations) != 1 {
		t.Fatalf("conversations %+v", list)
	}
	// Feedback.
	want(t, h.do("POST", "/api/chat/"+res.MessageID+"/feedback", a.token, api.FeedbackRequest{Rating: 1}), http.StatusOK)
	wantError(t, h.do("POST", "/api/chat/"+res.MessageID+"/feedback", a.token, api.FeedbackRequest{Rating: 0}), http.StatusBadRequest, "invalid")
	wantError(t, h.do("POST", "/api/chat/"+conv.Messages[0].ID+"/feedback", a.token, api.FeedbackRequest{Rating: 1}), http.StatusBadRequest, "invalid")

	// Server-sent events.
	events, data, status := h.sse("/api/chat/stream", a.token, api.ChatRequest{Message: "Wie hoch ist die Verpflegungspauschale?"})
	if status != 200 || len(events) < 2 || events[0] != "token" || events[len(events)-1] != "done" {
		t.Fatalf("stream events %v (%d)", events, status)
	}
	var done chat.Result
	json.Unmarshal([]byte(data[len(data)-1]), &done)
	if len(done.Sources) != 1 || !strings.Contains(done.Answer, "28 Euro") {
		t.Fatalf("done event %s", data[len(data)-1])
	}
	// An empty question is a JSON error before the stream starts.
	if _, _, status := h.sse("/api/chat/stream", a.token, api.ChatRequest{Message: " "}); status != http.StatusBadRequest {
		t.Fatalf("empty streamed question: %d", status)
	}

	// The OpenAI-compatible facade, with the customer's API key.
	var key api.APIKeyCreated
	h.do("POST", "/api/api-keys", a.token, api.APIKeyRequest{Name: "openai client", Permissions: []brain.Permission{brain.PermChatUse}}).json(t, &key)
	var models api.ModelList
	h.do("GET", "/v1/models", key.Secret, nil).json(t, &models)
	if len(models.Data) != 1 || models.Data[0].ID != "0711-brain" {
		t.Fatalf("models %+v", models)
	}
	var comp api.Completion
	r = h.do("POST", "/v1/chat/completions", key.Secret, api.CompletionRequest{Model: "0711-brain",
		Messages: []api.CompletionMessage{{Role: "system", Content: "Du bist hilfreich."}, {Role: "user", Content: "Wie hoch ist die Verpflegungspauschale?"}}})
	want(t, r, http.StatusOK)
	r.json(t, &comp)
	if comp.Object != "chat.completion" || len(comp.Choices) != 1 || !strings.Contains(comp.Choices[0].Message.Content, "28 Euro") ||
		*comp.Choices[0].FinishReason != "stop" || len(comp.Sources) != 1 {
		t.Fatalf("completion %s", r.body)
	}
	_, data, status = h.sse("/v1/chat/completions", key.Secret, api.CompletionRequest{Stream: true,
		Messages: []api.CompletionMessage{{Role: "user", Content: "Wie hoch ist die Verpflegungspauschale?"}}})
	if status != 200 || data[len(data)-1] != "[DONE]" {
		t.Fatalf("streamed completion %v", data)
	}
	var text strings.Builder
	var last api.Completion
	for _, d := range data[:len(data)-1] {
		var c api.Completion
		if err := json.Unmarshal([]byte(d), &c); err != nil || c.Object != "chat.completion.chunk" {
			t.Fatalf("chunk %s: %v", d, err)
		}
		text.WriteString(c.Choices[0].Delta.Content)
		last = c
	}
	if !strings.Contains(text.String(), "28 Euro") || len(last.Sources) != 1 || *last.Choices[0].FinishReason != "stop" {
		t.Fatalf("streamed text %q, last chunk %+v", text.String(), last)
	}
	wantError(t, h.do("POST", "/v1/chat/completions", key.Secret, api.CompletionRequest{Model: "gpt-4",
		Messages: []api.CompletionMessage{{Role: "user", Content: "x"}}}), http.StatusNotFound, "not_found")
	wantError(t, h.do("POST", "/v1/chat/completions", key.Secret, api.CompletionRequest{Messages: []api.CompletionMessage{{Role: "system", Content: "x"}}}),
		http.StatusBadRequest, "invalid")
	wantError(t, h.do("GET", "/v1/models", "sk_0711_wrong", nil), http.StatusUnauthorized, "unauthorized")

	// Every answer is metered.
	var usage brain.ChatUsage
	want(t, h.do("GET", "/api/chat/usage", a.token, nil), http.StatusOK)
	h.do("GET", "/api/chat/usage", a.token, nil).json(t, &usage)
	if usage.Queries != 5 || usage.CustomerID != "acme" {
		t.Fatalf("usage %+v", usage)
	}
}

func TestWebSocketChat(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("acme")
	r := h.upload(a.token, "/api/upload/files", map[string]string{"Urlaub.md": "# Urlaubsregelung\n\nJeder Mitarbeiter hat Anspruch auf 30 Urlaubstage im Jahr."})
	var up api.UploadResponse
	r.json(t, &up)
	h.waitJob(a.token, up.IngestionJobID)

	ctx := context.Background()
	url := strings.Replace(h.srv.URL, "http://", "ws://", 1) + "/api/ws/chat?access_token=" + a.token
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if err := wsjson.Write(ctx, c, api.WSMessage{Type: "ask", Message: "Wie viele Urlaubstage gibt es?"}); err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for {
		var m api.WSMessage
		if err := wsjson.Read(ctx, c, &m); err != nil {
			t.Fatal(err)
		}
		if m.Type == "token" {
			tokens = append(tokens, m.Text)
			continue
		}
		if m.Type != "done" || m.Result == nil || len(m.Result.Sources) != 1 || !strings.Contains(strings.Join(tokens, ""), "30 Urlaubstage") {
			t.Fatalf("ws answer: %+v after %q", m, tokens)
		}
		break
	}
	// Bad messages get an error and the socket stays usable.
	wsjson.Write(ctx, c, api.WSMessage{Type: "dance"})
	var m api.WSMessage
	if err := wsjson.Read(ctx, c, &m); err != nil || m.Type != "error" || m.Code != "invalid" {
		t.Fatalf("unknown message: %+v %v", m, err)
	}
	wsjson.Write(ctx, c, api.WSMessage{Type: "ask", Message: ""})
	if err := wsjson.Read(ctx, c, &m); err != nil || m.Type != "error" {
		t.Fatalf("empty question: %+v %v", m, err)
	}
	c.Close(websocket.StatusNormalClosure, "")
	// Without a credential the upgrade is refused.
	if _, resp, err := websocket.Dial(ctx, strings.Replace(h.srv.URL, "http://", "ws://", 1)+"/api/ws/chat", nil); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("ws without token: %v", err)
	}
}
