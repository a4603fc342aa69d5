package vector

// dot returns the inner product of a and b, which must have the same
// length. It is the hot loop of every search: unrolled by 16 with eight
// independent accumulators so the scalar adds overlap (the Go compiler does
// not vectorise), and written with re-sliced fixed windows so the compiler
// drops the bounds checks inside the loop.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	for len(a) >= 16 {
		x := a[:16:16]
		y := b[:16:16]
		s0 += x[0]*y[0] + x[8]*y[8]
		s1 += x[1]*y[1] + x[9]*y[9]
		s2 += x[2]*y[2] + x[10]*y[10]
		s3 += x[3]*y[3] + x[11]*y[11]
		s4 += x[4]*y[4] + x[12]*y[12]
		s5 += x[5]*y[5] + x[13]*y[13]
		s6 += x[6]*y[6] + x[14]*y[14]
		s7 += x[7]*y[7] + x[15]*y[15]
		a = a[16:]
		b = b[16:]
	}
	for i := range a {
		s0 += a[i] * b[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}
