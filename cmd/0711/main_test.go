package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/zero711/brain/internal/mail"
	"github.com/zero711/brain/internal/paths/pathstest"
	"github.com/zero711/brain/internal/store/postgres/pgtest"
)

const testPassword = "Sommer-2026-Brain"

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEnv returns an env whose settings come from vars.
func testEnv(vars map[string]string, stdout, stderr io.Writer) env {
	return env{getenv: func(k string) string { return vars[k] }, stdin: strings.NewReader(""), stdout: stdout, stderr: stderr}
}

// running is a serve subcommand running in-process.
type running struct {
	base   string
	stdout *syncBuffer
	stop   func() int
}

// startServe runs "0711 serve" with vars until the test stops it.
func startServe(t *testing.T, vars map[string]string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	e := testEnv(vars, out, errOut)
	addr := make(chan string, 1)
	e.ready = func(a string) { addr <- a }
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), e) }()
	r := &running{stdout: out}
	var once sync.Once
	code := 0
	r.stop = func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}
	t.Cleanup(func() { r.stop() })
	select {
	case a := <-addr:
		r.base = "http://" + a
	case c := <-done:
		t.Fatalf("serve exited with %d before listening: %s", c, errOut.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start: %s", errOut.String())
	}
	return r
}

// call sends a JSON request and decodes a JSON answer into out.
func call(t *testing.T, method, url, token string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, url, raw, err)
		}
	}
	return res.StatusCode
}

func mailToken(t *testing.T, outbox, addr string) string {
	t.Helper()
	m, err := mail.LastTo(outbox, addr)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range m.Links() {
		if u, err := url.Parse(l); err == nil && u.Query().Get("token") != "" {
			return u.Query().Get("token")
		}
	}
	t.Fatalf("no token link in %q", m.Text)
	return ""
}

// TestServeFlowAndRestart runs the platform with no configuration but a
// data dir, drives signup → verify → login → invite → accept → login, then
// restarts it on the same data dir: every record and the session survive.
func TestServeFlowAndRestart(t *testing.T) {
	dir := pathstest.Dir(t)
	vars := map[string]string{"DATA_DIR": dir, "DEPLOYMENT_TYPE": "development"}
	srv := startServe(t, vars)
	if !strings.Contains(srv.stdout.String(), "data lives in "+dir) {
		t.Errorf("banner does not say where data lives: %q", srv.stdout.String())
	}

	var su struct {
		Customer struct{ ID string }
		User     struct{ ID string }
	}
	if c := call(t, "POST", srv.base+"/api/auth/signup", "", map[string]string{"company_name": "Hanse Logistik AG",
		"email": "chef@hanse.example", "password": testPassword, "name": "Hein Blöd"}, &su); c != 201 {
		t.Fatalf("signup: %d", c)
	}
	outbox := filepath.Join(dir, "outbox")
	if c := call(t, "POST", srv.base+"/api/auth/verify-email", "", map[string]string{"token": mailToken(t, outbox, "chef@hanse.example")}, nil); c != 200 {
		t.Fatalf("verify: %d", c)
	}
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if c := call(t, "POST", srv.base+"/api/auth/login", "", map[string]string{"email": "chef@hanse.example", "password": testPassword}, &login); c != 200 {
		t.Fatalf("login: %d", c)
	}
	if c := call(t, "POST", srv.base+"/api/users/invite", login.AccessToken, map[string]string{"email": "lager@hanse.example"}, nil); c != 201 {
		t.Fatalf("invite: %d", c)
	}
	if c := call(t, "POST", srv.base+"/api/users/accept-invitation", "", map[string]string{"token": mailToken(t, outbox, "lager@hanse.example"), "password": testPassword}, nil); c != 200 {
		t.Fatalf("accept: %d", c)
	}
	var userLogin struct {
		AccessToken string `json:"access_token"`
	}
	if c := call(t, "POST", srv.base+"/api/auth/login", "", map[string]string{"email": "lager@hanse.example", "password": testPassword}, &userLogin); c != 200 {
		t.Fatalf("login as invited user: %d", c)
	}
	if c := call(t, "POST", srv.base+"/api/users/invite", userLogin.AccessToken, map[string]string{"email": "x@hanse.example"}, nil); c != 403 {
		t.Fatalf("invited customer_user may invite: %d", c)
	}
	if code := srv.stop(); code != 0 {
		t.Fatalf("serve exited with %d", code)
	}

	again := startServe(t, vars)
	var users struct{ Users []struct{ Email string } }
	if c := call(t, "GET", again.base+"/api/users/", login.AccessToken, nil, &users); c != 200 {
		t.Fatalf("token after restart: %d", c)
	}
	if len(users.Users) != 2 {
		t.Fatalf("after restart %d users, want 2", len(users.Users))
	}
	var ready struct {
		Status   string
		Builtins []string
	}
	if c := call(t, "GET", again.base+"/readyz", "", nil, &ready); c != 200 || ready.Status != "ready" || len(ready.Builtins) < 2 {
		t.Fatalf("readyz %d %+v", c, ready)
	}
	again.stop()

	// The audit chain of all of that verifies.
	var out, errOut bytes.Buffer
	if c := run(context.Background(), []string{"admin", "audit", "verify"}, testEnv(vars, &out, &errOut)); c != 0 {
		t.Fatalf("audit verify: %d %s", c, errOut.String())
	}
	if !strings.Contains(out.String(), "audit chain intact") {
		t.Fatalf("audit verify said %q", out.String())
	}
}

// TestRefusesTempDataDir refuses a persistent data dir under /tmp.
func TestRefusesTempDataDir(t *testing.T) {
	for _, dir := range []string{"/tmp/0711-data", "/var/tmp/0711", "/tmp/../tmp/x"} {
		var out, errOut bytes.Buffer
		c := run(context.Background(), []string{"serve", "--data-dir", dir, "--deployment-type", "development"}, testEnv(nil, &out, &errOut))
		if c == 0 || !strings.Contains(errOut.String(), "tmp") {
			t.Errorf("serve --data-dir %s: exit %d, stderr %q", dir, c, errOut.String())
		}
	}
}

// TestAuditTamperDetected changes an audit entry behind the platform's
// back: verify must fail and name the entry.
func TestAuditTamperDetected(t *testing.T) {
	dir := pathstest.Dir(t)
	vars := map[string]string{"DATA_DIR": dir, "DEPLOYMENT_TYPE": "development", "ADMIN_PASSWORD": testPassword}
	var out, errOut bytes.Buffer
	if c := run(context.Background(), []string{"admin", "create-admin", "--email", "ops@0711.example"}, testEnv(vars, &out, &errOut)); c != 0 {
		t.Fatalf("create-admin: %d %s", c, errOut.String())
	}
	srv := startServe(t, vars)
	for i := range 3 {
		call(t, "POST", srv.base+"/api/auth/login", "", map[string]string{"email": "ops@0711.example", "password": "wrong-" + strings.Repeat("x", i+10)}, nil)
	}
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if c := call(t, "POST", srv.base+"/api/auth/login", "", map[string]string{"email": "ops@0711.example", "password": testPassword}, &login); c != 200 {
		t.Fatalf("platform admin login: %d", c)
	}
	var cs struct{ Customers []struct{ ID string } }
	if c := call(t, "GET", srv.base+"/api/admin/customers", login.AccessToken, nil, &cs); c != 200 || len(cs.Customers) != 1 {
		t.Fatalf("admin customers: %d %+v", c, cs)
	}
	srv.stop()

	db, err := sql.Open("sqlite", filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE audit_log SET outcome = 'success' WHERE seq = 2`); err == nil {
		t.Fatal("the database let an audit entry change")
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET outcome = 'success' WHERE seq = 2`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out.Reset()
	errOut.Reset()
	if c := run(context.Background(), []string{"admin", "audit", "verify"}, testEnv(vars, &out, &errOut)); c == 0 {
		t.Fatalf("verify passed a tampered chain: %s", out.String())
	}
	if !strings.Contains(errOut.String(), "entry 2") {
		t.Fatalf("verify did not name the entry: %q", errOut.String())
	}
}

// TestCommands covers version, migrate, admin customers and bad usage.
func TestCommands(t *testing.T) {
	dir := pathstest.Dir(t)
	vars := map[string]string{"DATA_DIR": dir, "DEPLOYMENT_TYPE": "development"}
	tests := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"version"}, 0, "0711 "},
		{[]string{"help"}, 0, "serve"},
		{[]string{"migrate"}, 0, "applied migrations [1 2 3]"},
		{[]string{"migrate"}, 0, "up to date"},
		{[]string{"admin", "customers"}, 0, "ID"},
		{[]string{"nonsense"}, 2, "unknown command"},
		{[]string{"admin", "frobnicate"}, 1, "unknown admin task"},
		{[]string{"admin", "create-admin"}, 1, "--email is required"},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		c := run(context.Background(), tc.args, testEnv(vars, &out, &errOut))
		if c != tc.code || !strings.Contains(out.String()+errOut.String(), tc.contains) {
			t.Errorf("0711 %v: exit %d, output %q %q; want %d and %q", tc.args, c, out.String(), errOut.String(), tc.code, tc.contains)
		}
	}
}

// TestServeOnPostgres runs the platform on PostgreSQL (DATABASE_URL) with
// a production-style JWT_SECRET: readiness names the backend, an account
// works, and a second node on the same database sees it.
func TestServeOnPostgres(t *testing.T) {
	dbURL := pgtest.SchemaURL(t)
	vars := map[string]string{"DATA_DIR": pathstest.Dir(t), "DEPLOYMENT_TYPE": "self_hosted",
		"DATABASE_URL": dbURL, "JWT_SECRET": strings.Repeat("k", 40)}
	node1 := startServe(t, vars)
	var ready struct {
		Backends map[string]struct{ Kind string }
		Builtins []string
	}
	if c := call(t, "GET", node1.base+"/readyz", "", nil, &ready); c != 200 || ready.Backends["database"].Kind != "postgres" {
		t.Fatalf("readyz %d %+v", c, ready)
	}
	for _, b := range ready.Builtins {
		if b == "database" {
			t.Fatal("PostgreSQL reported as a built-in fallback")
		}
	}
	if c := call(t, "POST", node1.base+"/api/auth/signup", "", map[string]string{"company_name": "Nord Bau GmbH",
		"email": "chef@nordbau.example", "password": testPassword, "name": "Nina Nord", "customer_id": "nordbau"}, nil); c != 201 {
		t.Fatalf("signup: %d", c)
	}
	outbox := filepath.Join(vars["DATA_DIR"], "outbox")
	if c := call(t, "POST", node1.base+"/api/auth/verify-email", "", map[string]string{"token": mailToken(t, outbox, "chef@nordbau.example")}, nil); c != 200 {
		t.Fatalf("verify: %d", c)
	}
	// A second node: same database and secret, its own data dir.
	vars2 := map[string]string{"DATA_DIR": pathstest.Dir(t), "DEPLOYMENT_TYPE": "self_hosted", "DATABASE_URL": dbURL, "JWT_SECRET": vars["JWT_SECRET"]}
	node2 := startServe(t, vars2)
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if c := call(t, "POST", node2.base+"/api/auth/login", "", map[string]string{"email": "chef@nordbau.example", "password": testPassword}, &login); c != 200 {
		t.Fatalf("login on node 2: %d", c)
	}
	if c := call(t, "GET", node1.base+"/api/customer", login.AccessToken, nil, nil); c != 200 {
		t.Fatalf("node 2's token on node 1: %d", c)
	}
	node1.stop()
	node2.stop()
	var out, errOut bytes.Buffer
	if c := run(context.Background(), []string{"admin", "audit", "verify"}, testEnv(vars, &out, &errOut)); c != 0 {
		t.Fatalf("audit verify: %s", errOut.String())
	}
}

// TestSearchAndSQLCommands adds a document through the API, then finds it
// with "0711 search" and counts it with "0711 sql".
func TestSearchAndSQLCommands(t *testing.T) {
	dir := pathstest.Dir(t)
	vars := map[string]string{"DATA_DIR": dir, "DEPLOYMENT_TYPE": "development"}
	srv := startServe(t, vars)
	if c := call(t, "POST", srv.base+"/api/auth/signup", "", map[string]string{"company_name": "Kiel Steuer GmbH",
		"email": "chef@kiel.example", "password": testPassword, "name": "Kai Kiel", "customer_id": "kiel"}, nil); c != 201 {
		t.Fatalf("signup: %d", c)
	}
	if c := call(t, "POST", srv.base+"/api/auth/verify-email", "", map[string]string{"token": mailToken(t, filepath.Join(dir, "outbox"), "chef@kiel.example")}, nil); c != 200 {
		t.Fatalf("verify: %d", c)
	}
	var login struct {
		AccessToken string `json:"access_token"`
	}
	call(t, "POST", srv.base+"/api/auth/login", "", map[string]string{"email": "chef@kiel.example", "password": testPassword}, &login)
	doc := map[string]any{"id": "ust", "title": "Umsatzsteuer-Merkblatt", "expert_domain": "CTAX", "language": "de",
		"chunks": []map[string]any{{"text": "Der allgemeine Umsatzsteuersatz beträgt 19 Prozent, der ermäßigte 7 Prozent.", "section": "Steuersätze"}}}
	if c := call(t, "POST", srv.base+"/api/data/documents", login.AccessToken, doc, nil); c != 201 {
		t.Fatalf("add document: %d", c)
	}
	var res struct {
		Results []struct {
			DocumentID string `json:"document_id"`
		}
	}
	if c := call(t, "GET", srv.base+"/api/data/search?q=Umsatzsteuersatz", login.AccessToken, nil, &res); c != 200 || len(res.Results) != 1 {
		t.Fatalf("search over HTTP: %d %+v", c, res)
	}
	srv.stop()

	var out, errOut bytes.Buffer
	if c := run(context.Background(), []string{"search", "--customer", "kiel", "ermäßigter", "Steuersatz"}, testEnv(vars, &out, &errOut)); c != 0 {
		t.Fatalf("search: %s", errOut.String())
	}
	if !strings.Contains(out.String(), "Umsatzsteuer-Merkblatt › Steuersätze") {
		t.Fatalf("search printed %q", out.String())
	}
	out.Reset()
	if c := run(context.Background(), []string{"sql", "--customer", "kiel", "SELECT title FROM documents"}, testEnv(vars, &out, &errOut)); c != 0 {
		if strings.Contains(errOut.String(), "unavailable") {
			t.Skip("SQL unavailable in this build")
		}
		t.Fatalf("sql: %s", errOut.String())
	}
	if !strings.Contains(out.String(), "Umsatzsteuer-Merkblatt") || !strings.Contains(out.String(), "(1 rows)") {
		t.Fatalf("sql printed %q", out.String())
	}
}
