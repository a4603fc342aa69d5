package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

const jobColumns = `id, customer_id, kind, status, selected_mcps, created_by, uploaded, current_file, error, created_at, updated_at, finished_at`

const fileColumns = `job_id, seq, customer_id, object, filename, size, sha256, status, handler, content_type, domain,
	reason, error, document_id, chunks, attempts, next_attempt, leased_by, lease_until, updated_at`

// CreateIngestJob implements store.Store.
func (s *DB) CreateIngestJob(ctx context.Context, j *brain.IngestJob, files []*brain.IngestFile) error {
	mcps, err := json.Marshal(orEmpty(j.SelectedMCPs))
	if err != nil {
		return fmt.Errorf("create ingest job: %w", err)
	}
	j.CreatedAt = norm(j.CreatedAt)
	j.UpdatedAt = j.CreatedAt
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO ingest_jobs (`+jobColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			j.ID, j.CustomerID, j.Kind, string(j.Status), string(mcps), j.CreatedBy, j.Uploaded, j.CurrentFile, j.Error,
			j.CreatedAt, j.UpdatedAt, normPtr(j.FinishedAt))
		if err != nil {
			return s.mapErr(err, "ingest job")
		}
		return s.insertFiles(ctx, tx, j.CustomerID, j.ID, 0, files, j.CreatedAt)
	})
	if err != nil {
		return fmt.Errorf("create ingest job: %w", err)
	}
	j.Total = len(files)
	j.Pending = len(files)
	return nil
}

func (s *DB) insertFiles(ctx context.Context, tx *sql.Tx, customerID, jobID string, after int, files []*brain.IngestFile, now time.Time) error {
	for i, f := range files {
		f.JobID, f.CustomerID, f.Seq = jobID, customerID, after+i+1
		if f.Status == "" {
			f.Status = brain.FilePending
		}
		if f.NextAttempt.IsZero() {
			f.NextAttempt = now
		}
		f.NextAttempt = norm(f.NextAttempt)
		f.UpdatedAt = now
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO ingest_files (`+fileColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			f.JobID, f.Seq, f.CustomerID, f.Object, f.Filename, f.Size, f.SHA256, string(f.Status), f.Handler, f.ContentType,
			f.Domain, f.Reason, f.Error, f.DocumentID, f.Chunks, f.Attempts, f.NextAttempt, f.LeasedBy, normPtr(f.LeaseUntil), f.UpdatedAt)
		if err != nil {
			return s.mapErr(err, "ingest file")
		}
	}
	return nil
}

// AddIngestFiles implements store.Store.
func (s *DB) AddIngestFiles(ctx context.Context, customerID, jobID string, files []*brain.IngestFile) error {
	now := norm(time.Now())
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n sql.NullInt64
		var exists int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM ingest_jobs WHERE customer_id = ? AND id = ?`), customerID, jobID).Scan(&exists); err != nil {
			return err
		}
		if exists == 0 {
			return brain.Errorf(brain.ENOTFOUND, "ingest job not found")
		}
		if err := tx.QueryRowContext(ctx, s.q(`SELECT MAX(seq) FROM ingest_files WHERE job_id = ?`), jobID).Scan(&n); err != nil {
			return err
		}
		if err := s.insertFiles(ctx, tx, customerID, jobID, int(n.Int64), files, now); err != nil {
			return err
		}
		// New work reopens a finished job.
		_, err := tx.ExecContext(ctx, s.q(`UPDATE ingest_jobs SET finished_at = NULL, updated_at = ?,
			status = CASE WHEN status IN ('completed', 'failed') THEN 'running' ELSE status END WHERE id = ?`), now, jobID)
		return err
	})
	if err != nil {
		return fmt.Errorf("add ingest files: %w", err)
	}
	return nil
}

// UpdateIngestJob implements store.Store.
func (s *DB) UpdateIngestJob(ctx context.Context, j *brain.IngestJob) error {
	j.UpdatedAt = norm(time.Now())
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE ingest_jobs SET status = ?, error = ?, uploaded = ?, current_file = ?,
		finished_at = ?, updated_at = ? WHERE customer_id = ? AND id = ?`),
		string(j.Status), j.Error, j.Uploaded, j.CurrentFile, normPtr(j.FinishedAt), j.UpdatedAt, j.CustomerID, j.ID)
	if err == nil {
		err = mustAffect(res, "ingest job")
	}
	if err != nil {
		return fmt.Errorf("update ingest job: %w", err)
	}
	return nil
}

// IngestJob implements store.Store.
func (s *DB) IngestJob(ctx context.Context, customerID, jobID string) (*brain.IngestJob, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, s.q(`SELECT `+jobColumns+` FROM ingest_jobs WHERE customer_id = ? AND id = ?`), customerID, jobID))
	if err != nil {
		return nil, fmt.Errorf("ingest job: %w", s.mapErr(err, "ingest job"))
	}
	if err := s.countFiles(ctx, j); err != nil {
		return nil, fmt.Errorf("ingest job: %w", err)
	}
	return j, nil
}

// ListIngestJobs implements store.Store.
func (s *DB) ListIngestJobs(ctx context.Context, customerID string, page store.Page) ([]*brain.IngestJob, error) {
	q := `SELECT ` + jobColumns + ` FROM ingest_jobs WHERE customer_id = ?`
	args := []any{customerID}
	if page.After != "" {
		q += ` AND id < ?`
		args = append(args, page.After)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, page.Clamp())
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list ingest jobs: %w", err)
	}
	out, err := collect(rows, scanJob)
	if err != nil {
		return nil, fmt.Errorf("list ingest jobs: %w", err)
	}
	for _, j := range out {
		if err := s.countFiles(ctx, j); err != nil {
			return nil, fmt.Errorf("list ingest jobs: %w", err)
		}
	}
	return out, nil
}

func (s *DB) countFiles(ctx context.Context, j *brain.IngestJob) error {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT status, COUNT(*), COALESCE(SUM(chunks), 0) FROM ingest_files WHERE job_id = ? GROUP BY status`), j.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	j.Total, j.Pending, j.Running, j.Done, j.Skipped, j.Failed, j.Chunks = 0, 0, 0, 0, 0, 0, 0
	for rows.Next() {
		var st string
		var n, chunks int
		if err := rows.Scan(&st, &n, &chunks); err != nil {
			return err
		}
		j.Total += n
		j.Chunks += chunks
		switch brain.FileStatus(st) {
		case brain.FilePending:
			j.Pending += n
		case brain.FileRunning:
			j.Running += n
		case brain.FileDone:
			j.Done += n
		case brain.FileSkipped:
			j.Skipped += n
		case brain.FileFailed:
			j.Failed += n
		}
	}
	return rows.Err()
}

// IngestFiles implements store.Store.
func (s *DB) IngestFiles(ctx context.Context, customerID, jobID string) ([]*brain.IngestFile, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+fileColumns+` FROM ingest_files WHERE customer_id = ? AND job_id = ? ORDER BY seq`), customerID, jobID)
	if err != nil {
		return nil, fmt.Errorf("ingest files: %w", err)
	}
	out, err := collect(rows, scanFile)
	if err != nil {
		return nil, fmt.Errorf("ingest files: %w", err)
	}
	return out, nil
}

// claimable is the condition under which a worker may take a file.
const claimable = `((status = 'pending' AND next_attempt <= ?) OR (status = 'running' AND lease_until < ?))`

// ClaimIngestFile implements store.Store. Candidates are read first and
// taken with a conditional update, so two workers racing for one file
// cannot both win on either backend.
func (s *DB) ClaimIngestFile(ctx context.Context, worker string, now time.Time, lease time.Duration) (*brain.IngestFile, error) {
	now = norm(now)
	until := norm(now.Add(lease))
	for range 3 {
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT job_id, seq FROM ingest_files WHERE `+claimable+`
			ORDER BY next_attempt, job_id, seq LIMIT 8`), now, now)
		if err != nil {
			return nil, fmt.Errorf("claim ingest file: %w", err)
		}
		type key struct {
			job string
			seq int
		}
		var cands []key
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.job, &k.seq); err != nil {
				rows.Close()
				return nil, fmt.Errorf("claim ingest file: %w", err)
			}
			cands = append(cands, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("claim ingest file: %w", err)
		}
		if len(cands) == 0 {
			return nil, brain.Errorf(brain.ENOTFOUND, "no ingest work")
		}
		for _, k := range cands {
			res, err := s.db.ExecContext(ctx, s.q(`UPDATE ingest_files SET status = 'running', leased_by = ?, lease_until = ?,
				attempts = attempts + 1, updated_at = ? WHERE job_id = ? AND seq = ? AND `+claimable),
				worker, until, now, k.job, k.seq, now, now)
			if err != nil {
				return nil, fmt.Errorf("claim ingest file: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				continue // another worker was faster
			}
			if _, err := s.db.ExecContext(ctx, s.q(`UPDATE ingest_jobs SET status = 'running', updated_at = ?
				WHERE id = ? AND status = 'queued'`), now, k.job); err != nil {
				return nil, fmt.Errorf("claim ingest file: %w", err)
			}
			f, err := scanFile(s.db.QueryRowContext(ctx, s.q(`SELECT `+fileColumns+` FROM ingest_files WHERE job_id = ? AND seq = ?`), k.job, k.seq))
			if err != nil {
				return nil, fmt.Errorf("claim ingest file: %w", err)
			}
			return f, nil
		}
	}
	return nil, brain.Errorf(brain.ENOTFOUND, "no ingest work")
}

// ExtendIngestLease implements store.Store.
func (s *DB) ExtendIngestLease(ctx context.Context, f *brain.IngestFile, worker string, until time.Time) error {
	until = norm(until)
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE ingest_files SET lease_until = ?
		WHERE job_id = ? AND seq = ? AND status = 'running' AND leased_by = ?`), until, f.JobID, f.Seq, worker)
	if err == nil {
		err = mustAffect(res, "ingest lease")
	}
	if err != nil {
		return fmt.Errorf("extend ingest lease: %w", err)
	}
	f.LeaseUntil = &until
	return nil
}

// FinishIngestFile implements store.Store.
func (s *DB) FinishIngestFile(ctx context.Context, f *brain.IngestFile, worker string, now time.Time) error {
	now = norm(now)
	f.UpdatedAt = now
	f.NextAttempt = norm(f.NextAttempt)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE ingest_files SET status = ?, handler = ?, content_type = ?, domain = ?,
			reason = ?, error = ?, document_id = ?, chunks = ?, next_attempt = ?, sha256 = ?, size = ?, leased_by = '', lease_until = NULL,
			updated_at = ? WHERE job_id = ? AND seq = ? AND status = 'running' AND leased_by = ?`),
			string(f.Status), f.Handler, f.ContentType, f.Domain, f.Reason, f.Error, f.DocumentID, f.Chunks, f.NextAttempt, f.SHA256, f.Size, now,
			f.JobID, f.Seq, worker)
		if err == nil {
			err = mustAffect(res, "ingest lease")
		}
		if err != nil {
			return err
		}
		var open, total, failed int
		err = tx.QueryRowContext(ctx, s.q(`SELECT
			COALESCE(SUM(CASE WHEN status IN ('pending', 'running') THEN 1 ELSE 0 END), 0),
			COUNT(*),
			COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0)
			FROM ingest_files WHERE job_id = ?`), f.JobID).Scan(&open, &total, &failed)
		if err != nil {
			return err
		}
		status := brain.JobRunning
		var finished *time.Time
		if open == 0 {
			status, finished = brain.JobCompleted, &now
			if failed == total {
				status = brain.JobFailed
			}
		}
		// An upload still arriving keeps its status until the uploader
		// finishes it.
		_, err = tx.ExecContext(ctx, s.q(`UPDATE ingest_jobs SET status = ?, finished_at = ?, updated_at = ?
			WHERE id = ? AND status IN ('queued', 'running')`), string(status), finished, now, f.JobID)
		return err
	})
	if err != nil {
		return fmt.Errorf("finish ingest file: %w", err)
	}
	f.LeasedBy, f.LeaseUntil = "", nil
	return nil
}

// FailStaleUploads implements store.Store.
func (s *DB) FailStaleUploads(ctx context.Context, before, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE ingest_jobs SET status = 'failed', current_file = '',
		error = 'the upload was interrupted (its server stopped); upload the files again', finished_at = ?, updated_at = ?
		WHERE status = 'uploading' AND updated_at < ?`), norm(now), norm(now), norm(before))
	if err != nil {
		return 0, fmt.Errorf("fail stale uploads: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// IngestedHash implements store.Store.
func (s *DB) IngestedHash(ctx context.Context, customerID, sha256 string) (string, error) {
	var doc string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT document_id FROM ingest_files
		WHERE customer_id = ? AND sha256 = ? AND status IN ('done', 'skipped') AND document_id <> ''
		ORDER BY updated_at DESC LIMIT 1`), customerID, sha256).Scan(&doc)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", brain.Errorf(brain.ENOTFOUND, "content not ingested")
		}
		return "", fmt.Errorf("ingested hash: %w", err)
	}
	return doc, nil
}

func scanJob(r scanner) (*brain.IngestJob, error) {
	var j brain.IngestJob
	var mcps, status string
	err := r.Scan(&j.ID, &j.CustomerID, &j.Kind, &status, &mcps, &j.CreatedBy, &j.Uploaded, &j.CurrentFile, &j.Error,
		utcTime{&j.CreatedAt}, utcTime{&j.UpdatedAt}, nullTime{&j.FinishedAt})
	if err != nil {
		return nil, err
	}
	j.Status = brain.JobStatus(status)
	if err := json.Unmarshal([]byte(mcps), &j.SelectedMCPs); err != nil {
		return nil, fmt.Errorf("selected_mcps: %w", err)
	}
	return &j, nil
}

func scanFile(r scanner) (*brain.IngestFile, error) {
	var f brain.IngestFile
	var status string
	err := r.Scan(&f.JobID, &f.Seq, &f.CustomerID, &f.Object, &f.Filename, &f.Size, &f.SHA256, &status, &f.Handler,
		&f.ContentType, &f.Domain, &f.Reason, &f.Error, &f.DocumentID, &f.Chunks, &f.Attempts, utcTime{&f.NextAttempt},
		&f.LeasedBy, nullTime{&f.LeaseUntil}, utcTime{&f.UpdatedAt})
	if err != nil {
		return nil, err
	}
	f.Status = brain.FileStatus(status)
	return &f, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
