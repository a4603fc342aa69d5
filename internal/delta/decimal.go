package delta

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// This file handles decimals: Go values are strings with exactly Scale
// decimals; Parquet stores unscaled integers (INT32, INT64 or big-endian
// two's complement bytes).

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

// decimalBytes is the smallest two's complement width for precision p.
func decimalBytes(p int) int {
	limit := pow10(p)
	for n := 1; ; n++ {
		if new(big.Int).Lsh(big.NewInt(1), uint(8*n-1)).Cmp(limit) >= 0 {
			return n
		}
	}
}

func decimalValue(d DecimalType, u *big.Int) parquet.Value {
	switch {
	case d.Precision <= 9:
		return parquet.Int32Value(int32(u.Int64()))
	case d.Precision <= 18:
		return parquet.Int64Value(u.Int64())
	}
	return parquet.FixedLenByteArrayValue(toTwosComplement(u, decimalBytes(d.Precision)))
}
