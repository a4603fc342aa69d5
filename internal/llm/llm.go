package llm

import (
	"context"
	"encoding/json"
)

// Roles of a Message.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
	RoleTool      = "tool"
)

// Message is one turn of a conversation. An assistant message may carry the
// tool calls the model made; a tool message answers the call ToolCallID.
type Message struct {
	Role       string
	Content    string
	ToolCalls  []ToolCall
	ToolCallID string
}

// Tool is a function the model may call; Parameters is its JSON schema.
type Tool struct {
	Name        string
	Description string
	Parameters  json.RawMessage
}

// ToolCall is one call of a Tool by the model. Arguments is the model's
// text for the arguments, normally a JSON object: check it before use.
type ToolCall struct {
	ID        string
	Name      string
	Arguments json.RawMessage
}

// Request is one chat completion. An empty Model means the client's base
// model. JSONSchema, when set, asks for structured output matching it under
// the name SchemaName ("response" if empty).
type Request struct {
	Model       string
	Messages    []Message
	Tools       []Tool
	MaxTokens   int
	Temperature *float64
	JSONSchema  json.RawMessage
	SchemaName  string
}

// Response is the result of a completion.
type Response struct {
	Content          string
	ToolCalls        []ToolCall
	Model            string
	PromptTokens     int
	CompletionTokens int
	FinishReason     string
}

// Usage counts the tokens of a streamed completion.
type Usage struct {
	PromptTokens     int
	CompletionTokens int
}

// Delta is one piece of a streamed completion: text as it arrives, tool
// calls once their arguments are complete, and finally either Done (with
// Usage and FinishReason where the server reported them) or Err.
type Delta struct {
	Content      string
	ToolCalls    []ToolCall
	Done         bool
	Usage        *Usage
	FinishReason string
	Err          error
}

// Client is a chat model.
type Client interface {
	// Complete runs req and returns the whole answer. Failures from the
	// server are *Error; a cancelled or expired ctx is ctx's error.
	Complete(ctx context.Context, req Request) (*Response, error)
	// Stream runs req and delivers the answer in pieces on the returned
	// channel, which is closed after the last Delta (Done or Err). Errors
	// before the first byte of the answer are returned directly.
	Stream(ctx context.Context, req Request) (<-chan Delta, error)
	// Name says which backend this is, e.g. "openai".
	Name() string
}

// defaultSchemaName is the json_schema name sent when Request.SchemaName
// is empty.
const defaultSchemaName = "response"

func schemaName(req Request) string {
	if req.SchemaName != "" {
		return req.SchemaName
	}
	return defaultSchemaName
}
