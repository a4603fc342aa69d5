package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/zero711/brain/internal/apierr"
)

// Stream runs req and delivers the answer in pieces. Tool calls are
// delivered whole when their content block stops; structured output
// arrives as one Content delta at the same point.
func (c *Anthropic) Stream(ctx context.Context, req Request) (<-chan Delta, error) {
	const op = "llm: anthropic stream"
	body, err := json.Marshal(c.request(req, true))
	if err != nil {
		return nil, fmt.Errorf("%s: encode request: %w", op, err)
	}
	resp, cancel, err := c.t.do(ctx, op, c.post(body))
	if err != nil {
		return nil, err
	}
	s := &anStream{structured: structuredTool(req), blocks: map[int]*partialCall{}}
	return stream(cancel, op, resp, s.handle), nil
}

// anEvent is one event of a Messages stream; which fields are set depends
// on Type.
type anEvent struct {
	Type    string `json:"type"`
	Index   int    `json:"index"`
	Message *struct {
		Usage anUsage `json:"usage"`
	} `json:"message"`
	ContentBlock *anBlock `json:"content_block"`
	Delta        *struct {
		Type        string `json:"type"`
		Text        string `json:"text"`
		PartialJSON string `json:"partial_json"`
		StopReason  string `json:"stop_reason"`
	} `json:"delta"`
	Usage *anUsage        `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// anStream is the state of one Messages stream.
type anStream struct {
	structured string
	blocks     map[int]*partialCall // tool_use blocks by index
	usage      Usage
	stop       string
}

// handle turns one event into deltas; message_stop ends the stream.
func (s *anStream) handle(ev sseEvent) ([]Delta, bool, error) {
	var e anEvent
	if err := json.Unmarshal([]byte(ev.Data), &e); err != nil {
		return nil, false, fmt.Errorf("decode event %q: %w", apierr.Truncate(ev.Data, 200), err)
	}
	switch e.Type {
	case "error":
		return nil, false, streamEventError([]byte(ev.Data))
	case "message_start":
		if e.Message != nil {
			s.usage = Usage{PromptTokens: e.Message.Usage.InputTokens, CompletionTokens: e.Message.Usage.OutputTokens}
		}
	case "content_block_start":
		return s.blockStart(e), false, nil
	case "content_block_delta":
		return s.blockDelta(e), false, nil
	case "content_block_stop":
		return s.blockStop(e.Index), false, nil
	case "message_delta":
		if e.Delta != nil && e.Delta.StopReason != "" {
			s.stop = e.Delta.StopReason
		}
		if e.Usage != nil {
			s.usage.CompletionTokens = e.Usage.OutputTokens
		}
	case "message_stop":
		usage := s.usage
		return []Delta{{Done: true, Usage: &usage, FinishReason: s.stop}}, true, nil
	}
	return nil, false, nil
}

func (s *anStream) blockStart(e anEvent) []Delta {
	b := e.ContentBlock
	switch {
	case b == nil:
		return nil
	case b.Type == "tool_use":
		s.blocks[e.Index] = &partialCall{id: b.ID, name: b.Name}
	case b.Type == "text" && b.Text != "":
		return []Delta{{Content: b.Text}}
	}
	return nil
}

func (s *anStream) blockDelta(e anEvent) []Delta {
	if e.Delta == nil {
		return nil
	}
	switch e.Delta.Type {
	case "text_delta":
		if e.Delta.Text != "" {
			return []Delta{{Content: e.Delta.Text}}
		}
	case "input_json_delta":
		if p := s.blocks[e.Index]; p != nil {
			p.args.WriteString(e.Delta.PartialJSON)
		}
	}
	return nil
}

// blockStop delivers a finished tool_use block.
func (s *anStream) blockStop(index int) []Delta {
	p := s.blocks[index]
	if p == nil {
		return nil
	}
	delete(s.blocks, index)
	args := p.args.String()
	if strings.TrimSpace(args) == "" {
		args = "{}"
	}
	if s.structured != "" && p.name == s.structured {
		return []Delta{{Content: args}}
	}
	return []Delta{{ToolCalls: []ToolCall{{ID: p.id, Name: p.name, Arguments: json.RawMessage(args)}}}}
}
