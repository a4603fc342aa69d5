package llm

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zero711/brain/internal/apierr"
)

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// Error is a failure reported by the model server, either as an HTTP error
// response or as an error event inside a stream (Status is then the code
// the event carried, or 0).
type Error struct {
	// Status is the HTTP status, e.g. 429.
	Status int
	// Code is the server's machine code: error.code, else error.type
	// ("rate_limit_exceeded", "overloaded_error", "400").
	Code string
	// Message is the server's explanation.
	Message string
	// Retryable says whether the same request may succeed later (429,
	// 502, 503, 504, 529). The client retries these itself before a
	// response starts, never inside a stream.
	Retryable bool
	// RetryAfter is the wait the server asked for, or 0.
	RetryAfter time.Duration
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("server error")
	if e.Status != 0 {
		fmt.Fprintf(&b, " %d", e.Status)
	}
	if e.Code != "" && e.Code != strconv.Itoa(e.Status) {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}

// retryableStatus reports whether a response with this status did not do
// the work and may be sent again: rate limits, gateways and overload. 500
// is not among them: the server may have failed on this very request.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout, 529:
		return true
	}
	return false
}

// responseError reads an error response into an *Error.
func responseError(resp *http.Response, now time.Time) *Error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := parseErrorBody(body)
	e.Status = resp.StatusCode
	e.Retryable = retryableStatus(resp.StatusCode) || e.Code == "overloaded_error"
	e.RetryAfter = apierr.RetryAfter(resp.Header, now)
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// errorShape holds the fields of every error body we know:
//
//	{"error": {"message": "...", "type": "...", "code": ...}}   OpenAI, vLLM
//	{"type": "error", "error": {"type": "...", "message": "..."}} Anthropic
//	{"error": "..."}                                            TEI, Ollama
//	{"detail": "..." or [...]}                                  FastAPI
//	{"object": "error", "message": "...", "type": "...", ...}  older vLLM
type errorShape struct {
	Error   json.RawMessage `json:"error"`
	Detail  json.RawMessage `json:"detail"`
	Object  string          `json:"object"`
	Message string          `json:"message"`
	Type    string          `json:"type"`
	Code    json.RawMessage `json:"code"`
}

// parseErrorBody reads an error body of any known shape, falling back to
// its text. Status and Retryable are left for the caller.
func parseErrorBody(body []byte) *Error {
	e := &Error{}
	var s errorShape
	if json.Unmarshal(body, &s) == nil {
		e.fromShape(s)
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(string(body))
	}
	e.Message = apierr.Truncate(e.Message, 1000)
	return e
}

// fromShape fills e from a decoded error body.
func (e *Error) fromShape(s errorShape) {
	var obj struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
	}
	var str string
	switch {
	case json.Unmarshal(s.Error, &obj) == nil && (obj.Message != "" || obj.Type != ""):
		e.Message, e.Code = obj.Message, firstNonEmpty(apierr.Scalar(obj.Code), obj.Type)
	case json.Unmarshal(s.Error, &str) == nil && str != "":
		e.Message = str
	case len(s.Detail) > 0 && string(s.Detail) != "null":
		if json.Unmarshal(s.Detail, &str) == nil {
			e.Message = str
		} else {
			e.Message = apierr.Compact(s.Detail)
		}
	case s.Object == "error" || s.Message != "":
		e.Message, e.Code = s.Message, firstNonEmpty(apierr.Scalar(s.Code), s.Type)
	}
}

// statusFromCode reads an HTTP status from an error code such as vLLM's
// in-stream {"code": 400}; 0 if it is none.
func statusFromCode(code string) int {
	n, err := strconv.Atoi(code)
	if err != nil || n < 400 || n > 599 {
		return 0
	}
	return n
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
