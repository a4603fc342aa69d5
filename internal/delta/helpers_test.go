package delta

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/zero711/brain/internal/blob"
)

// setup is the bundle most write tests start from: a fresh table
// directory, its store and a handle.
type setup struct {
	dir   string
	store *blob.Local
	tbl   *Table
	ctx   context.Context
}

func newSetup(t testing.TB, opts Options) *setup {
	t.Helper()
	dir := t.TempDir()
	st, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &setup{dir: dir, store: st, tbl: New(st, opts), ctx: context.Background()}
}

// reopen returns a handle without cached state, as another process has.
func (s *setup) reopen(opts Options) *Table { return New(s.store, opts) }

func (s *setup) create(t testing.TB, schema *StructType, opts CreateOptions) *Snapshot {
	t.Helper()
	snap, err := s.tbl.Create(s.ctx, schema, opts)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func (s *setup) rows(t testing.TB, tbl *Table, version int64) []Row {
	t.Helper()
	var snap *Snapshot
	var err error
	if version < 0 {
		snap, err = tbl.Snapshot(s.ctx)
	} else {
		snap, err = tbl.SnapshotAt(s.ctx, version)
	}
	if err != nil {
		t.Fatal(err)
	}
	rows, err := snap.ReadAll(s.ctx, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func mustAppend(t testing.TB, tbl *Table, rows []Row) int64 {
	t.Helper()
	v, err := tbl.Append(context.Background(), rows, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// simpleSchema is id long, name string, score double, partitioned by
// nothing.
func simpleSchema() *StructType {
	return &StructType{Fields: []StructField{
		{Name: "id", Type: TypeLong, Nullable: false},
		{Name: "name", Type: TypeString, Nullable: true},
		{Name: "score", Type: TypeDouble, Nullable: true},
	}}
}

func simpleRows(from, n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		id := from + i
		rows[i] = Row{"id": int64(id), "name": "row-" + strconv.Itoa(id), "score": float64(id) / 2}
	}
	return rows
}

// clock is an adjustable test clock.
type clock struct{ offset time.Duration }

func (c *clock) now() time.Time { return time.Now().Add(c.offset) }
