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
		x := UnitBall(rand.New(rand.NewPCG(uint64(d), 1)), n, d)
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
		y := UnitBall(rand.New(rand.NewPCG(uint64(d), 1)), n, d)
		if !mat.Equal(x, y) {
			t.Errorf("d=%d: the same seed gave another sample", d)
		}
	}
}

// TestGaussian checks the entries' mean, variance and fourth moment (3 for
// a normal law) and that draws fill the rows in order.
func TestGaussian(t *testing.T) {
	const n, d = 400, 50
	x := Gaussian(rand.New(rand.NewPCG(7, 7)), n, d)
	var m1, m2, m4 float64
	for i := range n {
		for _, v := range x.RawRowView(i) {
			m1 += v
			m2 += v * v
			m4 += v * v * v * v
		}
	}
	N := float64(n * d)
	m1, m2, m4 = m1/N, m2/N, m4/N
	if math.Abs(m1) > 4/math.Sqrt(N) || math.Abs(m2-1) > 4*math.Sqrt(2/N) || math.Abs(m4-3) > 4*math.Sqrt(96/N) {
		t.Errorf("moments %.4f %.4f %.4f, want 0, 1, 3", m1, m2, m4)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 3 {
		for j := range d {
			if w := rng.NormFloat64(); x.At(i, j) != w {
				t.Fatalf("entry (%d, %d) = %v, want the %d-th draw %v", i, j, x.At(i, j), i*d+j, w)
			}
		}
	}
}

// TestShuffled32 checks that the rows are a permutation of x's, rounded to
// float32, and that the seed fixes the order.
func TestShuffled32(t *testing.T) {
	x := mat.NewDense(50, 3, nil)
	for i := range 50 {
		x.Set(i, 0, float64(i)) // row identity
		x.Set(i, 1, 0.1)
	}
	a, b := Shuffled32(x, 4), Shuffled32(x, 4)
	seen := make([]bool, 50)
	moved := 0
	for i := range 50 {
		r := int(a.At(i, 0))
		if seen[r] || a.At(i, 1) != float32(0.1) || b.At(i, 0) != a.At(i, 0) {
			t.Fatalf("row %d: %v (seen %v), other draw %v", i, a.Row(i), seen[r], b.Row(i))
		}
		seen[r] = true
		if r != i {
			moved++
		}
	}
	if moved < 40 {
		t.Errorf("only %d of 50 rows moved", moved)
	}
}
