package delta

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// This file writes rows of Go values (normalized to the Delta schema) as
// Parquet and collects the Delta statistics of the file. Values are
// shredded into repetition/definition levels here, mirroring
// parquet_read.go.

// structNode is a Parquet group whose fields keep the Delta schema order
// (parquet.Group sorts them by name).
type structNode struct{ fields []parquet.Field }

type namedNode struct {
	parquet.Node
	name string
}

func (f namedNode) Name() string { return f.name }

func (f namedNode) Value(base reflect.Value) reflect.Value {
	if base.Kind() == reflect.Map {
		return base.MapIndex(reflect.ValueOf(f.name))
	}
	return base.FieldByName(f.name)
}

func (g structNode) ID() int                            { return 0 }
func (g structNode) String() string                     { return fmt.Sprintf("group(%d fields)", len(g.fields)) }
func (g structNode) Type() parquet.Type                 { return parquet.Group{}.Type() }
func (g structNode) Optional() bool                     { return false }
func (g structNode) Repeated() bool                     { return false }
func (g structNode) Required() bool                     { return true }
func (g structNode) Leaf() bool                         { return false }
func (g structNode) Fields() []parquet.Field            { return g.fields }
func (g structNode) Encoding() encoding.Encoding        { return nil }
func (g structNode) Compression() compress.Codec        { return nil }
func (g structNode) GoType() reflect.Type               { return reflect.TypeFor[map[string]any]() }
func newStructNode(fields []parquet.Field) parquet.Node { return structNode{fields: fields} }

// wnode is one step of shredding.
type wnode struct {
	name     string
	dt       DataType
	optional bool
	kind     nodeKind
	leaf     int      // leaf column index
	lo, hi   int      // leaf columns below this node
	children []*wnode // struct fields; map: key, value
	elem     *wnode
	rl       int       // lists and maps: repetition level of their elements
	stats    *colStats // leaves outside lists and maps
}

// writePlan is a Parquet schema plus its shredding plan.
type writePlan struct {
	schema *parquet.Schema
	fields []*wnode
	leaves int
	stats  []*colStats
}

func newWritePlan(fields []StructField) (*writePlan, error) {
	p := &writePlan{}
	pf := make([]parquet.Field, 0, len(fields))
	for _, f := range fields {
		n, node, err := p.build(f.Name, f.Type, f.Nullable, []string{f.Name}, 0)
		if err != nil {
			return nil, fmt.Errorf("%w: column %s: %v", ErrInvalid, f.Name, err)
		}
		p.fields = append(p.fields, n)
		pf = append(pf, namedNode{Node: node, name: f.Name})
	}
	p.schema = parquet.NewSchema("spark_schema", newStructNode(pf))
	return p, nil
}

// build plans a value of type dt; path is nil inside lists and maps
// (Delta keeps no statistics there).
func (p *writePlan) build(name string, dt DataType, nullable bool, path []string, rl int) (*wnode, parquet.Node, error) {
	n := &wnode{name: name, dt: dt, optional: nullable, lo: p.leaves, rl: rl + 1}
	var node parquet.Node
	switch t := dt.(type) {
	case *StructType:
		n.kind = kindStruct
		pf := make([]parquet.Field, 0, len(t.Fields))
		for _, f := range t.Fields {
			var sub []string
			if path != nil {
				sub = append(slices.Clone(path), f.Name)
			}
			c, cn, err := p.build(f.Name, f.Type, f.Nullable, sub, rl)
			if err != nil {
				return nil, nil, err
			}
			n.children = append(n.children, c)
			pf = append(pf, namedNode{Node: cn, name: f.Name})
		}
		if len(pf) == 0 {
			return nil, nil, fmt.Errorf("empty struct")
		}
		node = newStructNode(pf)
	case *ArrayType:
		n.kind = kindList
		e, en, err := p.build("element", t.ElementType, t.ContainsNull, nil, rl+1)
		if err != nil {
			return nil, nil, err
		}
		n.elem = e
		node = parquet.List(en)
	case *MapType:
		n.kind = kindMap
		k, kn, err := p.build("key", t.KeyType, false, nil, rl+1)
		if err != nil {
			return nil, nil, err
		}
		v, vn, err := p.build("value", t.ValueType, t.ValueContainsNull, nil, rl+1)
		if err != nil {
			return nil, nil, err
		}
		n.children = []*wnode{k, v}
		node = parquet.Map(kn, vn)
	default:
		leaf, err := leafNode(dt)
		if err != nil {
			return nil, nil, err
		}
		n.kind, n.leaf, node = kindLeaf, p.leaves, leaf
		p.leaves++
		if path != nil {
			n.stats = &colStats{path: path, noMinMax: dt == TypeBoolean || dt == TypeBinary}
			p.stats = append(p.stats, n.stats)
		}
	}
	n.hi = p.leaves
	if nullable {
		node = parquet.Optional(node)
	} else {
		node = parquet.Required(node)
	}
	return n, node, nil
}

func leafNode(dt DataType) (parquet.Node, error) {
	switch dt {
	case TypeString:
		return parquet.String(), nil
	case TypeLong:
		return parquet.Int(64), nil
	case TypeInteger:
		return parquet.Int(32), nil
	case TypeShort:
		return parquet.Int(16), nil
	case TypeByte:
		return parquet.Int(8), nil
	case TypeFloat:
		return parquet.Leaf(parquet.FloatType), nil
	case TypeDouble:
		return parquet.Leaf(parquet.DoubleType), nil
	case TypeBoolean:
		return parquet.Leaf(parquet.BooleanType), nil
	case TypeBinary:
		return parquet.Leaf(parquet.ByteArrayType), nil
	case TypeDate:
		return parquet.Date(), nil
	case TypeTimestamp:
		return parquet.Timestamp(parquet.Microsecond), nil
	case TypeTimestampNTZ:
		return parquet.TimestampAdjusted(parquet.Microsecond, false), nil
	}
	if d, ok := dt.(DecimalType); ok {
		switch {
		case d.Precision <= 9:
			return parquet.Decimal(d.Scale, d.Precision, parquet.Int32Type), nil
		case d.Precision <= 18:
			return parquet.Decimal(d.Scale, d.Precision, parquet.Int64Type), nil
		}
		return parquet.Decimal(d.Scale, d.Precision, parquet.FixedLenByteArrayType(decimalBytes(d.Precision))), nil
	}
	return nil, fmt.Errorf("unsupported type %v", dt)
}

// shred appends the values of v (of node n) to row.
func (n *wnode) shred(row parquet.Row, v any, rep, def int) (parquet.Row, error) {
	if v == nil {
		if !n.optional {
			return nil, fmt.Errorf("%w: %s is null but not nullable", ErrInvalid, n.name)
		}
		for i := n.lo; i < n.hi; i++ {
			row = append(row, parquet.NullValue().Level(rep, def, i))
		}
		n.countNulls()
		return row, nil
	}
	if n.optional {
		def++
	}
	switch n.kind {
	case kindLeaf:
		pv, err := leafValue(n.dt, v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n.name, err)
		}
		if n.stats != nil {
			n.stats.observe(n.dt, v)
		}
		return append(row, pv.Level(rep, def, n.leaf)), nil
	case kindStruct:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: %s: %T is not a struct", ErrInvalid, n.name, v)
		}
		var err error
		for _, c := range n.children {
			if row, err = c.shred(row, m[c.name], rep, def); err != nil {
				return nil, err
			}
		}
		return row, nil
	case kindList:
		return n.shredList(row, v, rep, def)
	}
	return n.shredMap(row, v, rep, def)
}

// countNulls counts a null for every leaf with statistics below n.
func (n *wnode) countNulls() {
	if n.stats != nil {
		n.stats.nulls++
	}
	for _, c := range n.children {
		if n.kind == kindStruct {
			c.countNulls()
		}
	}
}

func (n *wnode) shredList(row parquet.Row, v any, rep, def int) (parquet.Row, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%w: %s: %T is not []any", ErrInvalid, n.name, v)
	}
	if len(items) == 0 {
		for i := n.lo; i < n.hi; i++ {
			row = append(row, parquet.NullValue().Level(rep, def, i))
		}
		return row, nil
	}
	r := rep
	var err error
	for _, it := range items {
		if row, err = n.elem.shred(row, it, r, def+1); err != nil {
			return nil, err
		}
		r = n.rl
	}
	return row, nil
}

func (n *wnode) shredMap(row parquet.Row, v any, rep, def int) (parquet.Row, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, fmt.Errorf("%w: %s: %T is not a map", ErrInvalid, n.name, v)
	}
	if rv.Len() == 0 {
		for i := n.lo; i < n.hi; i++ {
			row = append(row, parquet.NullValue().Level(rep, def, i))
		}
		return row, nil
	}
	keys := rv.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	r := rep
	var err error
	for _, k := range keys {
		if row, err = n.children[0].shred(row, k.Interface(), r, def+1); err != nil {
			return nil, err
		}
		if row, err = n.children[1].shred(row, rv.MapIndex(k).Interface(), r, def+1); err != nil {
			return nil, err
		}
		r = n.rl
	}
	return row, nil
}

// leafValue converts a normalized Go value to a Parquet value.
func leafValue(dt DataType, v any) (parquet.Value, error) {
	switch x := v.(type) {
	case string:
		if d, ok := dt.(DecimalType); ok {
			u, err := decimalUnscaled(d, x)
			if err != nil {
				return parquet.Value{}, err
			}
			return decimalValue(d, u), nil
		}
		return parquet.ByteArrayValue([]byte(x)), nil
	case []byte:
		return parquet.ByteArrayValue(x), nil
	case int64:
		return parquet.Int64Value(x), nil
	case int32:
		return parquet.Int32Value(x), nil
	case int16:
		return parquet.Int32Value(int32(x)), nil
	case int8:
		return parquet.Int32Value(int32(x)), nil
	case float32:
		return parquet.FloatValue(x), nil
	case float64:
		return parquet.DoubleValue(x), nil
	case bool:
		return parquet.BooleanValue(x), nil
	case time.Time:
		if dt == TypeDate {
			return parquet.Int32Value(int32(math.Floor(float64(x.Unix()) / 86400))), nil
		}
		return parquet.Int64Value(x.UnixMicro()), nil
	}
	return parquet.Value{}, fmt.Errorf("%w: cannot write %T as %v", ErrInvalid, v, dt)
}

// encodeParquet writes rows (normalized, data columns only) as one
// Parquet file and returns it with its statistics JSON.
func encodeParquet(fields []StructField, rows []Row) ([]byte, string, error) {
	p, err := newWritePlan(fields)
	if err != nil {
		return nil, "", err
	}
	types := map[string]DataType{}
	collectTypes(types, "", fields)
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, p.schema, parquet.Compression(&parquet.Snappy),
		parquet.DataPageVersion(1), parquet.CreatedBy("0711 delta", "1", ""))
	batch := make([]parquet.Row, 0, 256)
	flush := func() error {
		if _, err := w.WriteRows(batch); err != nil {
			return err
		}
		batch = batch[:0]
		return nil
	}
	for _, r := range rows {
		var pr parquet.Row
		for _, f := range p.fields {
			if pr, err = f.shred(pr, r[f.name], 0, 0); err != nil {
				return nil, "", err
			}
		}
		// Lists and maps of several columns interleave their columns;
		// parquet-go wants each column's values together.
		byColumn := func(a, b parquet.Value) int { return a.Column() - b.Column() }
		if !slices.IsSortedFunc(pr, byColumn) {
			slices.SortStableFunc(pr, byColumn)
		}
		if batch = append(batch, pr); len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return nil, "", err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, "", err
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	stats, err := p.statsJSON(int64(len(rows)), types)
	return buf.Bytes(), stats, err
}

func collectTypes(m map[string]DataType, prefix string, fields []StructField) {
	for _, f := range fields {
		m[prefix+f.Name] = f.Type
		if st, ok := f.Type.(*StructType); ok {
			collectTypes(m, prefix+f.Name+".", st.Fields)
		}
	}
}
