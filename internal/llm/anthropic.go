package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// anthropicVersion is the Messages API version this client speaks.
const anthropicVersion = "2023-06-01"

// DefaultAnthropicURL is the Anthropic API root used when BaseURL is empty.
const DefaultAnthropicURL = "https://api.anthropic.com"

// Anthropic is a Client for the Anthropic Messages API. System messages
// become the system parameter; structured output is asked for with a tool
// the model must call, whose input becomes the answer's Content. It is
// safe for concurrent use.
type Anthropic struct {
	cfg  Config
	root string
	t    *transport
}

var _ Client = (*Anthropic)(nil)

// NewAnthropic validates cfg, fills in defaults and returns a client;
// brain.EINVALID if a field is unusable. It does not contact the server.
func NewAnthropic(cfg Config) (*Anthropic, error) {
	if err := cfg.fill(DefaultAnthropicURL); err != nil {
		return nil, newConfigError("anthropic", err)
	}
	root, err := apiRoot(cfg.BaseURL, "/v1")
	if err != nil {
		return nil, newConfigError("anthropic", err)
	}
	return &Anthropic{cfg: cfg, root: root, t: newTransport(cfg)}, nil
}

// Name returns "anthropic".
func (c *Anthropic) Name() string { return "anthropic" }

// Complete runs req and returns the whole answer.
func (c *Anthropic) Complete(ctx context.Context, req Request) (*Response, error) {
	const op = "llm: anthropic complete"
	body, err := json.Marshal(c.request(req, false))
	if err != nil {
		return nil, fmt.Errorf("%s: encode request: %w", op, err)
	}
	resp, cancel, err := c.t.do(ctx, op, c.post(body))
	if err != nil {
		return nil, err
	}
	defer cancel()
	defer resp.Body.Close()
	var out anResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponseBody)).Decode(&out); err != nil {
		return nil, fmt.Errorf("%s: decode response: %w", op, bodyError(resp, err))
	}
	if out.Type == "error" {
		return nil, fmt.Errorf("%s: %w", op, streamEventError(out.Error))
	}
	return out.response(structuredTool(req)), nil
}

// post returns a builder of POST /messages requests with body.
func (c *Anthropic) post(body []byte) func(context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.root+"/messages", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Anthropic-Version", anthropicVersion)
		if c.cfg.APIKey != "" {
			req.Header.Set("X-Api-Key", c.cfg.APIKey)
		}
		return req, nil
	}
}

// Wire types of the Messages API.
type (
	anRequest struct {
		Model       string        `json:"model"`
		MaxTokens   int           `json:"max_tokens"`
		System      string        `json:"system,omitempty"`
		Messages    []anMessage   `json:"messages"`
		Tools       []anTool      `json:"tools,omitempty"`
		ToolChoice  *anToolChoice `json:"tool_choice,omitempty"`
		Temperature *float64      `json:"temperature,omitempty"`
		Stream      bool          `json:"stream,omitempty"`
	}
	anMessage struct {
		Role    string    `json:"role"`
		Content []anBlock `json:"content"`
	}
	anBlock struct {
		Type      string          `json:"type"`
		Text      string          `json:"text,omitempty"`
		ID        string          `json:"id,omitempty"`
		Name      string          `json:"name,omitempty"`
		Input     json.RawMessage `json:"input,omitempty"`
		ToolUseID string          `json:"tool_use_id,omitempty"`
		Content   string          `json:"content,omitempty"`
	}
	anTool struct {
		Name        string          `json:"name"`
		Description string          `json:"description,omitempty"`
		InputSchema json.RawMessage `json:"input_schema"`
	}
	anToolChoice struct {
		Type string `json:"type"`
		Name string `json:"name,omitempty"`
	}
	anUsage struct {
		InputTokens  int `json:"input_tokens"`
		OutputTokens int `json:"output_tokens"`
	}
	anResponse struct {
		Type       string          `json:"type"`
		Model      string          `json:"model"`
		Content    []anBlock       `json:"content"`
		StopReason string          `json:"stop_reason"`
		Usage      anUsage         `json:"usage"`
		Error      json.RawMessage `json:"error"`
	}
)

// structuredTool is the name of the tool that carries structured output,
// or "" if req asks for none.
func structuredTool(req Request) string {
	if len(req.JSONSchema) == 0 {
		return ""
	}
	return schemaName(req)
}

// request translates req into the wire format.
func (c *Anthropic) request(req Request, stream bool) anRequest {
	out := anRequest{
		Model:       firstNonEmpty(req.Model, c.cfg.Model),
		MaxTokens:   req.MaxTokens,
		Temperature: req.Temperature,
		Stream:      stream,
	}
	if out.MaxTokens <= 0 {
		out.MaxTokens = c.cfg.MaxTokens
	}
	var system []string
	for _, m := range req.Messages {
		if m.Role == RoleSystem {
			system = append(system, m.Content)
			continue
		}
		out.Messages = appendMessage(out.Messages, m)
	}
	out.System = strings.Join(system, "\n\n")
	for _, t := range req.Tools {
		out.Tools = append(out.Tools, anTool{Name: t.Name, Description: t.Description, InputSchema: orDefault(t.Parameters, `{"type":"object"}`)})
	}
	if name := structuredTool(req); name != "" {
		out.Tools = append(out.Tools, anTool{Name: name, Description: "Give the answer in this structure.", InputSchema: req.JSONSchema})
		out.ToolChoice = &anToolChoice{Type: "tool", Name: name}
	}
	return out
}

// appendMessage adds m as blocks, merged into the last message when that
// has the same role: the API wants user and assistant turns to alternate,
// and tool results are user turns.
func appendMessage(msgs []anMessage, m Message) []anMessage {
	role, blocks := anBlocksOf(m)
	if len(blocks) == 0 {
		return msgs
	}
	if n := len(msgs); n > 0 && msgs[n-1].Role == role {
		msgs[n-1].Content = append(msgs[n-1].Content, blocks...)
		return msgs
	}
	return append(msgs, anMessage{Role: role, Content: blocks})
}

// anBlocksOf translates one message into its role and content blocks.
func anBlocksOf(m Message) (string, []anBlock) {
	if m.Role == RoleTool {
		return RoleUser, []anBlock{{Type: "tool_result", ToolUseID: m.ToolCallID, Content: m.Content}}
	}
	var blocks []anBlock
	if m.Content != "" {
		blocks = append(blocks, anBlock{Type: "text", Text: m.Content})
	}
	for _, tc := range m.ToolCalls {
		blocks = append(blocks, anBlock{Type: "tool_use", ID: tc.ID, Name: tc.Name, Input: orDefault(tc.Arguments, `{}`)})
	}
	return m.Role, blocks
}

// orDefault returns raw, or def when raw is empty.
func orDefault(raw json.RawMessage, def string) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage(def)
	}
	return raw
}

// response translates a decoded response; the input of the structured
// output tool, if any, becomes Content.
func (r *anResponse) response(structured string) *Response {
	out := &Response{Model: r.Model, FinishReason: r.StopReason,
		PromptTokens: r.Usage.InputTokens, CompletionTokens: r.Usage.OutputTokens}
	var text strings.Builder
	for _, b := range r.Content {
		switch {
		case b.Type == "text":
			text.WriteString(b.Text)
		case b.Type == "tool_use" && structured != "" && b.Name == structured:
			text.Write(b.Input)
		case b.Type == "tool_use":
			out.ToolCalls = append(out.ToolCalls, ToolCall{ID: b.ID, Name: b.Name, Arguments: b.Input})
		}
	}
	out.Content = text.String()
	return out
}
