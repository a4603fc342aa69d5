package delta

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// This file maps between Delta types and Go values. The Go value of each
// Delta type is listed in doc.go.

const (
	dateLayout  = "2006-01-02"
	ntzLayout   = "2006-01-02 15:04:05.999999"
	tsLayoutISO = "2006-01-02T15:04:05.000000Z"
	julianEpoch = 2440588 // Julian day of 1970-01-01
)

// leafConverter returns the function that turns a non-null Parquet value
// of column col into the Go value of Delta type dt (nil: derived from the
// Parquet type).
func leafConverter(col *parquet.Column, dt DataType) (func(parquet.Value) (any, error), error) {
	typ := col.Type()
	var lv format.LogicalTypeValue
	if lt := typ.LogicalType(); lt != nil {
		lv = lt.Value
	}
	if d, ok := lv.(*format.DecimalType); ok {
		return decimalConverter(typ.Kind(), int(d.Scale), dt), nil
	}
	switch typ.Kind() {
	case parquet.Boolean:
		return func(v parquet.Value) (any, error) { return v.Boolean(), nil }, nil
	case parquet.Int32:
		return int32Converter(lv, dt), nil
	case parquet.Int64:
		return int64Converter(lv, dt), nil
	case parquet.Int96:
		return func(v parquet.Value) (any, error) { return int96Time(v), nil }, nil
	case parquet.Float:
		if dt == TypeDouble {
			return func(v parquet.Value) (any, error) { return float64(v.Float()), nil }, nil
		}
		return func(v parquet.Value) (any, error) { return v.Float(), nil }, nil
	case parquet.Double:
		return func(v parquet.Value) (any, error) { return v.Double(), nil }, nil
	case parquet.ByteArray, parquet.FixedLenByteArray:
		switch lv.(type) {
		case *format.StringType, *format.EnumType, *format.JsonType:
			return func(v parquet.Value) (any, error) { return string(v.ByteArray()), nil }, nil
		}
		if dt == TypeString {
			return func(v parquet.Value) (any, error) { return string(v.ByteArray()), nil }, nil
		}
		return func(v parquet.Value) (any, error) { return append([]byte{}, v.ByteArray()...), nil }, nil
	}
	return nil, fmt.Errorf("unsupported parquet type %s", typ)
}

func int32Converter(lv format.LogicalTypeValue, dt DataType) func(parquet.Value) (any, error) {
	if _, ok := lv.(*format.DateType); ok || dt == TypeDate {
		if dt == nil { // log/checkpoint reads: keep dates as text
			return func(v parquet.Value) (any, error) { return epochDay(int64(v.Int32())).Format(dateLayout), nil }
		}
		return func(v parquet.Value) (any, error) { return epochDay(int64(v.Int32())), nil }
	}
	bits := 32
	if it, ok := lv.(*format.IntType); ok {
		bits = int(it.BitWidth)
	}
	switch {
	case dt == TypeByte || (dt == nil && bits == 8):
		return func(v parquet.Value) (any, error) { return int8(v.Int32()), nil }
	case dt == TypeShort || (dt == nil && bits == 16):
		return func(v parquet.Value) (any, error) { return int16(v.Int32()), nil }
	case dt == TypeLong:
		return func(v parquet.Value) (any, error) { return int64(v.Int32()), nil }
	case dt == TypeDouble:
		return func(v parquet.Value) (any, error) { return float64(v.Int32()), nil }
	}
	return func(v parquet.Value) (any, error) { return v.Int32(), nil }
}

func int64Converter(lv format.LogicalTypeValue, dt DataType) func(parquet.Value) (any, error) {
	unit := time.Duration(0)
	if ts, ok := lv.(*format.TimestampType); ok {
		switch ts.Unit.Value.(type) {
		case *format.MilliSeconds:
			unit = time.Millisecond
		case *format.NanoSeconds:
			unit = time.Nanosecond
		default:
			unit = time.Microsecond
		}
	} else if dt == TypeTimestamp || dt == TypeTimestampNTZ {
		unit = time.Microsecond
	}
	switch unit {
	case time.Millisecond:
		return func(v parquet.Value) (any, error) { return time.UnixMilli(v.Int64()).UTC(), nil }
	case time.Microsecond:
		return func(v parquet.Value) (any, error) { return time.UnixMicro(v.Int64()).UTC(), nil }
	case time.Nanosecond:
		return func(v parquet.Value) (any, error) { return time.Unix(0, v.Int64()).UTC(), nil }
	}
	if dt == TypeDouble {
		return func(v parquet.Value) (any, error) { return float64(v.Int64()), nil }
	}
	return func(v parquet.Value) (any, error) { return v.Int64(), nil }
}

// int96Time decodes a legacy INT96 timestamp: nanoseconds of the day, then
// the Julian day. time.Time covers year 9999, unlike int64 nanoseconds.
func int96Time(v parquet.Value) time.Time {
	i := v.Int96()
	nanos := int64(uint64(i[1])<<32 | uint64(i[0]))
	day := int64(int32(i[2]))
	return time.Unix((day-julianEpoch)*86400, 0).Add(time.Duration(nanos)).UTC()
}

func epochDay(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

func decimalConverter(kind parquet.Kind, scale int, dt DataType) func(parquet.Value) (any, error) {
	out := scale
	if d, ok := dt.(DecimalType); ok {
		out = d.Scale
	}
	return func(v parquet.Value) (any, error) {
		var u *big.Int
		switch kind {
		case parquet.Int32:
			u = big.NewInt(int64(v.Int32()))
		case parquet.Int64:
			u = big.NewInt(v.Int64())
		default:
			u = twosComplement(v.ByteArray())
		}
		return formatDecimal(rescale(u, scale, out), out), nil
	}
}

// twosComplement decodes a big-endian two's complement integer.
func twosComplement(b []byte) *big.Int {
	u := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return u
}

// toTwosComplement encodes u as big-endian two's complement in n bytes.
func toTwosComplement(u *big.Int, n int) []byte {
	x := new(big.Int).Set(u)
	if x.Sign() < 0 {
		x.Add(x, new(big.Int).Lsh(big.NewInt(1), uint(8*n)))
	}
	b := x.Bytes()
	out := make([]byte, n)
	copy(out[n-len(b):], b)
	return out
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// rescale changes the scale of an unscaled value (truncating when
// narrowing, which only happens for inconsistent files).
func rescale(u *big.Int, from, to int) *big.Int {
	switch {
	case to > from:
		return new(big.Int).Mul(u, pow10(to-from))
	case to < from:
		return new(big.Int).Quo(u, pow10(from-to))
	}
	return u
}

// formatDecimal writes unscaled u with scale digits after the point.
func formatDecimal(u *big.Int, scale int) string {
	s := new(big.Int).Abs(u).String()
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if u.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// decimalUnscaled returns the unscaled value of v (string, number,
// *big.Rat, json.Number) at scale d.Scale, refusing inexact or too large
// values.
func decimalUnscaled(d DecimalType, v any) (*big.Int, error) {
	var r *big.Rat
	switch x := v.(type) {
	case string:
		r, _ = new(big.Rat).SetString(strings.TrimSpace(x))
	case json.Number:
		r, _ = new(big.Rat).SetString(string(x))
	case *big.Rat:
		r = x
	case *big.Int:
		r = new(big.Rat).SetInt(x)
	case float64:
		r, _ = new(big.Rat).SetString(strconv.FormatFloat(x, 'f', -1, 64))
	case float32:
		r, _ = new(big.Rat).SetString(strconv.FormatFloat(float64(x), 'f', -1, 32))
	default:
		if i, ok := toInt64(v); ok {
			r = new(big.Rat).SetInt64(i)
		}
	}
	if r == nil {
		return nil, fmt.Errorf("%w: %v (%T) is not a %s", ErrInvalid, v, v, d)
	}
	r = new(big.Rat).Mul(r, new(big.Rat).SetInt(pow10(d.Scale)))
	if !r.IsInt() {
		return nil, fmt.Errorf("%w: %v has more than %d decimal places", ErrInvalid, v, d.Scale)
	}
	u := new(big.Int).Set(r.Num())
	if new(big.Int).Abs(u).Cmp(pow10(d.Precision)) >= 0 {
		return nil, fmt.Errorf("%w: %v does not fit %s", ErrInvalid, v, d)
	}
	return u, nil
}

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

// parsePartitionValue converts a partitionValues string to the Go value of
// dt; nil and (for non-string types) "" are null.
func parsePartitionValue(dt DataType, s *string) (any, error) {
	if s == nil {
		return nil, nil
	}
	if dt == TypeString {
		return *s, nil
	}
	if *s == "" {
		return nil, nil
	}
	switch dt {
	case TypeLong, TypeInteger, TypeShort, TypeByte:
		i, err := strconv.ParseInt(*s, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: partition value %q: %v", ErrInvalid, *s, err)
		}
		return fitInt(dt.(PrimitiveType), i, *s)
	case TypeFloat, TypeDouble:
		f, err := strconv.ParseFloat(*s, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: partition value %q: %v", ErrInvalid, *s, err)
		}
		return normalize(dt, f)
	case TypeBoolean:
		b, err := strconv.ParseBool(strings.ToLower(*s))
		if err != nil {
			return nil, fmt.Errorf("%w: partition value %q: %v", ErrInvalid, *s, err)
		}
		return b, nil
	}
	return normalize(dt, *s)
}

// formatPartitionValue is the inverse of parsePartitionValue.
func formatPartitionValue(dt DataType, v any) *string {
	if v == nil {
		return nil
	}
	var s string
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil // as in Spark: an empty partition value is null
		}
		s = x
	case []byte:
		s = string(x)
	case time.Time:
		switch dt {
		case TypeDate:
			s = x.Format(dateLayout)
		case TypeTimestampNTZ:
			s = x.Format(ntzLayout)
		default:
			s = x.UTC().Format(tsLayoutISO)
		}
	case float32:
		s = strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		s = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		s = fmt.Sprint(x)
	}
	return &s
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

// errNotComparable reports a filter on a value that cannot be ordered.
var errNotComparable = errors.New("not comparable")
