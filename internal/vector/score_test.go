package vector

import (
	"math"
	"testing"
)

func TestScores(t *testing.T) {
	t.Parallel()
	x := New(2, Options{})
	s := float32(math.Sqrt(0.5))
	if err := x.Add(1, []float32{1, 0}); err != nil {
		t.Fatal(err)
	}
	if err := x.Add(2, []float32{s, s}); err != nil {
		t.Fatal(err)
	}
	x.Delete(2)
	got, ok, err := x.Scores([]float32{1, 0}, []uint64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if !ok[0] || ok[1] || ok[2] || math.Abs(float64(got[0]-1)) > 1e-6 {
		t.Fatalf("scores %v %v", got, ok)
	}
	if _, _, err := x.Scores([]float32{1}, nil); err == nil {
		t.Fatal("dimension mismatch accepted")
	}
}
