package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/golang-jwt/jwt/v5"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/api"
	"github.com/zero711/brain/internal/auth"
	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/store"
)

// The tests in this file send input that the API must refuse with a 4xx
// JSON error, and check after every request that no customer, user or API
// key was written.

// badBodies are request bodies that no route with a JSON body accepts.
var badBodies = []struct{ name, body string }{
	{"malformed", `{"email":`},
	{"single quotes", `{'email':'a@b.example'}`},
	{"trailing comma", `{"email":"a@b.example",}`},
	{"comment", `{/* hi */}`},
	{"bare word", `hello`},
	{"empty", ``},
	{"whitespace only", " \n\t "},
	{"null", `null`},
	{"array", `[{"email":"a@b.example"}]`},
	{"empty array", `[]`},
	{"string", `"a@b.example"`},
	{"number", `42`},
	{"boolean", `true`},
	{"two objects", `{}{}`},
	{"two objects with space", `{"name":"A"} {"name":"B"}`},
	{"object then garbage", `{} x`},
	{"object then array", `{} []`},
	{"unknown field", `{"no_such_field":1}`},
	{"unknown nested field", `{"customer":{"id":"bravo"}}`},
	{"deep nesting", strings.Repeat("[", 20000)},
}

// injections try SQL injection in a string field.
var injections = []string{
	`' OR '1'='1`,
	`'; DROP TABLE users; --`,
	`admin@x.example' --`,
	`" OR ""="`,
	`1); DELETE FROM customers; --`,
}

// controls (NUL, LF, CR, TAB, ESC, DEL, NEL) are refused in every string
// of every body by decode.
var controls = []string{"\u0000", "\n", "\r", "\t", "\u001b[31m", "\u007f", "\u0085"}

// rtlOverride is a format character (Cf), not a control (Cc): names and
// addresses refuse it, passwords may hold it.
const rtlOverride = "\u202e"

// wantError reports whether r is a JSON error {"error":{"code","message"}}
// with status and code and the request id of the response, and says why
// not with t.Errorf.
func wantError(t testing.TB, r response, status int, code string) bool {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d: %.300s", r.status, status, r.body)
		return false
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON: %.300s", ct, r.body)
		return false
	}
	var e api.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Errorf("error body %.300s: %v", r.body, err)
		return false
	}
	switch {
	case e.Error.Code != code:
		t.Errorf("code %q, want %q: %.300s", e.Error.Code, code, r.body)
	case e.Error.Message == "":
		t.Errorf("no message: %s", r.body)
	case e.Error.RequestID == "" || e.Error.RequestID != r.header.Get("X-Request-ID"):
		t.Errorf("request_id %q, header %q", e.Error.RequestID, r.header.Get("X-Request-ID"))
	case strings.Contains(strings.ToLower(e.Error.Message), "sqlite"), strings.Contains(e.Error.Message, "constraint"):
		t.Errorf("message leaks the database: %s", r.body)
	default:
		return true
	}
	return false
}

// rows renders every customer, user and API key, keyed by kind/id: what
// bad input must leave alone. Login bookkeeping (counts, failures, locks)
// and key usage times change on attempts by design and are left out.
func (h *harness) rows() map[string]string {
	h.t.Helper()
	ctx := context.Background()
	all := store.Page{Limit: store.MaxLimit}
	out := map[string]string{}
	render := func(v any, extra string) string {
		b, err := json.Marshal(v)
		if err != nil {
			h.t.Fatal(err)
		}
		return string(b) + extra
	}
	cs, err := h.store.ListCustomers(ctx, all)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, c := range cs {
		out["customer/"+c.ID] = render(c, "")
		users, err := h.store.ListUsers(ctx, c.ID, all)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, u := range users {
			v := *u
			v.LastLoginAt, v.LoginCount, v.FailedLogins, v.LockedUntil = nil, 0, 0, nil
			out["user/"+u.ID] = render(v, " hash="+u.PasswordHash)
		}
		keys, err := h.store.ListAPIKeys(ctx, c.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, k := range keys {
			v := *k
			v.LastUsedAt = nil
			out["key/"+k.ID] = render(v, " hash="+k.Hash)
		}
	}
	return out
}

// changes lists the rows added, removed or changed between two renderings.
func changes(before, after map[string]string) (added, removed, changed []string) {
	for k, a := range after {
		b, ok := before[k]
		switch {
		case !ok:
			added = append(added, k)
		case a != b:
			changed = append(changed, k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			removed = append(removed, k)
		}
	}
	slices.Sort(added)
	slices.Sort(changed)
	slices.Sort(removed)
	return added, removed, changed
}

// wantUnchanged fails unless the store holds exactly the rows of before.
func (h *harness) wantUnchanged(t testing.TB, before map[string]string, what string) {
	t.Helper()
	if added, removed, changed := changes(before, h.rows()); len(added)+len(removed)+len(changed) > 0 {
		t.Errorf("%s wrote to the store: added %v, removed %v, changed %v", what, added, removed, changed)
	}
}

// raw sends body with exactly the given headers.
func (h *harness) raw(method, path string, body io.Reader, header map[string]string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return h.send(req)
}

// bodyRoute is a route that reads a JSON body, with a concrete path and
// the credential it needs.
type bodyRoute struct {
	api.Route
	path, token string
}

// bodyRoutes returns every route of the table that reads a JSON body, its
// path parameters filled from ids.
func bodyRoutes(t *testing.T, h *harness, token string, ids map[string]string) []bodyRoute {
	t.Helper()
	var out []bodyRoute
	for _, rt := range h.api.Routes() {
		if rt.Request == nil {
			continue
		}
		br := bodyRoute{Route: rt, path: rt.Path}
		for _, p := range rt.PathParams() {
			id, ok := ids[p]
			if !ok {
				t.Fatalf("route %s has path parameter {%s} and the test has no id for it: add one", rt.Pattern(), p)
			}
			br.path = strings.Replace(br.path, "{"+p+"}", id, 1)
		}
		if rt.Scope != api.ScopePublic {
			br.token = token
		}
		out = append(out, br)
	}
	if len(out) < 8 {
		t.Fatalf("only %d routes read a body; is the route table empty?", len(out))
	}
	return out
}

func (br bodyRoute) header(contentType string) map[string]string {
	hd := map[string]string{"Content-Type": contentType}
	if br.token != "" {
		hd["Authorization"] = "Bearer " + br.token
	}
	return hd
}

// wrongTypes returns, for every field of the request prototype, bodies
// that give it a value of the wrong JSON type.
func wrongTypes(proto any) map[string]string {
	out := map[string]string{}
	t := reflect.TypeOf(proto)
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		var bad []string
		switch ft.Kind() {
		case reflect.String:
			bad = []string{`5`, `true`, `{}`, `["x"]`}
		case reflect.Slice:
			bad = []string{`"x"`, `5`, `{}`, `[5]`, `[["x"]]`}
		case reflect.Int, reflect.Int64:
			bad = []string{`"x"`, `1.5`, `1e30`, `[]`, `true`}
		default:
			bad = []string{`{}`}
		}
		for _, v := range bad {
			out[name+"="+v] = fmt.Sprintf(`{%q:%s}`, name, v)
		}
	}
	return out
}

// TestBadBodies sends every malformed body, and a value of the wrong type
// for every field, to every route that reads JSON.
func TestBadBodies(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	userID, _ := h.invite(a, "max@alpha.example", "customer_user")
	before := h.rows()
	for _, br := range bodyRoutes(t, h, a.token, map[string]string{"user_id": userID, "message_id": h.answerID(a)}) {
		for _, c := range badBodies {
			r := h.raw(br.Method, br.path, strings.NewReader(c.body), br.header("application/json"))
			if !wantError(t, r, http.StatusBadRequest, brain.EINVALID) {
				t.Errorf("  … for %s %s with %s", br.Method, br.path, c.name)
			}
		}
		for name, body := range wrongTypes(br.Request) {
			r := h.raw(br.Method, br.path, strings.NewReader(body), br.header("application/json"))
			if !wantError(t, r, http.StatusBadRequest, brain.EINVALID) {
				t.Errorf("  … for %s %s with %s", br.Method, br.path, name)
				continue
			}
			var e api.ErrorBody
			r.json(t, &e)
			if field, _, _ := strings.Cut(name, "="); !strings.Contains(e.Error.Message, field) {
				t.Errorf("%s %s with %s: message %q does not name the field", br.Method, br.path, name, e.Error.Message)
			}
		}
		h.wantUnchanged(t, before, br.Pattern())
	}
}

// TestBadContentType refuses bodies that do not say they are JSON, and
// accepts the +json suffix.
func TestBadContentType(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	userID, _ := h.invite(a, "max@alpha.example", "customer_user")
	before := h.rows()
	types := []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
		"application/xml", "text/json", "json", "application/json;;", "application/json; charset"}
	for _, br := range bodyRoutes(t, h, a.token, map[string]string{"user_id": userID, "message_id": h.answerID(a)}) {
		for _, ct := range types {
			r := h.raw(br.Method, br.path, strings.NewReader(`{}`), br.header(ct))
			if !wantError(t, r, http.StatusBadRequest, brain.EINVALID) || !strings.Contains(string(r.body), "application/json") {
				t.Errorf("  … for %s %s as %q: %s", br.Method, br.path, ct, r.body)
			}
		}
	}
	h.wantUnchanged(t, before, "bodies of other types")

	// A login as application/json with parameters, or as a +json type, is fine.
	for _, ct := range []string{"application/json; charset=utf-8", "application/vnd.brain+json", "Application/JSON"} {
		body := fmt.Sprintf(`{"email":%q,"password":%q}`, a.email, password)
		want(t, h.raw("POST", "/api/auth/login", strings.NewReader(body), map[string]string{"Content-Type": ct}), http.StatusOK)
	}
}

// onlyReader hides the length of a reader, so that the client sends the
// body chunked, without Content-Length.
type onlyReader struct{ io.Reader }

// TestOversizedBody answers 413 too_large to bodies over MaxBodyBytes
// (64 KiB in the harness), whether or not they announce their length.
func TestOversizedBody(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	userID, _ := h.invite(a, "max@alpha.example", "customer_user")
	before := h.rows()
	bodies := map[string]string{
		"long string":      `{"email":"` + strings.Repeat("a", 100<<10) + `@x.example","name":"x"}`,
		"trailing spaces":  `{}` + strings.Repeat(" ", 100<<10),
		"many fields":      `{` + strings.Repeat(`"name":"x",`, 10<<10) + `"email":"big@x.example"}`,
		"just over":        `{"name":"` + strings.Repeat("a", 64<<10) + `"}`,
		"unknown and long": `{"x":"` + strings.Repeat("a", 200<<10) + `"}`,
	}
	for _, br := range bodyRoutes(t, h, a.token, map[string]string{"user_id": userID, "message_id": h.answerID(a)}) {
		for name, body := range bodies {
			for _, chunked := range []bool{false, true} {
				var rd io.Reader = strings.NewReader(body)
				if chunked {
					rd = onlyReader{rd}
				}
				r := h.raw(br.Method, br.path, rd, br.header("application/json"))
				if !wantError(t, r, http.StatusRequestEntityTooLarge, brain.ETOOLARGE) {
					t.Errorf("  … for %s %s with %s (chunked %v)", br.Method, br.path, name, chunked)
				}
			}
		}
	}
	h.wantUnchanged(t, before, "oversized bodies")
	// The server still answers on the same client afterwards.
	want(t, h.do("GET", "/api/users/me", a.token, nil), http.StatusOK)
}

// issue signs claims with method and key.
func issue(t *testing.T, method jwt.SigningMethod, key any, claims jwt.Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBadCredentials refuses expired, forged, unsigned, malformed and
// stale tokens and malformed Authorization headers with 401, on reading
// and on writing routes, and writes nothing.
func TestBadCredentials(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	h.newTenant("bravo")
	goneID, gone := h.invite(a, "gone@alpha.example", "customer_user")
	want(t, h.do("DELETE", "/api/users/"+goneID, a.token, nil), http.StatusNoContent)
	suspendedID, suspended := h.invite(a, "suspended@alpha.example", "customer_user")
	want(t, h.do("PATCH", "/api/users/"+suspendedID, a.token, map[string]any{"status": "suspended"}), http.StatusOK)

	ctx := context.Background()
	admin, err := h.store.User(ctx, a.id, a.adminID)
	if err != nil {
		t.Fatal(err)
	}
	cust, err := h.store.Customer(ctx, a.id)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte(strings.Repeat("s", 32))
	at := func(now time.Time) string {
		tk, err := auth.NewTokens(secret, time.Hour, func() time.Time { return now })
		if err != nil {
			t.Fatal(err)
		}
		s, err := tk.Issue(admin, cust)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	forger, err := auth.NewTokens([]byte(strings.Repeat("x", 32)), time.Hour, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := forger.Issue(admin, cust)
	if err != nil {
		t.Fatal(err)
	}
	claims := func(edit func(*auth.Claims)) *auth.Claims {
		now := time.Now()
		c := &auth.Claims{RegisteredClaims: jwt.RegisteredClaims{Issuer: "0711", Subject: admin.ID,
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))},
			CustomerID: a.id, Email: admin.Email, Role: admin.Role, Tier: cust.Tier}
		if edit != nil {
			edit(c)
		}
		return c
	}
	// The hand-made claims are right: signed properly, they get in.
	want(t, h.do("GET", "/api/users/", issue(t, jwt.SigningMethodHS256, secret, claims(nil)), nil), http.StatusOK)

	parts := strings.Split(a.token, ".")
	tokens := map[string]string{
		"expired":               at(time.Now().Add(-2 * time.Hour)),
		"issued in the future":  at(time.Now().Add(2 * time.Hour)),
		"forged (other secret)": forged,
		"alg none":              issue(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil)),
		"alg HS512, right key":  issue(t, jwt.SigningMethodHS512, secret, claims(nil)),
		"other issuer":          issue(t, jwt.SigningMethodHS256, secret, claims(func(c *auth.Claims) { c.Issuer = "evil" })),
		"no expiry":             issue(t, jwt.SigningMethodHS256, secret, claims(func(c *auth.Claims) { c.ExpiresAt = nil })),
		"other customer":        issue(t, jwt.SigningMethodHS256, secret, claims(func(c *auth.Claims) { c.CustomerID = "bravo" })),
		"unknown subject":       issue(t, jwt.SigningMethodHS256, secret, claims(func(c *auth.Claims) { c.Subject = "nobody" })),
		"no subject":            issue(t, jwt.SigningMethodHS256, secret, claims(func(c *auth.Claims) { c.Subject = "" })),
		"bad customer id":       issue(t, jwt.SigningMethodHS256, secret, claims(func(c *auth.Claims) { c.CustomerID = "' OR '1'='1" })),
		"signature stripped":    parts[0] + "." + parts[1] + ".",
		"signature of another":  parts[0] + "." + parts[1] + "." + strings.Split(forged, ".")[2],
		"payload swapped":       parts[0] + "." + strings.Split(gone, ".")[1] + "." + parts[2],
		"non-canonical base64":  a.token[:len(a.token)-1] + sameBits(a.token[len(a.token)-1]),
		"padded base64":         a.token + "=",
		"deleted user":          gone,
		"suspended user":        suspended,
		"garbage":               "garbage",
		"three dots":            "a.b.c",
		"empty segments":        "..",
		"huge":                  strings.Repeat("A", 5000),
		"forged api key":        "sk_0711_forged",
		"api key prefix only":   "sk_0711_",
		"sql injection":         "' OR '1'='1",
		"null":                  "null",
	}
	headers := map[string]string{
		"scheme only":        "Bearer",
		"scheme and space":   "Bearer ",
		"scheme and spaces":  "Bearer     ",
		"basic":              "Basic YWRtaW5AYWxwaGEuZXhhbXBsZTpTb21tZXItMjAyNi1CcmFpbg==",
		"token scheme":       "Token " + a.token,
		"no scheme":          a.token,
		"tab for space":      "Bearer\t" + a.token,
		"two credentials":    "Bearer " + a.token + " " + a.token,
		"bearer twice":       "Bearer Bearer " + a.token,
		"sql in scheme":      "' OR '1'='1 " + a.token,
		"json":               `{"token":"` + a.token + `"}`,
		"comma list":         "Bearer " + a.token + ", Basic x",
		"empty header value": "",
	}
	for name, tok := range tokens {
		headers["token: "+name] = "Bearer " + tok
	}
	before := h.rows()
	invite := `{"email":"intruder@alpha.example","role":"customer_admin"}`
	for name, hv := range headers {
		hd := map[string]string{"Content-Type": "application/json"}
		if hv != "" {
			hd["Authorization"] = hv
		}
		for _, req := range []struct{ method, path, body string }{
			{"GET", "/api/users/", ""},
			{"POST", "/api/users/invite", invite},
			{"PATCH", "/api/users/" + a.adminID, `{"name":"Mallory"}`},
			{"POST", "/api/api-keys", `{"name":"stolen"}`},
		} {
			r := h.raw(req.method, req.path, strings.NewReader(req.body), hd)
			if !wantError(t, r, http.StatusUnauthorized, brain.EUNAUTHORIZED) {
				t.Errorf("  … for %s %s with %s", req.method, req.path, name)
				continue
			}
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s %s with %s: WWW-Authenticate %q", req.method, req.path, name, r.header.Get("WWW-Authenticate"))
			}
		}
	}
	// No header at all.
	r := h.raw("POST", "/api/users/invite", strings.NewReader(invite), map[string]string{"Content-Type": "application/json"})
	wantError(t, r, http.StatusUnauthorized, brain.EUNAUTHORIZED)
	h.wantUnchanged(t, before, "bad credentials")

	// The scheme is case-insensitive, and the real token still works.
	want(t, h.raw("GET", "/api/users/", nil, map[string]string{"Authorization": "bearer " + a.token}), http.StatusOK)
	want(t, h.raw("GET", "/api/users/", nil, map[string]string{"Authorization": "BEARER " + a.token}), http.StatusOK)
}

// sameBits returns another base64url character that, as the last of an
// unpadded 43-character HS256 signature, decodes to the same bytes: only
// its top four bits count.
func sameBits(c byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, c)
	return string(alphabet[i^1])
}

// injTarget is a route and a valid body for it, fresh for each try.
type injTarget struct {
	name, method, path, token string
	// body returns a valid body; n makes its unique parts unique. email is
	// the address to sign in with if the password is accepted.
	body func(n int) (body map[string]any, email string)
	// strict fields must refuse every nasty value; the others (names,
	// passwords) may store it literally.
	strict []string
	// target is the row the request may change when it succeeds, besides
	// the user with the address body returns.
	target string
}

// TestInjectionAndControlCharacters puts SQL-injection strings, control
// characters and an RTL override into every field of the routes that
// create or change accounts. Control characters are always refused.
// Injection strings are refused, or — in names and passwords, which may
// hold such characters — stored literally: the tables stay intact, the
// stored value is the string sent, and a password works as sent.
func TestInjectionAndControlCharacters(t *testing.T) {
	t.Parallel()
	targets := []struct {
		name string
		make func(h *harness, a tenant) injTarget
	}{
		{"signup", func(h *harness, a tenant) injTarget {
			return injTarget{method: "POST", path: "/api/auth/signup",
				body: func(n int) (map[string]any, string) {
					email := fmt.Sprintf("signup%d@inj.example", n)
					return map[string]any{"company_name": fmt.Sprintf("Firma %d GmbH", n), "email": email,
						"password": password, "name": "Erika Muster", "customer_id": fmt.Sprintf("inj-%d", n)}, email
				},
				strict: []string{"email", "customer_id"}}
		}},
		{"login", func(h *harness, a tenant) injTarget {
			h.invite(a, "victim@alpha.example", "customer_user")
			return injTarget{method: "POST", path: "/api/auth/login",
				body: func(int) (map[string]any, string) {
					return map[string]any{"email": "victim@alpha.example", "password": password}, ""
				},
				strict: []string{"email", "password"}}
		}},
		{"invite", func(h *harness, a tenant) injTarget {
			return injTarget{method: "POST", path: "/api/users/invite", token: a.token,
				body: func(n int) (map[string]any, string) {
					return map[string]any{"email": fmt.Sprintf("invite%d@alpha.example", n), "name": "Max Muster",
						"role": "customer_user", "permissions": []string{"users.view"}}, ""
				},
				strict: []string{"email", "role", "permissions"}}
		}},
		{"patch user", func(h *harness, a tenant) injTarget {
			id, _ := h.invite(a, "max@alpha.example", "customer_user")
			return injTarget{method: "PATCH", path: "/api/users/" + id, token: a.token,
				body: func(int) (map[string]any, string) {
					return map[string]any{"name": "Max Neu", "role": "customer_user", "status": "active"}, ""
				},
				strict: []string{"role", "status"}, target: "user/" + id}
		}},
		{"accept invitation", func(h *harness, a tenant) injTarget {
			return injTarget{method: "POST", path: "/api/users/accept-invitation",
				body: func(n int) (map[string]any, string) {
					email := fmt.Sprintf("accept%d@alpha.example", n)
					h.pendingInvite(a, email)
					return map[string]any{"token": h.mailToken(email), "password": password, "name": "Neu Mitglied"}, email
				},
				strict: []string{"token"}}
		}},
		{"api key", func(h *harness, a tenant) injTarget {
			return injTarget{method: "POST", path: "/api/api-keys", token: a.token,
				body: func(n int) (map[string]any, string) {
					return map[string]any{"name": fmt.Sprintf("Key %d", n), "permissions": []string{"data.query"}, "expires_in_days": 30}, ""
				},
				strict: []string{"permissions"}}
		}},
		{"set permissions", func(h *harness, a tenant) injTarget {
			id, _ := h.invite(a, "perm@alpha.example", "customer_user")
			return injTarget{method: "PATCH", path: "/api/users/" + id + "/permissions", token: a.token,
				body: func(int) (map[string]any, string) {
					return map[string]any{"permissions": []string{"users.view"}}, ""
				},
				strict: []string{"permissions"}, target: "user/" + id}
		}},
		{"verify email", func(h *harness, a tenant) injTarget {
			return injTarget{method: "POST", path: "/api/auth/verify-email",
				body:   func(int) (map[string]any, string) { return map[string]any{"token": "x"}, "" },
				strict: []string{"token"}}
		}},
		{"resend verification", func(h *harness, a tenant) injTarget {
			return injTarget{method: "POST", path: "/api/auth/resend-verification",
				body:   func(int) (map[string]any, string) { return map[string]any{"email": "nobody@alpha.example"}, "" },
				strict: []string{"email"}}
		}},
	}
	for _, mk := range targets {
		t.Run(mk.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			a := h.newTenant("alpha")
			tg := mk.make(h, a)
			tg.name = mk.name
			tg.run(t, h, a)
		})
	}
}

func (tg injTarget) run(t *testing.T, h *harness, a tenant) {
	base, _ := tg.body(0)
	n := 0
	for _, field := range slices.Sorted(maps.Keys(base)) {
		if _, ok := stringsOf(base[field]); !ok {
			continue
		}
		// Injection strings replace the valid value; control and format
		// characters go inside it.
		type value struct {
			s      string
			inside bool
		}
		var values []value
		for _, v := range injections {
			values = append(values, value{v, false})
		}
		for _, c := range append(slices.Clone(controls), rtlOverride) {
			values = append(values, value{c, true})
		}
		for _, v := range values {
			n++
			body, email := tg.body(n)
			sent := v.s
			if v.inside {
				strs, _ := stringsOf(body[field])
				sent = strs[0][:1] + v.s + strs[0][1:]
			}
			if _, isList := body[field].([]string); isList {
				body[field] = []string{sent}
			} else {
				body[field] = sent
			}
			what := fmt.Sprintf("%s %s with %s=%q", tg.method, tg.path, field, sent)
			before := h.rows()
			r := h.do(tg.method, tg.path, tg.token, body)
			control := strings.IndexFunc(sent, unicode.IsControl) >= 0
			switch {
			case r.status >= 400 && r.status < 500:
				code := r.errorCode()
				if control && code != brain.EINVALID {
					t.Errorf("%s: code %q, want invalid", what, code)
				}
				if wantError(t, r, r.status, code) {
					h.wantUnchanged(t, before, what)
				}
			case r.status >= 200 && r.status < 300 && !control && !slices.Contains(tg.strict, field):
				tg.wantLiteral(t, h, before, field, sent, email, what)
			default:
				t.Errorf("%s: status %d: %.300s", what, r.status, r.body)
			}
		}
	}
	// The database is intact: the admin still signs in and sees the users.
	h.login(a.email, password)
	want(t, h.do("GET", "/api/users/", a.token, nil), http.StatusOK)
	if len(h.rows()) < 2 {
		t.Fatal("the store lost rows")
	}
}

// wantLiteral checks an accepted request: no row but the target changed,
// no row vanished, and the value was stored as sent — a password by
// signing in with it.
func (tg injTarget) wantLiteral(t *testing.T, h *harness, before map[string]string, field, sent, email, what string) {
	t.Helper()
	after := h.rows()
	added, removed, changed := changes(before, after)
	for _, k := range changed {
		if k != tg.target && (email == "" || !strings.Contains(after[k], fmt.Sprintf(`"email":%q`, email))) {
			t.Errorf("%s: changed %s", what, k)
		}
	}
	if len(removed) > 0 {
		t.Errorf("%s: removed %v", what, removed)
	}
	if strings.Contains(field, "password") {
		if email == "" {
			t.Errorf("%s: accepted a password, but the test knows no address to sign in with", what)
			return
		}
		if tg.name == "signup" {
			want(t, h.do("POST", "/api/auth/verify-email", "", api.TokenRequest{Token: h.mailToken(email)}), http.StatusOK)
		}
		h.login(email, sent)
		return
	}
	lit, _ := json.Marshal(strings.TrimSpace(sent))
	lit = bytes.Trim(lit, `"`)
	for _, k := range append(added, changed...) {
		if strings.Contains(after[k], string(lit)) {
			return
		}
	}
	t.Errorf("%s: accepted, but no new or changed row holds the value as sent (added %v, changed %v)", what, added, changed)
}

// stringsOf returns the strings of a string or []string value.
func stringsOf(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []string:
		return v, len(v) > 0
	}
	return nil, false
}

// answerID asks a question as the tenant and returns the answer's
// message id.
func (h *harness) answerID(ten tenant) string {
	h.t.Helper()
	var res chat.Result
	r := h.do("POST", "/api/chat", ten.token, api.ChatRequest{Message: "Wie hoch ist der Steuersatz?"})
	want(h.t, r, http.StatusOK)
	r.json(h.t, &res)
	return res.MessageID
}
