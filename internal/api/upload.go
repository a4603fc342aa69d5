package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/ingest"
	"github.com/zero711/brain/internal/upload"
)

// Ingestion is what the upload and ingest routes need; nil on nodes that
// do not take uploads (they answer 503).
type Ingestion struct {
	Uploads *upload.Store
	Service *ingest.Service
	// Staging makes a local directory for an asynchronous upload's files
	// until they are in the bucket.
	Staging func(customerID string) (dir string, cleanup func(), err error)
	// MaxFileBytes bounds one uploaded file, MaxRequestBytes one upload
	// request (all its files).
	MaxFileBytes, MaxRequestBytes int64
	// Development allows DELETE /api/upload/clear.
	Development bool
}

func (s *Server) ingestion() (*Ingestion, error) {
	if s.opts.Ingestion == nil || s.opts.Ingestion.Uploads == nil || s.opts.Ingestion.Service == nil {
		return nil, brain.Errorf(brain.EUNAVAILABLE, "this node takes no uploads")
	}
	return s.opts.Ingestion, nil
}

// UploadedFile is one stored file of an upload response.
type UploadedFile struct {
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
	Path     string `json:"path"`
	Bucket   string `json:"bucket"`
	Object   string `json:"object"`
	SHA256   string `json:"sha256,omitempty"`
}

// UploadResponse answers POST /api/upload/files (SPEC §9).
type UploadResponse struct {
	Success               bool           `json:"success"`
	Message               string         `json:"message"`
	Files                 []UploadedFile `json:"files"`
	IngestionTriggered    bool           `json:"ingestion_triggered"`
	IngestionJobID        string         `json:"ingestion_job_id,omitempty"`
	SelectedMCPs          []string       `json:"selected_mcps"`
	InstallationTriggered bool           `json:"installation_triggered"`
}

// uploadCustomer checks the optional customer_id parameter against the
// caller: another customer's id answers 404 like every foreign id.
func uploadCustomer(r *http.Request) (string, error) {
	p := principal(r)
	if c := r.URL.Query().Get("customer_id"); c != "" && c != p.CustomerID {
		return "", brain.Errorf(brain.ENOTFOUND, "customer not found")
	}
	return p.CustomerID, nil
}

// selectedMCPs reads selected_mcps as repeated or comma-separated values.
func selectedMCPs(r *http.Request) ([]string, error) {
	var out []string
	for _, v := range r.URL.Query()["selected_mcps"] {
		for _, m := range strings.Split(v, ",") {
			m = strings.ToLower(strings.TrimSpace(m))
			if m == "" {
				continue
			}
			if len(m) > 64 || strings.ContainsFunc(m, func(c rune) bool { return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') }) {
				return nil, brain.Errorf(brain.EINVALID, "selected_mcps: %q is not an expert name", clipStr(m, 40))
			}
			out = append(out, m)
		}
	}
	if len(out) > 20 {
		return nil, brain.Errorf(brain.EINVALID, "selected_mcps: at most 20")
	}
	return out, nil
}

func clipStr(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}

// multipartFiles walks the file parts of a multipart body, calling fn with
// each; it refuses bodies that are not multipart and requests without
// files.
func multipartFiles(r *http.Request, fn func(name string, body io.Reader) error) (int, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return 0, brain.Errorf(brain.EINVALID, "send multipart/form-data with one or more \"files\" parts: %v", err)
	}
	n := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, bodyError(err)
		}
		if part.FileName() == "" {
			part.Close()
			continue // a plain form field
		}
		if n++; n > 1000 {
			part.Close()
			return n, brain.Errorf(brain.EINVALID, "at most 1000 files per request")
		}
		err = fn(part.FileName(), part)
		part.Close()
		if err != nil {
			return n, err
		}
	}
	if n == 0 {
		return 0, brain.Errorf(brain.EINVALID, "no files in the request: send them as multipart parts named \"files\"")
	}
	return n, nil
}

// bodyError maps a failure to read the body: over the limit is 413.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return brain.Errorf(brain.ETOOLARGE, "the upload is larger than %d bytes", mbe.Limit)
	}
	if brain.ErrorCode(err) != brain.EINTERNAL {
		return err
	}
	return brain.Errorf(brain.EINVALID, "malformed multipart body: %v", err)
}

func (s *Server) uploadFiles(w http.ResponseWriter, r *http.Request) error {
	ing, err := s.ingestion()
	if err != nil {
		return err
	}
	cust, err := uploadCustomer(r)
	if err != nil {
		return err
	}
	mcps, err := selectedMCPs(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	var stored []upload.Object
	installation := false
	_, err = multipartFiles(r, func(name string, body io.Reader) error {
		obj, created, err := ing.Uploads.Put(ctx, cust, name, body, ing.MaxFileBytes)
		installation = installation || created
		if err != nil {
			return bodyError(err)
		}
		stored = append(stored, obj)
		return nil
	})
	if err != nil {
		// All or nothing: drop what this request stored.
		s.dropUploads(context.WithoutCancel(ctx), ing, cust, stored)
		return err
	}
	job := ingest.NewJob(cust, "upload", principal(r).Actor(), mcps, s.now())
	if err := ing.Service.Submit(ctx, job, ingestFiles(stored)); err != nil {
		return err
	}
	if installation {
		s.provisioningDue(ctx, r, cust)
	}
	noteAudit(r, "", "", job.ID, fmt.Sprintf("%d files", len(stored)))
	writeJSON(w, http.StatusOK, UploadResponse{Success: true, Message: fmt.Sprintf("%d files uploaded; ingestion started", len(stored)),
		Files: uploadedFiles(stored), IngestionTriggered: true, IngestionJobID: job.ID, SelectedMCPs: nonNil(mcps),
		InstallationTriggered: installation})
	return nil
}

// provisioningDue records that a customer's first upload asks for its
// stack to be provisioned.
func (s *Server) provisioningDue(ctx context.Context, r *http.Request, customerID string) {
	e := &brain.AuditEntry{Time: s.now(), CustomerID: customerID, Actor: principal(r).Actor(), Action: "customer.provisioning_due",
		Target: customerID, RequestID: requestIDFrom(ctx), Outcome: brain.OutcomeSuccess, Detail: "first upload created bucket customer-" + customerID}
	if err := s.store.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
		s.logger.ErrorContext(ctx, "audit append failed", "action", e.Action, "err", err)
	}
	s.logger.InfoContext(ctx, "first upload: provisioning due", "customer", customerID)
}

func (s *Server) dropUploads(ctx context.Context, ing *Ingestion, customerID string, objs []upload.Object) {
	for _, o := range objs {
		if err := ing.Uploads.Delete(ctx, customerID, o.Name); err != nil {
			s.logger.WarnContext(ctx, "upload: drop after failed request", "object", o.Name, "err", err)
		}
	}
}

func ingestFiles(objs []upload.Object) []*brain.IngestFile {
	out := make([]*brain.IngestFile, len(objs))
	for i, o := range objs {
		out[i] = &brain.IngestFile{Object: o.Name, Filename: o.Filename, Size: o.Size, SHA256: o.SHA256}
	}
	return out
}

func uploadedFiles(objs []upload.Object) []UploadedFile {
	out := make([]UploadedFile, len(objs))
	for i, o := range objs {
		out[i] = UploadedFile{Filename: o.Filename, Size: o.Size, Path: o.Path, Bucket: o.Bucket, Object: o.Name, SHA256: o.SHA256}
	}
	return out
}

// AsyncUploadStarted answers POST /api/upload-async/start.
type AsyncUploadStarted struct {
	JobID          string   `json:"job_id"`
	Status         string   `json:"status"`
	Files          int      `json:"total_files"`
	SelectedMCPs   []string `json:"selected_mcps"`
	IngestionJobID string   `json:"ingestion_job_id"`
}

// AsyncUploadStatus answers GET /api/upload-async/status/{job_id}.
type AsyncUploadStatus struct {
	JobID           string  `json:"job_id"`
	Status          string  `json:"status"` // queued | uploading | completed | failed
	Progress        float64 `json:"progress"`
	UploadedCount   int     `json:"uploaded_count"`
	TotalFiles      int     `json:"total_files"`
	CurrentFile     string  `json:"current_file,omitempty"`
	Error           string  `json:"error,omitempty"`
	IngestionJobID  string  `json:"ingestion_job_id"`
	IngestionStatus string  `json:"ingestion_status"`
}

// stagedFile is an asynchronous upload's file waiting in staging.
type stagedFile struct {
	name, path string
}

func (s *Server) uploadAsyncStart(w http.ResponseWriter, r *http.Request) error {
	ing, err := s.ingestion()
	if err != nil {
		return err
	}
	cust, err := uploadCustomer(r)
	if err != nil {
		return err
	}
	mcps, err := selectedMCPs(r)
	if err != nil {
		return err
	}
	if ing.Staging == nil {
		return brain.Errorf(brain.EUNAVAILABLE, "asynchronous uploads need a staging area")
	}
	dir, cleanup, err := ing.Staging(cust)
	if err != nil {
		return err
	}
	var files []stagedFile
	_, err = multipartFiles(r, func(name string, body io.Reader) error {
		p := filepath.Join(dir, fmt.Sprintf("%05d", len(files)))
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		lr := &io.LimitedReader{R: body, N: ing.MaxFileBytes + 1}
		if ing.MaxFileBytes <= 0 {
			lr.N = 1 << 62
		}
		n, err := io.Copy(f, lr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return bodyError(err)
		}
		if ing.MaxFileBytes > 0 && n > ing.MaxFileBytes {
			return brain.Errorf(brain.ETOOLARGE, "%s is larger than %d bytes", upload.SanitizeFilename(name), ing.MaxFileBytes)
		}
		files = append(files, stagedFile{name: name, path: p})
		return nil
	})
	if err != nil {
		cleanup()
		return err
	}
	job := ingest.NewJob(cust, "upload-async", principal(r).Actor(), mcps, s.now())
	job.Status = brain.JobUploading
	job.CurrentFile = upload.SanitizeFilename(files[0].name)
	job.Error = ""
	if err := ing.Service.Submit(r.Context(), job, nil); err != nil {
		cleanup()
		return err
	}
	// Submit marks a job without files completed; this one is uploading.
	job.Status, job.FinishedAt = brain.JobUploading, nil
	if err := s.store.UpdateIngestJob(r.Context(), job); err != nil {
		cleanup()
		return err
	}
	actor := principal(r)
	go s.runAsyncUpload(context.WithoutCancel(r.Context()), ing, job, files, len(files), cleanup, actor)
	noteAudit(r, "", "", job.ID, fmt.Sprintf("%d files", len(files)))
	writeJSON(w, http.StatusAccepted, AsyncUploadStarted{JobID: job.ID, Status: string(brain.JobUploading), Files: len(files),
		SelectedMCPs: nonNil(mcps), IngestionJobID: job.ID})
	return nil
}

// runAsyncUpload moves staged files into the bucket one by one, adding
// each to the job as it lands, and records progress.
func (s *Server) runAsyncUpload(ctx context.Context, ing *Ingestion, job *brain.IngestJob, files []stagedFile, total int, cleanup func(), actor *brain.Principal) {
	defer cleanup()
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	installation := false
	fail := func(err error) {
		job.Status, job.Error, job.CurrentFile = brain.JobFailed, err.Error(), ""
		now := s.now()
		job.FinishedAt = &now
		if uerr := s.store.UpdateIngestJob(ctx, job); uerr != nil {
			s.logger.Error("upload-async: record failure", "job", job.ID, "err", uerr)
		}
	}
	for i, sf := range files {
		job.CurrentFile = upload.SanitizeFilename(sf.name)
		if err := s.store.UpdateIngestJob(ctx, job); err != nil {
			s.logger.Error("upload-async: progress", "job", job.ID, "err", err)
		}
		f, err := os.Open(sf.path)
		if err != nil {
			fail(fmt.Errorf("file %d: %w", i+1, err))
			return
		}
		obj, created, err := ing.Uploads.Put(ctx, job.CustomerID, sf.name, f, ing.MaxFileBytes)
		f.Close()
		installation = installation || created
		if err != nil {
			fail(fmt.Errorf("%s: %w", job.CurrentFile, err))
			return
		}
		if err := ing.Service.AddFiles(ctx, job.CustomerID, job.ID, ingestFiles([]upload.Object{obj})); err != nil {
			fail(fmt.Errorf("%s: %w", job.CurrentFile, err))
			return
		}
		job.Uploaded = i + 1
	}
	if installation {
		s.logger.Info("first upload: provisioning due", "customer", job.CustomerID, "actor", actor.Actor())
	}
	// Uploaded: the job now runs (or has finished) as ingestion.
	cur, err := s.store.IngestJob(ctx, job.CustomerID, job.ID)
	if err != nil {
		s.logger.Error("upload-async: finish", "job", job.ID, "err", err)
		return
	}
	cur.Uploaded, cur.CurrentFile = total, ""
	if cur.Status == brain.JobUploading {
		cur.Status = brain.JobRunning
		if cur.Pending+cur.Running == 0 {
			now := s.now()
			cur.Status, cur.FinishedAt = brain.JobCompleted, &now
		}
	}
	if err := s.store.UpdateIngestJob(ctx, cur); err != nil {
		s.logger.Error("upload-async: finish", "job", job.ID, "err", err)
	}
}

func (s *Server) uploadAsyncStatus(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.ingestion(); err != nil {
		return err
	}
	j, err := s.store.IngestJob(r.Context(), principal(r).CustomerID, r.PathValue("job_id"))
	if err != nil {
		return err
	}
	st := AsyncUploadStatus{JobID: j.ID, UploadedCount: j.Uploaded, TotalFiles: max(j.Total, j.Uploaded), CurrentFile: j.CurrentFile,
		Error: j.Error, IngestionJobID: j.ID, IngestionStatus: string(j.Status)}
	switch {
	case j.Status == brain.JobUploading:
		st.Status = "uploading"
		if j.CurrentFile != "" {
			st.TotalFiles = max(st.TotalFiles, j.Uploaded+1)
		}
	case j.Status == brain.JobFailed && j.Error != "":
		st.Status = "failed" // the upload itself failed (ingestion failures are per file)
	default:
		st.Status = "completed"
	}
	if st.TotalFiles > 0 {
		st.Progress = float64(st.UploadedCount) * 100 / float64(st.TotalFiles)
	}
	if st.Status == "completed" {
		st.Progress = 100
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// UploadList answers GET /api/upload/list.
type UploadList struct {
	Bucket string          `json:"bucket"`
	Count  int             `json:"count"`
	Files  []upload.Object `json:"files"`
}

func (s *Server) uploadList(w http.ResponseWriter, r *http.Request) error {
	ing, err := s.ingestion()
	if err != nil {
		return err
	}
	cust := principal(r).CustomerID
	objs, err := ing.Uploads.List(r.Context(), cust)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, UploadList{Bucket: upload.BucketName(cust), Count: len(objs), Files: nonNil(objs)})
	return nil
}

// ClearResponse answers DELETE /api/upload/clear.
type ClearResponse struct {
	Success bool `json:"success"`
	Deleted int  `json:"deleted"`
}

func (s *Server) uploadClear(w http.ResponseWriter, r *http.Request) error {
	ing, err := s.ingestion()
	if err != nil {
		return err
	}
	if !ing.Development {
		return brain.Errorf(brain.EFORBIDDEN, "clearing uploads is only allowed in development deployments")
	}
	n, err := ing.Uploads.Clear(r.Context(), principal(r).CustomerID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ClearResponse{Success: true, Deleted: n})
	return nil
}

// TriggerRequest is the body of POST /api/ingest/trigger ({} for every
// upload).
type TriggerRequest struct {
	// Objects names uploads to ingest (object names from /api/upload/list);
	// empty means every upload of the customer. Unchanged files are
	// skipped, so triggering again does no work twice.
	Objects      []string `json:"objects,omitempty"`
	SelectedMCPs []string `json:"selected_mcps,omitempty"`
}

// JobResponse is an ingestion job with its files.
type JobResponse struct {
	*brain.IngestJob
	Progress float64             `json:"progress"`
	Files    []*brain.IngestFile `json:"files"`
}

func (s *Server) ingestTrigger(w http.ResponseWriter, r *http.Request) error {
	ing, err := s.ingestion()
	if err != nil {
		return err
	}
	var body *TriggerRequest
	if err := decode(r, &body); err != nil {
		return err
	}
	if body == nil {
		return brain.Errorf(brain.EINVALID, "send a JSON object: {} ingests every upload")
	}
	req := *body
	if len(req.Objects) > 10000 || len(req.SelectedMCPs) > 20 {
		return brain.Errorf(brain.EINVALID, "at most 10000 objects and 20 selected_mcps")
	}
	for _, m := range req.SelectedMCPs {
		if len(m) == 0 || len(m) > 64 || strings.ContainsFunc(m, func(c rune) bool { return c < 0x21 || c > 0x7e }) {
			return brain.Errorf(brain.EINVALID, "selected_mcps: %q is not an expert name", clipStr(m, 40))
		}
	}
	cust := principal(r).CustomerID
	objs, err := ing.Uploads.List(r.Context(), cust)
	if err != nil {
		return err
	}
	if len(req.Objects) == 0 {
		// Only the newest upload of each file name: older ones are
		// versions it replaced.
		newest := map[string]int{}
		for i, o := range objs { // sorted by name, so by upload time
			newest[o.Filename] = i
		}
		all := objs
		objs = objs[:0:0]
		for i, o := range all {
			if newest[o.Filename] == i {
				objs = append(objs, o)
			}
		}
	} else {
		have := map[string]upload.Object{}
		for _, o := range objs {
			have[o.Name] = o
		}
		objs = objs[:0:0]
		for _, name := range req.Objects {
			o, ok := have[name]
			if !ok {
				return brain.Errorf(brain.ENOTFOUND, "upload %q not found", clipStr(name, 80))
			}
			objs = append(objs, o)
		}
	}
	job := ingest.NewJob(cust, "trigger", principal(r).Actor(), req.SelectedMCPs, s.now())
	if err := ing.Service.Submit(r.Context(), job, ingestFiles(objs)); err != nil {
		return err
	}
	noteAudit(r, "", "", job.ID, fmt.Sprintf("%d files", len(objs)))
	return s.writeJob(w, r, http.StatusAccepted, cust, job.ID)
}

func (s *Server) writeJob(w http.ResponseWriter, r *http.Request, status int, customerID, jobID string) error {
	j, err := s.store.IngestJob(r.Context(), customerID, jobID)
	if err != nil {
		return err
	}
	files, err := s.store.IngestFiles(r.Context(), customerID, jobID)
	if err != nil {
		return err
	}
	writeJSON(w, status, JobResponse{IngestJob: j, Progress: j.Progress(), Files: nonNil(files)})
	return nil
}

func (s *Server) ingestStatus(w http.ResponseWriter, r *http.Request) error {
	return s.writeJob(w, r, http.StatusOK, principal(r).CustomerID, r.PathValue("job_id"))
}

// JobList answers GET /api/ingest/jobs.
type JobList struct {
	Jobs []*brain.IngestJob `json:"jobs"`
}

func (s *Server) ingestJobs(w http.ResponseWriter, r *http.Request) error {
	page, err := pageFrom(r)
	if err != nil {
		return err
	}
	jobs, err := s.store.ListIngestJobs(r.Context(), principal(r).CustomerID, page)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, JobList{Jobs: nonNil(jobs)})
	return nil
}

// ingestEvents streams a job's progress as server-sent events: "progress"
// events with the job and the files that changed, then "done".
func (s *Server) ingestEvents(w http.ResponseWriter, r *http.Request) error {
	ing, err := s.ingestion()
	if err != nil {
		return err
	}
	events, err := ing.Service.Watch(r.Context(), principal(r).CustomerID, r.PathValue("job_id"))
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	startEventStream(w)
	_ = rc.Flush()
	var last *brain.IngestJob
	for ev := range events {
		last = ev.Job
		b, err := json.Marshal(struct {
			ingest.Event
			Progress float64 `json:"progress"`
		}{ev, ev.Job.Progress()})
		if err != nil {
			return nil
		}
		if _, err := fmt.Fprintf(w, "event: progress\ndata: %s\n\n", b); err != nil {
			return nil // the client went away
		}
		_ = rc.Flush()
	}
	if last != nil && (last.Status == brain.JobCompleted || last.Status == brain.JobFailed) {
		fmt.Fprintf(w, "event: done\ndata: {\"status\":%q}\n\n", last.Status)
		_ = rc.Flush()
	}
	return nil
}
