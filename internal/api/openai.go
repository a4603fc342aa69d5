package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/chat"
)

// The OpenAI-compatible facade of a customer's brain: any OpenAI client,
// pointed at this server with the customer's API key, asks the brain.

// brainModel is the one model the facade serves.
const brainModel = "0711-brain"

// CompletionRequest is the part of an OpenAI chat completion request the
// facade reads.
type CompletionRequest struct {
	Model    string              `json:"model"`
	Messages []CompletionMessage `json:"messages"`
	Stream   bool                `json:"stream,omitempty"`
}

// CompletionMessage is one message of a completion request or answer.
type CompletionMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Completion is the non-streamed answer, in OpenAI's shape, with the
// brain's sources beside the choices.
type Completion struct {
	ID      string             `json:"id"`
	Object  string             `json:"object"`
	Created int64              `json:"created"`
	Model   string             `json:"model"`
	Choices []CompletionChoice `json:"choices"`
	Usage   CompletionUsage    `json:"usage"`
	Sources []brain.ChatSource `json:"sources"`
	Mode    string             `json:"mode"`
}

// CompletionChoice is one choice of a Completion.
type CompletionChoice struct {
	Index        int                `json:"index"`
	Message      *CompletionMessage `json:"message,omitempty"`
	Delta        *CompletionMessage `json:"delta,omitempty"`
	FinishReason *string            `json:"finish_reason"`
}

// CompletionUsage counts tokens (approximately, for the extractive
// answerer).
type CompletionUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// ModelList answers GET /v1/models.
type ModelList struct {
	Object string      `json:"object"`
	Data   []ModelInfo `json:"data"`
}

// ModelInfo is one model of a ModelList.
type ModelInfo struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

func (s *Server) openAIModels(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, ModelList{Object: "list", Data: []ModelInfo{{ID: brainModel, Object: "model",
		Created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), OwnedBy: principal(r).CustomerID}}})
	return nil
}

func (s *Server) openAICompletions(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.chatService()
	if err != nil {
		return err
	}
	var req CompletionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Model != "" && req.Model != brainModel {
		return brain.Errorf(brain.ENOTFOUND, "model %q not found; this server serves %q", clipStr(req.Model, 60), brainModel)
	}
	question := ""
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == "user" {
			question = req.Messages[i].Content
			break
		}
	}
	if strings.TrimSpace(question) == "" {
		return brain.Errorf(brain.EINVALID, "messages must contain a user message")
	}
	p := principal(r)
	id := "chatcmpl-" + strings.ReplaceAll(requestIDFrom(r.Context()), "-", "")
	created := s.now().Unix()
	ask := chat.Request{CustomerID: p.CustomerID, UserID: p.Actor(), Message: question}
	if !req.Stream {
		res, err := svc.Ask(r.Context(), ask)
		if err != nil {
			return err
		}
		stop := "stop"
		noteAudit(r, "", "", res.MessageID, "")
		pt, ct := len(strings.Fields(question)), len(strings.Fields(res.Answer))
		writeJSON(w, http.StatusOK, Completion{ID: id, Object: "chat.completion", Created: created, Model: brainModel,
			Choices: []CompletionChoice{{Message: &CompletionMessage{Role: "assistant", Content: res.Answer}, FinishReason: &stop}},
			Usage:   CompletionUsage{PromptTokens: pt, CompletionTokens: ct, TotalTokens: pt + ct}, Sources: res.Sources, Mode: res.Mode})
		return nil
	}
	rc := http.NewResponseController(w)
	started := false
	chunk := func(delta *CompletionMessage, finish *string, res *chat.Result) {
		if !started {
			started = true
			startEventStream(w)
		}
		c := Completion{ID: id, Object: "chat.completion.chunk", Created: created, Model: brainModel,
			Choices: []CompletionChoice{{Delta: delta, FinishReason: finish}}}
		if res != nil {
			c.Sources, c.Mode = res.Sources, res.Mode
		}
		writeData(w, c)
		_ = rc.Flush()
	}
	ask.OnToken = func(tok string) {
		first := !started
		d := &CompletionMessage{Content: tok}
		if first {
			d.Role = "assistant"
		}
		chunk(d, nil, nil)
	}
	res, err := svc.Ask(r.Context(), ask)
	if err != nil {
		if !started {
			return err
		}
		// OpenAI's clients read an error object inside the stream.
		writeData(w, map[string]any{"error": map[string]string{"message": brain.ErrorMessage(err), "type": brain.ErrorCode(err)}})
		_ = rc.Flush()
		return nil
	}
	stop := "stop"
	noteAudit(r, "", "", res.MessageID, "")
	chunk(&CompletionMessage{}, &stop, res)
	fmt.Fprint(w, "data: [DONE]\n\n")
	_ = rc.Flush()
	return nil
}

func writeData(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	fmt.Fprintf(w, "data: %s\n\n", b)
}
