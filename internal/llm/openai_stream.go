package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/zero711/brain/internal/apierr"
)

// Stream runs req and delivers the answer in pieces. Tool calls are
// delivered whole, when the server says the choice is finished.
func (c *OpenAI) Stream(ctx context.Context, req Request) (<-chan Delta, error) {
	const op = "llm: openai stream"
	body, err := json.Marshal(c.request(req, true))
	if err != nil {
		return nil, fmt.Errorf("%s: encode request: %w", op, err)
	}
	resp, cancel, err := c.t.do(ctx, op, c.post(body))
	if err != nil {
		return nil, err
	}
	s := &oaStream{calls: map[int]*partialCall{}}
	return stream(cancel, op, resp, s.handle), nil
}

// oaChunk is one chat.completion.chunk, or an error event.
type oaChunk struct {
	Choices []struct {
		Index int `json:"index"`
		Delta struct {
			Content   *string      `json:"content"`
			ToolCalls []oaToolCall `json:"tool_calls"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage  *oaUsage      `json:"usage"`
	Error  errorEnvelope `json:"error"`
	Object string        `json:"object"`
}

// partialCall collects the fragments of one streamed tool call.
type partialCall struct {
	id, name string
	args     strings.Builder
}

// oaStream is the state of one chat completion stream.
type oaStream struct {
	calls  map[int]*partialCall
	finish string
	usage  *Usage
}

// handle turns one event into deltas; "[DONE]" ends the stream.
func (s *oaStream) handle(ev sseEvent) ([]Delta, bool, error) {
	data := strings.TrimSpace(ev.Data)
	if data == "[DONE]" {
		deltas := s.flushCalls()
		return append(deltas, Delta{Done: true, Usage: s.usage, FinishReason: s.finish}), true, nil
	}
	if ev.Name == "error" {
		return nil, false, streamEventError([]byte(data))
	}
	var chunk oaChunk
	if err := json.Unmarshal([]byte(data), &chunk); err != nil {
		return nil, false, fmt.Errorf("decode event %q: %w", apierr.Truncate(data, 200), err)
	}
	if apiErr := chunk.Error.err(); apiErr != nil {
		return nil, false, apiErr
	}
	if chunk.Object == "error" {
		return nil, false, streamEventError([]byte(data))
	}
	if chunk.Usage != nil {
		s.usage = &Usage{PromptTokens: chunk.Usage.PromptTokens, CompletionTokens: chunk.Usage.CompletionTokens}
	}
	return s.choices(chunk), false, nil
}

// choices takes the first choice's text, tool call fragments and finish.
func (s *oaStream) choices(chunk oaChunk) []Delta {
	var deltas []Delta
	for _, ch := range chunk.Choices {
		if ch.Index != 0 {
			continue
		}
		if ch.Delta.Content != nil && *ch.Delta.Content != "" {
			deltas = append(deltas, Delta{Content: *ch.Delta.Content})
		}
		for i, tc := range ch.Delta.ToolCalls {
			s.addFragment(i, tc)
		}
		if ch.FinishReason != nil && *ch.FinishReason != "" {
			s.finish = *ch.FinishReason
			deltas = append(deltas, s.flushCalls()...)
		}
	}
	return deltas
}

// addFragment adds one tool call fragment, found by its index (its
// position in the chunk when the server sends none).
func (s *oaStream) addFragment(pos int, tc oaToolCall) {
	idx := pos
	if tc.Index != nil {
		idx = *tc.Index
	}
	p := s.calls[idx]
	if p == nil {
		p = &partialCall{}
		s.calls[idx] = p
	}
	if tc.ID != "" {
		p.id = tc.ID
	}
	if tc.Function.Name != "" {
		p.name = tc.Function.Name
	}
	p.args.WriteString(tc.Function.Arguments)
}

// flushCalls returns the collected tool calls in index order as one delta,
// or none.
func (s *oaStream) flushCalls() []Delta {
	if len(s.calls) == 0 {
		return nil
	}
	var calls []ToolCall
	for _, idx := range slices.Sorted(maps.Keys(s.calls)) {
		p := s.calls[idx]
		args := p.args.String()
		if strings.TrimSpace(args) == "" {
			args = "{}"
		}
		calls = append(calls, ToolCall{ID: p.id, Name: p.name, Arguments: json.RawMessage(args)})
	}
	clear(s.calls)
	return []Delta{{ToolCalls: calls}}
}

// streamEventError reads an error event's data into an *Error.
func streamEventError(data []byte) *Error {
	var s errorShape
	_ = json.Unmarshal(data, &s)
	if env := errorEnvelope(s.Error); env.err() != nil {
		return env.err()
	}
	apiErr := parseErrorBody(data)
	apiErr.Status = statusFromCode(apiErr.Code)
	apiErr.Retryable = retryableStatus(apiErr.Status)
	return apiErr
}
