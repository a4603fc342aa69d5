package ingest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

// Options configure the workers.
type Options struct {
	// Workers is how many files are processed at once on this node
	// (default 2).
	Workers int
	// Lease is how long a claimed file stays ours without a heartbeat
	// (default 2 minutes); a crashed worker's files are taken over after
	// it.
	Lease time.Duration
	// MaxAttempts bounds tries per file, crashes included (default 5).
	MaxAttempts int
	// Backoff is the wait before the first retry, doubled for each
	// further one up to 5 minutes (default 2 seconds).
	Backoff time.Duration
	// Poll is how often an idle worker looks for work another node
	// queued (default 1 second; work queued here wakes it at once).
	Poll time.Duration
	// AfterJob, when set, runs (in its own goroutine) when a job's last
	// file finishes on this node: the platform compacts the customer's
	// tables then, since every file adds small commits.
	AfterJob func(ctx context.Context, customerID string)
	Logger   *slog.Logger
	Now      func() time.Time
}

// Service queues files and runs the workers that ingest them.
type Service struct {
	store    store.Ingest
	pipeline *Pipeline
	opts     Options
	worker   string
	wake     chan struct{}

	mu       sync.Mutex
	watchers map[string][]chan struct{} // job id → waiting watchers
	stats    Stats
}

// Stats are this node's totals since start.
type Stats struct {
	Files, Failed, Chunks, Documents int
	Bytes                            int64
	Stages                           StageTimes
}

// NewService returns a service; call Run to start its workers.
func NewService(st store.Ingest, p *Pipeline, opts Options) *Service {
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	if opts.Lease <= 0 {
		opts.Lease = 2 * time.Minute
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 2 * time.Second
	}
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &Service{store: st, pipeline: p, opts: opts, wake: make(chan struct{}, 1),
		worker:   fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:])),
		watchers: map[string][]chan struct{}{}}
}

// NewJob returns a queued job of the customer, ready for Submit.
func NewJob(customerID, kind, createdBy string, selectedMCPs []string, now time.Time) *brain.IngestJob {
	return &brain.IngestJob{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, Kind: kind,
		Status: brain.JobQueued, SelectedMCPs: selectedMCPs, CreatedBy: createdBy, CreatedAt: now}
}

// Submit stores the job with its files and wakes the workers.
func (s *Service) Submit(ctx context.Context, j *brain.IngestJob, files []*brain.IngestFile) error {
	if len(files) == 0 {
		now := s.opts.Now()
		j.Status, j.FinishedAt = brain.JobCompleted, &now
	}
	if err := s.store.CreateIngestJob(ctx, j, files); err != nil {
		return err
	}
	s.poke(j.ID)
	return nil
}

// AddFiles adds files to a job (an asynchronous upload's files as they
// arrive) and wakes the workers.
func (s *Service) AddFiles(ctx context.Context, customerID, jobID string, files []*brain.IngestFile) error {
	if err := s.store.AddIngestFiles(ctx, customerID, jobID, files); err != nil {
		return err
	}
	s.poke(jobID)
	return nil
}

// Stats returns this node's totals.
func (s *Service) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Service) poke(jobID string) {
	select {
	case s.wake <- struct{}{}:
	default:
	}
	s.notify(jobID)
}

// staleUpload is how long an asynchronous upload may go without progress
// before it counts as interrupted.
const staleUpload = 30 * time.Minute

// Run runs the workers until ctx is done, and fails asynchronous uploads
// whose server died (their staged files are gone).
func (s *Service) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			now := s.opts.Now()
			if n, err := s.store.FailStaleUploads(ctx, now.Add(-staleUpload), now); err != nil && ctx.Err() == nil {
				s.opts.Logger.Warn("ingest: stale uploads", "err", err)
			} else if n > 0 {
				s.opts.Logger.Warn("ingest: interrupted uploads marked failed", "jobs", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	for i := range s.opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, fmt.Sprintf("%s/%d", s.worker, i))
		}()
	}
	wg.Wait()
}

func (s *Service) loop(ctx context.Context, worker string) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-timer.C:
		}
		for ctx.Err() == nil {
			f, err := s.store.ClaimIngestFile(ctx, worker, s.opts.Now(), s.opts.Lease)
			if err != nil {
				if brain.ErrorCode(err) != brain.ENOTFOUND && ctx.Err() == nil {
					s.opts.Logger.Error("ingest: claim", "err", err)
				}
				break
			}
			s.handle(ctx, worker, f)
			// Others may be idle while this one works.
			select {
			case s.wake <- struct{}{}:
			default:
			}
		}
		timer.Reset(s.opts.Poll)
	}
}

// handle processes a claimed file under a heartbeat and records the
// outcome.
func (s *Service) handle(ctx context.Context, worker string, f *brain.IngestFile) {
	log := s.opts.Logger.With("customer", f.CustomerID, "job", f.JobID, "file", f.Filename, "attempt", f.Attempts)
	defer s.notify(f.JobID)
	if f.Attempts > s.opts.MaxAttempts {
		f.Status, f.Reason = brain.FileFailed, "error"
		f.Error = clip(fmt.Sprintf("gave up after %d attempts; last: %s", f.Attempts-1, f.Error), 2000)
		s.finish(ctx, worker, f, log)
		return
	}
	job, err := s.store.IngestJob(ctx, f.CustomerID, f.JobID)
	if err != nil {
		log.Error("ingest: job", "err", err)
		return // the lease runs out and another try follows
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.heartbeat(pctx, cancel, worker, f, log)
	start := s.opts.Now()
	out, err := s.pipeline.Process(pctx, f, job.SelectedMCPs)
	if ctx.Err() != nil {
		// Shutting down: hand the file back for the next run (or another
		// node) to take at once.
		log.Info("ingest: interrupted by shutdown; the file goes back to the queue")
		f.Status, f.NextAttempt, f.Error = brain.FilePending, s.opts.Now(), "interrupted by shutdown"
		s.finish(context.WithoutCancel(ctx), worker, f, log)
		return
	}
	switch {
	case err == nil:
		f.Status, f.DocumentID, f.Chunks = out.Status, out.DocumentID, out.Chunks
		f.Handler, f.ContentType, f.Domain, f.Reason, f.Error = out.Handler, clip(out.ContentType, 200), out.Domain, out.Reason, clip(out.Error, 2000)
	case errors.Is(err, errGone):
		f.Status, f.Reason, f.Error = brain.FileFailed, "gone", err.Error()
	case pctx.Err() != nil:
		log.Warn("ingest: lease lost; another worker takes over")
		return
	case f.Attempts >= s.opts.MaxAttempts || !IsTransient(err):
		f.Status, f.Reason, f.Error = brain.FileFailed, "error", clip(err.Error(), 2000)
	default:
		wait := s.opts.Backoff << min(f.Attempts-1, 10)
		wait = min(wait, 5*time.Minute)
		f.Status, f.Error, f.NextAttempt = brain.FilePending, clip(err.Error(), 2000), s.opts.Now().Add(wait)
		log.Warn("ingest: transient failure, retrying", "in", wait, "err", err)
	}
	s.finish(ctx, worker, f, log)
	if s.opts.AfterJob != nil && f.Status != brain.FilePending {
		if j, err := s.store.IngestJob(ctx, f.CustomerID, f.JobID); err == nil && (j.Status == brain.JobCompleted || j.Status == brain.JobFailed) {
			go s.opts.AfterJob(context.WithoutCancel(ctx), f.CustomerID)
		}
	}
	s.mu.Lock()
	s.stats.Files++
	if f.Status == brain.FileFailed {
		s.stats.Failed++
	}
	s.stats.Chunks += out.Chunks
	s.stats.Documents += out.Documents
	s.stats.Bytes += out.Bytes
	s.stats.Stages.Add(out.Stages)
	s.mu.Unlock()
	log.Info("ingest: file", "status", f.Status, "handler", f.Handler, "chunks", f.Chunks, "reason", f.Reason,
		"took", s.opts.Now().Sub(start).Round(time.Millisecond))
}

func (s *Service) finish(ctx context.Context, worker string, f *brain.IngestFile, log *slog.Logger) {
	if err := s.store.FinishIngestFile(ctx, f, worker, s.opts.Now()); err != nil {
		log.Error("ingest: record outcome", "err", err)
	}
}

func (s *Service) heartbeat(ctx context.Context, lost context.CancelFunc, worker string, f *brain.IngestFile, log *slog.Logger) {
	t := time.NewTicker(s.opts.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			err := s.store.ExtendIngestLease(ctx, f, worker, s.opts.Now().Add(s.opts.Lease))
			if brain.ErrorCode(err) == brain.ENOTFOUND {
				lost()
				return
			}
			if err != nil && ctx.Err() == nil {
				log.Warn("ingest: heartbeat", "err", err)
			}
		}
	}
}

// notify wakes the watchers of a job.
func (s *Service) notify(jobID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.watchers[jobID] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Event is a job's state after a change, with the files that changed.
type Event struct {
	Job   *brain.IngestJob    `json:"job"`
	Files []*brain.IngestFile `json:"files,omitempty"`
}

// Watch sends the job's state whenever it changes, first at once, until
// the job finishes (the last event) or ctx ends. Changes made here wake
// it at once; changes by other nodes are seen within the poll interval.
func (s *Service) Watch(ctx context.Context, customerID, jobID string) (<-chan Event, error) {
	job, err := s.store.IngestJob(ctx, customerID, jobID)
	if err != nil {
		return nil, err
	}
	wake := make(chan struct{}, 1)
	s.mu.Lock()
	s.watchers[jobID] = append(s.watchers[jobID], wake)
	s.mu.Unlock()
	out := make(chan Event)
	go func() {
		defer close(out)
		defer s.unwatch(jobID, wake)
		seen := map[int]time.Time{}
		var last time.Time
		poll := time.NewTicker(s.opts.Poll)
		defer poll.Stop()
		for first := true; ; first = false {
			if !first {
				var err error
				if job, err = s.store.IngestJob(ctx, customerID, jobID); err != nil {
					return
				}
			}
			files, err := s.store.IngestFiles(ctx, customerID, jobID)
			if err != nil {
				return
			}
			var changed []*brain.IngestFile
			for _, f := range files {
				if !seen[f.Seq].Equal(f.UpdatedAt) {
					seen[f.Seq] = f.UpdatedAt
					changed = append(changed, f)
				}
			}
			if first || len(changed) > 0 || !job.UpdatedAt.Equal(last) {
				last = job.UpdatedAt
				select {
				case out <- Event{Job: job, Files: changed}:
				case <-ctx.Done():
					return
				}
			}
			if job.Status == brain.JobCompleted || job.Status == brain.JobFailed {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-wake:
			case <-poll.C:
			}
		}
	}()
	return out, nil
}

func (s *Service) unwatch(jobID string, ch chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.watchers[jobID]
	for i, c := range list {
		if c == ch {
			list = append(list[:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(s.watchers, jobID)
	} else {
		s.watchers[jobID] = list
	}
}
