package dependence

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	draw "github.com/subspace-kernel/subspace/native/internal/sample"
)

// columns returns the n x len(idx) matrix of the given columns of x.
func columns(x *mat.Dense, idx []int) *mat.Dense {
	n, _ := x.Dims()
	out := mat.NewDense(n, len(idx), nil)
	for c, j := range idx {
		for i := range n {
			out.Set(i, c, x.At(i, j))
		}
	}
	return out
}

// TestSelectFeatures: every step's choice and score equal the best joint
// DistanceCorrelation over the candidates (the package's naive path on
// the subset, an independent computation), and forward selection skips a
// near-copy of a chosen feature that ranking would put second.
func TestSelectFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	const n, p = 120, 6
	x := draw.Gaussian(rng, n, p)
	y := mat.NewDense(n, 1, nil)
	for i := range n {
		x.Set(i, 5, x.At(i, 0)+0.01*rng.NormFloat64()) // near-copy of column 0
		y.Set(i, 0, x.At(i, 0)+0.8*x.At(i, 3)+0.1*rng.NormFloat64())
	}
	for _, e := range []float64{1, 0.5} {
		sel, err := SelectFeatures(x, y, 4, Options{Exponent: e})
		if err != nil {
			t.Fatal(err)
		}
		var chosen []int
		for step, f := range sel.Features {
			best, bestJ := -1.0, -1
			for j := range p {
				if contains(chosen, j) {
					continue
				}
				d, err := DistanceCorrelation(columns(x, append(append([]int(nil), chosen...), j)), y, Options{Exponent: e, Method: Naive})
				if err != nil {
					t.Fatal(err)
				}
				if d > best+1e-12 {
					best, bestJ = d, j
				}
			}
			if f != bestJ || math.Abs(sel.DCor[step]-best) > 1e-10 {
				t.Fatalf("exponent %v step %d: chose %d (dcor %.12g), brute force %d (%.12g)", e, step, f, sel.DCor[step], bestJ, best)
			}
			chosen = append(chosen, f)
		}
		if sel.Features[0] != 0 && sel.Features[0] != 5 || sel.Features[1] != 3 {
			t.Errorf("exponent %v: selected %v, want 0 (or its copy 5) then 3", e, sel.Features)
		}
	}
	rank, _ := RankFeatures(x, y, Options{})
	t.Logf("ranking puts %d, %d first; forward selection skips the copy", rank[0].Feature, rank[1].Feature)
	if _, err := SelectFeatures(x, y, 7, Options{}); err == nil {
		t.Error("k > p accepted")
	}
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
