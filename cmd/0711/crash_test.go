package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zero711/brain/internal/paths/pathstest"
)

// TestMain lets the test binary run as the 0711 binary itself, for tests
// that need a separate process to kill.
func TestMain(m *testing.M) {
	if os.Getenv("ZERO711_TEST_CHILD") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], env{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// child is 0711 serve in its own process.
type child struct {
	cmd  *exec.Cmd
	base string
	log  *os.File
}

func startChild(t *testing.T, dir string, vars ...string) *child {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.OpenFile(filepath.Join(dir, "child.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "serve", "--addr", addr)
	cmd.Env = append(os.Environ(), "ZERO711_TEST_CHILD=1", "DATA_DIR="+dir, "DEPLOYMENT_TYPE=development", "LOG_LEVEL=INFO")
	cmd.Env = append(cmd.Env, vars...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, base: "http://" + addr, log: logf}
	t.Cleanup(func() { c.kill(); logf.Close() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(c.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			return c
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf.Name())
			t.Fatalf("child serve did not start: %s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *child) kill() {
	if c.cmd.ProcessState == nil {
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
		_ = c.cmd.Wait()
	}
}

type jobState struct {
	Status  string `json:"status"`
	Total   int    `json:"total_files"`
	Done    int    `json:"done_files"`
	Skipped int    `json:"skipped_files"`
	Failed  int    `json:"failed_files"`
	Chunks  int    `json:"chunks"`
	Files   []struct {
		Filename string `json:"filename"`
		Status   string `json:"status"`
		Attempts int    `json:"attempts"`
		Chunks   int    `json:"chunks"`
		Error    string `json:"error"`
	} `json:"files"`
}

// TestSIGKILLMidIngestion kills the server with SIGKILL while it ingests,
// starts it again on the same data, and checks that the job completes and
// that no chunk is stored twice.
func TestSIGKILLMidIngestion(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server twice")
	}
	dir := pathstest.Dir(t)
	vars := []string{"INGEST_WORKERS=1", "INGEST_LEASE=2s"}
	c := startChild(t, dir, vars...)
	token := signupAndLogin(t, c.base, filepath.Join(dir, "outbox"), "crash")

	// 30 files of about 60 chunks each keep the worker busy for seconds.
	files := map[string]string{}
	for i := range 30 {
		var b strings.Builder
		fmt.Fprintf(&b, "# Vertrag %d\n\n", i)
		for s := range 60 {
			fmt.Fprintf(&b, "## § %d Pflichten\n\n(1) Die Firma Nummer %d GmbH liefert am %02d.03.2025 Ware im Wert von %d,00 € an den Kunden %d. %s\n\n",
				s+1, i, s%28+1, 100*s+i, s, strings.Repeat("Weitere Bestimmungen gelten sinngemäß. ", 25))
		}
		files[fmt.Sprintf("vertrag-%02d.md", i)] = b.String()
	}
	var up struct {
		JobID string `json:"ingestion_job_id"`
	}
	if code := uploadFiles(t, c.base, token, files, &up); code != 200 {
		t.Fatalf("upload: %d", code)
	}
	// Kill it once a few files are in, while others are on their way.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		var j jobState
		call(t, "GET", c.base+"/api/ingest/status/"+up.JobID, token, nil, &j)
		if j.Done >= 3 {
			if j.Done == j.Total {
				t.Fatal("the job finished before the kill; make the files larger")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ingestion made no progress: %+v", j)
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.kill()
	t.Logf("killed with SIGKILL mid-ingestion")

	c = startChild(t, dir, vars...)
	var j jobState
	deadline = time.Now().Add(5 * time.Minute)
	for {
		call(t, "GET", c.base+"/api/ingest/status/"+up.JobID, token, nil, &j)
		if j.Status == "completed" || j.Status == "failed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job did not complete after the restart: %+v", j)
		}
		time.Sleep(200 * time.Millisecond)
	}
	retried := 0
	for _, f := range j.Files {
		if f.Attempts > 1 {
			retried++
		}
	}
	if j.Status != "completed" || j.Done != 30 || j.Failed != 0 {
		t.Fatalf("after restart: %+v", j)
	}
	t.Logf("job completed: %d files, %d chunks, %d files retried after the kill", j.Done, j.Chunks, retried)
	// No chunk twice: the chunks table holds exactly the chunks the files
	// report, each id once.
	var q struct {
		Rows [][]any `json:"rows"`
	}
	code := call(t, "GET", c.base+"/api/data/query?sql="+strings.ReplaceAll("SELECT count(*), count(DISTINCT id) FROM chunks", " ", "+"), token, nil, &q)
	if code == http.StatusServiceUnavailable {
		t.Skip("SQL unavailable in this build; the job completed")
	}
	if code != 200 || len(q.Rows) != 1 {
		t.Fatalf("count chunks: %d %+v", code, q)
	}
	total, distinct := fmt.Sprint(q.Rows[0][0]), fmt.Sprint(q.Rows[0][1])
	if total != distinct || total != fmt.Sprint(j.Chunks) {
		t.Fatalf("chunks table holds %s rows, %s distinct ids; the files report %d chunks", total, distinct, j.Chunks)
	}
	var docs struct {
		Total int `json:"total"`
	}
	call(t, "GET", c.base+"/api/data/documents", token, nil, &docs)
	if docs.Total != 30 {
		t.Fatalf("%d documents, want 30", docs.Total)
	}
}

// signupAndLogin creates customer id with a verified admin and returns
// its token.
func signupAndLogin(t *testing.T, base, outbox, id string) string {
	t.Helper()
	email := "chef@" + id + ".example"
	if c := call(t, "POST", base+"/api/auth/signup", "", map[string]string{"company_name": id + " GmbH",
		"email": email, "password": testPassword, "name": "Chef", "customer_id": id}, nil); c != 201 {
		t.Fatalf("signup: %d", c)
	}
	if c := call(t, "POST", base+"/api/auth/verify-email", "", map[string]string{"token": mailToken(t, outbox, email)}, nil); c != 200 {
		t.Fatalf("verify: %d", c)
	}
	var login struct {
		AccessToken string `json:"access_token"`
	}
	call(t, "POST", base+"/api/auth/login", "", map[string]string{"email": email, "password": testPassword}, &login)
	return login.AccessToken
}

// uploadFiles posts files as multipart "files" parts to /api/upload/files.
func uploadFiles(t *testing.T, base, token string, files map[string]string, out any) int {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, content := range files {
		w, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/api/upload/files", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// TestIngestCommand ingests a folder with 0711 ingest and finds it with
// 0711 search.
func TestIngestCommand(t *testing.T) {
	dir := pathstest.Dir(t)
	vars := map[string]string{"DATA_DIR": dir, "DEPLOYMENT_TYPE": "development"}
	srv := startServe(t, vars)
	signupAndLogin(t, srv.base, filepath.Join(dir, "outbox"), "kiel")
	srv.stop()

	src := filepath.Join(dir, "quelle")
	for name, text := range map[string]string{
		"a/Mietvertrag.md":  "# Mietvertrag\n\n## § 3 Kündigung\n\nDie Kündigungsfrist beträgt drei Monate zum Quartalsende.",
		"a/b/preise.csv":    "Artikel;Preis\nSchraube;0,12\n",
		"kaputt.pdf":        "%PDF-1.7 broken",
		".versteckt/x.txt":  "hidden files are skipped",
		"a/b/c/notiz.txt":   "Rückruf bei der Zebra GmbH am Montag.",
		"a/leer-datei.json": "",
	} {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	if c := run(context.Background(), []string{"ingest", "--customer", "kiel", "--quiet", src}, testEnv(vars, &out, &errOut)); c != 0 {
		t.Fatalf("ingest: %s", errOut.String())
	}
	t.Log(out.String())
	for _, want := range []string{"5 files", "3 ingested", "2 failed", "corrupt", "empty"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q: %s", want, out.String())
		}
	}
	out.Reset()
	if c := run(context.Background(), []string{"ask", "--customer", "kiel", "Wie lange ist die Kündigungsfrist?"}, testEnv(vars, &out, &errOut)); c != 0 {
		t.Fatalf("ask: %s", errOut.String())
	}
	if !strings.Contains(out.String(), "drei Monate") || !strings.Contains(out.String(), "[1] Mietvertrag") || !strings.Contains(out.String(), "extractive answer") {
		t.Errorf("ask printed %q", out.String())
	}
	out.Reset()
	if c := run(context.Background(), []string{"search", "--customer", "kiel", "Kündigungsfrist"}, testEnv(vars, &out, &errOut)); c != 0 {
		t.Fatalf("search: %s", errOut.String())
	}
	if !strings.Contains(out.String(), "Mietvertrag › Mietvertrag > § 3 Kündigung") {
		t.Errorf("search printed %q", out.String())
	}
	if c := run(context.Background(), []string{"ingest", "--customer", "nobody", src}, testEnv(vars, &out, &errOut)); c == 0 {
		t.Error("ingest into an unknown customer succeeded")
	}
}

// TestAskEndToEnd: a German and English corpus goes in through the upload
// API, and questions in both languages get extractive answers citing the
// right documents.
func TestAskEndToEnd(t *testing.T) {
	dir := pathstest.Dir(t)
	srv := startServe(t, map[string]string{"DATA_DIR": dir, "DEPLOYMENT_TYPE": "development"})
	token := signupAndLogin(t, srv.base, filepath.Join(dir, "outbox"), "nord")
	var up struct {
		JobID string `json:"ingestion_job_id"`
	}
	if c := uploadFiles(t, srv.base, token, map[string]string{
		"Mietvertrag.md":    "# Mietvertrag Lager Kiel\n\n## § 5 Kündigung\n\nDie Kündigungsfrist beträgt drei Monate zum Ende eines Kalendervierteljahres.\n\n## § 6 Miete\n\nDie Monatsmiete beträgt 2.400 Euro netto.",
		"Steuerhinweis.txt": "Hinweis zur Umsatzsteuer\n\nDer ermäßigte Umsatzsteuersatz von 7 Prozent gilt für Lebensmittel. Der Regelsatz beträgt 19 Prozent.",
		"pump-manual.md":    "# Pump P-40 manual\n\n## Maintenance\n\nReplace the filter of the P-40 pump every 500 operating hours.\n\n## Power\n\nThe pump runs on 400 V three-phase current.",
	}, &up); c != 200 {
		t.Fatalf("upload: %d", c)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var j jobState
		call(t, "GET", srv.base+"/api/ingest/status/"+up.JobID, token, nil, &j)
		if j.Status == "completed" {
			break
		}
		if time.Now().After(deadline) || j.Status == "failed" {
			t.Fatalf("ingestion: %+v", j)
		}
		time.Sleep(50 * time.Millisecond)
	}
	type result struct {
		Answer  string `json:"answer"`
		Mode    string `json:"mode"`
		Sources []struct {
			Title   string `json:"title"`
			Section string `json:"section"`
		} `json:"sources"`
		ConversationID string `json:"conversation_id"`
		MessageID      string `json:"message_id"`
	}
	for _, tt := range []struct{ q, title, phrase string }{
		{"Wie lange ist die Kündigungsfrist für das Lager?", "Mietvertrag Lager Kiel", "drei Monate"},
		{"Welcher Umsatzsteuersatz gilt für Lebensmittel?", "Steuerhinweis.txt", "7 Prozent"},
		{"How often must the filter of the pump be replaced?", "Pump P-40 manual", "500 operating hours"},
	} {
		var res result
		if c := call(t, "POST", srv.base+"/api/chat", token, map[string]string{"message": tt.q}, &res); c != 200 {
			t.Fatalf("%q: status %d", tt.q, c)
		}
		if res.Mode != "extractive" || !strings.Contains(res.Answer, tt.phrase) || len(res.Sources) == 0 || res.Sources[0].Title != tt.title {
			t.Errorf("%q: %+v", tt.q, res)
		}
		if !strings.Contains(strings.ToLower(res.Answer), "extra") {
			t.Errorf("%q: the answer does not say it is extractive: %s", tt.q, res.Answer)
		}
		if c := call(t, "POST", srv.base+"/api/chat/"+res.MessageID+"/feedback", token, map[string]any{"rating": 1}, nil); c != 200 {
			t.Errorf("feedback: %d", c)
		}
	}
}

// TestAskWithLLMServer runs 0711 serve with LLM_URL pointing at a scripted
// OpenAI-compatible server: answers come from the model, with the
// customer's adapter, citing the numbered sources.
func TestAskWithLLMServer(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	llmSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/models":
			fmt.Fprint(w, `{"data":[{"id":"base-7b"},{"id":"ostsee@3"}]}`)
		case "/v1/chat/completions":
			var req struct {
				Model string `json:"model"`
			}
			json.NewDecoder(r.Body).Decode(&req)
			mu.Lock()
			asked = append(asked, req.Model)
			mu.Unlock()
			w.Header().Set("Content-Type", "text/event-stream")
			for _, tok := range []string{"Die Frist ", "beträgt drei Monate ", "[1]."} {
				fmt.Fprintf(w, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":%q}}]}\n\n", tok)
			}
			fmt.Fprint(w, "data: [DONE]\n\n")
		default:
			http.NotFound(w, r)
		}
	}))
	defer llmSrv.Close()
	dir := pathstest.Dir(t)
	srv := startServe(t, map[string]string{"DATA_DIR": dir, "DEPLOYMENT_TYPE": "development",
		"LLM_URL": llmSrv.URL + "/v1", "LLM_MODEL": "base-7b"})
	token := signupAndLogin(t, srv.base, filepath.Join(dir, "outbox"), "ostsee")
	var up struct {
		JobID string `json:"ingestion_job_id"`
	}
	uploadFiles(t, srv.base, token, map[string]string{"Vertrag.md": "# Vertrag\n\n## § 9 Kündigung\n\nDie Kündigungsfrist beträgt drei Monate."}, &up)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		var j jobState
		call(t, "GET", srv.base+"/api/ingest/status/"+up.JobID, token, nil, &j)
		if j.Status == "completed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ingestion: %+v", j)
		}
	}
	var res struct {
		Answer  string `json:"answer"`
		Mode    string `json:"mode"`
		Sources []struct {
			N     int    `json:"n"`
			Title string `json:"title"`
		} `json:"sources"`
	}
	if c := call(t, "POST", srv.base+"/api/chat", token, map[string]string{"message": "Wie lange ist die Kündigungsfrist?"}, &res); c != 200 {
		t.Fatalf("chat: %d", c)
	}
	if res.Mode != "llm" || res.Answer != "Die Frist beträgt drei Monate [1]." || len(res.Sources) != 1 || res.Sources[0].Title != "Vertrag" {
		t.Fatalf("answer %+v", res)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 1 || asked[0] != "ostsee@3" {
		t.Fatalf("models asked for: %v", asked)
	}
	var ready struct {
		Backends map[string]struct {
			Kind string `json:"kind"`
		} `json:"backends"`
	}
	call(t, "GET", srv.base+"/readyz", "", nil, &ready)
	t.Logf("readyz llm: %+v", ready.Backends["llm"])
}
