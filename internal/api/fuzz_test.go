package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zero711/brain/internal/api"
)

// serve runs one request through the server's handler, without a network.
func serve(h *harness, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.api.ServeHTTP(rec, req)
	return rec
}

// wantJSONAnswer fails unless rec is a non-5xx JSON answer, and an error
// body with a code when it is a 4xx.
func wantJSONAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	body := rec.Body.Bytes()
	switch {
	case rec.Code >= 500:
		t.Fatalf("%s: status %d: %s", what, rec.Code, body)
	case !json.Valid(body):
		t.Fatalf("%s: status %d, body is not JSON: %q", what, rec.Code, body)
	case !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json"):
		t.Fatalf("%s: Content-Type %q", what, rec.Header().Get("Content-Type"))
	case rec.Code >= 400:
		var e api.ErrorBody
		if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
			t.Fatalf("%s: status %d, not an error body: %s", what, rec.Code, body)
		}
	}
}

// FuzzDecode posts arbitrary bodies to login and signup through the real
// handler: the strict decoder and the validation behind it must answer
// every one with JSON and never with a 5xx.
func FuzzDecode(f *testing.F) {
	h := newHarness(f)
	a := h.newTenant("alpha")
	for _, seed := range []string{
		`{"email":"` + a.email + `","password":"` + password + `"}`,
		`{"email":"nobody@x.example","password":"Whatever-123"}`,
		`{"company_name":"Fuzz GmbH","email":"fuzz@x.example","password":"Sommer-2026-Fuzz","name":"Fritz Fuzz"}`,
		`{"company_name":"Fuzz GmbH","email":"fuzz@x.example","password":"Sommer-2026-Fuzz","name":"Fritz Fuzz","customer_id":"fuzz"}`,
		`{"email":5}`,
		`{"email":"a@b.example","unknown":true}`,
		`{"email":"a\u0000@b.example","password":"x"}`,
		`{"name":"\u202e"}`,
		`{"email":"' OR '1'='1","password":"'; DROP TABLE users; --"}`,
		`{}{}`,
		`[]`,
		`null`,
		`"x"`,
		`{"email":`,
		``,
		`{"email":"a@b.example"} trailing`,
		strings.Repeat("[", 100),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, path := range []string{"/api/auth/login", "/api/auth/signup"} {
			req := httptest.NewRequest("POST", path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			wantJSONAnswer(t, "POST "+path, serve(h, req))
		}
	})
}

// FuzzAuthorizationHeader sends arbitrary Authorization headers: only the
// one real token gets in, everything else is a 401, nothing a 5xx.
func FuzzAuthorizationHeader(f *testing.F) {
	h := newHarness(f)
	a := h.newTenant("alpha")
	parts := strings.Split(a.token, ".")
	for _, seed := range []string{
		"Bearer " + a.token,
		"bearer " + a.token,
		"Bearer  " + a.token + " ",
		"Bearer " + parts[0] + "." + parts[1] + ".",
		"Bearer " + a.token + "=",
		"Bearer " + parts[0] + ".eyJzdWIiOiJ4In0." + parts[2],
		"Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4In0.",
		"Bearer sk_0711_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"Basic YTpi",
		"Bearer",
		"Bearer ",
		"",
		"' OR '1'='1",
		"Bearer \x00",
		"Bearer " + strings.Repeat("a.", 3000),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		req := httptest.NewRequest("GET", "/api/users/", nil)
		req.Header.Set("Authorization", header)
		rec := serve(h, req)
		wantJSONAnswer(t, "GET /api/users/", rec)
		switch rec.Code {
		case http.StatusOK:
			if credential(header) != a.token {
				t.Fatalf("Authorization %q got in, but it is not the real token", header)
			}
		case http.StatusUnauthorized:
			if credential(header) == a.token {
				t.Fatalf("the real token in %q was refused: %s", header, rec.Body.Bytes())
			}
		default:
			t.Fatalf("Authorization %q: status %d: %s", header, rec.Code, rec.Body.Bytes())
		}
	})
}

// credential returns the bearer credential of an Authorization header the
// way RFC 6750 reads it: the scheme in any case, one space, the token with
// surrounding white space ignored.
func credential(header string) string {
	scheme, cred, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return strings.TrimSpace(cred)
}
