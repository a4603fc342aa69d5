package openai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors in responses that came back with status 200.
var (
	// ErrResponse reports a response that is not a valid embeddings list.
	ErrResponse = errors.New("openai: malformed embeddings response")
	// ErrDimension reports vectors of another length than configured or
	// first seen; the server's model has changed.
	ErrDimension = errors.New("openai: embedding dimension mismatch")
)

// APIError is an error status from the embeddings service.
type APIError struct {
	StatusCode int
	// Message, Type and Code are what the body said, in whichever of the
	// servers' shapes; Message falls back to the body's text or the
	// status text.
	Message string
	Type    string
	Code    string
	// RetryAfter is what the Retry-After (or retry-after-ms) header asked
	// for; 0 if absent.
	RetryAfter time.Duration
}

// Error implements error.
func (e *APIError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "embeddings service: status %d: %s", e.StatusCode, e.Message)
	if e.Type != "" || e.Code != "" {
		fmt.Fprintf(&sb, " (type %q, code %q)", e.Type, e.Code)
	}
	return sb.String()
}

// Temporary reports whether the request may succeed if sent again: rate
// limits (429), request timeouts (408) and server errors (5xx).
func (e *APIError) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode == http.StatusRequestTimeout || e.StatusCode >= 500
}

// Invalid reports whether the server refused the input itself (400, 413,
// 422), e.g. a text longer than the model's context.
func (e *APIError) Invalid() bool {
	switch e.StatusCode {
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

// parseError reads an error response. It understands
//
//	{"error": {"message": "...", "type": "...", "code": ...}}  OpenAI, vLLM
//	{"error": "...", "error_type": "..."}                       TEI, Ollama
//	{"detail": "..." or [...]}                                   FastAPI
//	{"object": "error", "message": "...", "type": "...", ...}   older vLLM
//
// and falls back to the body's text.
func parseError(resp *http.Response) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &APIError{StatusCode: resp.StatusCode, RetryAfter: retryAfter(resp.Header, time.Now())}
	var shape struct {
		Error     json.RawMessage `json:"error"`
		ErrorType string          `json:"error_type"`
		Detail    json.RawMessage `json:"detail"`
		Message   string          `json:"message"`
		Type      string          `json:"type"`
		Code      json.RawMessage `json:"code"`
	}
	if json.Unmarshal(body, &shape) == nil {
		e.fromShape(shape.Error, shape.ErrorType, shape.Detail, shape.Message, shape.Type, shape.Code)
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(string(body))
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	e.Message = truncate(e.Message, 500)
	return e
}

// fromShape fills e from the fields of a JSON error body.
func (e *APIError) fromShape(errField json.RawMessage, errorType string, detail json.RawMessage, message, typ string, code json.RawMessage) {
	var obj struct {
		Message string          `json:"message"`
		Type    string          `json:"type"`
		Code    json.RawMessage `json:"code"`
	}
	var str string
	switch {
	case json.Unmarshal(errField, &obj) == nil && obj.Message != "":
		e.Message, e.Type, e.Code = obj.Message, obj.Type, scalar(obj.Code)
	case json.Unmarshal(errField, &str) == nil && str != "":
		e.Message, e.Type = str, errorType
	case len(detail) > 0 && string(detail) != "null":
		if json.Unmarshal(detail, &str) == nil {
			e.Message = str
		} else {
			e.Message = compact(detail)
		}
	case message != "":
		e.Message, e.Type, e.Code = message, typ, scalar(code)
	}
}

// scalar renders a JSON string or number as text.
func scalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func compact(raw json.RawMessage) string {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// retryAfter reads retry-after-ms (OpenAI) or Retry-After in seconds or as
// an HTTP date; 0 if neither is there or usable.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if ms, err := strconv.ParseFloat(h.Get("Retry-After-Ms"), 64); err == nil && ms > 0 && ms < math.MaxInt64/1e6 {
		return time.Duration(ms * float64(time.Millisecond))
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 || s > math.MaxInt64/1e9 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
