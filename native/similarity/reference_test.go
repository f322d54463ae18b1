package similarity

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/knn"
)

type refCase struct {
	Name    string      `json:"name"`
	X       [][]float64 `json:"X"`
	Y       [][]float64 `json:"Y"`
	Alphas  []float64   `json:"alphas"`
	K       int         `json:"k"`
	Batches [][2]int    `json:"batches"`
	x, y    *mat.Dense
}

// related returns Y = tanh(X A) + noise: nonlinearly related to X, so every
// measure lands strictly between its extremes.
func related(seed uint64, n, d1, d2 int, noise float64) (*mat.Dense, *mat.Dense) {
	rng := newRand(seed)
	x := sample.Gaussian(rng, n, d1)
	// make X anisotropic so whitening and SVD truncation matter
	for j := 0; j < d1; j++ {
		s := math.Pow(0.8, float64(j))
		for i := 0; i < n; i++ {
			x.Set(i, j, 3+s*x.At(i, j))
		}
	}
	a := sample.Gaussian(rng, d1, d2)
	var y mat.Dense
	y.Mul(x, a)
	r, c := y.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			y.Set(i, j, math.Tanh(0.3*y.At(i, j))+noise*rng.NormFloat64())
		}
	}
	return x, &y
}

func TestAgainstNumpyScipySklearn(t *testing.T) {
	mk := func(name string, seed uint64, n, d1, d2 int, alphas []float64, batches [][2]int) refCase {
		x, y := related(seed, n, d1, d2, 0.3)
		return refCase{Name: name, X: pyref.Rows(x), Y: pyref.Rows(y), Alphas: alphas, K: 5, Batches: batches, x: x, y: y}
	}
	cases := []refCase{
		mk("tall", 1, 60, 12, 8, []float64{1, 0.5, 0}, [][2]int{{0, 20}, {20, 45}, {45, 60}}),
		mk("square", 2, 50, 10, 10, []float64{1, 0.3, 0}, [][2]int{{0, 25}, {25, 50}}),
		mk("wide", 3, 20, 30, 25, []float64{1, 0.5}, [][2]int{{0, 10}, {10, 20}}),
	}
	var want map[string]float64
	pyref.JSON(t, "testdata/reference.py", map[string]any{"cases": cases}, &want)

	for _, c := range cases {
		got := map[string]float64{}
		var err error
		set := func(name string, f func() (float64, error)) {
			v, e := f()
			if e != nil && err == nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
			got[c.Name+"/"+name] = v
		}
		x, y := c.x, c.y
		set("linear_cka_feature", func() (float64, error) { return LinearCKA(x, y) })
		set("linear_cka_gram", func() (float64, error) {
			var k, l mat.SymDense
			k.SymOuterK(1, x)
			l.SymOuterK(1, y)
			return KernelCKA(&k, &l, false)
		})
		set("debiased_cka", func() (float64, error) { return DebiasedCKA(x, y) })
		set("rbf_cka", func() (float64, error) { return RBFCKA(x, y, 0) })
		set("rbf_cka_f2", func() (float64, error) { return RBFCKA(x, y, 2) })
		set("debiased_rbf_cka", func() (float64, error) { return DebiasedRBFCKA(x, y, 1) })
		set("procrustes_nuc", func() (float64, error) { return ProcrustesDistance(x, y) })
		if _, ok := want[c.Name+"/procrustes_scipy"]; ok {
			set("procrustes_scipy", func() (float64, error) { return ProcrustesDistance(x, y) })
		}
		for _, a := range c.Alphas {
			set(fmt.Sprintf("shape_angular_%g", a), func() (float64, error) { return ShapeDistance(x, y, a) })
			set(fmt.Sprintf("shape_euclidean_%g", a), func() (float64, error) { return ShapeDistanceEuclidean(x, y, a) })
		}
		if _, ok := want[c.Name+"/cca"]; ok {
			set("cca", func() (float64, error) { return CCA(x, y) })
			rho, e := CanonicalCorrelations(x, y)
			if e != nil {
				t.Fatal(e)
			}
			for i, r := range rho {
				got[fmt.Sprintf("%s/cca_rho_%d", c.Name, i)] = r
			}
			set("pwcca", func() (float64, error) { return PWCCA(x, y) })
		}
		set("svcca", func() (float64, error) { return SVCCA(x, y, 0) })
		set("svcca_0.5", func() (float64, error) { return SVCCA(x, y, 0.5) })
		for _, dist := range []RDMDistance{RDMEuclidean, RDMCorrelation} {
			for _, corr := range []RSACorrelation{Pearson, Spearman} {
				set(fmt.Sprintf("rsa_%v_%v", dist, corr), func() (float64, error) { return RSA(x, y, dist, corr) })
			}
		}
		set("mutual_knn", func() (float64, error) { return MutualKNN(x, y, c.K) })
		set("knn_jaccard", func() (float64, error) { return KNNJaccard(x, y, c.K, knn.Euclidean) })
		set("minibatch_cka", func() (float64, error) {
			acc := NewMinibatchCKA()
			for _, b := range c.Batches {
				xb := x.Slice(b[0], b[1], 0, len(c.X[0])).(*mat.Dense)
				yb := y.Slice(b[0], b[1], 0, len(c.Y[0])).(*mat.Dense)
				if err := acc.Update(xb, yb); err != nil {
					return 0, err
				}
			}
			return acc.Value()
		})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}

		for name, g := range got {
			w, ok := want[name]
			if !ok {
				t.Errorf("%s: no reference value", name)
				continue
			}
			// Same algorithm as the reference: 1e-8 relative. Values near 0
			// (distances of nearly aligned data) are compared with an absolute
			// floor of 1e-10.
			if e := relErr(g, w, 1e-2); e > 1e-8 {
				t.Errorf("%s: got %.15g, reference %.15g (relative error %.2g)", name, g, w, e)
			} else {
				t.Logf("%s: %.12g (ref %.12g, rel err %.1e)", name, g, w, e)
			}
		}
		// sklearn's iterative CCA (NIPALS) finds the first canonical pair.
		if w, ok := want[c.Name+"/cca_sklearn_first"]; ok {
			if g := got[c.Name+"/cca_rho_0"]; math.Abs(g-w) > 1e-6 {
				t.Errorf("%s: first canonical correlation %.12g, sklearn CCA %.12g", c.Name, g, w)
			}
		}
		// minibatch CKA accumulates HSIC sums exactly: 1e-10 relative
		if g, w := got[c.Name+"/minibatch_cka"], want[c.Name+"/minibatch_cka"]; relErr(g, w, 1e-2) > 1e-10 {
			t.Errorf("%s: minibatch CKA %.15g, accumulated-HSIC reference %.15g", c.Name, g, w)
		}
		// averaging per-batch CKA is a different quantity
		mb, avg := got[c.Name+"/minibatch_cka"], want[c.Name+"/minibatch_mean_of_batches"]
		if math.Abs(mb-avg) < 1e-3 {
			t.Errorf("%s: minibatch CKA %.6g should differ from the mean of per-batch CKA %.6g", c.Name, mb, avg)
		}
	}
}
