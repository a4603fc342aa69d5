package delta

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCompact(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	schema := simpleSchema()
	schema.Fields = append(schema.Fields, StructField{Name: "p", Type: TypeInteger, Nullable: true})
	s.create(t, schema, CreateOptions{PartitionColumns: []string{"p"}})
	var all []Row
	for i := range 10 {
		rows := simpleRows(i*10, 10)
		for j, r := range rows {
			r["p"] = int32(j % 2)
		}
		all = append(all, rows...)
		mustAppend(t, s.tbl, rows)
	}
	before, _ := s.tbl.Snapshot(s.ctx)
	res, err := s.tbl.Compact(s.ctx, CompactOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.FilesRemoved != 20 || res.FilesAdded != 2 || res.Version != before.Version()+1 {
		t.Errorf("compact %+v", res)
	}
	after := s.rows(t, s.reopen(Options{}), -1)
	diffRows(t, canonRows(after), canonRows(normalized(t, schema, all)))
	snap, _ := s.tbl.Snapshot(s.ctx)
	for _, f := range snap.Files() {
		if f.DataChange {
			t.Errorf("%s: dataChange true after compaction", f.Name)
		}
	}
	// Nothing left to compact: no commit.
	if res, err = s.tbl.Compact(s.ctx, CompactOptions{}); err != nil || res.Version != snap.Version() || res.FilesAdded != 0 {
		t.Errorf("second compact %+v %v", res, err)
	}
}

func TestVacuum(t *testing.T) {
	t.Parallel()
	clk := &clock{}
	s := newSetup(t, Options{Now: clk.now})
	s.create(t, simpleSchema(), CreateOptions{})
	mustAppend(t, s.tbl, simpleRows(0, 5))
	old, _ := s.tbl.Snapshot(s.ctx)
	if _, err := s.tbl.Overwrite(s.ctx, simpleRows(100, 5), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	cur, _ := s.tbl.Snapshot(s.ctx)
	// An orphan of a writer that died before committing, and a hidden file.
	orphan := "part-00000-orphan-c000.snappy.parquet"
	for _, n := range []string{orphan, ".hidden.crc", "_SUCCESS"} {
		if err := s.store.Put(s.ctx, n, strings.NewReader("x"), 1); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.tbl.Vacuum(s.ctx, VacuumOptions{})
	if err != nil || len(res.Deleted) != 0 {
		t.Fatalf("within retention: %v %v", res.Deleted, err)
	}
	clk.offset = 8 * 24 * time.Hour
	res, err = s.tbl.Vacuum(s.ctx, VacuumOptions{DryRun: true})
	want := append(fileNames(old), orphan)
	slices.Sort(want)
	if err != nil || !slices.Equal(res.Deleted, want) {
		t.Fatalf("dry run: %v, want %v (%v)", res.Deleted, want, err)
	}
	if _, err := s.store.Stat(s.ctx, orphan); err != nil {
		t.Fatal("dry run deleted")
	}
	if _, err := s.tbl.Vacuum(s.ctx, VacuumOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, n := range want {
		if _, err := s.store.Stat(s.ctx, n); err == nil {
			t.Errorf("%s survived vacuum", n)
		}
	}
	for _, n := range append(fileNames(cur), ".hidden.crc", "_SUCCESS") {
		if _, err := s.store.Stat(s.ctx, n); err != nil {
			t.Errorf("%s deleted: %v", n, err)
		}
	}
	if got := s.rows(t, s.tbl, -1); len(got) != 5 {
		t.Errorf("%d rows after vacuum", len(got))
	}
	if _, err := s.tbl.Vacuum(s.ctx, VacuumOptions{Retention: 30 * 24 * time.Hour}); !errors.Is(err, ErrInvalid) {
		t.Errorf("retention beyond tombstones: %v", err)
	}
}

func TestDeleteFilesAndAppendOnly(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	schema := &StructType{Fields: []StructField{{Name: "doc", Type: TypeString, Nullable: true}, {Name: "n", Type: TypeLong, Nullable: true}}}
	s.create(t, schema, CreateOptions{PartitionColumns: []string{"doc"}})
	mustAppend(t, s.tbl, []Row{{"doc": "a", "n": 1}, {"doc": "b", "n": 2}, {"doc": "a", "n": 3}})
	res, err := s.tbl.DeleteFiles(s.ctx, func(f FileInfo) bool { return *f.PartitionValues["doc"] == "a" }, WriteOptions{})
	if err != nil || res.FilesRemoved != 1 || res.RowsDeleted != 2 {
		t.Fatalf("delete files %+v %v", res, err)
	}
	wantRows(t, s.rows(t, s.tbl, -1), Row{"doc": "b", "n": int64(2)})
	// Nothing matches: no commit.
	res, err = s.tbl.DeleteRows(s.ctx, []Filter{{Column: "doc", Op: Eq, Value: "zzz"}}, nil, WriteOptions{})
	if err != nil || res.Version != 2 || res.RowsDeleted != 0 {
		t.Errorf("no-op delete %+v %v", res, err)
	}

	ao := newSetup(t, Options{})
	ao.create(t, schema, CreateOptions{Properties: map[string]string{"delta.appendOnly": "true"}})
	mustAppend(t, ao.tbl, []Row{{"doc": "a", "n": 1}})
	if _, err := ao.tbl.DeleteRows(ao.ctx, nil, nil, WriteOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("delete on append-only table: %v", err)
	}
}
