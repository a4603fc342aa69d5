package delta

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zero711/brain/internal/blob"
	"github.com/zero711/brain/internal/blob/s3"
	"github.com/zero711/brain/internal/blob/s3/s3test"
)

// TestOnS3 runs the table's life on S3: gofakes3 in process and
// versitygw, a real S3 gateway (skipped when its binary is missing):
// writes and time travel at every version, checkpoints, deletes,
// compaction, vacuum, and concurrent writers that never lose or
// duplicate a commit (commits are put-if-absent with If-None-Match).
func TestOnS3(t *testing.T) {
	t.Parallel()
	servers := map[string]func(testing.TB) s3.Config{
		"gofakes3":  func(t testing.TB) s3.Config { return s3test.Fake(t, nil) },
		"versitygw": s3test.VersityGW,
	}
	for name, start := range servers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := start(t)
			n := 0
			open := func(t *testing.T) blob.Store {
				n++
				c := cfg
				c.Bucket, c.Prefix, c.CreateBucket = fmt.Sprintf("delta-%d", n), "customer-7/lakehouse/chunks", true
				st, err := s3.New(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				return st
			}
			t.Run("Lifecycle", func(t *testing.T) { s3Lifecycle(t, open(t)) })
			t.Run("ConcurrentWriters", func(t *testing.T) { s3Concurrent(t, open(t)) })
		})
	}
}

func s3Lifecycle(t *testing.T, store blob.Store) {
	ctx := context.Background()
	now := time.Now()
	clock := func() time.Time { return now }
	tbl := New(store, Options{CheckpointInterval: 4, Now: clock})
	if _, err := tbl.Create(ctx, simpleSchema(), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= 9; v++ {
		if _, err := tbl.Append(ctx, simpleRows(v*100, 10), WriteOptions{}); err != nil {
			t.Fatalf("append %d: %v", v, err)
		}
	}
	if _, err := store.Stat(ctx, "_delta_log/_last_checkpoint"); err != nil {
		t.Fatalf("no checkpoint after 9 commits with interval 4: %v", err)
	}
	// Every version reads back, from a fresh handle (checkpoint + log).
	fresh := New(store, Options{})
	for v := int64(0); v <= 9; v++ {
		snap, err := fresh.SnapshotAt(ctx, v)
		if err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		rows, err := snap.ReadAll(ctx, ScanOptions{})
		if err != nil || len(rows) != int(v)*10 {
			t.Fatalf("version %d: %d rows, %v", v, len(rows), err)
		}
	}
	// Delete rows, compact the small files, vacuum what nothing uses.
	res, err := tbl.DeleteRows(ctx, nil, func(r Row) bool { return r["id"].(int64)%2 == 0 }, WriteOptions{})
	if err != nil || res.RowsDeleted != 45 {
		t.Fatalf("delete: %+v, %v", res, err)
	}
	if _, err := tbl.Compact(ctx, CompactOptions{}); err != nil {
		t.Fatal(err)
	}
	snap, err := New(store, Options{}).Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := snap.ReadAll(ctx, ScanOptions{})
	if err != nil || len(rows) != 45 || len(snap.Files()) != 1 {
		t.Fatalf("after delete and compact: %d rows in %d files, %v", len(rows), len(snap.Files()), err)
	}
	now = now.Add(8 * 24 * time.Hour)
	vr, err := tbl.Vacuum(ctx, VacuumOptions{})
	if err != nil || len(vr.Deleted) == 0 {
		t.Fatalf("vacuum: %+v, %v", vr, err)
	}
	rows, err = snap.ReadAll(ctx, ScanOptions{})
	if err != nil || len(rows) != 45 {
		t.Fatalf("latest version after vacuum: %d rows, %v", len(rows), err)
	}
}

func s3Concurrent(t *testing.T, store blob.Store) {
	ctx := context.Background()
	if _, err := New(store, Options{}).Create(ctx, simpleSchema(), CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	const writers = 4
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		tbl := New(store, Options{})
		wg.Go(func() {
			for k := range childBatches {
				if _, err := tbl.Append(ctx, writerRows(w, k), WriteOptions{}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	checkAppends(t, store, writers, childBatches)
}
