package delta

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"time"
)

// Row is one table row: column name to Go value (see doc.go for the value
// of each type; null is nil).
type Row = map[string]any

// Op is a comparison operator of a Filter.
type Op string

// The filter operators. IsNull and NotNull ignore Filter.Value.
const (
	Eq      Op = "="
	Ne      Op = "!="
	Lt      Op = "<"
	Le      Op = "<="
	Gt      Op = ">"
	Ge      Op = ">="
	IsNull  Op = "is null"
	NotNull Op = "is not null"
)

// Filter is a condition on a top-level column: Column Op Value. A null
// column value satisfies only IsNull.
type Filter struct {
	Column string
	Op     Op
	Value  any
}

// ScanOptions select what a scan returns.
type ScanOptions struct {
	// Columns to return, in any order; nil returns all columns.
	Columns []string
	// Filters that every returned row satisfies (AND). Files whose
	// partition values or statistics rule a filter out are not read.
	Filters []Filter
	// Limit stops the scan after that many rows; 0 means no limit.
	Limit int
}

// boundFilter is a filter resolved against the schema.
type boundFilter struct {
	Filter
	typ       DataType
	partition bool
}

// scan is a prepared read of a snapshot.
type scan struct {
	s       *Snapshot
	out     []string        // returned columns
	read    map[string]bool // data (non-partition) columns read from files
	parts   map[string]DataType
	filters []boundFilter
	limit   int
}

func (s *Snapshot) newScan(opts ScanOptions) (*scan, error) {
	sc := &scan{s: s, read: map[string]bool{}, parts: map[string]DataType{}, limit: opts.Limit}
	for _, p := range s.metadata.PartitionColumns {
		f, _ := s.schema.Field(p)
		sc.parts[p] = f.Type
	}
	want := func(name string) error {
		if _, ok := s.schema.Field(name); !ok {
			return fmt.Errorf("%w: no column %q", ErrInvalid, name)
		}
		if _, ok := sc.parts[name]; !ok {
			sc.read[name] = true
		}
		return nil
	}
	if opts.Columns == nil {
		for _, f := range s.schema.Fields {
			sc.out = append(sc.out, f.Name)
		}
	} else {
		sc.out = slices.Clone(opts.Columns)
	}
	for _, c := range sc.out {
		if err := want(c); err != nil {
			return nil, err
		}
	}
	for _, f := range opts.Filters {
		if err := want(f.Column); err != nil {
			return nil, err
		}
		bf, err := bindFilter(s.schema, f, sc.parts)
		if err != nil {
			return nil, err
		}
		sc.filters = append(sc.filters, bf)
	}
	return sc, nil
}

func bindFilter(schema *StructType, f Filter, parts map[string]DataType) (boundFilter, error) {
	field, _ := schema.Field(f.Column)
	_, isPart := parts[f.Column]
	bf := boundFilter{Filter: f, typ: field.Type, partition: isPart}
	switch f.Op {
	case IsNull, NotNull:
		return bf, nil
	case Eq, Ne, Lt, Le, Gt, Ge:
	default:
		return bf, fmt.Errorf("%w: filter operator %q", ErrInvalid, f.Op)
	}
	v, err := normalize(field.Type, f.Value)
	if err != nil || v == nil {
		return bf, fmt.Errorf("%w: filter value for %s: %v", ErrInvalid, f.Column, err)
	}
	bf.Value = v
	return bf, nil
}

// test evaluates the filter on a column value.
func (f boundFilter) test(v any) bool {
	switch f.Op {
	case IsNull:
		return v == nil
	case NotNull:
		return v != nil
	}
	if v == nil {
		return false
	}
	c, ok := compareValues(f.typ, v, f.Value)
	return ok && opHolds(f.Op, c)
}

func opHolds(op Op, c int) bool {
	switch op {
	case Eq:
		return c == 0
	case Ne:
		return c != 0
	case Lt:
		return c < 0
	case Le:
		return c <= 0
	case Gt:
		return c > 0
	case Ge:
		return c >= 0
	}
	return false
}

// skip reports whether file f cannot hold a matching row.
func (sc *scan) skip(f FileInfo) bool {
	var st FileStats
	parsed := false
	for _, bf := range sc.filters {
		if bf.partition {
			v, err := parsePartitionValue(bf.typ, f.PartitionValues[bf.Column])
			if err == nil && !bf.test(v) {
				return true
			}
			continue
		}
		if !parsed {
			st, parsed = f.ParsedStats(), true
		}
		if st.Present && statsExclude(bf, st) {
			return true
		}
	}
	return false
}

// statsExclude reports whether the file statistics prove that no row of
// the file satisfies bf.
func statsExclude(bf boundFilter, st FileStats) bool {
	nulls, hasNulls := toInt64(st.NullCount[bf.Column])
	switch bf.Op {
	case IsNull:
		return hasNulls && nulls == 0
	case NotNull:
		return hasNulls && nulls == st.NumRecords
	}
	if st.NumRecords == 0 || (hasNulls && nulls == st.NumRecords) {
		return true
	}
	lo, okLo := statValue(bf.typ, st.MinValues[bf.Column], -1)
	hi, okHi := statValue(bf.typ, st.MaxValues[bf.Column], +1)
	cmp := func(a any, ok bool) (int, bool) {
		if !ok {
			return 0, false
		}
		return compareValues(bf.typ, a, bf.Value)
	}
	cLo, okL := cmp(lo, okLo)
	cHi, okH := cmp(hi, okHi)
	switch bf.Op {
	case Eq:
		return (okL && cLo > 0) || (okH && cHi < 0)
	case Lt:
		return okL && cLo >= 0
	case Le:
		return okL && cLo > 0
	case Gt:
		return okH && cHi <= 0
	case Ge:
		return okH && cHi < 0
	case Ne:
		return okL && okH && cLo == 0 && cHi == 0
	}
	return false
}

// statValue converts a min/max statistic to the Go value of dt. Writers
// truncate timestamps to milliseconds, so bounds are widened by 1ms in
// direction dir.
func statValue(dt DataType, v any, dir int) (any, bool) {
	if v == nil {
		return nil, false
	}
	switch dt {
	case TypeBoolean, TypeBinary:
		return nil, false
	case TypeTimestamp, TypeTimestampNTZ:
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		t, err := parseTime(s)
		if err != nil {
			return nil, false
		}
		return t.Add(time.Duration(dir) * time.Millisecond), true
	}
	switch dt.(type) {
	case *StructType, *ArrayType, *MapType:
		return nil, false
	}
	x, err := normalize(dt, v)
	return x, err == nil && x != nil
}

// match reports whether row satisfies all filters.
func (sc *scan) match(row Row) bool {
	for _, bf := range sc.filters {
		if !bf.test(row[bf.Column]) {
			return false
		}
	}
	return true
}

// ScanFiles returns the active files a scan with opts would read: those not
// ruled out by the filters' partition values and statistics.
func (s *Snapshot) ScanFiles(opts ScanOptions) ([]FileInfo, error) {
	sc, err := s.newScan(opts)
	if err != nil {
		return nil, err
	}
	var out []FileInfo
	for _, name := range s.order {
		if f := *s.files[name]; !sc.skip(f) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Rows returns the rows of the snapshot that opts selects. The iteration
// stops at the first error, which it yields with a nil row.
func (s *Snapshot) Rows(ctx context.Context, opts ScanOptions) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		sc, err := s.newScan(opts)
		if err != nil {
			yield(nil, err)
			return
		}
		n := 0
		for _, name := range s.order {
			f := *s.files[name]
			if sc.skip(f) {
				continue
			}
			stop := false
			err := sc.readFile(ctx, f, func(r Row) bool {
				n++
				if !yield(r, nil) || (sc.limit > 0 && n >= sc.limit) {
					stop = true
				}
				return !stop
			})
			if err != nil {
				yield(nil, err)
				return
			}
			if stop {
				return
			}
		}
	}
}

// ReadAll returns all rows opts selects.
func (s *Snapshot) ReadAll(ctx context.Context, opts ScanOptions) ([]Row, error) {
	var out []Row
	for r, err := range s.Rows(ctx, opts) {
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// FileRows returns the rows of one data file of the snapshot that opts
// selects (opts.Limit counts rows of this file).
func (s *Snapshot) FileRows(ctx context.Context, f FileInfo, opts ScanOptions) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		sc, err := s.newScan(opts)
		if err != nil {
			yield(nil, err)
			return
		}
		n := 0
		err = sc.readFile(ctx, f, func(r Row) bool {
			n++
			return yield(r, nil) && (sc.limit == 0 || n < sc.limit)
		})
		if err != nil {
			yield(nil, err)
		}
	}
}

// readFile reads the matching rows of data file f into fn until fn
// returns false.
func (sc *scan) readFile(ctx context.Context, f FileInfo, fn func(Row) bool) error {
	if len(f.DeletionVector) > 0 && string(f.DeletionVector) != "null" {
		return &UnsupportedFeatureError{Feature: "deletionVectors"}
	}
	pvals := make(map[string]any, len(sc.parts))
	for p, t := range sc.parts {
		v, err := parsePartitionValue(t, f.PartitionValues[p])
		if err != nil {
			return fmt.Errorf("delta: %s: partition %s: %w", f.Name, p, err)
		}
		pvals[p] = v
	}
	r, err := sc.s.store.Open(ctx, f.Name)
	if err != nil {
		return fmt.Errorf("delta: read %s: %w", f.Name, err)
	}
	defer r.Close()
	file, err := openParquet(r, r.Size())
	if err != nil {
		return fmt.Errorf("delta: read %s: %w", f.Name, err)
	}
	rows, err := openRows(file, sc.s.schema, sc.read)
	if err != nil {
		return fmt.Errorf("delta: read %s: %w", f.Name, err)
	}
	defer rows.close()
	for i := 0; ; i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		row := make(Row, len(sc.out)+len(sc.filters))
		ok, err := rows.next(row)
		if err != nil {
			return fmt.Errorf("delta: read %s: %w", f.Name, err)
		}
		if !ok {
			return nil
		}
		for p, v := range pvals {
			row[p] = v
		}
		if !sc.match(row) {
			continue
		}
		if len(row) != len(sc.out) {
			row = project(row, sc.out)
		}
		if !fn(row) {
			return nil
		}
	}
}

func project(row Row, cols []string) Row {
	out := make(Row, len(cols))
	for _, c := range cols {
		out[c] = row[c]
	}
	return out
}
