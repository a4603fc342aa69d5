package api_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/api"
)

// upload posts files (name → content) as multipart "files" parts.
func (h *harness) upload(token, path string, files map[string]string) response {
	h.t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, n := range names {
		hdr := textproto.MIMEHeader{}
		// RFC 2231 encoding carries any name, control characters too.
		hdr.Set("Content-Disposition", "form-data; name=\"files\"; filename*=UTF-8''"+url.PathEscape(n))
		hdr.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(hdr)
		if err != nil {
			h.t.Fatal(err)
		}
		io.WriteString(w, files[n])
	}
	mw.Close()
	return h.rawAs("POST", path, token, mw.FormDataContentType(), &body)
}

// rawAs sends a body with a content type and token.
func (h *harness) rawAs(method, path, token, ctype string, body io.Reader) response {
	h.t.Helper()
	hdr := map[string]string{"Content-Type": ctype}
	if token != "" {
		hdr["Authorization"] = "Bearer " + token
	}
	return h.raw(method, path, body, hdr)
}

// waitJob polls an ingestion job until it finishes.
func (h *harness) waitJob(token, jobID string) api.JobResponse {
	h.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var j api.JobResponse
		r := h.do("GET", "/api/ingest/status/"+jobID, token, nil)
		want(h.t, r, http.StatusOK)
		r.json(h.t, &j)
		if j.Status == brain.JobCompleted || j.Status == brain.JobFailed {
			return j
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("job %s still %s after 60s: %s", jobID, j.Status, r.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func zipOf(t testing.TB, files map[string]string) string {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for n, c := range files {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, c)
	}
	zw.Close()
	return b.String()
}

// TestUploadIngestSearch is the customer's path: upload files, ingestion
// runs in the background, the text is searchable with its source, an
// unchanged file is skipped, a changed one replaces its old version, and
// bad files fail with their reason without stopping the rest.
func TestUploadIngestSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("acme")
	r := h.upload(a.token, "/api/upload/files?selected_mcps=ctax", map[string]string{
		"Steuerbescheid.md": "# Bescheid 2024\n\n## Körperschaftsteuer\n\nDie Acme GmbH zahlt 1.234,56 € Körperschaftsteuer nach § 8 Abs. 1 KStG.\n",
		"preise.csv":        "Artikel;Preis;Datum\nSchraube;0,12;2024-01-31\nMutter;0,08;2024-02-29\n",
		"kaputt.docx":       "PK\x03\x04\x14\x00\x00\x00 truncated zip",
		"leer.txt":          "",
		"archiv.zip":        zipOf(t, map[string]string{"innen/notiz.txt": "Lieferantennotiz: Zebrafisch GmbH liefert pünktlich."}),
	})
	want(t, r, http.StatusOK)
	var up api.UploadResponse
	r.json(t, &up)
	if !up.Success || !up.IngestionTriggered || !up.InstallationTriggered || len(up.Files) != 5 ||
		up.Files[0].Bucket != "customer-acme" || !slices.Equal(up.SelectedMCPs, []string{"ctax"}) {
		t.Fatalf("upload response %s", r.body)
	}
	j := h.waitJob(a.token, up.IngestionJobID)
	byName := map[string]*brain.IngestFile{}
	for _, f := range j.Files {
		byName[f.Filename] = f
	}
	if j.Status != brain.JobCompleted || j.Total != 5 || j.Done != 3 || j.Failed != 2 || j.Progress != 100 {
		t.Fatalf("job %+v", j.IngestJob)
	}
	if f := byName["kaputt.docx"]; f.Status != brain.FileFailed || f.Reason != "corrupt" || f.Error == "" {
		t.Errorf("corrupt docx: %+v", f)
	}
	if f := byName["leer.txt"]; f.Status != brain.FileFailed || f.Reason != "empty" {
		t.Errorf("empty file: %+v", f)
	}
	if f := byName["Steuerbescheid.md"]; f.Status != brain.FileDone || f.Handler == "" || f.Domain != "CTAX" || f.Chunks == 0 {
		t.Errorf("markdown: %+v", f)
	}
	// Searchable, with title, section and source.
	var sr api.SearchResponse
	h.do("GET", "/api/data/search?q=K%C3%B6rperschaftsteuer+Acme", a.token, nil).json(t, &sr)
	if len(sr.Results) == 0 || sr.Results[0].Title != "Bescheid 2024" || !strings.Contains(sr.Results[0].Section, "Körperschaftsteuer") {
		t.Fatalf("search: %+v", sr.Results)
	}
	h.do("GET", "/api/data/search?q=Zebrafisch", a.token, nil).json(t, &sr)
	if len(sr.Results) == 0 || !strings.Contains(sr.Results[0].Text, "pünktlich") {
		t.Fatalf("archive member not searchable: %+v", sr.Results)
	}
	// The CSV became a typed table.
	var qr api.QueryResponse
	rq := h.do("GET", "/api/data/query?sql=SELECT+artikel,+preis+FROM+t_preise+ORDER+BY+preis", a.token, nil)
	if rq.status == http.StatusOK {
		rq.json(t, &qr)
		if len(qr.Rows) != 2 || fmt.Sprint(qr.Rows[0]) != "[Mutter 0.08]" {
			t.Errorf("typed table rows %s", rq.body)
		}
	} else if rq.errorCode() != "unavailable" {
		t.Errorf("query typed table: %d %s", rq.status, rq.body)
	}
	// Entities were extracted.
	var ents struct {
		Entities []struct{ Name, Type string } `json:"entities"`
	}
	h.do("GET", "/api/data/entities?q=KStG", a.token, nil).json(t, &ents)
	if len(ents.Entities) == 0 {
		t.Errorf("no § reference entity found")
	}

	// The same content again: skipped, nothing duplicated.
	before := docCount(t, h, a.token)
	r = h.upload(a.token, "/api/upload/files", map[string]string{"Kopie.md": "# Bescheid 2024\n\n## Körperschaftsteuer\n\nDie Acme GmbH zahlt 1.234,56 € Körperschaftsteuer nach § 8 Abs. 1 KStG.\n"})
	r.json(t, &up)
	j = h.waitJob(a.token, up.IngestionJobID)
	if j.Skipped != 1 || docCount(t, h, a.token) != before {
		t.Fatalf("re-upload of the same content: %+v, documents %d → %d", j.IngestJob, before, docCount(t, h, a.token))
	}
	// A changed file replaces its previous version.
	r = h.upload(a.token, "/api/upload/files", map[string]string{"Steuerbescheid.md": "# Bescheid 2025\n\nNeuer Bescheid über Gewerbesteuer.\n"})
	r.json(t, &up)
	h.waitJob(a.token, up.IngestionJobID)
	if n := docCount(t, h, a.token); n != before {
		t.Fatalf("changed file: documents %d → %d, want the same", before, n)
	}
	h.do("GET", "/api/data/search?q=K%C3%B6rperschaftsteuer", a.token, nil).json(t, &sr)
	for _, hit := range sr.Results {
		if hit.Title == "Bescheid 2024" {
			t.Fatalf("old version still found: %+v", hit)
		}
	}
	// Trigger re-ingests the bucket; everything unchanged is skipped.
	var tj api.JobResponse
	rt := h.do("POST", "/api/ingest/trigger", a.token, api.TriggerRequest{})
	want(t, rt, http.StatusAccepted)
	rt.json(t, &tj)
	j = h.waitJob(a.token, tj.ID)
	// Only the newest version of each name; Kopie.md's content went with
	// the old version of Steuerbescheid.md and comes back under its name.
	if j.Total != 6 || j.Done > 1 || j.Skipped < 3 {
		for _, f := range j.Files {
			t.Logf("%s %s %s %s", f.Filename, f.Status, f.DocumentID, f.Error)
		}
		t.Fatalf("trigger over unchanged uploads: %+v", j.IngestJob)
	}
	h.do("GET", "/api/data/search?q=Gewerbesteuer", a.token, nil).json(t, &sr)
	if len(sr.Results) == 0 || sr.Results[0].Title != "Bescheid 2025" {
		t.Fatalf("the newest version must survive a trigger: %+v", sr.Results)
	}
	// Listing and clearing (development).
	var list api.UploadList
	h.do("GET", "/api/upload/list", a.token, nil).json(t, &list)
	if list.Count != 7 || list.Bucket != "customer-acme" {
		t.Fatalf("list %+v", list)
	}
	var cl api.ClearResponse
	want(t, h.do("DELETE", "/api/upload/clear", a.token, nil), http.StatusOK)
	h.do("GET", "/api/upload/list", a.token, nil).json(t, &list)
	if list.Count != 0 {
		t.Fatalf("after clear %+v %+v", list, cl)
	}
}

func docCount(t *testing.T, h *harness, token string) int {
	var page struct {
		Total int `json:"total"`
	}
	h.do("GET", "/api/data/documents?limit=1000", token, nil).json(t, &page)
	return page.Total
}

// TestHostileUploads: bad requests get clear errors and leave nothing.
func TestHostileUploads(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("acme")
	// Over the per-file limit (1 MiB in the harness): 413, nothing kept.
	r := h.upload(a.token, "/api/upload/files", map[string]string{"a.txt": "fine", "z-big.bin": strings.Repeat("x", 1<<20+1)})
	wantError(t, r, http.StatusRequestEntityTooLarge, "too_large")
	// Over the request limit (4 MiB): 413.
	r = h.rawAs("POST", "/api/upload/files", a.token, "multipart/form-data; boundary=x", strings.NewReader(strings.Repeat("y", 5<<20)))
	wantError(t, r, http.StatusRequestEntityTooLarge, "too_large")
	var list api.UploadList
	h.do("GET", "/api/upload/list", a.token, nil).json(t, &list)
	if list.Count != 0 {
		t.Fatalf("failed uploads left %+v", list.Files)
	}
	// Not multipart, or no files: 400.
	wantError(t, h.rawAs("POST", "/api/upload/files", a.token, "application/json", strings.NewReader(`{}`)), http.StatusBadRequest, "invalid")
	var empty bytes.Buffer
	mw := multipart.NewWriter(&empty)
	mw.WriteField("note", "no files")
	mw.Close()
	wantError(t, h.rawAs("POST", "/api/upload/files", a.token, mw.FormDataContentType(), &empty), http.StatusBadRequest, "invalid")
	wantError(t, h.rawAs("POST", "/api/upload/files", a.token, "multipart/form-data; boundary=x", strings.NewReader("--x\r\nbroken")), http.StatusBadRequest, "invalid")
	raw := "--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\x01b.txt\"\r\n\r\nhi\r\n--x--\r\n"
	wantError(t, h.rawAs("POST", "/api/upload/files", a.token, "multipart/form-data; boundary=x", strings.NewReader(raw)), http.StatusBadRequest, "invalid")
	wantError(t, h.upload(a.token, "/api/upload/files?selected_mcps=../../x", map[string]string{"a.txt": "x"}), http.StatusBadRequest, "invalid")
	// Another customer's id: 404. No token: 401.
	wantError(t, h.upload(a.token, "/api/upload/files?customer_id=beta", map[string]string{"a.txt": "x"}), http.StatusNotFound, "not_found")
	wantError(t, h.upload("", "/api/upload/files", map[string]string{"a.txt": "x"}), http.StatusUnauthorized, "unauthorized")

	// Hostile names and contents are stored safely and fail or succeed
	// one by one.
	bomb := zipOf(t, map[string]string{"zeros.txt": strings.Repeat("0", 3<<20)})
	nested := zipOf(t, map[string]string{"n.zip": zipOf(t, map[string]string{"n.zip": zipOf(t, map[string]string{"n.zip": zipOf(t,
		map[string]string{"n.zip": zipOf(t, map[string]string{"n.zip": zipOf(t, map[string]string{"deep.txt": "ganz tief unten"})})})})})})
	r = h.upload(a.token, "/api/upload/files", map[string]string{
		"../../../etc/passwd":  "root:x:0:0",
		"..\\..\\evil.txt":     "windows traversal",
		"ctl\x01\x1bname.txt":  "control characters",
		"bomb.zip":             bomb,
		"nested.zip":           nested,
		"empty.pdf":            "",
		"image.png":            "%PDF-1.4 not really a png",
		"wrong-extension.docx": "Plain text pretending to be a Word file.",
		"ok.txt":               "Ein ganz normaler Text über Schrauben.",
	})
	want(t, r, http.StatusOK)
	var up api.UploadResponse
	r.json(t, &up)
	for _, f := range up.Files {
		if strings.ContainsAny(f.Object, "/\\\x00\x01\x1b") || strings.Contains(f.Path, "..") {
			t.Errorf("unsafe stored name %+v", f)
		}
	}
	j := h.waitJob(a.token, up.IngestionJobID)
	if j.Total != 9 {
		t.Fatalf("job %+v", j.IngestJob)
	}
	for _, f := range j.Files {
		if f.Status == brain.FileFailed && (f.Reason == "" || f.Error == "") {
			t.Errorf("failed without a reason: %+v", f)
		}
		t.Logf("%-24s %-8s %-12s %s", f.Filename, f.Status, f.Reason, f.Error)
	}
	byName := map[string]*brain.IngestFile{}
	for _, f := range j.Files {
		byName[f.Filename] = f
	}
	for name, want := range map[string]string{"bomb.zip": "failed/too_large", "empty.pdf": "failed/empty", "image.png": "failed/corrupt",
		"nested.zip": "done/", "wrong-extension.docx": "done/", "passwd": "done/", "evil.txt": "done/", "ctlname.txt": "done/", "ok.txt": "done/"} {
		f := byName[name]
		if f == nil || string(f.Status)+"/"+f.Reason != want {
			t.Errorf("%s: %+v, want %s", name, f, want)
		}
	}
	if !strings.Contains(byName["nested.zip"].Error, "nested too deeply") {
		t.Errorf("nested archive: %q", byName["nested.zip"].Error)
	}
	var sr api.SearchResponse
	h.do("GET", "/api/data/search?q=Schrauben", a.token, nil).json(t, &sr)
	if len(sr.Results) == 0 {
		t.Fatal("the good file was not ingested beside the bad ones")
	}
}

// TestUploadAsyncAndEvents: the asynchronous upload answers at once with
// a job id whose status and server-sent events follow it to the end.
func TestUploadAsyncAndEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.newTenant("acme")
	r := h.upload(a.token, "/api/upload-async/start", map[string]string{"eins.txt": "Erster Text über Ausschreibungen.", "zwei.txt": "Zweiter Text über Verträge."})
	want(t, r, http.StatusAccepted)
	var st api.AsyncUploadStarted
	r.json(t, &st)
	if st.JobID == "" || st.Files != 2 {
		t.Fatalf("start %s", r.body)
	}
	// Server-sent events until done.
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/ingest/events/"+st.JobID, nil)
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events content type %q", ct)
	}
	var events []string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
			events = append(events, ev)
		}
	}
	if len(events) < 2 || events[len(events)-1] != "done" || events[0] != "progress" {
		t.Fatalf("events %v", events)
	}
	var as api.AsyncUploadStatus
	h.do("GET", "/api/upload-async/status/"+st.JobID, a.token, nil).json(t, &as)
	if as.Status != "completed" || as.UploadedCount != 2 || as.Progress != 100 || as.IngestionStatus != string(brain.JobCompleted) {
		t.Fatalf("async status %+v", as)
	}
	j := h.waitJob(a.token, st.JobID)
	if j.Done != 2 {
		t.Fatalf("job %+v", j.IngestJob)
	}
	var jobs api.JobList
	h.do("GET", "/api/ingest/jobs", a.token, nil).json(t, &jobs)
	if len(jobs.Jobs) != 1 || jobs.Jobs[0].ID != st.JobID {
		t.Fatalf("jobs %+v", jobs)
	}
}
