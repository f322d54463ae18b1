package density

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestKNNEntropyGaussian: for N(0, Sigma) samples the estimate approaches
// 0.5 log det(2 pi e Sigma) as n grows (mean error over seeds shrinks).
func TestKNNEntropyGaussian(t *testing.T) {
	// Sigma = L L^T with a fixed lower-triangular L.
	l := mat.NewDense(3, 3, []float64{1.5, 0, 0, 0.4, 0.7, 0, -0.3, 0.2, 2})
	logdet := 2 * (math.Log(1.5) + math.Log(0.7) + math.Log(2))
	want := 0.5 * (3*math.Log(2*math.Pi*math.E) + logdet)
	prevErr := math.Inf(1)
	for _, n := range []int{250, 2000, 16000} {
		var mean float64
		const seeds = 4
		for s := range uint64(seeds) {
			g := sample.Gaussian(rand.New(rand.NewPCG(s, uint64(n))), n, 3)
			var x mat.Dense
			x.Mul(g, l.T())
			h, err := KNNEntropy(&x, KNNEntropyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			mean += h / seeds
		}
		e := math.Abs(mean - want)
		t.Logf("n = %d: estimate %.4f, closed form %.4f, error %.4f", n, mean, want, e)
		if e >= prevErr && e > 0.01 {
			t.Errorf("n = %d: error %.4f did not shrink from %.4f", n, e, prevErr)
		}
		prevErr = e
	}
	if prevErr > 0.03 {
		t.Errorf("error %.4f at n = 16000", prevErr)
	}
}

// TestKNNEntropyManifold: points uniform on a circle of radius r in R^3
// have entropy log(2 pi r) with respect to arc length; Dim = 1 estimates it.
func TestKNNEntropyManifold(t *testing.T) {
	const n, r = 4000, 2.5
	rng := rand.New(rand.NewPCG(9, 9))
	x := mat.NewDense(n, 3, nil)
	for i := range n {
		a := 2 * math.Pi * rng.Float64()
		x.SetRow(i, []float64{r * math.Cos(a), r * math.Sin(a), 0})
	}
	h, err := KNNEntropy(x, KNNEntropyOptions{Dim: 1, K: 5})
	if err != nil {
		t.Fatal(err)
	}
	if want := math.Log(2 * math.Pi * r); math.Abs(h-want) > 0.03 {
		t.Errorf("manifold entropy %.4f, want log(2 pi r) = %.4f", h, want)
	}
	h32, err := KNNEntropy32(mat32.FromDense(x), KNNEntropyOptions{Dim: 1, K: 5})
	if err != nil || math.Abs(h32-h) > 1e-3 {
		t.Errorf("float32: %v (%v), float64 %v", h32, err, h)
	}
}

func TestKNNEntropyErrors(t *testing.T) {
	dup := mat.NewDense(5, 2, []float64{0, 0, 0, 0, 0, 0, 0, 0, 1, 1})
	if _, err := KNNEntropy(dup, KNNEntropyOptions{K: 2}); err == nil {
		t.Error("duplicates accepted")
	}
	if _, err := KNNEntropy(dup, KNNEntropyOptions{K: 5}); err == nil {
		t.Error("k = n accepted")
	}
	if _, err := KNNEntropyFromDistances([]float64{1}, 1, 1); err == nil {
		t.Error("one distance accepted")
	}
}
