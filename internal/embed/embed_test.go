package embed

import (
	"math"
	"testing"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, tc := range []struct {
		in, want []float32
		ok       bool
	}{
		{[]float32{3, 4}, []float32{0.6, 0.8}, true},
		{[]float32{0, -2, 0}, []float32{0, -1, 0}, true},
		{[]float32{1e-30, 1e-30}, []float32{float32(1 / math.Sqrt2), float32(1 / math.Sqrt2)}, true},
		{[]float32{3e38, 3e38}, []float32{float32(1 / math.Sqrt2), float32(1 / math.Sqrt2)}, true},
		{[]float32{0, 0}, []float32{0, 0}, false},
		{[]float32{1, nan}, []float32{0, 0}, false},
		{[]float32{inf, 1}, []float32{0, 0}, false},
		{nil, nil, false},
	} {
		v := append([]float32(nil), tc.in...)
		ok := Normalize(v)
		if ok != tc.ok {
			t.Errorf("Normalize(%v) = %v, want %v", tc.in, ok, tc.ok)
		}
		for i := range v {
			if math.Abs(float64(v[i]-tc.want[i])) > 1e-6 {
				t.Errorf("Normalize(%v) = %v, want %v", tc.in, v, tc.want)
				break
			}
		}
	}
}

func TestDot(t *testing.T) {
	t.Parallel()
	a := []float32{1, 2, 3, 4, 5, 6, 7}
	b := []float32{7, 6, 5, 4, 3, 2, 1}
	if got := Dot(a, b); got != 84 {
		t.Errorf("Dot = %v, want 84", got)
	}
	if got := Dot(nil, nil); got != 0 {
		t.Errorf("Dot(nil, nil) = %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Dot of different lengths did not panic")
		}
	}()
	Dot(a, b[:3])
}

func TestKind(t *testing.T) {
	t.Parallel()
	if Query.String() != "query" || Passage.String() != "passage" || Kind(9).String() != "Kind(9)" {
		t.Error("Kind.String")
	}
	if !Query.Valid() || !Passage.Valid() || Kind(0).Valid() {
		t.Error("Kind.Valid")
	}
}
