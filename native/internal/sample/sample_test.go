package sample

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestUnitBall checks, for several dimensions, that every point lies in
// the ball, that the radius has the law of U^(1/d) (P(r <= t) = t^d, at
// t^d = 1/4, 1/2, 3/4, within 4 standard errors), that coordinates have
// mean 0 and variance 1/(d+2), and that a seed fixes the sample.
func TestUnitBall(t *testing.T) {
	const n = 20000
	for _, d := range []int{1, 2, 5, 20} {
		x := UnitBall(n, d, rand.New(rand.NewPCG(uint64(d), 1)))
		var below [3]int
		var sum, sq float64
		for i := range n {
			row := x.RawRowView(i)
			r := mat.Norm(mat.NewVecDense(d, row), 2)
			if r > 1 {
				t.Fatalf("d=%d: point %d at radius %v", d, i, r)
			}
			for q, p := range []float64{0.25, 0.5, 0.75} {
				if r <= math.Pow(p, 1/float64(d)) {
					below[q]++
				}
			}
			sum += row[0]
			sq += row[0] * row[0]
		}
		for q, p := range []float64{0.25, 0.5, 0.75} {
			se := math.Sqrt(p * (1 - p) / n)
			if f := float64(below[q]) / n; math.Abs(f-p) > 4*se {
				t.Errorf("d=%d: P(r <= %.3f) = %.4f, want %.2f +- %.4f", d, math.Pow(p, 1/float64(d)), f, p, 4*se)
			}
		}
		v := 1 / float64(d+2)
		if m := sum / n; math.Abs(m) > 4*math.Sqrt(v/n) {
			t.Errorf("d=%d: coordinate mean %.4f, want 0", d, m)
		}
		if s := sq / n; math.Abs(s-v) > 0.05*v {
			t.Errorf("d=%d: coordinate variance %.5f, want %.5f", d, s, v)
		}
		y := UnitBall(n, d, rand.New(rand.NewPCG(uint64(d), 1)))
		if !mat.Equal(x, y) {
			t.Errorf("d=%d: the same seed gave another sample", d)
		}
	}
}
