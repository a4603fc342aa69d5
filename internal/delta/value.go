package delta

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
)

// This file normalizes callers' Go values to the Go values of Delta
// types (listed in doc.go) and compares them.

const (
	dateLayout  = "2006-01-02"
	ntzLayout   = "2006-01-02 15:04:05.999999"
	tsLayoutISO = "2006-01-02T15:04:05.000000Z"
	julianEpoch = 2440588 // Julian day of 1970-01-01
)

// toInt64 converts any Go integer (and integral floats, json.Number).
func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint:
		return int64(x), x <= math.MaxInt64
	case uint64:
		return int64(x), x <= math.MaxInt64
	case float64:
		return int64(x), x == math.Trunc(x) && math.Abs(x) < 1<<63
	case json.Number:
		i, err := x.Int64()
		return i, err == nil
	}
	return 0, false
}

func toFloat64(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	if i, ok := toInt64(v); ok {
		return float64(i), true
	}
	return 0, false
}

// parseTime accepts the timestamp forms found in partition values and
// statistics; values without a zone are UTC.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", dateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: bad timestamp %q", ErrInvalid, s)
}

// normalize converts a caller's Go value to the Go value of Delta type dt
// (see doc.go), refusing values that do not fit.
func normalize(dt DataType, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if rv := reflect.ValueOf(v); (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) && rv.IsNil() {
		return nil, nil
	}
	switch t := dt.(type) {
	case PrimitiveType:
		return normalizePrimitive(t, v)
	case DecimalType:
		u, err := decimalUnscaled(t, v)
		if err != nil {
			return nil, err
		}
		return formatDecimal(u, t.Scale), nil
	case *StructType:
		return normalizeStruct(t, v)
	case *ArrayType:
		return normalizeArray(t, v)
	case *MapType:
		return normalizeMap(t, v)
	}
	return nil, fmt.Errorf("%w: unknown type %v", ErrInvalid, dt)
}

func normalizePrimitive(t PrimitiveType, v any) (any, error) {
	bad := func() (any, error) { return nil, fmt.Errorf("%w: %v (%T) is not a %s", ErrInvalid, v, v, t) }
	switch t {
	case TypeString:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	case TypeLong, TypeInteger, TypeShort, TypeByte:
		i, ok := toInt64(v)
		if !ok {
			return bad()
		}
		return fitInt(t, i, v)
	case TypeFloat:
		if f, ok := toFloat64(v); ok {
			return float32(f), nil
		}
	case TypeDouble:
		if f, ok := toFloat64(v); ok {
			return f, nil
		}
	case TypeBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case TypeBinary:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case TypeDate, TypeTimestamp, TypeTimestampNTZ:
		return normalizeTime(t, v)
	}
	return bad()
}

func fitInt(t PrimitiveType, i int64, v any) (any, error) {
	out := func(ok bool, x any) (any, error) {
		if !ok {
			return nil, fmt.Errorf("%w: %v overflows %s", ErrInvalid, v, t)
		}
		return x, nil
	}
	switch t {
	case TypeInteger:
		return out(i == int64(int32(i)), int32(i))
	case TypeShort:
		return out(i == int64(int16(i)), int16(i))
	case TypeByte:
		return out(i == int64(int8(i)), int8(i))
	}
	return i, nil
}

func normalizeTime(t PrimitiveType, v any) (any, error) {
	var tm time.Time
	switch x := v.(type) {
	case time.Time:
		tm = x
	case string:
		p, err := parseTime(x)
		if err != nil {
			return nil, err
		}
		tm = p
	default:
		return nil, fmt.Errorf("%w: %v (%T) is not a %s", ErrInvalid, v, v, t)
	}
	switch t {
	case TypeDate:
		y, m, d := tm.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	case TypeTimestampNTZ:
		y, m, d := tm.Date()
		return time.Date(y, m, d, tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond()/1000*1000, time.UTC), nil
	}
	return tm.UTC().Truncate(time.Microsecond), nil
}

func normalizeStruct(t *StructType, v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: %T is not a struct (map[string]any)", ErrInvalid, v)
	}
	out := make(map[string]any, len(t.Fields))
	for _, f := range t.Fields {
		x, err := normalize(f.Type, m[f.Name])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if x == nil && !f.Nullable {
			return nil, fmt.Errorf("%w: %s is null but not nullable", ErrInvalid, f.Name)
		}
		out[f.Name] = x
	}
	for k := range m {
		if _, ok := t.Field(k); !ok {
			return nil, fmt.Errorf("%w: unknown field %q", ErrInvalid, k)
		}
	}
	return out, nil
}

func normalizeArray(t *ArrayType, v any) (any, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("%w: %T is not an array", ErrInvalid, v)
	}
	out := make([]any, rv.Len())
	for i := range out {
		x, err := normalize(t.ElementType, rv.Index(i).Interface())
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		if x == nil && !t.ContainsNull {
			return nil, fmt.Errorf("%w: null element in array without nulls", ErrInvalid)
		}
		out[i] = x
	}
	return out, nil
}

func normalizeMap(t *MapType, v any) (any, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, fmt.Errorf("%w: %T is not a map", ErrInvalid, v)
	}
	out := make(map[any]any, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		k, err := normalize(t.KeyType, it.Key().Interface())
		if err != nil || k == nil {
			return nil, fmt.Errorf("%w: map key %v", ErrInvalid, it.Key())
		}
		x, err := normalize(t.ValueType, it.Value().Interface())
		if err != nil {
			return nil, err
		}
		if b, ok := k.([]byte); ok {
			k = string(b)
		}
		out[k] = x
	}
	return out, nil
}

// compareValues orders two non-null Go values of Delta type dt; ok is
// false when they cannot be compared.
func compareValues(dt DataType, a, b any) (c int, ok bool) {
	if d, isDec := dt.(DecimalType); isDec {
		x, err1 := decimalUnscaled(DecimalType{Precision: 76, Scale: d.Scale}, a)
		y, err2 := decimalUnscaled(DecimalType{Precision: 76, Scale: d.Scale}, b)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		return x.Cmp(y), true
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), true
		}
	case bool:
		if y, ok := b.(bool); ok {
			return boolCmp(x, y), true
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y), true
		}
	case []byte:
		if y, ok := b.([]byte); ok {
			return strings.Compare(string(x), string(y)), true
		}
	}
	if i, ok1 := toInt64(a); ok1 {
		if j, ok2 := toInt64(b); ok2 && !isFloat(a) && !isFloat(b) {
			return cmpOrdered(i, j), true
		}
	}
	f, ok1 := toFloat64(a)
	g, ok2 := toFloat64(b)
	if !ok1 || !ok2 || math.IsNaN(f) || math.IsNaN(g) {
		return 0, false
	}
	return cmpOrdered(f, g), true
}

func isFloat(v any) bool {
	switch v.(type) {
	case float32, float64:
		return true
	}
	return false
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

func cmpOrdered[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
