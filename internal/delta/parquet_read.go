package delta

import (
	"errors"
	"fmt"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// This file reads Parquet files into Go values. It assembles nested
// values from the leaf columns' repetition and definition levels itself
// (Dremel record assembly), so that every encoding Spark, delta-rs and
// this package write is read the same way, including legacy two-level
// lists, maps, INT96 timestamps and decimals of every physical type.

// nodeKind says how a plan node assembles its value.
type nodeKind int

const (
	kindLeaf nodeKind = iota
	kindStruct
	kindList
	kindMap
	kindMissing // in the Delta schema but not in the file: always null
)

// node is one step of the assembly plan, built from a Parquet column and
// (optionally) the Delta type the caller expects there.
type node struct {
	name     string
	kind     nodeKind
	def      int // definition level at which the value is present
	lo, hi   int // leaf cursors [lo, hi) below this node
	conv     func(parquet.Value) (any, error)
	children []*node // struct fields; for maps: key, value
	elem     *node   // list element
	repLevel int     // lists and maps: repetition level of the repeated node
	repDef   int     // lists and maps: definition level of an existing element
}

// planner builds nodes and collects the leaf columns in cursor order.
type planner struct {
	leaves []*parquet.Column
}

func isLogical[T any](col *parquet.Column) bool {
	lt := col.Type().LogicalType()
	if lt == nil {
		return false
	}
	_, ok := lt.Value.(T)
	return ok
}

// build plans column col, expected to hold Delta type dt (nil: derive
// everything from the Parquet schema).
func (p *planner) build(col *parquet.Column, dt DataType) (*node, error) {
	if col.Repeated() {
		// A repeated field outside a LIST/MAP group is a list whose absence
		// means empty.
		elem, err := p.buildValue(col, elemType(dt))
		if err != nil {
			return nil, err
		}
		return &node{name: col.Name(), kind: kindList, def: col.MaxDefinitionLevel() - 1, lo: elem.lo, hi: elem.hi,
			elem: elem, repLevel: col.MaxRepetitionLevel(), repDef: col.MaxDefinitionLevel()}, nil
	}
	return p.buildValue(col, dt)
}

func elemType(dt DataType) DataType {
	if at, ok := dt.(*ArrayType); ok {
		return at.ElementType
	}
	return nil
}

// buildValue plans col as a single (non-repeated) value.
func (p *planner) buildValue(col *parquet.Column, dt DataType) (*node, error) {
	n := &node{name: col.Name(), def: col.MaxDefinitionLevel(), lo: len(p.leaves)}
	if col.Leaf() {
		conv, err := leafConverter(col, dt)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", col.Name(), err)
		}
		n.kind, n.conv = kindLeaf, conv
		p.leaves = append(p.leaves, col)
		n.hi = len(p.leaves)
		return n, nil
	}
	kids := col.Columns()
	_, wantList := dt.(*ArrayType)
	_, wantMap := dt.(*MapType)
	single := len(kids) == 1 && kids[0].Repeated()
	var err error
	switch {
	case single && (isLogical[*format.ListType](col) || wantList):
		err = p.buildList(n, kids[0], elemType(dt))
	case single && (isLogical[*format.MapType](col) || wantMap) && len(kids[0].Columns()) >= 1:
		err = p.buildMap(n, kids[0], dt)
	default:
		err = p.buildStruct(n, kids, dt)
	}
	n.hi = len(p.leaves)
	return n, err
}

// buildList plans a LIST group whose repeated child is rep, following the
// Parquet backward-compatibility rules for two-level lists.
func (p *planner) buildList(n *node, rep *parquet.Column, et DataType) error {
	n.kind, n.repLevel, n.repDef = kindList, rep.MaxRepetitionLevel(), rep.MaxDefinitionLevel()
	var err error
	switch kids := rep.Columns(); {
	case rep.Leaf() || len(kids) != 1 || rep.Name() == "array" || strings.HasSuffix(rep.Name(), "_tuple"):
		n.elem, err = p.buildValue(rep, et)
	default:
		n.elem, err = p.build(kids[0], et)
	}
	return err
}

// buildMap plans a MAP group whose repeated key_value child is kv.
func (p *planner) buildMap(n *node, kv *parquet.Column, dt DataType) error {
	n.kind, n.repLevel, n.repDef = kindMap, kv.MaxRepetitionLevel(), kv.MaxDefinitionLevel()
	var kt, vt DataType
	if mt, ok := dt.(*MapType); ok {
		kt, vt = mt.KeyType, mt.ValueType
	}
	kids := kv.Columns()
	key, err := p.build(kids[0], kt)
	if err != nil {
		return err
	}
	n.children = []*node{key}
	if len(kids) > 1 {
		val, err := p.build(kids[1], vt)
		if err != nil {
			return err
		}
		n.children = append(n.children, val)
	}
	return nil
}

// buildStruct plans a group as a struct: the Delta fields in schema order
// when dt is a struct, else the Parquet fields in file order.
func (p *planner) buildStruct(n *node, kids []*parquet.Column, dt DataType) error {
	n.kind = kindStruct
	st, ok := dt.(*StructType)
	if !ok {
		for _, k := range kids {
			c, err := p.build(k, nil)
			if err != nil {
				return err
			}
			n.children = append(n.children, c)
		}
		return nil
	}
	for _, f := range st.Fields {
		c, err := p.fieldNode(kids, f)
		if err != nil {
			return err
		}
		n.children = append(n.children, c)
	}
	return nil
}

// fieldNode plans Delta field f from the group children kids.
func (p *planner) fieldNode(kids []*parquet.Column, f StructField) (*node, error) {
	var col *parquet.Column
	for _, k := range kids {
		if k.Name() == f.Name {
			col = k
			break
		}
	}
	if col == nil {
		for _, k := range kids {
			if strings.EqualFold(k.Name(), f.Name) {
				col = k
				break
			}
		}
	}
	if col == nil {
		return &node{name: f.Name, kind: kindMissing, lo: len(p.leaves), hi: len(p.leaves)}, nil
	}
	c, err := p.build(col, f.Type)
	if err != nil {
		return nil, err
	}
	c.name = f.Name
	return c, nil
}

// assemble builds the value of n from segs, the values of n's leaves
// (segs[i] belongs to leaf n.lo+i) for one instance of n's parent.
func (n *node) assemble(segs [][]parquet.Value) (any, error) {
	if n.kind == kindMissing {
		return nil, nil
	}
	if len(segs) == 0 {
		return nil, nil // a struct none of whose fields are in the file
	}
	if len(segs[0]) == 0 {
		return nil, errors.New("corrupt levels: no value for column")
	}
	if segs[0][0].DefinitionLevel() < n.def {
		return nil, nil
	}
	switch n.kind {
	case kindLeaf:
		return n.conv(segs[0][0])
	case kindStruct:
		m := make(map[string]any, len(n.children))
		for _, c := range n.children {
			v, err := c.assemble(segs[c.lo-n.lo : c.hi-n.lo])
			if err != nil {
				return nil, err
			}
			m[c.name] = v
		}
		return m, nil
	}
	elems, err := n.split(segs)
	if err != nil {
		return nil, err
	}
	if n.kind == kindList {
		out := make([]any, 0, len(elems))
		for _, e := range elems {
			v, err := n.elem.assemble(e)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return n.assembleMap(elems)
}

// split cuts the leaf values of a list or map into one group per element.
func (n *node) split(segs [][]parquet.Value) ([][][]parquet.Value, error) {
	if segs[0][0].DefinitionLevel() < n.repDef {
		return nil, nil // present but empty
	}
	var elems [][][]parquet.Value
	for li, seg := range segs {
		k := 0
		start := 0
		for i := 1; i <= len(seg); i++ {
			if i < len(seg) && seg[i].RepetitionLevel() > n.repLevel {
				continue
			}
			if li == 0 {
				elems = append(elems, make([][]parquet.Value, len(segs)))
			}
			if k >= len(elems) {
				return nil, errors.New("corrupt levels: columns disagree on element count")
			}
			elems[k][li] = seg[start:i]
			k++
			start = i
		}
		if k != len(elems) {
			return nil, errors.New("corrupt levels: columns disagree on element count")
		}
	}
	return elems, nil
}

func (n *node) assembleMap(elems [][][]parquet.Value) (any, error) {
	key := n.children[0]
	strKeys := make(map[string]any, len(elems))
	var anyKeys map[any]any
	for _, e := range elems {
		k, err := key.assemble(e[key.lo-n.lo : key.hi-n.lo])
		if err != nil {
			return nil, err
		}
		var v any
		if len(n.children) > 1 {
			val := n.children[1]
			if v, err = val.assemble(e[val.lo-n.lo : val.hi-n.lo]); err != nil {
				return nil, err
			}
		}
		if s, ok := k.(string); ok && anyKeys == nil {
			strKeys[s] = v
			continue
		}
		if anyKeys == nil {
			anyKeys = make(map[any]any, len(elems))
			for s, v := range strKeys {
				anyKeys[s] = v
			}
		}
		if k == nil {
			return nil, errors.New("corrupt map: null key")
		}
		if b, ok := k.([]byte); ok {
			k = string(b)
		}
		anyKeys[k] = v
	}
	if anyKeys != nil {
		return anyKeys, nil
	}
	return strKeys, nil
}
