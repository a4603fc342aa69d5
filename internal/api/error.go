package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"unicode"

	"github.com/zero711/brain"
)

// statusOf maps every error code to its HTTP status; this table is the only
// place where the two meet.
var statusOf = map[string]int{
	brain.EINVALID:      http.StatusBadRequest,
	brain.ENOTFOUND:     http.StatusNotFound,
	brain.ECONFLICT:     http.StatusConflict,
	brain.EUNAUTHORIZED: http.StatusUnauthorized,
	brain.EFORBIDDEN:    http.StatusForbidden,
	brain.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	brain.ERATELIMITED:  http.StatusTooManyRequests,
	brain.EUNAVAILABLE:  http.StatusServiceUnavailable,
	brain.EINTERNAL:     http.StatusInternalServerError,
}

// codeOf is statusOf reversed, for statuses the mux produces itself.
func codeOf(status int) string {
	for c, s := range statusOf {
		if s == status {
			return c
		}
	}
	if status == http.StatusMethodNotAllowed {
		return "method_not_allowed"
	}
	return brain.EINTERNAL
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the code and message of an error response.
type ErrorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	RequestID string `json:"request_id,omitempty"`
}

// writeError writes err as a JSON error. Internal errors are logged with
// their detail and shown to the user as "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := brain.ErrorCode(err)
	status := statusOf[code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if status >= 500 {
		s.logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path,
			"request_id", requestIDFrom(r.Context()), "err", err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="0711"`)
	}
	writeJSON(w, status, ErrorBody{Error: ErrorDetail{Code: code, Message: brain.ErrorMessage(err), RequestID: requestIDFrom(r.Context())}})
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		slog.Debug("api: write response", "err", err)
	}
}

// decode reads one JSON object from the body into v, strictly: the body
// must be JSON, no unknown fields, no trailing data, types as declared, and
// no control characters in any string.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return brain.Errorf(brain.EINVALID, "request body must be application/json")
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return brain.Errorf(brain.EINVALID, "request body must hold a single JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return decodeError(err)
		}
		return brain.Errorf(brain.EINVALID, "request body must hold a single JSON object")
	}
	if path := controlField(reflect.ValueOf(v), ""); path != "" {
		return brain.Errorf(brain.EINVALID, "field %s contains control characters", path)
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var big *http.MaxBytesError
	switch {
	case errors.As(err, &big):
		return brain.Errorf(brain.ETOOLARGE, "request body is larger than %d bytes", big.Limit)
	case errors.Is(err, io.EOF):
		return brain.Errorf(brain.EINVALID, "request body is empty; send a JSON object")
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return brain.Errorf(brain.EINVALID, "request body is not valid JSON")
	case errors.As(err, &typ):
		if typ.Field == "" {
			return brain.Errorf(brain.EINVALID, "request body must be a JSON object")
		}
		return brain.Errorf(brain.EINVALID, "field %s must be of type %s", typ.Field, jsonType(typ.Type))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return brain.Errorf(brain.EINVALID, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return brain.Errorf(brain.EINVALID, "request body is not valid: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return t.String()
}

// controlField returns the JSON path of the first string in v that holds
// a control character, or "".
func controlField(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ""
		}
		return controlField(v.Elem(), path)
	case reflect.String:
		if strings.IndexFunc(v.String(), unicode.IsControl) >= 0 {
			return strings.TrimPrefix(path, ".")
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if p := controlField(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			if p := controlField(v.Field(i), path+"."+name); p != "" {
				return p
			}
		}
	}
	return ""
}
