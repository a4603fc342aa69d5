package api_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/api"
	"github.com/zero711/brain/internal/paths/pathstest"
	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/sqlite"
)

var generatedID = regexp.MustCompile(`^[0-9a-f]{16}$`)

// TestRequestID makes an id for every request, echoes a well-formed one
// from the client and replaces a malformed one; error bodies carry it.
func TestRequestID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)

	seen := map[string]bool{}
	for range 3 {
		id := h.do("GET", "/healthz", "", nil).header.Get("X-Request-ID")
		if !generatedID.MatchString(id) || seen[id] {
			t.Fatalf("generated id %q (seen before: %v)", id, seen[id])
		}
		seen[id] = true
	}

	for _, id := range []string{"abc-123", "trace.ID_42", strings.Repeat("a", 64), "0"} {
		r := h.raw("GET", "/no/such/route", nil, map[string]string{"X-Request-ID": id})
		if got := r.header.Get("X-Request-ID"); got != id {
			t.Errorf("client id %q: echoed %q", id, got)
		}
		var e api.ErrorBody
		r.json(t, &e)
		if e.Error.RequestID != id {
			t.Errorf("client id %q: error body has %q", id, e.Error.RequestID)
		}
	}

	for _, id := range []string{strings.Repeat("a", 65), "two words", "<script>", "ä", "a/b", "a;b", "${jndi:x}", `"quoted"`} {
		r := h.raw("GET", "/healthz", nil, map[string]string{"X-Request-ID": id})
		if got := r.header.Get("X-Request-ID"); !generatedID.MatchString(got) {
			t.Errorf("malformed client id %q: answered with %q, want a fresh one", id, got)
		}
	}
}

// securityHeaders must be on every response, errors included.
var securityHeaders = map[string]string{
	"X-Content-Type-Options":     "nosniff",
	"X-Frame-Options":            "DENY",
	"Referrer-Policy":            "no-referrer",
	"Content-Security-Policy":    "frame-ancestors 'none'",
	"Cross-Origin-Opener-Policy": "same-origin",
	"Permissions-Policy":         "camera=()",
	"Cache-Control":              "no-store",
}

func wantSecurityHeaders(t *testing.T, what string, hd http.Header) {
	t.Helper()
	for k, v := range securityHeaders {
		if !strings.Contains(hd.Get(k), v) {
			t.Errorf("%s: %s = %q, want it to contain %q", what, k, hd.Get(k), v)
		}
	}
}

// TestSecurityHeaders checks successes and every kind of error, and HSTS
// only over TLS.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *api.Options) { o.CORSOrigins = []string{"https://app.example"} })
	a := h.newTenant("alpha")
	preflight := func(origin string) response {
		return h.raw("OPTIONS", "/api/auth/login", nil, map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST"})
	}
	cases := []struct {
		status int
		name   string
		r      response
	}{
		{200, "healthz", h.do("GET", "/healthz", "", nil)},
		{200, "me", h.do("GET", "/api/users/me", a.token, nil)},
		{200, "metrics", h.do("GET", "/metrics", "", nil)},
		{200, "openapi", h.do("GET", "/api/openapi.json", "", nil)},
		{201, "api key", h.do("POST", "/api/api-keys", a.token, api.APIKeyRequest{Name: "ci"})},
		{204, "preflight", preflight("https://app.example")},
		{400, "bad JSON", h.do("POST", "/api/auth/login", "", "{")},
		{400, "wrong type", h.do("POST", "/api/auth/login", "", `{"email":5}`)},
		{401, "no token", h.do("GET", "/api/users/", "", nil)},
		{403, "refused preflight", preflight("https://evil.example")},
		{404, "no route", h.do("GET", "/nope", "", nil)},
		{404, "no user", h.do("GET", "/api/users/nobody", a.token, nil)},
		{405, "wrong method", h.do("DELETE", "/api/auth/login", "", nil)},
		{413, "too large", h.do("POST", "/api/auth/login", "", strings.Repeat(" ", 70<<10))},
		{429, "locked account", lockedLogin(t, h, a)},
	}
	for _, c := range cases {
		if c.r.status != c.status {
			t.Errorf("%s: status %d, want %d: %.200s", c.name, c.r.status, c.status, c.r.body)
		}
		wantSecurityHeaders(t, c.name, c.r.header)
		if c.r.header.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", c.name)
		}
	}

	// Over TLS every response also carries HSTS.
	for _, path := range []string{"/healthz", "/nope"} {
		req := httptest.NewRequest("GET", path, nil)
		req.TLS = &tls.ConnectionState{}
		rec := httptest.NewRecorder()
		h.api.ServeHTTP(rec, req)
		if !strings.Contains(rec.Header().Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("GET %s over TLS: no HSTS", path)
		}
		wantSecurityHeaders(t, "TLS "+path, rec.Header())
	}
}

// lockedLogin locks the account of a fresh user of the tenant and returns
// the 429 of the next login.
func lockedLogin(t *testing.T, h *harness, a tenant) response {
	t.Helper()
	h.invite(a, "locked@alpha.example", "customer_user")
	for range 5 {
		h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: "locked@alpha.example", Password: "Wrong-password-1"})
	}
	return h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: "locked@alpha.example", Password: password})
}

// TestCORS answers allowed origins only, and preflights with 204 or a
// 403 JSON error.
func TestCORS(t *testing.T) {
	t.Parallel()
	const app = "https://app.example"
	h := newHarness(t, func(o *api.Options) { o.CORSOrigins = []string{app} })

	r := h.raw("GET", "/healthz", nil, map[string]string{"Origin": app})
	want(t, r, http.StatusOK)
	if got := r.header.Get("Access-Control-Allow-Origin"); got != app {
		t.Errorf("allowed origin: Access-Control-Allow-Origin %q", got)
	}
	if !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "X-Request-ID") {
		t.Errorf("allowed origin: Access-Control-Expose-Headers %q", r.header.Get("Access-Control-Expose-Headers"))
	}
	if !strings.Contains(strings.Join(r.header.Values("Vary"), ","), "Origin") {
		t.Errorf("allowed origin: Vary %q", r.header.Values("Vary"))
	}

	for _, origin := range []string{"https://evil.example", "https://app.example.evil.example", "http://app.example", "null", app + "/"} {
		r := h.raw("GET", "/healthz", nil, map[string]string{"Origin": origin})
		if got := r.header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("origin %q: Access-Control-Allow-Origin %q", origin, got)
		}
		r = h.raw("OPTIONS", "/api/users/invite", nil, map[string]string{"Origin": origin,
			"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"})
		if wantError(t, r, http.StatusForbidden, brain.EFORBIDDEN) {
			for _, k := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"} {
				if r.header.Get(k) != "" {
					t.Errorf("refused preflight from %q carries %s", origin, k)
				}
			}
		}
	}

	r = h.raw("OPTIONS", "/api/users/invite", nil, map[string]string{"Origin": app,
		"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"})
	want(t, r, http.StatusNoContent)
	for k, v := range map[string]string{
		"Access-Control-Allow-Origin":  app,
		"Access-Control-Allow-Methods": "POST",
		"Access-Control-Allow-Headers": "Authorization",
		"Access-Control-Max-Age":       "600",
	} {
		if !strings.Contains(r.header.Get(k), v) {
			t.Errorf("preflight: %s = %q, want %q in it", k, r.header.Get(k), v)
		}
	}
	if !strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Errorf("preflight: Access-Control-Allow-Headers %q", r.header.Get("Access-Control-Allow-Headers"))
	}
	// A preflight changes nothing and needs no token.
	if len(r.body) != 0 {
		t.Errorf("preflight body %q", r.body)
	}

	// Without an allow-list nobody gets CORS headers; "*" echoes any origin.
	none := newHarness(t)
	if got := none.raw("GET", "/healthz", nil, map[string]string{"Origin": app}).header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("no allow-list: Access-Control-Allow-Origin %q", got)
	}
	star := newHarness(t, func(o *api.Options) { o.CORSOrigins = []string{"*"} })
	if got := star.raw("GET", "/healthz", nil, map[string]string{"Origin": "https://x.example"}).header.Get("Access-Control-Allow-Origin"); got != "https://x.example" {
		t.Errorf("allow-list *: Access-Control-Allow-Origin %q", got)
	}
}

// TestNotFoundAndMethodNotAllowed answers both with the JSON error shape.
// A route whose path ends in a slash matches that path only, not every
// path below it.
func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	for _, path := range []string{"/nope", "/api/nope", "/api/auth/", "/api/users/a/b/c", "/api/users/" + a.adminID + "/x", "/api/openapi.yaml"} {
		r := h.do("GET", path, a.token, nil)
		if wantError(t, r, http.StatusNotFound, brain.ENOTFOUND) && !strings.Contains(string(r.body), "no such route") {
			t.Errorf("GET %s: %s", path, r.body)
		}
	}
	for _, c := range []struct{ method, path, allow string }{
		{"GET", "/api/auth/login", "POST"},
		{"DELETE", "/api/auth/signup", "POST"},
		{"PUT", "/api/users/me", "GET"},
		{"POST", "/healthz", "GET"},
		{"OPTIONS", "/api/customer", "GET"},
		{"PUT", "/api/api-keys", "POST"},
		{"GET", "/api/users/x/permissions", "PATCH"},
	} {
		r := h.do(c.method, c.path, "", nil)
		if !wantError(t, r, http.StatusMethodNotAllowed, "method_not_allowed") {
			continue
		}
		if !strings.Contains(r.header.Get("Allow"), c.allow) {
			t.Errorf("%s %s: Allow %q, want %s in it", c.method, c.path, r.header.Get("Allow"), c.allow)
		}
		if strings.Contains(r.header.Get("Allow"), c.method) && c.method != "OPTIONS" {
			t.Errorf("%s %s: Allow %q lists the refused method", c.method, c.path, r.header.Get("Allow"))
		}
	}
	// The list of users without its slash is a redirect to it.
	want(t, h.do("GET", "/api/users", a.token, nil), http.StatusOK)
}

// TestMetrics counts requests by route pattern, not by raw path.
func TestMetrics(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("alpha")
	want(t, h.do("GET", "/healthz", "", nil), http.StatusOK)
	want(t, h.do("GET", "/api/users/"+a.adminID, a.token, nil), http.StatusOK)
	want(t, h.do("GET", "/secret-path-42", "", nil), http.StatusNotFound)
	r := h.do("GET", "/metrics", "", nil)
	want(t, r, http.StatusOK)
	body := string(r.body)
	for _, line := range []string{
		`brain_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
		`brain_http_requests_total{method="GET",route="GET /api/users/{user_id}",status="200"} 1`,
		`brain_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`brain_http_request_duration_seconds_count{method="GET",route="GET /healthz"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, line) {
			t.Errorf("metrics lack %s", line)
		}
	}
	for _, leak := range []string{a.adminID, "secret-path-42"} {
		if strings.Contains(body, leak) {
			t.Errorf("metrics contain the raw path %q: labels must be route patterns", leak)
		}
	}
}

// TestOpenAPI checks that the document is OpenAPI 3.1, lists every route
// of the table, and that every $ref resolves.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	r := h.do("GET", "/api/openapi.json", "", nil)
	want(t, r, http.StatusOK)
	if !json.Valid(r.body) {
		t.Fatalf("not JSON: %.300s", r.body)
	}
	var doc struct {
		OpenAPI    string                               `json:"openapi"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	r.json(t, &doc)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	ops := 0
	ids := map[string]string{}
	for _, rt := range h.api.Routes() {
		op, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("route %s is not in the document", rt.Pattern())
			continue
		}
		ops++
		id, _ := op["operationId"].(string)
		if prev, dup := ids[id]; dup || id == "" {
			t.Errorf("route %s: operationId %q (also %s)", rt.Pattern(), id, prev)
		}
		ids[id] = rt.Pattern()
		if _, has := op["requestBody"]; has != (rt.Request != nil) {
			t.Errorf("route %s: requestBody %v, route reads a body %v", rt.Pattern(), has, rt.Request != nil)
		}
		if _, has := op["security"]; has != (rt.Scope != api.ScopePublic) {
			t.Errorf("route %s: security %v, scope %v", rt.Pattern(), has, rt.Scope)
		}
	}
	n := 0
	for _, methods := range doc.Paths {
		n += len(methods)
	}
	if n != ops {
		t.Errorf("document has %d operations, the route table %d", n, ops)
	}

	var all any
	r.json(t, &all)
	refs := 0
	walkRefs(all, func(ref string) {
		refs++
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if !ok {
			t.Errorf("$ref %q does not point into components.schemas", ref)
			return
		}
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("$ref %q does not resolve", ref)
		}
	})
	if refs < len(h.api.Routes()) {
		t.Errorf("only %d $refs", refs)
	}
}

// walkRefs calls fn with every "$ref" string in v.
func walkRefs(v any, fn func(string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				fn(s)
				continue
			}
			walkRefs(x, fn)
		}
	case []any:
		for _, x := range v {
			walkRefs(x, fn)
		}
	}
}

// fakeBackend reports a fixed state.
type fakeBackend struct {
	name string
	st   api.BackendStatus
}

func (b fakeBackend) Name() string                            { return b.name }
func (b fakeBackend) Check(context.Context) api.BackendStatus { return b.st }

// TestReadiness reports each backend, the built-in fallbacks, and 503
// when one is down.
func TestReadiness(t *testing.T) {
	t.Parallel()
	read := func(t *testing.T, h *harness, status int) api.Readiness {
		t.Helper()
		r := h.do("GET", "/readyz", "", nil)
		want(t, r, status)
		var rd api.Readiness
		dec := json.NewDecoder(bytes.NewReader(r.body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rd); err != nil {
			t.Fatalf("readyz %s: %v", r.body, err)
		}
		return rd
	}

	t.Run("no backends", func(t *testing.T) {
		t.Parallel()
		rd := read(t, newHarness(t), http.StatusOK)
		if rd.Status != "ready" || rd.Builtins == nil || len(rd.Builtins) != 0 || rd.Backends == nil {
			t.Errorf("readyz = %+v", rd)
		}
	})
	t.Run("ready with builtins", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, func(o *api.Options) {
			o.Backends = []api.Backend{
				fakeBackend{"database", api.BackendStatus{Kind: "postgres"}},
				fakeBackend{"email", api.BackendStatus{Kind: "outbox", Builtin: true, Detail: "/data/outbox"}},
			}
		})
		rd := read(t, h, http.StatusOK)
		if rd.Status != "ready" || len(rd.Builtins) != 1 || rd.Builtins[0] != "email" {
			t.Errorf("readyz = %+v", rd)
		}
		for name, b := range rd.Backends {
			if b.Status != "ok" || b.Latency == "" {
				t.Errorf("backend %s = %+v", name, b)
			}
		}
		if rd.Backends["email"].Kind != "outbox" || rd.Backends["database"].Builtin {
			t.Errorf("backends = %+v", rd.Backends)
		}
	})
	t.Run("one down", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, func(o *api.Options) {
			o.Backends = []api.Backend{
				fakeBackend{"database", api.BackendStatus{Kind: "postgres", Err: "connection refused"}},
				fakeBackend{"email", api.BackendStatus{Kind: "outbox", Builtin: true}},
			}
		})
		rd := read(t, h, http.StatusServiceUnavailable)
		if rd.Status != "not_ready" || rd.Backends["database"].Status != "down" || rd.Backends["database"].Err != "connection refused" {
			t.Errorf("readyz = %+v", rd)
		}
		if rd.Backends["email"].Status != "ok" || len(rd.Builtins) != 1 {
			t.Errorf("readyz = %+v", rd)
		}
		// Liveness does not depend on the backends.
		want(t, h.do("GET", "/healthz", "", nil), http.StatusOK)
	})
}

// panicStore panics where the handler lists API keys.
type panicStore struct{ store.Store }

func (panicStore) ListAPIKeys(context.Context, string) ([]*brain.APIKey, error) {
	panic("boom: secret detail")
}

// openStore opens a fresh SQLite store for a harness over a wrapper.
func openStore(t *testing.T) (store.Store, string) {
	t.Helper()
	dir := pathstest.Dir(t)
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// TestPanicRecovery turns a panicking handler into a 500 JSON error that
// tells nothing of the panic, and keeps serving.
func TestPanicRecovery(t *testing.T) {
	t.Parallel()
	s, dir := openStore(t)
	h := newHarnessOn(t, panicStore{s}, dir)
	a := h.newTenant("alpha")
	r := h.do("GET", "/api/api-keys", a.token, nil)
	if wantError(t, r, http.StatusInternalServerError, brain.EINTERNAL) {
		var e api.ErrorBody
		r.json(t, &e)
		if e.Error.Message != "internal error" || strings.Contains(string(r.body), "boom") {
			t.Errorf("panic leaks: %s", r.body)
		}
	}
	wantSecurityHeaders(t, "panic", r.header)
	want(t, h.do("GET", "/api/users/me", a.token, nil), http.StatusOK)
	// The access log and the metrics see the 500.
	m := h.do("GET", "/metrics", "", nil)
	if line := `brain_http_requests_total{method="GET",route="GET /api/api-keys",status="500"} 1`; !strings.Contains(string(m.body), line) {
		t.Errorf("metrics lack %s", line)
	}
}

// gateStore holds ListAPIKeys until release is closed.
type gateStore struct {
	store.Store
	entered chan struct{}
	release chan struct{}
}

func (g gateStore) ListAPIKeys(ctx context.Context, customerID string) ([]*brain.APIKey, error) {
	g.entered <- struct{}{}
	<-g.release
	return g.Store.ListAPIKeys(ctx, customerID)
}

// TestGracefulShutdown cancels Serve's context while a request is in
// flight: the port closes at once, the request still completes, and Serve
// returns nil.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	s, dir := openStore(t)
	g := gateStore{Store: s, entered: make(chan struct{}, 1), release: make(chan struct{})}
	h := newHarnessOn(t, g, dir)
	a := h.newTenant("alpha")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- h.api.Serve(ctx, ln, 5*time.Second) }()

	client := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	get := func(path string) (int, error) {
		req, err := http.NewRequest("GET", "http://"+addr+path, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+a.token)
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		var v any
		if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
			return res.StatusCode, err
		}
		return res.StatusCode, nil
	}
	if code, err := get("/healthz"); err != nil || code != http.StatusOK {
		t.Fatalf("healthz: %d %v", code, err)
	}

	type result struct {
		code int
		err  error
	}
	inflight := make(chan result, 1)
	go func() {
		code, err := get("/api/api-keys")
		inflight <- result{code, err}
	}()
	select {
	case <-g.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("request never reached the store")
	}
	cancel()
	waitClosed(t, addr)
	close(g.release)

	if res := <-inflight; res.err != nil || res.code != http.StatusOK {
		t.Fatalf("request in flight during shutdown: %d %v", res.code, res.err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("port still open after Serve returned")
	}
}

// waitClosed waits until nothing accepts connections on addr.
func waitClosed(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("port still open after cancel")
}

// TestShutdownGraceExpires returns an error when a request outlasts the
// grace period.
func TestShutdownGraceExpires(t *testing.T) {
	t.Parallel()
	s, dir := openStore(t)
	g := gateStore{Store: s, entered: make(chan struct{}, 1), release: make(chan struct{})}
	h := newHarnessOn(t, g, dir)
	a := h.newTenant("alpha")
	defer close(g.release)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- h.api.Serve(ctx, ln, 50*time.Millisecond) }()
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	go func() {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/api/api-keys", nil)
		req.Header.Set("Authorization", "Bearer "+a.token)
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	<-g.entered
	cancel()
	select {
	case err := <-served:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Serve returned %v, want a deadline error", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not give up after the grace period")
	}
}
