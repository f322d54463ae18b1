package intrinsic

import (
	"math"
	"testing"
)

// TestESSReference checks the reference table against closed forms: for
// d = 1 the expected skewness of uniform data is 2/pi in 2-D and pi/4 in
// 3-D, and 0 in 1-D (degenerate simplices).
func TestESSReference(t *testing.T) {
	ref := essReference(38)
	for _, c := range []struct {
		dim  int
		want float64
	}{{1, 0}, {2, 2 / math.Pi}, {3, math.Pi / 4}} {
		if math.Abs(ref[c.dim-1]-c.want) > 1e-15 {
			t.Errorf("dim %d: %v, want %v", c.dim, ref[c.dim-1], c.want)
		}
	}
	for i := 1; i < len(ref); i++ {
		if !(ref[i] > ref[i-1]) || ref[i] >= 1 {
			t.Fatalf("reference not increasing below 1 at dim %d: %v", i+1, ref[i])
		}
	}
	// Interpolation: the reference value of a dimension maps back to it,
	// also beyond the first table of 20.
	for _, dim := range []int{2, 5, 19, 25} {
		if got := essDim(ref[dim-1]); math.Abs(got-float64(dim)) > 1e-9 {
			t.Errorf("essDim(ref[%d]) = %v", dim, got)
		}
	}
}

// TestLambertW checks w e^w = x over a wide range, and W(e) = 1.
func TestLambertW(t *testing.T) {
	if w := lambertW0(math.E); math.Abs(w-1) > 1e-15 {
		t.Errorf("W(e) = %v", w)
	}
	for _, x := range []float64{1e-12, 0.1, 1, 2.5, 10, 1e3, 1e8, 1e100} {
		w := lambertW0(x)
		if got := w * math.Exp(w); math.Abs(got-x) > 1e-13*x {
			t.Errorf("W(%g) = %v: w e^w = %v", x, w, got)
		}
	}
}
