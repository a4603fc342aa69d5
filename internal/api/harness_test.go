package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain/internal/api"
	"github.com/zero711/brain/internal/auth"
	"github.com/zero711/brain/internal/chat"
	"github.com/zero711/brain/internal/embed"
	"github.com/zero711/brain/internal/identity"
	"github.com/zero711/brain/internal/ingest"
	"github.com/zero711/brain/internal/lakehouse"
	"github.com/zero711/brain/internal/mail"
	"github.com/zero711/brain/internal/paths"
	"github.com/zero711/brain/internal/paths/pathstest"
	"github.com/zero711/brain/internal/store"
	"github.com/zero711/brain/internal/store/sqlite"
	"github.com/zero711/brain/internal/upload"
)

// password is a password every test account uses.
const password = "Sommer-2026-Brain"

// fastArgon keeps password hashing cheap in tests; production uses
// auth.DefaultArgon2.
var fastArgon = auth.Argon2Params{Memory: 256, Time: 1, Threads: 1}

// harness is a real HTTP server over a real SQLite store and mail outbox.
type harness struct {
	t      testing.TB
	srv    *httptest.Server
	api    *api.Server
	store  store.Store
	outbox string
	lake   *lakehouse.Lakehouse
	ingest *ingest.Service
}

func newHarness(t testing.TB, tweak ...func(*api.Options)) *harness {
	t.Helper()
	dir := pathstest.Dir(t)
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	return newHarnessOn(t, s, dir, tweak...)
}

func newHarnessOn(t testing.TB, s store.Store, dir string, tweak ...func(*api.Options)) *harness {
	t.Helper()
	outbox := filepath.Join(dir, "outbox")
	mailer, err := mail.NewOutbox(outbox, "0711 <no-reply@localhost>", nil)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := auth.NewTokens([]byte(strings.Repeat("s", 32)), time.Hour, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ident, err := identity.New(s, tokens, mailer, identity.Options{PublicURL: "http://brain.test", Argon2: fastArgon},
		discard(), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := paths.New(paths.Development, dir)
	if err != nil {
		t.Fatal(err)
	}
	em, err := embed.NewBuiltin(embed.BuiltinConfig{})
	if err != nil {
		t.Fatal(err)
	}
	lake := lakehouse.New(lakehouse.NewDiskStorage(cp), em, lakehouse.Options{})
	t.Cleanup(func() { lake.Close() })
	uploads := upload.New(upload.NewLocalBuckets(cp), nil)
	pipe := &ingest.Pipeline{Lake: lake, Objects: uploads, Extractor: testExtractor(t), Staging: cp.Staging}
	svc := ingest.NewService(s, pipe, ingest.Options{Workers: 2, Poll: 50 * time.Millisecond, Backoff: 10 * time.Millisecond, Logger: discard()})
	opts := api.Options{Version: "test", MaxBodyBytes: 64 << 10, Logger: discard(), Lakehouse: lake,
		Ingestion: &api.Ingestion{Uploads: uploads, Service: svc, Staging: cp.Staging, MaxFileBytes: 1 << 20,
			MaxRequestBytes: 4 << 20, Development: true},
		Chat: chat.New(lake, s, chat.Options{})}
	for _, f := range tweak {
		f(&opts)
	}
	a := api.New(s, ident, opts)
	srv := httptest.NewServer(a)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { svc.Run(ctx); close(done) }()
	t.Cleanup(func() { srv.Close(); stop(); <-done; s.Close() })
	return &harness{t: t, srv: srv, api: a, store: s, outbox: outbox, lake: lake, ingest: svc}
}

// response is a decoded HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v, failing the test on error.
func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errorCode returns the error code of a JSON error body.
func (r response) errorCode() string {
	var e api.ErrorBody
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

// do sends body (JSON-encoded unless it is a string or nil) with token.
func (h *harness) do(method, path, token string, body any) response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return h.send(req)
}

func (h *harness) send(req *http.Request) response {
	h.t.Helper()
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// want fails the test unless r has the status.
func want(t testing.TB, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

// mailToken returns the token of the newest link mailed to addr.
func (h *harness) mailToken(addr string) string {
	h.t.Helper()
	m, err := mail.LastTo(h.outbox, addr)
	if err != nil {
		h.t.Fatalf("no mail to %s: %v", addr, err)
	}
	for _, l := range m.Links() {
		u, err := url.Parse(l)
		if err == nil && u.Query().Get("token") != "" {
			return u.Query().Get("token")
		}
	}
	h.t.Fatalf("mail to %s has no token link:\n%s", addr, m.Text)
	return ""
}

// tenant is a customer with a verified, signed-in primary admin.
type tenant struct {
	id, adminID, email, token string
}

// newTenant signs up customer id, verifies the admin's e-mail through the
// outbox and logs in.
func (h *harness) newTenant(id string) tenant {
	h.t.Helper()
	email := "admin@" + id + ".example"
	r := h.do("POST", "/api/auth/signup", "", api.SignupRequest{CompanyName: "Firma " + id + " GmbH", Email: email,
		Password: password, Name: "Erika Mustermann", CustomerID: id})
	want(h.t, r, http.StatusCreated)
	var su api.SignupResponse
	r.json(h.t, &su)
	want(h.t, h.do("POST", "/api/auth/verify-email", "", api.TokenRequest{Token: h.mailToken(email)}), http.StatusOK)
	return tenant{id: id, adminID: su.User.ID, email: email, token: h.login(email, password)}
}

// login returns an access token.
func (h *harness) login(email, pw string) string {
	h.t.Helper()
	r := h.do("POST", "/api/auth/login", "", api.LoginRequest{Email: email, Password: pw})
	want(h.t, r, http.StatusOK)
	var lr api.LoginResponse
	r.json(h.t, &lr)
	return lr.AccessToken
}

// invite invites email into the tenant with role, accepts the invitation
// and returns the new user's id and access token.
func (h *harness) invite(ten tenant, email, role string) (string, string) {
	h.t.Helper()
	r := h.do("POST", "/api/users/invite", ten.token, map[string]any{"email": email, "role": role, "name": "Max Müller"})
	want(h.t, r, http.StatusCreated)
	var u struct{ ID string }
	r.json(h.t, &u)
	want(h.t, h.do("POST", "/api/users/accept-invitation", "", api.AcceptInvitationRequest{Token: h.mailToken(email), Password: password}), http.StatusOK)
	return u.ID, h.login(email, password)
}
