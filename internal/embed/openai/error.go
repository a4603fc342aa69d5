package openai

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/zero711/brain/internal/apierr"
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
	e := &APIError{StatusCode: resp.StatusCode, RetryAfter: apierr.RetryAfter(resp.Header, time.Now())}
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
	e.Message = apierr.Truncate(e.Message, 500)
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
		e.Message, e.Type, e.Code = obj.Message, obj.Type, apierr.Scalar(obj.Code)
	case json.Unmarshal(errField, &str) == nil && str != "":
		e.Message, e.Type = str, errorType
	case len(detail) > 0 && string(detail) != "null":
		if json.Unmarshal(detail, &str) == nil {
			e.Message = str
		} else {
			e.Message = apierr.Compact(detail)
		}
	case message != "":
		e.Message, e.Type, e.Code = message, typ, apierr.Scalar(code)
	}
}
