package delta

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/zero711/brain/internal/blob"
)

// The child process protocol: the test binary re-executes itself with
// -test.run=^TestChildProcess$ and these variables set.
const (
	envChild  = "DELTA_TEST_CHILD"  // mode: append, hang-before-commit, hang-in-put
	envDir    = "DELTA_TEST_DIR"    // table directory
	envID     = "DELTA_TEST_ID"     // writer id
	envMarker = "DELTA_TEST_MARKER" // file the child creates when it is about to hang
)

const (
	childBatches = 5
	childRows    = 10
)

// writerRows are the rows writer id appends in batch k.
func writerRows(id, k int) []Row {
	return simpleRows(id*10_000+k*100, childRows)
}

// checkAppends verifies that writers×batches appends (after the create at
// version 0) produced contiguous versions and every row exactly once.
func checkAppends(t *testing.T, store blob.Store, writers, batches int) {
	t.Helper()
	ctx := context.Background()
	snap, err := New(store, Options{}).Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := int64(writers * batches)
	if snap.Version() != want {
		t.Errorf("latest version %d, want %d", snap.Version(), want)
	}
	for v := range want + 1 {
		if _, err := store.Stat(ctx, commitName(v)); err != nil {
			t.Errorf("commit %d missing: %v", v, err)
		}
	}
	rows, err := snap.ReadAll(ctx, ScanOptions{Columns: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	var wantIDs []int64
	for w := range writers {
		for k := range batches {
			for _, r := range writerRows(w, k) {
				wantIDs = append(wantIDs, r["id"].(int64))
			}
		}
	}
	slices.Sort(wantIDs)
	if got := ids(rows, "id"); !slices.Equal(got, wantIDs) {
		t.Errorf("%d rows, want %d (lost or duplicated rows)", len(got), len(wantIDs))
	}
}

func TestConcurrentAppendsGoroutines(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	s.create(t, simpleSchema(), CreateOptions{})
	const writers = 8
	shared := s.reopen(Options{})
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		tbl := shared // half the writers share one handle, half have their own
		if w%2 == 0 {
			tbl = s.reopen(Options{})
		}
		wg.Go(func() {
			for k := range childBatches {
				if _, err := tbl.Append(s.ctx, writerRows(w, k), WriteOptions{}); err != nil {
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
	checkAppends(t, s.store, writers, childBatches)
}

// TestConcurrentCompactAndAppend compacts while others append: no row is
// lost or duplicated.
func TestConcurrentCompactAndAppend(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	s.create(t, simpleSchema(), CreateOptions{})
	const writers = 3
	ctx, cancel := context.WithCancel(s.ctx)
	var wg sync.WaitGroup
	compactErr := make(chan error, 1)
	go func() {
		tbl := s.reopen(Options{})
		for ctx.Err() == nil {
			if _, err := tbl.Compact(ctx, CompactOptions{}); err != nil && ctx.Err() == nil {
				compactErr <- err
				return
			}
		}
		compactErr <- nil
	}()
	for w := range writers {
		wg.Go(func() {
			tbl := s.reopen(Options{})
			for k := range childBatches {
				if _, err := tbl.Append(s.ctx, writerRows(w, k), WriteOptions{}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	cancel()
	if err := <-compactErr; err != nil {
		t.Fatal(err)
	}
	snap, _ := s.reopen(Options{}).Snapshot(s.ctx)
	rows, err := snap.ReadAll(s.ctx, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != writers*childBatches*childRows {
		t.Errorf("%d rows, want %d", len(rows), writers*childBatches*childRows)
	}
	seen := map[int64]bool{}
	for _, r := range rows {
		id := r["id"].(int64)
		if seen[id] {
			t.Errorf("row %d duplicated", id)
		}
		seen[id] = true
	}
}

// child starts the test binary as a child process in mode; its output is
// logged when the test fails.
func child(t *testing.T, mode, dir string, id int, marker string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.count=1", "-test.v=false")
	cmd.Env = append(os.Environ(), envChild+"="+mode, envDir+"="+dir, envID+"="+strconv.Itoa(id), envMarker+"="+marker)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("child %s %d output:\n%s", mode, id, out.String())
		}
	})
	return cmd
}

func TestConcurrentAppendsProcesses(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	s.create(t, simpleSchema(), CreateOptions{})
	const procs = 4
	var cmds []*exec.Cmd
	for p := range procs {
		cmds = append(cmds, child(t, "append", s.dir, p, ""))
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	checkAppends(t, s.store, procs, childBatches)
}

// TestKilledWriter kills a writer with SIGKILL after it wrote its data
// files but before its commit, and while it writes the commit: the table
// stays readable at the previous version and writable.
func TestKilledWriter(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"hang-before-commit", "hang-in-put"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			s := newSetup(t, Options{})
			s.create(t, simpleSchema(), CreateOptions{})
			mustAppend(t, s.tbl, writerRows(0, 0))
			marker := filepath.Join(t.TempDir(), "hanging")
			cmd := child(t, mode, s.dir, 1, marker)
			deadline := time.Now().Add(30 * time.Second)
			for {
				if _, err := os.Stat(marker); err == nil {
					break
				}
				if time.Now().After(deadline) {
					_ = cmd.Process.Kill()
					t.Fatal("child never reached the kill point")
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err := cmd.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
			_ = cmd.Wait()

			fresh := s.reopen(Options{})
			snap, err := fresh.Snapshot(s.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if snap.Version() != 1 {
				t.Errorf("version %d after the killed commit, want 1", snap.Version())
			}
			wantRows(t, s.rows(t, fresh, -1), normalized(t, simpleSchema(), writerRows(0, 0))...)
			objs, _ := s.store.List(s.ctx, "part-")
			if len(objs) != 2 {
				t.Errorf("%d data files, want 2 (one committed, one orphan)", len(objs))
			}
			if v := mustAppend(t, fresh, writerRows(2, 0)); v != 2 {
				t.Errorf("next append got version %d, want 2", v)
			}
			if n := len(s.rows(t, s.reopen(Options{}), -1)); n != 2*childRows {
				t.Errorf("%d rows, want %d", n, 2*childRows)
			}
		})
	}
}

// TestChildProcess is the body of the child processes; it does nothing
// in a normal test run.
func TestChildProcess(t *testing.T) {
	mode := os.Getenv(envChild)
	if mode == "" {
		t.Skip("only runs as a child process of the concurrency tests")
	}
	id, _ := strconv.Atoi(os.Getenv(envID))
	local, err := blob.NewLocal(os.Getenv(envDir))
	if err != nil {
		t.Fatal(err)
	}
	var store blob.Store = local
	opts := Options{}
	hang := func() {
		if err := os.WriteFile(os.Getenv(envMarker), nil, 0o600); err != nil {
			panic(err)
		}
		select {} // until SIGKILL
	}
	switch mode {
	case "hang-before-commit":
		opts.beforeCommit = func(int64) { hang() }
	case "hang-in-put":
		store = hangingStore{Store: local, hang: hang}
	}
	tbl := New(store, opts)
	for k := range childBatches {
		if _, err := tbl.Append(context.Background(), writerRows(id, k), WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// hangingStore writes half of each commit file, then hangs.
type hangingStore struct {
	blob.Store
	hang func()
}

func (h hangingStore) PutIfAbsent(ctx context.Context, name string, r io.Reader, size int64) error {
	if parseLogName(name).kind != logCommit {
		return h.Store.PutIfAbsent(ctx, name, r, size)
	}
	return h.Store.PutIfAbsent(ctx, name, &halfReader{r: r, left: size / 2, hang: h.hang}, size)
}

type halfReader struct {
	r    io.Reader
	left int64
	hang func()
}

func (h *halfReader) Read(p []byte) (int, error) {
	if h.left <= 0 {
		h.hang()
	}
	if int64(len(p)) > h.left {
		p = p[:h.left]
	}
	n, err := h.r.Read(p)
	h.left -= int64(n)
	return n, err
}

func TestBackoffBounded(t *testing.T) {
	t.Parallel()
	for n := 1; n < 50; n++ {
		if d := backoff(n); d <= 0 || d > 150*time.Millisecond {
			t.Fatalf("backoff(%d) = %v", n, d)
		}
	}
}
