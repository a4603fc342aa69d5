package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/zero711/brain"
)

// maxResponseBody bounds a completion response that is read whole.
const maxResponseBody = 32 << 20

// OpenAI is a Client for OpenAI-compatible /chat/completions servers such
// as vLLM. It is safe for concurrent use.
type OpenAI struct {
	cfg    Config
	root   string
	t      *transport
	models *modelCache
}

var _ Client = (*OpenAI)(nil)

// NewOpenAI validates cfg, fills in defaults and returns a client;
// brain.EINVALID if a field is unusable. It does not contact the server.
func NewOpenAI(cfg Config) (*OpenAI, error) {
	if cfg.BaseURL == "" {
		return nil, newConfigError("openai", brain.Errorf(brain.EINVALID, "base URL not set"))
	}
	if err := cfg.fill(""); err != nil {
		return nil, newConfigError("openai", err)
	}
	root, err := apiRoot(cfg.BaseURL, "/v1")
	if err != nil {
		return nil, newConfigError("openai", err)
	}
	c := &OpenAI{cfg: cfg, root: root, t: newTransport(cfg)}
	c.models = newModelCache(cfg, c.listModels)
	return c, nil
}

// Name returns "openai".
func (c *OpenAI) Name() string { return "openai" }

// Complete runs req and returns the whole answer.
func (c *OpenAI) Complete(ctx context.Context, req Request) (*Response, error) {
	const op = "llm: openai complete"
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
	var out oaResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxResponseBody)).Decode(&out); err != nil {
		return nil, fmt.Errorf("%s: decode response: %w", op, bodyError(resp, err))
	}
	r, err := out.response()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return r, nil
}

// post returns a builder of POST /chat/completions requests with body.
func (c *OpenAI) post(body []byte) func(context.Context) (*http.Request, error) {
	return func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.root+"/chat/completions", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		c.authorize(req)
		return req, nil
	}
}

func (c *OpenAI) authorize(req *http.Request) {
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
}

// bodyError prefers the request context's end over the read error it
// caused.
func bodyError(resp *http.Response, err error) error {
	if cerr := context.Cause(resp.Request.Context()); cerr != nil {
		return cerr
	}
	return err
}

// Wire types of the chat completions API.
type (
	oaRequest struct {
		Model          string            `json:"model"`
		Messages       []oaMessage       `json:"messages"`
		Tools          []oaTool          `json:"tools,omitempty"`
		MaxTokens      int               `json:"max_tokens,omitempty"`
		Temperature    *float64          `json:"temperature,omitempty"`
		ResponseFormat *oaResponseFormat `json:"response_format,omitempty"`
		Stream         bool              `json:"stream,omitempty"`
		StreamOptions  *oaStreamOptions  `json:"stream_options,omitempty"`
	}
	oaMessage struct {
		Role       string       `json:"role"`
		Content    *string      `json:"content"`
		ToolCalls  []oaToolCall `json:"tool_calls,omitempty"`
		ToolCallID string       `json:"tool_call_id,omitempty"`
	}
	oaToolCall struct {
		Index    *int       `json:"index,omitempty"`
		ID       string     `json:"id,omitempty"`
		Type     string     `json:"type,omitempty"`
		Function oaFunction `json:"function"`
	}
	oaFunction struct {
		Name      string `json:"name,omitempty"`
		Arguments string `json:"arguments"`
	}
	oaTool struct {
		Type     string        `json:"type"`
		Function oaToolFuncDef `json:"function"`
	}
	oaToolFuncDef struct {
		Name        string          `json:"name"`
		Description string          `json:"description,omitempty"`
		Parameters  json.RawMessage `json:"parameters,omitempty"`
	}
	oaResponseFormat struct {
		Type       string        `json:"type"`
		JSONSchema *oaJSONSchema `json:"json_schema,omitempty"`
	}
	oaJSONSchema struct {
		Name   string          `json:"name"`
		Schema json.RawMessage `json:"schema"`
		Strict bool            `json:"strict"`
	}
	oaStreamOptions struct {
		IncludeUsage bool `json:"include_usage"`
	}
	oaUsage struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	}
	oaResponse struct {
		Model   string `json:"model"`
		Choices []struct {
			Message struct {
				Content   *string      `json:"content"`
				ToolCalls []oaToolCall `json:"tool_calls"`
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
		Usage *oaUsage      `json:"usage"`
		Error errorEnvelope `json:"error"`
	}
)

// errorEnvelope holds an "error" member that a 200 response or a stream
// event may carry instead of a result.
type errorEnvelope json.RawMessage

// UnmarshalJSON keeps the raw member.
func (e *errorEnvelope) UnmarshalJSON(b []byte) error {
	*e = append((*e)[:0], b...)
	return nil
}

// err returns the *Error the member describes, or nil if there is none.
func (e errorEnvelope) err() *Error {
	if len(e) == 0 || string(e) == "null" {
		return nil
	}
	body, _ := json.Marshal(map[string]json.RawMessage{"error": json.RawMessage(e)})
	apiErr := parseErrorBody(body)
	apiErr.Status = statusFromCode(apiErr.Code)
	apiErr.Retryable = retryableStatus(apiErr.Status) || apiErr.Code == "overloaded_error"
	return apiErr
}

// request translates req into the wire format.
func (c *OpenAI) request(req Request, stream bool) oaRequest {
	out := oaRequest{
		Model:       firstNonEmpty(req.Model, c.cfg.Model),
		Messages:    make([]oaMessage, 0, len(req.Messages)),
		MaxTokens:   req.MaxTokens,
		Temperature: req.Temperature,
		Stream:      stream,
	}
	for _, m := range req.Messages {
		out.Messages = append(out.Messages, oaMessageOf(m))
	}
	for _, t := range req.Tools {
		out.Tools = append(out.Tools, oaTool{Type: "function", Function: oaToolFuncDef(t)})
	}
	if len(req.JSONSchema) > 0 {
		out.ResponseFormat = &oaResponseFormat{Type: "json_schema", JSONSchema: &oaJSONSchema{
			Name: schemaName(req), Schema: req.JSONSchema, Strict: true,
		}}
	}
	if stream {
		out.StreamOptions = &oaStreamOptions{IncludeUsage: true}
	}
	return out
}

// oaMessageOf translates one message; an assistant message that only calls
// tools has null content.
func oaMessageOf(m Message) oaMessage {
	out := oaMessage{Role: m.Role, ToolCallID: m.ToolCallID}
	if m.Content != "" || len(m.ToolCalls) == 0 {
		content := m.Content
		out.Content = &content
	}
	for _, tc := range m.ToolCalls {
		args := string(tc.Arguments)
		if strings.TrimSpace(args) == "" {
			args = "{}"
		}
		out.ToolCalls = append(out.ToolCalls, oaToolCall{
			ID: tc.ID, Type: "function", Function: oaFunction{Name: tc.Name, Arguments: args},
		})
	}
	return out
}

// response translates a decoded response.
func (r *oaResponse) response() (*Response, error) {
	if apiErr := r.Error.err(); apiErr != nil {
		return nil, apiErr
	}
	if len(r.Choices) == 0 {
		return nil, fmt.Errorf("response has no choices")
	}
	ch := r.Choices[0]
	out := &Response{Model: r.Model, FinishReason: ch.FinishReason}
	if ch.Message.Content != nil {
		out.Content = *ch.Message.Content
	}
	for _, tc := range ch.Message.ToolCalls {
		out.ToolCalls = append(out.ToolCalls, ToolCall{
			ID: tc.ID, Name: tc.Function.Name, Arguments: json.RawMessage(tc.Function.Arguments),
		})
	}
	if r.Usage != nil {
		out.PromptTokens, out.CompletionTokens = r.Usage.PromptTokens, r.Usage.CompletionTokens
	}
	return out, nil
}
