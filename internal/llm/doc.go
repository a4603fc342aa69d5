// Package llm is the platform's language-model layer: one small Client
// interface with the message, tool and streaming types the orchestrator
// speaks, and two implementations over net/http:
//
//   - OpenAI talks to any OpenAI-compatible /v1/chat/completions server
//     (vLLM above all, also OpenAI itself). It picks a customer's LoRA
//     adapter by model name ("{customer}@{version}") from /v1/models.
//   - Anthropic talks to the Anthropic Messages API.
//
// Both are small clients of our own rather than the vendors' SDKs. The
// points that matter here are exactly the ones an SDK decides for us: which
// failures are retried (only those where the request cannot have produced
// tokens: refused or reset connections, 429 honouring Retry-After,
// 502/503/504 and Anthropic's 529; never 500, never once a stream has
// delivered anything), the error bodies of vLLM and FastAPI ({"detail":
// ...}, {"object":"error", ...}) next to OpenAI's and Anthropic's, errors
// that arrive inside an SSE stream, structured output sent as
// response_format json_schema (vLLM silently ignores the old guided_json),
// and closing the body promptly when the caller goes away. The SDKs retry
// 408/409/500 on their own, hide the raw SSE events and would add two large
// dependency trees for two endpoints each.
//
// Every failure from a server is an *Error with the HTTP status, the
// server's code and message and whether a retry may succeed.
//
// A Stream's channel must be read until it is closed, or its context
// cancelled: the stream then stops reading, closes the response body and
// closes the channel. The last Delta before the close has Done set, or Err.
package llm
