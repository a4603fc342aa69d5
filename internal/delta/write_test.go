package delta

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"
)

// allTypesSchema has every type, nested ones and three partition columns.
func allTypesSchema() *StructType {
	nullable := func(n string, t DataType) StructField { return StructField{Name: n, Type: t, Nullable: true} }
	return &StructType{Fields: []StructField{
		{Name: "id", Type: TypeLong},
		nullable("s", TypeString), nullable("i", TypeInteger), nullable("sh", TypeShort), nullable("b", TypeByte),
		nullable("f", TypeFloat), nullable("d", TypeDouble), nullable("ok", TypeBoolean), nullable("bin", TypeBinary),
		nullable("day", TypeDate), nullable("ts", TypeTimestamp),
		nullable("dec5", DecimalType{Precision: 5, Scale: 2}), nullable("dec15", DecimalType{Precision: 15, Scale: 4}),
		nullable("dec38", DecimalType{Precision: 38, Scale: 10}),
		nullable("st", &StructType{Fields: []StructField{nullable("x", TypeLong), nullable("tags", &ArrayType{ElementType: TypeString, ContainsNull: true})}}),
		nullable("arr", &ArrayType{ElementType: &ArrayType{ElementType: TypeInteger, ContainsNull: true}, ContainsNull: true}),
		nullable("m", &MapType{KeyType: TypeString, ValueType: &StructType{Fields: []StructField{nullable("v", TypeDouble)}}, ValueContainsNull: true}),
		nullable("im", &MapType{KeyType: TypeInteger, ValueType: TypeString, ValueContainsNull: true}),
		nullable("pk", TypeString), nullable("pday", TypeDate), nullable("pts", TypeTimestamp),
	}}
}

func allTypesRow(i int) Row {
	ts := time.Date(2024, 3, 1, 12, 0, 0, 123456000, time.UTC).Add(time.Duration(i) * time.Hour)
	r := Row{
		"id": int64(i), "s": "text " + strings.Repeat("x", i), "i": int32(-i), "sh": int16(i), "b": int8(i),
		"f": float32(i) + 0.5, "d": float64(i) * 1.25, "ok": i%2 == 0, "bin": []byte{byte(i), 0, 255},
		"day": time.Date(2000, 1, 1+i, 0, 0, 0, 0, time.UTC), "ts": ts,
		"dec5": "-1.25", "dec15": "12345678901.2345", "dec38": "-1234567890123456789012345678.0123456789",
		"st":  Row{"x": int64(i * 10), "tags": []any{"a", nil, "c"}},
		"arr": []any{[]any{int32(1), int32(2)}, []any{}, nil, []any{nil}},
		"m":   map[string]any{"k1": Row{"v": 1.5}, "k2": nil},
		"im":  map[any]any{int32(1): "one", int32(2): nil},
		"pk":  []string{"a/b", "c d", "é%"}[i%3], "pday": time.Date(2024, 1, 1+i%2, 0, 0, 0, 0, time.UTC),
		"pts": ts.Truncate(time.Second),
	}
	if i%4 == 3 { // nulls everywhere
		for k := range r {
			if k != "id" {
				r[k] = nil
			}
		}
	}
	return r
}

// normalized is what reading back rows written with allTypesRow gives:
// maps with string keys come back as map[string]any.
func normalized(t *testing.T, schema *StructType, rows []Row) []Row {
	t.Helper()
	out := make([]Row, len(rows))
	for i, r := range rows {
		n, err := normalizeStruct(schema, r)
		if err != nil {
			t.Fatal(err)
		}
		m := n.(map[string]any)
		if v, ok := m["m"].(map[any]any); ok {
			sm := map[string]any{}
			for k, x := range v {
				sm[k.(string)] = x
			}
			m["m"] = sm
		}
		out[i] = m
	}
	return out
}

func TestRoundTripAllTypes(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	schema := allTypesSchema()
	s.create(t, schema, CreateOptions{PartitionColumns: []string{"pk", "pday", "pts"}})
	var rows []Row
	for i := range 12 {
		rows = append(rows, allTypesRow(i))
	}
	mustAppend(t, s.tbl, rows)
	got := s.rows(t, s.reopen(Options{}), -1)
	diffRows(t, canonRows(got), canonRows(normalized(t, schema, rows)))

	snap, _ := s.tbl.Snapshot(s.ctx)
	for _, f := range snap.Files() {
		if !strings.Contains(f.Name, "pk=a%2Fb/") && !strings.Contains(f.Name, "pk=c d/") &&
			!strings.Contains(f.Name, "pk=é%25/") && !strings.Contains(f.Name, "pk=__HIVE_DEFAULT_PARTITION__/") {
			t.Errorf("unexpected partition directory in %s", f.Name)
		}
	}
	// Projection and limit.
	part, err := snap.ReadAll(s.ctx, ScanOptions{Columns: []string{"id", "pk"}, Limit: 5})
	if err != nil || len(part) != 5 || len(part[0]) != 2 {
		t.Fatalf("projected read: %d rows, %v", len(part), err)
	}
}

func TestStatsAndSkipping(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	s.create(t, simpleSchema(), CreateOptions{})
	for i := range 4 {
		mustAppend(t, s.tbl, simpleRows(i*100, 100))
	}
	snap, err := s.tbl.Snapshot(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := snap.Files()[1].ParsedStats()
	if !st.Present || st.NumRecords != 100 || fmt.Sprint(st.MinValues["id"]) != "100" || fmt.Sprint(st.MaxValues["id"]) != "199" ||
		st.MaxValues["name"] != "row-199" || fmt.Sprint(st.NullCount["score"]) != "0" {
		t.Errorf("stats %+v", st)
	}
	tests := []struct {
		filters []Filter
		files   int
		rows    int
	}{
		{[]Filter{{Column: "id", Op: Eq, Value: 150}}, 1, 1},
		{[]Filter{{Column: "id", Op: Ge, Value: 250}}, 2, 150},
		{[]Filter{{Column: "id", Op: Lt, Value: 100}}, 1, 100},
		{[]Filter{{Column: "id", Op: Gt, Value: 1000}}, 0, 0},
		{[]Filter{{Column: "name", Op: Eq, Value: "row-42"}}, 1, 1},
		{[]Filter{{Column: "score", Op: IsNull}}, 0, 0},
		{[]Filter{{Column: "score", Op: NotNull}, {Column: "id", Op: Le, Value: 5}}, 1, 6},
	}
	for _, tt := range tests {
		files, err := snap.ScanFiles(ScanOptions{Filters: tt.filters})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := snap.ReadAll(s.ctx, ScanOptions{Filters: tt.filters})
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != tt.files || len(rows) != tt.rows {
			t.Errorf("%v: %d files, %d rows; want %d, %d", tt.filters, len(files), len(rows), tt.files, tt.rows)
		}
	}
	if _, err := snap.ReadAll(s.ctx, ScanOptions{Filters: []Filter{{Column: "nope", Op: Eq, Value: 1}}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown column: %v", err)
	}
}

// TestTimeTravel writes, overwrites and deletes with checkpoints every 3
// commits, then reads every version back through fresh handles.
func TestTimeTravel(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{CheckpointInterval: 3})
	s.create(t, simpleSchema(), CreateOptions{})
	want := map[int64][]Row{0: nil}
	var cur []Row
	record := func(v int64, rows []Row) {
		cur = rows
		want[v] = slices.Clone(rows)
	}
	for i := range 5 {
		rows := simpleRows(i*10, 10)
		record(mustAppend(t, s.tbl, rows), append(slices.Clone(cur), rows...))
	}
	v, err := s.tbl.Overwrite(s.ctx, simpleRows(1000, 7), WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	record(v, simpleRows(1000, 7))
	for i := range 5 {
		rows := simpleRows(2000+i*10, 10)
		record(mustAppend(t, s.tbl, rows), append(slices.Clone(cur), rows...))
	}
	res, err := s.tbl.DeleteRows(s.ctx, []Filter{{Column: "id", Op: Ge, Value: 2015}, {Column: "id", Op: Lt, Value: 2025}}, nil, WriteOptions{})
	if err != nil || res.RowsDeleted != 10 || res.FilesRemoved != 2 || res.FilesAdded != 2 {
		t.Fatalf("delete: %+v, %v", res, err)
	}
	record(res.Version, slices.DeleteFunc(slices.Clone(cur), func(r Row) bool {
		id := r["id"].(int64)
		return id >= 2015 && id < 2025
	}))
	res, err = s.tbl.DeleteRows(s.ctx, nil, func(r Row) bool { return r["id"].(int64)%2 == 1 }, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	record(res.Version, slices.DeleteFunc(slices.Clone(cur), func(r Row) bool { return r["id"].(int64)%2 == 1 }))

	latest, _ := s.tbl.Snapshot(s.ctx)
	if latest.Version() != 13 {
		t.Fatalf("latest version %d, want 13", latest.Version())
	}
	for v, rows := range want {
		got := s.rows(t, s.reopen(Options{}), v)
		diffRows(t, canonRows(got), canonRows(rows))
	}
	if _, err := s.reopen(Options{}).SnapshotAt(s.ctx, 14); !errors.Is(err, ErrVersionNotFound) {
		t.Errorf("version 14: %v", err)
	}
	// Checkpoints at 3, 6, 9, 12 and _last_checkpoint at 12.
	for _, cp := range []int64{3, 6, 9, 12} {
		if _, err := s.store.Stat(s.ctx, checkpointName(cp)); err != nil {
			t.Errorf("checkpoint %d: %v", cp, err)
		}
	}
	lc, err := readLastCheckpointFile(s.ctx, s.store)
	if err != nil || lc == nil || lc.Version != 12 {
		t.Fatalf("_last_checkpoint %+v %v", lc, err)
	}
}

// TestCheckpointReplacesLog deletes the commits a checkpoint covers: the
// table must still load from the checkpoint alone.
func TestCheckpointReplacesLog(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{CheckpointInterval: 5})
	s.create(t, allTypesSchema(), CreateOptions{PartitionColumns: []string{"pk"}})
	var rows []Row
	for i := range 7 {
		r := allTypesRow(i)
		rows = append(rows, r)
		v, err := s.tbl.Append(s.ctx, []Row{r}, WriteOptions{AppID: "app", TxnVersion: int64(i)})
		if err != nil || v != int64(i+1) {
			t.Fatalf("append %d: v%d %v", i, v, err)
		}
	}
	before, _ := s.tbl.Snapshot(s.ctx)
	for v := range int64(5) {
		if err := s.store.Delete(s.ctx, commitName(v)); err != nil {
			t.Fatal(err)
		}
	}
	fresh := s.reopen(Options{})
	snap, err := fresh.Snapshot(s.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version() != 7 || !slices.Equal(fileNames(snap), fileNames(before)) {
		t.Errorf("v%d files %v, want v7 %v", snap.Version(), fileNames(snap), fileNames(before))
	}
	if v, ok := snap.TxnVersion("app"); !ok || v != 6 {
		t.Errorf("txn app = %d %v", v, ok)
	}
	if snap.Metadata().ID != before.Metadata().ID || snap.Schema().String() != before.Schema().String() {
		t.Error("metadata lost in checkpoint")
	}
	got, err := snap.ReadAll(s.ctx, ScanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	diffRows(t, canonRows(got), canonRows(normalized(t, allTypesSchema(), rows)))
	// Without _last_checkpoint the checkpoint is found by listing.
	if err := s.store.Delete(s.ctx, lastCheckpointName); err != nil {
		t.Fatal(err)
	}
	if snap, err = s.reopen(Options{}).SnapshotAt(s.ctx, 6); err != nil || snap.Version() != 6 {
		t.Fatalf("listing: %v", err)
	}
	if _, err := s.reopen(Options{}).SnapshotAt(s.ctx, 3); !errors.Is(err, ErrVersionNotFound) {
		t.Errorf("deleted version 3: %v", err)
	}
}

func TestIdempotentAppend(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	s.create(t, simpleSchema(), CreateOptions{})
	opts := WriteOptions{AppID: "ingest-doc-1", TxnVersion: 1}
	if _, err := s.tbl.Append(s.ctx, simpleRows(0, 3), opts); err != nil {
		t.Fatal(err)
	}
	// A retry through another handle (another process) commits nothing.
	if _, err := s.reopen(Options{}).Append(s.ctx, simpleRows(0, 3), opts); !errors.Is(err, ErrAlreadyApplied) {
		t.Fatalf("retry: %v", err)
	}
	if n := len(s.rows(t, s.tbl, -1)); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
	// Orphan files of the refused retry were cleaned up.
	objs, _ := s.store.List(s.ctx, "part-")
	if len(objs) != 1 {
		t.Errorf("%d data files, want 1", len(objs))
	}
}

func TestCommitConflicts(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	s.create(t, simpleSchema(), CreateOptions{})
	mustAppend(t, s.tbl, simpleRows(0, 5))
	base, _ := s.tbl.Snapshot(s.ctx)
	f := base.Files()[0]
	remove := []Action{s.tbl.removeOf(f, true)}
	if _, err := s.tbl.Commit(s.ctx, remove, CommitOptions{Base: base, Operation: "DELETE"}); err != nil {
		t.Fatal(err)
	}
	// A second writer that read the same base removes the same file.
	other := s.reopen(Options{})
	_, err := other.Commit(s.ctx, remove, CommitOptions{Base: base, Operation: "DELETE"})
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) || ce.Version != 2 {
		t.Fatalf("double delete: %v", err)
	}
	// A blind append based on the old snapshot does not conflict.
	adds, _, err := s.tbl.writeFiles(s.ctx, base, simpleRows(10, 2), true)
	if err != nil {
		t.Fatal(err)
	}
	v, err := other.Commit(s.ctx, adds, CommitOptions{Base: base})
	if err != nil || v != 3 {
		t.Fatalf("blind append: v%d %v", v, err)
	}
	// A metadata change conflicts with the appends it did not see.
	md := base.Metadata()
	md.Configuration = map[string]string{"delta.checkpointInterval": "4"}
	if _, err := other.Commit(s.ctx, []Action{{Metadata: &md}}, CommitOptions{Base: base}); !errors.Is(err, ErrConflict) {
		t.Fatalf("metadata change: %v", err)
	}
	// Invalid actions are refused before anything is written.
	if _, err := s.tbl.Commit(s.ctx, []Action{{}}, CommitOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty action: %v", err)
	}
	// Several kinds of action in one commit.
	cur, _ := s.tbl.Snapshot(s.ctx)
	adds, _, _ = s.tbl.writeFiles(s.ctx, cur, simpleRows(20, 1), true)
	mixed := append(adds, s.tbl.removeOf(cur.Files()[0], true), Action{Txn: &Txn{AppID: "x", Version: 3}}, Action{Metadata: &md})
	if v, err = s.tbl.Commit(s.ctx, mixed, CommitOptions{Base: cur, Operation: "MERGE"}); err != nil {
		t.Fatal(err)
	}
	after, _ := s.reopen(Options{}).Snapshot(s.ctx)
	if tv, _ := after.TxnVersion("x"); after.Version() != v || tv != 3 || after.Metadata().Configuration["delta.checkpointInterval"] != "4" {
		t.Errorf("mixed commit not applied: v%d", after.Version())
	}
}

func TestCreateAndInvalidRows(t *testing.T) {
	t.Parallel()
	s := newSetup(t, Options{})
	if _, err := s.tbl.Snapshot(s.ctx); !errors.Is(err, ErrNoTable) {
		t.Errorf("snapshot of empty dir: %v", err)
	}
	s.create(t, simpleSchema(), CreateOptions{})
	if _, err := s.tbl.Create(s.ctx, simpleSchema(), CreateOptions{}); !errors.Is(err, ErrTableExists) {
		t.Errorf("second create: %v", err)
	}
	bad := []Row{
		{"id": nil},
		{"id": int64(1), "unknown": 1},
		{"id": "one"},
		{"id": int64(1), "score": "high"},
	}
	for _, r := range bad {
		if _, err := s.tbl.Append(s.ctx, []Row{r}, WriteOptions{}); !errors.Is(err, ErrInvalid) {
			t.Errorf("row %v: %v", r, err)
		}
	}
	if _, err := New(s.store, Options{}).Create(s.ctx, &StructType{}, CreateOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty schema: %v", err)
	}
	// Decimals: exact values only.
	d := DecimalType{Precision: 5, Scale: 2}
	for in, want := range map[any]string{"1.5": "1.50", 3: "3.00", 2.25: "2.25", big.NewRat(-1, 4): "-0.25"} {
		got, err := normalize(d, in)
		if err != nil || got != want {
			t.Errorf("normalize %v = %v %v, want %s", in, got, err, want)
		}
	}
	for _, in := range []any{"1.234", "1000", "abc"} {
		if _, err := normalize(d, in); err == nil {
			t.Errorf("normalize %v: no error", in)
		}
	}
}

func TestSchemaJSON(t *testing.T) {
	t.Parallel()
	schema := allTypesSchema()
	schema.Fields = append(schema.Fields, StructField{Name: "ntz", Type: TypeTimestampNTZ, Nullable: true,
		Metadata: map[string]any{"comment": "wall clock"}})
	str, err := MarshalSchema(schema)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseSchema(str)
	if err != nil {
		t.Fatal(err)
	}
	if back.String() != schema.String() {
		t.Errorf("round trip:\n%s\n%s", back, schema)
	}
	for _, bad := range []string{`{"type":"struct","fields":[{"name":"a","type":"varchar"}]}`, `"long"`, `{"type":"struct","fields":[{"name":"a","type":"decimal(40,2)"}]}`} {
		if _, err := ParseSchema(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	ctx := context.Background()
	s := newSetup(t, Options{})
	snap, err := s.tbl.Create(ctx, schema, CreateOptions{PartitionColumns: []string{"pk"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := snap.Protocol(); p.MinReaderVersion != 3 || !slices.Contains(p.ReaderFeatures, "timestampNtz") {
		t.Errorf("protocol for timestamp_ntz: %+v", p)
	}
}
