package brain

import "time"

// JobStatus is the state of an ingestion job.
type JobStatus string

// Job states. A job is queued until a worker takes its first file, running
// while files remain, and completed when every file is done, skipped or
// failed (failed files are counted; the job fails only when every file
// failed or the job itself could not run).
const (
	JobQueued    JobStatus = "queued"
	JobUploading JobStatus = "uploading"
	JobRunning   JobStatus = "running"
	JobCompleted JobStatus = "completed"
	JobFailed    JobStatus = "failed"
)

// FileStatus is the state of one file of an ingestion job.
type FileStatus string

// File states.
const (
	FilePending FileStatus = "pending"
	FileRunning FileStatus = "running"
	FileDone    FileStatus = "done"
	FileSkipped FileStatus = "skipped" // content already ingested
	FileFailed  FileStatus = "failed"
)

// Finished reports whether s is a final state.
func (s FileStatus) Finished() bool {
	return s == FileDone || s == FileSkipped || s == FileFailed
}

// IngestJob is one run of ingestion over a set of files of a customer.
type IngestJob struct {
	ID           string     `json:"job_id"`
	CustomerID   string     `json:"customer_id"`
	Kind         string     `json:"kind"` // "upload", "upload-async", "trigger", "cli"
	Status       JobStatus  `json:"status"`
	SelectedMCPs []string   `json:"selected_mcps,omitempty"`
	CreatedBy    string     `json:"created_by,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	FinishedAt   *time.Time `json:"finished_at,omitempty"`
	Error        string     `json:"error,omitempty"`
	// Upload phase of an asynchronous upload.
	Uploaded    int    `json:"uploaded_count"`
	CurrentFile string `json:"current_file,omitempty"`
	// Counts by file state, computed when read.
	Total   int `json:"total_files"`
	Pending int `json:"pending_files"`
	Running int `json:"running_files"`
	Done    int `json:"done_files"`
	Skipped int `json:"skipped_files"`
	Failed  int `json:"failed_files"`
	Chunks  int `json:"chunks"`
}

// Progress is the share of files finished, 0 to 100.
func (j *IngestJob) Progress() float64 {
	if j.Total == 0 {
		if j.Status == JobCompleted {
			return 100
		}
		return 0
	}
	return float64(j.Done+j.Skipped+j.Failed) * 100 / float64(j.Total)
}

// IngestFile is one file of an ingestion job: a durable unit of work that
// workers claim with a lease.
type IngestFile struct {
	JobID       string     `json:"-"`
	CustomerID  string     `json:"-"`
	Seq         int        `json:"seq"`
	Object      string     `json:"object"` // object name in the customer's bucket
	Filename    string     `json:"filename"`
	Size        int64      `json:"size"`
	SHA256      string     `json:"sha256"`
	Status      FileStatus `json:"status"`
	Handler     string     `json:"handler,omitempty"`
	ContentType string     `json:"content_type,omitempty"`
	Domain      string     `json:"expert_domain,omitempty"`
	Reason      string     `json:"reason,omitempty"` // typed failure: "corrupt", "encrypted", …
	Error       string     `json:"error,omitempty"`
	DocumentID  string     `json:"document_id,omitempty"`
	Chunks      int        `json:"chunks"`
	Attempts    int        `json:"attempts"`
	NextAttempt time.Time  `json:"-"`
	LeasedBy    string     `json:"-"`
	LeaseUntil  *time.Time `json:"-"`
	UpdatedAt   time.Time  `json:"updated_at"`
}
