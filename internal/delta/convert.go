package delta

import (
	"fmt"
	"math/big"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// This file converts Parquet leaf values to the Go values of Delta types
// (listed in doc.go).

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
