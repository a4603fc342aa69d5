package chat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/llm"
)

// scripted is an OpenAI-compatible server that serves the base model and
// acme's adapters, answers in tokens, and records the models asked for.
type scripted struct {
	mu     sync.Mutex
	models []string
	fail   bool
	route  string // the domain the model routes to
	routed int
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/v1/models":
		fmt.Fprint(w, `{"object":"list","data":[{"id":"base"},{"id":"acme@v1"},{"id":"acme@v2"}]}`)
	case "/v1/chat/completions":
		var req struct {
			Model    string `json:"model"`
			Messages []struct{ Role, Content string }
			Tools    []json.RawMessage `json:"tools"`
		}
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &req)
		s.mu.Lock()
		s.models = append(s.models, req.Model)
		fail, route := s.fail, s.route
		if len(req.Tools) > 0 {
			s.routed++
		}
		s.mu.Unlock()
		if len(req.Tools) > 0 { // the routing call: answer with the route tool
			if route == "" {
				route = "GENERAL"
			}
			fmt.Fprintf(w, `{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"route","arguments":"{\"domain\":\"%s\"}"}}]},"finish_reason":"tool_calls"}]}`, route)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, tok := range []string{"Der Satz ", "beträgt ", "15 Prozent ", "[1]."} {
			fmt.Fprintf(w, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":%q}}]}\n\n", tok)
			w.(http.Flusher).Flush()
			if fail {
				fmt.Fprint(w, "data: {\"error\":{\"message\":\"GPU out of memory\",\"type\":\"server_error\"}}\n\n")
				return
			}
		}
		fmt.Fprint(w, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":9}}\n\ndata: [DONE]\n\n")
	default:
		http.NotFound(w, r)
	}
}

func TestAskWithLLM(t *testing.T) {
	e := newEnv(t)
	srv := &scripted{}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	client, err := llm.NewOpenAI(llm.Config{BaseURL: ts.URL, Model: "base", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	svc := chat.New(e.lake, e.store, chat.Options{LLM: client, Adapters: client})
	ctx := context.Background()
	var tokens []string
	res, err := svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: "u1", Message: "Wie hoch ist der Körperschaftsteuersatz?",
		OnToken: func(s string) { tokens = append(tokens, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != "llm" || res.Answer != "Der Satz beträgt 15 Prozent [1]." || len(tokens) != 4 || len(res.Sources) != 1 || res.Sources[0].N != 1 {
		t.Fatalf("answer %+v, tokens %q", res, tokens)
	}
	msgs, _ := e.store.Messages(ctx, "acme", res.ConversationID)
	if m := msgs[1]; m.Model != "acme@v2" || m.PromptTokens != 120 || m.CompletionTokens != 9 {
		t.Errorf("interaction record %+v", m)
	}
	// A customer without an adapter gets the base model.
	if _, err := svc.Ask(ctx, chat.Request{CustomerID: "beta", UserID: "b1", Message: "Wie hoch ist der Körperschaftsteuersatz?"}); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	// acme's documents span domains, so the model routes first; beta's
	// do not.
	if got := strings.Join(srv.models, ","); got != "acme@v2,acme@v2,base" || srv.routed != 1 {
		t.Errorf("models asked for: %s", got)
	}
	srv.fail = true
	srv.mu.Unlock()
	// An error inside the stream is a clear error, and nothing is stored.
	_, err = svc.Ask(ctx, chat.Request{CustomerID: "acme", UserID: "u1", ConversationID: res.ConversationID, Message: "Und der Solidaritätszuschlag?"})
	if err == nil || !strings.Contains(err.Error(), "GPU out of memory") {
		t.Fatalf("error mid-stream: %v", err)
	}
	if msgs, _ := e.store.Messages(ctx, "acme", res.ConversationID); len(msgs) != 2 {
		t.Fatalf("a failed answer was stored: %d messages", len(msgs))
	}
}

// TestLLMRoutes: with an LLM, the model's choice of expert narrows the
// search to that domain's documents.
func TestLLMRoutes(t *testing.T) {
	e := newEnv(t)
	srv := &scripted{route: "LAW"}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	client, err := llm.NewOpenAI(llm.Config{BaseURL: ts.URL, Model: "base", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	svc := chat.New(e.lake, e.store, chat.Options{LLM: client, Adapters: client})
	// "beträgt" is in every document; the model routes to LAW.
	res, err := svc.Ask(context.Background(), chat.Request{CustomerID: "acme", UserID: "u1", Message: "Was beträgt die Frist?"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Expert != "LAW" || len(res.Sources) == 0 || res.Sources[0].DocumentID != "miete" {
		t.Fatalf("routed answer %+v", res)
	}
}
