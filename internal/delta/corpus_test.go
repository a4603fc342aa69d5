package delta

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpusCase is an assertion on one rs-* or golden-* table.
type corpusCase struct {
	name    string
	refuse  string // feature the read must be refused for
	version int64  // expected latest version
	files   int    // expected active files (-1: not checked)
	check   func(t *testing.T, tbl *Table, s *Snapshot, rows []Row)
}

func TestCorpusTables(t *testing.T) {
	t.Parallel()
	root := corpusDir(t)
	for _, c := range corpusCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(root, c.name)
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("table %s absent", c.name)
			}
			tbl := openDir(t, dir)
			s, err := tbl.Snapshot(context.Background())
			if c.refuse != "" {
				var u *UnsupportedFeatureError
				if !errors.As(err, &u) || u.Feature != c.refuse {
					t.Fatalf("got %v, want refusal for %q", err, c.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Version() != c.version {
				t.Errorf("version %d, want %d", s.Version(), c.version)
			}
			if c.files >= 0 && s.NumFiles() != c.files {
				t.Errorf("%d files, want %d", s.NumFiles(), c.files)
			}
			rows, err := s.ReadAll(context.Background(), ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if c.check != nil {
				c.check(t, tbl, s, rows)
			}
		})
	}
}

func corpusCases() []corpusCase {
	return []corpusCase{
		{name: "rs-simple_table", version: 4, files: 5, check: func(t *testing.T, tbl *Table, s *Snapshot, rows []Row) {
			wantInts(t, ids(rows, "id"), []int64{5, 7, 9})
			s0, err := tbl.SnapshotAt(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			r0, err := s0.ReadAll(context.Background(), ScanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			wantInts(t, ids(r0, "id"), seq(0, 4))
			if _, err := tbl.SnapshotAt(context.Background(), 5); !errors.Is(err, ErrVersionNotFound) {
				t.Errorf("version 5 (stray .tmp file): got %v, want ErrVersionNotFound", err)
			}
		}},
		{name: "rs-simple_table_with_checkpoint", version: 10, files: 11, check: func(t *testing.T, tbl *Table, s *Snapshot, rows []Row) {
			wantInts(t, ids(rows, "version"), append([]int64{0}, seq(0, 9)...))
			s0, err := tbl.SnapshotAt(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			up, err := update(context.Background(), s0)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(fileNames(up), fileNames(s)) {
				t.Errorf("v0 updated to latest has files %v, want %v", fileNames(up), fileNames(s))
			}
		}},
		{name: "rs-delta-0.8.0-partitioned", version: 0, files: 6, check: func(t *testing.T, tbl *Table, s *Snapshot, rows []Row) {
			var got []string
			for _, r := range rows {
				got = append(got, fmt.Sprintf("%v/%v/%v/%v", r["value"], r["year"], r["month"], r["day"]))
			}
			slices.Sort(got)
			want := []string{"1/2020/1/1", "2/2020/2/3", "3/2020/2/5", "4/2021/4/5", "5/2021/12/4", "6/2021/12/20", "7/2021/12/20"}
			if !slices.Equal(got, want) {
				t.Errorf("rows %v, want %v", got, want)
			}
			var sizes []int64
			for _, f := range s.Files() {
				sizes = append(sizes, f.Size)
			}
			wantInts(t, sizes, []int64{414, 414, 414, 407, 414, 414})
			md := s.Metadata()
			if md.ID != "fe5a3c11-30d4-4dd7-b115-a1c121e66a4e" || md.CreatedTime == nil || *md.CreatedTime != 1615555644515 {
				t.Errorf("metadata id %s createdTime %v", md.ID, md.CreatedTime)
			}
			if p := s.Protocol(); p.MinReaderVersion != 1 || p.MinWriterVersion != 2 {
				t.Errorf("protocol %+v", p)
			}
		}},
		{name: "rs-delta-0.8.0-null-partition", version: 0, files: 2, check: func(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
			wantRows(t, rows, Row{"k": "A", "v": int64(1)}, Row{"k": nil, "v": int64(2)})
		}},
		{name: "rs-delta-0.8.0-special-partition", version: 0, files: 2, check: func(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
			wantRows(t, rows, Row{"x": "A/A", "y": int64(1)}, Row{"x": "B B", "y": int64(2)})
		}},
		{name: "rs-delta-2.2.0-partitioned-types", version: 0, files: 3, check: func(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
			wantRows(t, rows, Row{"c1": int32(4), "c2": "c", "c3": int32(5)}, Row{"c1": int32(5), "c2": "b", "c3": int32(6)},
				Row{"c1": int32(6), "c2": "a", "c3": int32(4)})
		}},
		{name: "rs-table_with_edge_timestamps", version: 0, files: -1, check: func(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
			wantRows(t, rows,
				Row{"BIG_DATE": utc("9999-12-31 00:00:00"), "NORMAL_DATE": utc("2022-01-01 00:00:00"), "SOME_VALUE": int32(1)},
				Row{"BIG_DATE": utc("9999-12-30 00:00:00"), "NORMAL_DATE": utc("2022-02-01 00:00:00"), "SOME_VALUE": int32(2)})
		}},
		{name: "rs-delta-1.2.1-only-struct-stats", version: 12, files: 12, check: checkOnlyStructStats},
		{name: "rs-table-with-dv-small", refuse: "deletionVectors"},
		{name: "rs-table_with_column_mapping", refuse: "columnMapping"},
		{name: "golden-basic-with-inserts-deletes-checkpoint", version: 13, files: -1, check: func(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
			var want []int64
			for _, lo := range []int64{0, 10, 20, 30, 40} {
				want = append(want, seq(lo, lo+4)...)
			}
			wantInts(t, ids(rows, "id"), append(want, seq(50, 65)...))
		}},
		{name: "golden-multi-part-checkpoint", version: 1, files: -1, check: func(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
			wantInts(t, ids(rows, "id"), append([]int64{0}, seq(0, 29)...))
		}},
		{name: "golden-data-reader-primitives", version: 0, files: 2, check: checkPrimitives},
		{name: "golden-data-reader-partition-values", version: 0, files: 3, check: checkPartitionValues},
		{name: "golden-decimal-various-scale-precision", version: 0, files: -1, check: checkDecimals},
		{name: "golden-kernel-timestamp-INT96", version: 0, files: 5, check: func(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
			wantRows(t, rows,
				Row{"id": int32(0), "part": time.UnixMicro(1577866150001000).UTC(), "time": time.UnixMicro(1580544550000000).UTC()},
				Row{"id": int32(1), "part": utc("2021-10-01 08:09:20"), "time": utc("1999-01-01 09:00:00")},
				Row{"id": int32(2), "part": utc("2021-10-01 08:09:20"), "time": utc("2000-01-01 09:00:00")},
				Row{"id": int32(3), "part": utc("1969-01-01 00:00:00"), "time": utc("1969-01-01 00:00:00")},
				Row{"id": int32(4), "part": nil, "time": nil})
		}},
		{name: "golden-data-reader-timestamp_ntz", version: 1, files: -1, check: checkTimestampNTZ},
		{name: "golden-v2-checkpoint-parquet", version: 2, files: 4, check: func(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
			wantInts(t, ids(rows, "id"), seq(0, 9))
		}},
		{name: "golden-deltalog-invalid-protocol-version", refuse: "readerVersion 99"},
	}
}

func fileNames(s *Snapshot) []string {
	var out []string
	for _, f := range s.Files() {
		out = append(out, f.Name)
	}
	slices.Sort(out)
	return out
}

func checkOnlyStructStats(t *testing.T, tbl *Table, s *Snapshot, rows []Row) {
	wantInts(t, ids(rows, "integer"), seq(0, 11))
	if _, ok := s.Schema().Field("new_column"); !ok {
		t.Error("schema lacks new_column added at v10")
	}
	for _, f := range s.Files() {
		if st := f.ParsedStats(); !st.Present || st.NumRecords != 1 {
			t.Errorf("%s: stats %+v (from stats_parsed)", f.Name, st)
		}
	}
	s1, err := tbl.SnapshotAt(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	files := s1.Files()
	if len(files) != 1 || !strings.HasPrefix(files[0].Name, "part-00000-7a509247") {
		t.Fatalf("v1 files %v", fileNames(s1))
	}
	st := files[0].ParsedStats()
	check := func(m map[string]any, k, want string) {
		if got := fmt.Sprint(m[k]); got != want {
			t.Errorf("v1 stats %s = %s, want %s", k, got, want)
		}
	}
	if st.NumRecords != 1 {
		t.Errorf("v1 numRecords %d", st.NumRecords)
	}
	check(st.NullCount, "null", "1")
	check(st.MinValues, "integer", "0")
	check(st.MaxValues, "integer", "0")
	check(st.MinValues, "double", "1.234")
	check(st.MinValues, "decimal", "-5.67800")
	check(st.MinValues, "string", "string")
	// Data skipping with the statistics: integer = 5 needs one file.
	got, err := s.ScanFiles(ScanOptions{Filters: []Filter{{Column: "integer", Op: Eq, Value: 5}}})
	if err != nil || len(got) != 1 {
		t.Errorf("scan integer=5 keeps %d files (%v), want 1", len(got), err)
	}
}

func checkPrimitives(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
	want := []Row{{"as_int": nil, "as_long": nil, "as_byte": nil, "as_short": nil, "as_boolean": nil, "as_float": nil,
		"as_double": nil, "as_string": nil, "as_binary": nil, "as_big_decimal": nil}}
	for i := range 10 {
		want = append(want, Row{"as_int": int32(i), "as_long": int64(i), "as_byte": int8(i), "as_short": int16(i),
			"as_boolean": i%2 == 0, "as_float": float32(i), "as_double": float64(i), "as_string": strconv.Itoa(i),
			"as_binary": []byte{byte(i), byte(i)}, "as_big_decimal": strconv.Itoa(i)})
	}
	wantRows(t, rows, want...)
}

func checkPartitionValues(t *testing.T, _ *Table, _ *Snapshot, rows []Row) {
	var want []Row
	for i := range 2 {
		s := strconv.Itoa(i)
		want = append(want, Row{"as_int": int32(i), "as_long": int64(i), "as_byte": int8(i), "as_short": int16(i),
			"as_boolean": i%2 == 0, "as_float": float32(i), "as_double": float64(i), "as_string": s,
			"as_string_lit_null": "null", "as_date": utc("2021-09-08 00:00:00"), "as_timestamp": utc("2021-09-08 11:11:11"),
			"as_big_decimal": s, "as_list_of_records": []any{Row{"val": int32(i)}, Row{"val": int32(i)}, Row{"val": int32(i)}},
			"as_nested_struct": Row{"aa": s, "ab": s, "ac": Row{"aca": int32(i), "acb": int64(i)}}, "value": s})
	}
	want = append(want, Row{"as_int": nil, "as_long": nil, "as_byte": nil, "as_short": nil, "as_boolean": nil,
		"as_float": nil, "as_double": nil, "as_string": nil, "as_string_lit_null": nil, "as_date": nil, "as_timestamp": nil,
		"as_big_decimal": nil, "as_list_of_records": []any{Row{"val": int32(2)}, Row{"val": int32(2)}, Row{"val": int32(2)}},
		"as_nested_struct": Row{"aa": "2", "ab": "2", "ac": Row{"aca": int32(2), "acb": int64(2)}}, "value": "2"})
	wantRows(t, rows, want...)
}

func checkDecimals(t *testing.T, _ *Table, s *Snapshot, rows []Row) {
	if len(rows) != 3 || len(s.Schema().Fields) != 29 {
		t.Fatalf("%d rows, %d columns", len(rows), len(s.Schema().Fields))
	}
	got := map[string][]string{}
	for _, r := range rows {
		for _, c := range []string{"decimal_4_0", "decimal_12_6", "decimal_18_6", "decimal_7_6", "decimal_25_24", "decimal_38_36"} {
			got[c] = append(got[c], fmt.Sprint(r[c]))
		}
	}
	want := map[string][]string{
		"decimal_4_0":  {"-13", "4", "<nil>"},
		"decimal_12_6": {"-0.000098", "0.000062", "<nil>"},
		"decimal_18_6": {"-22641.000000", "7998.000000", "<nil>"},
		"decimal_7_6":  {"<nil>", "<nil>", "<nil>"},
		// 38 digits, FIXED_LEN_BYTE_ARRAY
		"decimal_38_36": {"-0.000000000000000029546424000000000000", "0.000000000000000003241836000000000000", "<nil>"},
	}
	for c, w := range want {
		g := got[c]
		slices.Sort(g)
		if !slices.Equal(g, w) {
			t.Errorf("%s = %v, want %v", c, g, w)
		}
	}
	for _, v := range got["decimal_25_24"] {
		if v != "<nil>" {
			t.Errorf("decimal_25_24 = %s, want null", v)
		}
	}
}

func checkTimestampNTZ(t *testing.T, _ *Table, s *Snapshot, rows []Row) {
	if f, _ := s.Schema().Field("tsNtz"); f.Type != TypeTimestampNTZ {
		t.Errorf("tsNtz has type %v", f.Type)
	}
	a, b := time.UnixMicro(1637202600123456).UTC(), time.UnixMicro(1373043660123456).UTC()
	vals := []any{a, b, nil}
	var want []Row
	for i := range 9 {
		want = append(want, Row{"id": int32(i), "tsNtz": vals[i%3], "tsNtzPartition": vals[i/3]})
	}
	wantRows(t, rows, want...)
	if math.Abs(float64(a.Sub(utc("2021-11-18 02:30:00.123456")))) > 0 {
		t.Error("bad fixture arithmetic")
	}
}
