package embed

import "math"

// ln returns the natural logarithm of x > 0 using only IEEE-754 basic
// operations, each rounded on its own. math.Log is allowed to differ by an
// ulp between architectures (assembly on amd64, fused multiply-adds
// elsewhere), and Builtin promises bit-identical vectors everywhere.
func ln(x float64) float64 {
	frac, exp := math.Frexp(x) // x = frac * 2^exp, frac in [0.5, 1)
	m := 2 * frac              // m in [1, 2), exact
	k := float64(exp - 1)
	// ln m = 2 atanh(z) = 2 (z + z^3/3 + z^5/5 + ...), z = (m-1)/(m+1) <= 1/3.
	z := (m - 1) / (m + 1)
	z2 := float64(z * z)
	term := z
	sum := 0.0
	for i := 1; i < 40; i += 2 {
		sum = sum + float64(term/float64(i))
		term = float64(term * z2)
	}
	return float64(k*math.Ln2) + float64(2*sum)
}

// sublinearTable caches 1 + ln(tf) for small counts.
var sublinearTable = func() [256]float32 {
	var t [256]float32
	for i := 1; i < len(t); i++ {
		t[i] = float32(1 + ln(float64(i)))
	}
	return t
}()

// sublinear dampens a term frequency: 1 + ln(tf).
func sublinear(tf uint32) float32 {
	if tf < uint32(len(sublinearTable)) {
		return sublinearTable[tf]
	}
	return float32(1 + ln(float64(tf)))
}
