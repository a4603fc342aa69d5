package delta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// DataType is a Delta column type: a PrimitiveType, DecimalType, StructType,
// ArrayType or MapType.
type DataType interface {
	// String returns the type as written in a schemaString ("long",
	// "decimal(5,3)", "struct<...>" for complex types).
	String() string
	isDataType()
}

// PrimitiveType is a Delta primitive type other than decimal.
type PrimitiveType string

// The primitive types of the Delta protocol.
const (
	TypeString       PrimitiveType = "string"
	TypeLong         PrimitiveType = "long"
	TypeInteger      PrimitiveType = "integer"
	TypeShort        PrimitiveType = "short"
	TypeByte         PrimitiveType = "byte"
	TypeFloat        PrimitiveType = "float"
	TypeDouble       PrimitiveType = "double"
	TypeBoolean      PrimitiveType = "boolean"
	TypeBinary       PrimitiveType = "binary"
	TypeDate         PrimitiveType = "date"
	TypeTimestamp    PrimitiveType = "timestamp"
	TypeTimestampNTZ PrimitiveType = "timestamp_ntz"
)

// String returns the type name.
func (t PrimitiveType) String() string { return string(t) }
func (PrimitiveType) isDataType()      {}

// DecimalType is decimal(Precision, Scale).
type DecimalType struct {
	Precision int
	Scale     int
}

// String returns "decimal(p,s)".
func (t DecimalType) String() string { return fmt.Sprintf("decimal(%d,%d)", t.Precision, t.Scale) }
func (DecimalType) isDataType()      {}

// StructField is one named field of a struct.
type StructField struct {
	Name     string
	Type     DataType
	Nullable bool
	// Metadata is the field's free-form metadata (column mapping names,
	// invariants, comments); nil when empty.
	Metadata map[string]any
}

// StructType is an ordered list of fields; a table schema is one.
type StructType struct {
	Fields []StructField
}

// String returns "struct<name:type,...>".
func (t *StructType) String() string {
	var b bytes.Buffer
	b.WriteString("struct<")
	for i, f := range t.Fields {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s:%s", f.Name, f.Type)
	}
	b.WriteByte('>')
	return b.String()
}

func (*StructType) isDataType() {}

// Field returns the field called name.
func (t *StructType) Field(name string) (StructField, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return StructField{}, false
}

// ArrayType is an array of ElementType.
type ArrayType struct {
	ElementType  DataType
	ContainsNull bool
}

// String returns "array<element>".
func (t *ArrayType) String() string { return "array<" + t.ElementType.String() + ">" }
func (*ArrayType) isDataType()      {}

// MapType is a map from KeyType to ValueType.
type MapType struct {
	KeyType           DataType
	ValueType         DataType
	ValueContainsNull bool
}

// String returns "map<key,value>".
func (t *MapType) String() string {
	return "map<" + t.KeyType.String() + "," + t.ValueType.String() + ">"
}
func (*MapType) isDataType() {}

// jsonField and jsonType mirror the JSON form of a schemaString.
type jsonField struct {
	Name     string          `json:"name"`
	Type     json.RawMessage `json:"type"`
	Nullable bool            `json:"nullable"`
	Metadata map[string]any  `json:"metadata"`
}

type jsonType struct {
	Type              string          `json:"type"`
	Fields            []jsonField     `json:"fields,omitempty"`
	ElementType       json.RawMessage `json:"elementType,omitempty"`
	ContainsNull      *bool           `json:"containsNull,omitempty"`
	KeyType           json.RawMessage `json:"keyType,omitempty"`
	ValueType         json.RawMessage `json:"valueType,omitempty"`
	ValueContainsNull *bool           `json:"valueContainsNull,omitempty"`
}

// ParseSchema parses a metaData.schemaString.
func ParseSchema(s string) (*StructType, error) {
	t, err := parseType(json.RawMessage(s), 0)
	if err != nil {
		return nil, fmt.Errorf("delta: schema: %w", err)
	}
	st, ok := t.(*StructType)
	if !ok {
		return nil, fmt.Errorf("delta: schema: top level is %s, not a struct", t)
	}
	return st, nil
}

// maxTypeDepth bounds nesting so hostile schemas cannot exhaust the stack.
const maxTypeDepth = 64

func parseType(raw json.RawMessage, depth int) (DataType, error) {
	if depth > maxTypeDepth {
		return nil, fmt.Errorf("type nested deeper than %d", maxTypeDepth)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			return nil, err
		}
		return parsePrimitive(name)
	}
	var jt jsonType
	if err := json.Unmarshal(raw, &jt); err != nil {
		return nil, err
	}
	switch jt.Type {
	case "struct":
		st := &StructType{Fields: make([]StructField, 0, len(jt.Fields))}
		for _, f := range jt.Fields {
			ft, err := parseType(f.Type, depth+1)
			if err != nil {
				return nil, fmt.Errorf("field %q: %w", f.Name, err)
			}
			var md map[string]any
			if len(f.Metadata) > 0 {
				md = f.Metadata
			}
			st.Fields = append(st.Fields, StructField{Name: f.Name, Type: ft, Nullable: f.Nullable, Metadata: md})
		}
		return st, nil
	case "array":
		et, err := parseType(jt.ElementType, depth+1)
		if err != nil {
			return nil, fmt.Errorf("array element: %w", err)
		}
		return &ArrayType{ElementType: et, ContainsNull: jt.ContainsNull == nil || *jt.ContainsNull}, nil
	case "map":
		kt, err := parseType(jt.KeyType, depth+1)
		if err != nil {
			return nil, fmt.Errorf("map key: %w", err)
		}
		vt, err := parseType(jt.ValueType, depth+1)
		if err != nil {
			return nil, fmt.Errorf("map value: %w", err)
		}
		return &MapType{KeyType: kt, ValueType: vt, ValueContainsNull: jt.ValueContainsNull == nil || *jt.ValueContainsNull}, nil
	}
	return nil, fmt.Errorf("unknown type %q", jt.Type)
}

func parsePrimitive(name string) (DataType, error) {
	switch p := PrimitiveType(name); p {
	case TypeString, TypeLong, TypeInteger, TypeShort, TypeByte, TypeFloat, TypeDouble,
		TypeBoolean, TypeBinary, TypeDate, TypeTimestamp, TypeTimestampNTZ:
		return p, nil
	case "decimal":
		return DecimalType{Precision: 10, Scale: 0}, nil
	}
	if args, ok := strings.CutPrefix(name, "decimal("); ok {
		args, ok = strings.CutSuffix(args, ")")
		ps, ss, ok2 := strings.Cut(args, ",")
		p, err1 := strconv.Atoi(strings.TrimSpace(ps))
		s, err2 := strconv.Atoi(strings.TrimSpace(ss))
		if !ok || !ok2 || err1 != nil || err2 != nil || p < 1 || p > 38 || s < 0 || s > p {
			return nil, fmt.Errorf("invalid type %q", name)
		}
		return DecimalType{Precision: p, Scale: s}, nil
	}
	return nil, fmt.Errorf("unknown type %q", name)
}

// MarshalSchema returns the schemaString of t.
func MarshalSchema(t *StructType) (string, error) {
	b, err := json.Marshal(typeJSON(t))
	if err != nil {
		return "", fmt.Errorf("delta: schema: %w", err)
	}
	return string(b), nil
}

// typeJSON converts t to a value whose JSON encoding is the protocol's form.
func typeJSON(t DataType) any {
	switch t := t.(type) {
	case *StructType:
		fields := make([]map[string]any, 0, len(t.Fields))
		for _, f := range t.Fields {
			md := f.Metadata
			if md == nil {
				md = map[string]any{}
			}
			fields = append(fields, map[string]any{"name": f.Name, "type": typeJSON(f.Type), "nullable": f.Nullable, "metadata": md})
		}
		return map[string]any{"type": "struct", "fields": fields}
	case *ArrayType:
		return map[string]any{"type": "array", "elementType": typeJSON(t.ElementType), "containsNull": t.ContainsNull}
	case *MapType:
		return map[string]any{"type": "map", "keyType": typeJSON(t.KeyType), "valueType": typeJSON(t.ValueType), "valueContainsNull": t.ValueContainsNull}
	}
	return t.String()
}

// hasType reports whether t or a type nested in it satisfies pred.
func hasType(t DataType, pred func(DataType) bool) bool {
	if pred(t) {
		return true
	}
	switch t := t.(type) {
	case *StructType:
		for _, f := range t.Fields {
			if hasType(f.Type, pred) {
				return true
			}
		}
	case *ArrayType:
		return hasType(t.ElementType, pred)
	case *MapType:
		return hasType(t.KeyType, pred) || hasType(t.ValueType, pred)
	}
	return false
}
