package fulltext

import "math"

// Document lengths are kept as one-byte codes: exact below normExact tokens,
// then in steps of normStep (4 %), which is finer than BM25 can tell apart
// and keeps the per-document array of the scoring loop small.
const (
	normExact = 40
	normStep  = 1.04
)

// normLens holds the (smallest) length each code stands for.
var normLens = func() (t [256]float32) {
	for c := range t {
		if c < normExact {
			t[c] = float32(c)
		} else {
			t[c] = float32(normExact * math.Pow(normStep, float64(c-normExact)))
		}
	}
	return t
}()

// normCode returns the code of a document length; codes grow with lengths.
func normCode(n int) uint8 {
	if n < normExact {
		return uint8(n)
	}
	c := normExact + int(math.Log(float64(n)/normExact)/math.Log(normStep)+1e-9)
	for c > normExact && float64(normLens[min(c, 255)]) > float64(n) {
		c-- // guard against rounding: a code never stands for more than n
	}
	return uint8(min(c, 255))
}

// normTable returns, for each length code, the BM25 length part of the
// denominator: k1·(1 − b + b·len/avgdl).
func normTable(k1, b, avgdl float32) *[256]float32 {
	var t [256]float32
	for c := range t {
		t[c] = k1 * (1 - b + b*normLens[c]/avgdl)
	}
	return &t
}
