package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/zero711/brain"
	"github.com/zero711/brain/internal/store"
)

func newJob(t *testing.T, s store.Store, customerID string, n int) (*brain.IngestJob, []*brain.IngestFile) {
	t.Helper()
	j := &brain.IngestJob{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, Kind: "upload",
		Status: brain.JobQueued, SelectedMCPs: []string{"ctax"}, CreatedAt: epoch}
	var files []*brain.IngestFile
	for i := range n {
		files = append(files, &brain.IngestFile{Object: fmt.Sprintf("20261126_100000_f%d.txt", i),
			Filename: fmt.Sprintf("f%d.txt", i), Size: int64(10 + i), SHA256: fmt.Sprintf("hash-%s-%d", customerID, i)})
	}
	if err := s.CreateIngestJob(context.Background(), j, files); err != nil {
		t.Fatalf("CreateIngestJob: %v", err)
	}
	return j, files
}

func testIngestJobLifecycle(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "acme")
	j, _ := newJob(t, s, "acme", 3)
	got, err := s.IngestJob(ctx, "acme", j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != brain.JobQueued || got.Total != 3 || got.Pending != 3 || len(got.SelectedMCPs) != 1 {
		t.Fatalf("new job = %+v", got)
	}
	now := epoch.Add(time.Minute)
	var claimed []*brain.IngestFile
	for range 3 {
		f, err := s.ClaimIngestFile(ctx, "w1", now, time.Minute)
		if err != nil {
			t.Fatalf("claim: %v", err)
		}
		if f.Status != brain.FileRunning || f.Attempts != 1 || f.LeasedBy != "w1" || f.CustomerID != "acme" {
			t.Fatalf("claimed file = %+v", f)
		}
		claimed = append(claimed, f)
	}
	if _, err := s.ClaimIngestFile(ctx, "w1", now, time.Minute); err == nil {
		t.Fatal("a fourth claim succeeded")
	} else {
		wantCode(t, err, brain.ENOTFOUND)
	}
	if got, _ := s.IngestJob(ctx, "acme", j.ID); got.Status != brain.JobRunning || got.Running != 3 {
		t.Fatalf("job after claims = %+v", got)
	}
	// Another worker cannot finish or extend what w1 holds.
	claimed[0].Status = brain.FileDone
	wantCode(t, s.FinishIngestFile(ctx, claimed[0], "w2", now), brain.ENOTFOUND)
	wantCode(t, s.ExtendIngestLease(ctx, claimed[0], "w2", now.Add(time.Hour)), brain.ENOTFOUND)
	if err := s.ExtendIngestLease(ctx, claimed[0], "w1", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	claimed[0].DocumentID, claimed[0].Chunks, claimed[0].Handler = "doc-1", 7, "text"
	if err := s.FinishIngestFile(ctx, claimed[0], "w1", now); err != nil {
		t.Fatal(err)
	}
	// A transient failure goes back to pending with a later attempt.
	claimed[1].Status, claimed[1].Error, claimed[1].NextAttempt = brain.FilePending, "busy", now.Add(time.Hour)
	if err := s.FinishIngestFile(ctx, claimed[1], "w1", now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimIngestFile(ctx, "w1", now, time.Minute); err == nil {
		t.Fatal("claimed a file before its next attempt")
	}
	claimed[2].Status, claimed[2].Reason, claimed[2].Error = brain.FileFailed, "corrupt", "bad zip"
	if err := s.FinishIngestFile(ctx, claimed[2], "w1", now); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.IngestJob(ctx, "acme", j.ID); got.Status != brain.JobRunning || got.Done != 1 || got.Failed != 1 || got.Pending != 1 || got.Chunks != 7 {
		t.Fatalf("job midway = %+v", got)
	}
	later := now.Add(2 * time.Hour)
	f, err := s.ClaimIngestFile(ctx, "w1", later, time.Minute)
	if err != nil || f.Seq != claimed[1].Seq || f.Attempts != 2 {
		t.Fatalf("retry claim = %+v, %v", f, err)
	}
	f.Status = brain.FileSkipped
	f.DocumentID = "doc-1"
	if err := s.FinishIngestFile(ctx, f, "w1", later); err != nil {
		t.Fatal(err)
	}
	got, _ = s.IngestJob(ctx, "acme", j.ID)
	if got.Status != brain.JobCompleted || got.FinishedAt == nil || got.Progress() != 100 {
		t.Fatalf("finished job = %+v", got)
	}
	files, err := s.IngestFiles(ctx, "acme", j.ID)
	if err != nil || len(files) != 3 || files[2].Reason != "corrupt" || files[0].Handler != "text" {
		t.Fatalf("files = %+v, %v", files, err)
	}
	if doc, err := s.IngestedHash(ctx, "acme", files[0].SHA256); err != nil || doc != "doc-1" {
		t.Fatalf("IngestedHash = %q, %v", doc, err)
	}
	_, err = s.IngestedHash(ctx, "acme", files[2].SHA256)
	wantCode(t, err, brain.ENOTFOUND)
	// More files reopen the job.
	if err := s.AddIngestFiles(ctx, "acme", j.ID, []*brain.IngestFile{{Object: "o", Filename: "g.txt", SHA256: "g"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.IngestJob(ctx, "acme", j.ID); got.Status != brain.JobRunning || got.Total != 4 || got.FinishedAt != nil {
		t.Fatalf("reopened job = %+v", got)
	}
	list, err := s.ListIngestJobs(ctx, "acme", store.Page{})
	if err != nil || len(list) != 1 || list[0].Total != 4 {
		t.Fatalf("list = %+v, %v", list, err)
	}
	j.Status, j.Uploaded, j.CurrentFile = brain.JobUploading, 2, "b.pdf"
	if err := s.UpdateIngestJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.IngestJob(ctx, "acme", j.ID); got.Status != brain.JobUploading || got.Uploaded != 2 || got.CurrentFile != "b.pdf" {
		t.Fatalf("updated job = %+v", got)
	}
}

func testIngestStaleUploads(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "acme")
	j := &brain.IngestJob{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: "acme", Kind: "upload-async",
		Status: brain.JobUploading, CreatedAt: time.Now()}
	if err := s.CreateIngestJob(ctx, j, nil); err != nil {
		t.Fatal(err)
	}
	if n, err := s.FailStaleUploads(ctx, time.Now().Add(-time.Hour), time.Now()); err != nil || n != 0 {
		t.Fatalf("fresh upload failed: %d, %v", n, err)
	}
	if n, err := s.FailStaleUploads(ctx, time.Now().Add(time.Hour), time.Now()); err != nil || n != 1 {
		t.Fatalf("stale upload: %d, %v", n, err)
	}
	got, _ := s.IngestJob(ctx, "acme", j.ID)
	if got.Status != brain.JobFailed || got.Error == "" || got.FinishedAt == nil {
		t.Fatalf("stale upload job %+v", got)
	}
}

func testIngestScopedByCustomer(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "acme")
	mustCustomer(t, s, "beta")
	jb, _ := newJob(t, s, "beta", 1)
	_, err := s.IngestJob(ctx, "acme", jb.ID)
	wantCode(t, err, brain.ENOTFOUND)
	if files, err := s.IngestFiles(ctx, "acme", jb.ID); err != nil || len(files) != 0 {
		t.Fatalf("acme sees beta's files: %v, %v", files, err)
	}
	wantCode(t, s.AddIngestFiles(ctx, "acme", jb.ID, []*brain.IngestFile{{Object: "x", Filename: "x", SHA256: "x"}}), brain.ENOTFOUND)
	jb2 := *jb
	jb2.CustomerID = "acme"
	wantCode(t, s.UpdateIngestJob(ctx, &jb2), brain.ENOTFOUND)
	if list, err := s.ListIngestJobs(ctx, "acme", store.Page{}); err != nil || len(list) != 0 {
		t.Fatalf("acme lists beta's jobs: %v, %v", list, err)
	}
	_, err = s.IngestedHash(ctx, "acme", "hash-beta-0")
	wantCode(t, err, brain.ENOTFOUND)
}

func testIngestLeaseExpiry(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "acme")
	newJob(t, s, "acme", 1)
	now := epoch.Add(time.Minute)
	f, err := s.ClaimIngestFile(ctx, "dead", now, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimIngestFile(ctx, "w2", now.Add(30*time.Second), time.Minute); err == nil {
		t.Fatal("claimed a file under a live lease")
	}
	g, err := s.ClaimIngestFile(ctx, "w2", now.Add(2*time.Minute), time.Minute)
	if err != nil || g.Seq != f.Seq || g.Attempts != 2 || g.LeasedBy != "w2" {
		t.Fatalf("reclaim after expiry = %+v, %v", g, err)
	}
	f.Status = brain.FileDone
	wantCode(t, s.FinishIngestFile(ctx, f, "dead", now.Add(3*time.Minute)), brain.ENOTFOUND)
}

func testIngestConcurrentClaim(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCustomer(t, s, "acme")
	const n = 20
	newJob(t, s, "acme", n)
	now := epoch.Add(time.Minute)
	var mu sync.Mutex
	seen := map[int]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker := fmt.Sprintf("w%d", w)
			for {
				f, err := s.ClaimIngestFile(ctx, worker, now, time.Minute)
				if err != nil {
					return
				}
				mu.Lock()
				if prev, dup := seen[f.Seq]; dup {
					t.Errorf("file %d claimed by %s and %s", f.Seq, prev, worker)
				}
				seen[f.Seq] = worker
				mu.Unlock()
				f.Status = brain.FileDone
				if err := s.FinishIngestFile(ctx, f, worker, now); err != nil {
					t.Errorf("finish: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("%d of %d files claimed", len(seen), n)
	}
}
