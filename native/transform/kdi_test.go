package transform

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// scipyKDI is the exact KDE integral transform (kditransform's exact
// mode) through scipy.stats.gaussian_kde, and sklearn's rank transform.
const scipyKDI = `
import json, sys
import numpy as np
from scipy.stats import gaussian_kde
from sklearn.preprocessing import QuantileTransformer
a = json.load(sys.stdin)
X, Q = np.array(a["x"]), np.array(a["q"])
out = {"kdi": {}}
for alpha in a["alphas"]:
    Z = np.zeros_like(Q)
    for j in range(X.shape[1]):
        k = gaussian_kde(X[:, j], bw_method=alpha)
        lo, hi = X[:, j].min(), X[:, j].max()
        F = lambda y: k.integrate_box_1d(-np.inf, y)
        flo, fhi = F(lo), F(hi)
        Z[:, j] = [(F(y) - flo) / (fhi - flo) for y in Q[:, j]]
    out["kdi"][str(alpha)] = Z.tolist()
n = len(X)
out["rank"] = QuantileTransformer(n_quantiles=n, subsample=100000).fit(X).transform(X).tolist()
print(json.dumps(out))
`

func kdiData() (x, q *mat.Dense) {
	rng := rand.New(rand.NewPCG(8, 9))
	n := 300
	x = mat.NewDense(n, 3, nil)
	for i := range n {
		x.SetRow(i, []float64{rng.NormFloat64(), math.Exp(rng.NormFloat64()), float64(i%7)*0.5 + rng.Float64()*0.01})
	}
	q = mat.NewDense(n+40, 3, nil)
	for i := range n {
		q.SetRow(i, x.RawRowView(i))
	}
	for i := n; i < n+40; i++ {
		q.SetRow(i, []float64{rng.NormFloat64() * 3, math.Exp(2 * rng.NormFloat64()), rng.Float64()*5 - 1})
	}
	return x, q
}

func TestKDEIntegralAgainstScipy(t *testing.T) {
	x, q := kdiData()
	alphas := []float64{1, 0.2, 0.03}
	var ref struct {
		KDI  map[string][][]float64 `json:"kdi"`
		Rank [][]float64            `json:"rank"`
	}
	pyref.JSON(t, scipyKDI, map[string]any{"x": pyref.Rows(x), "q": pyref.Rows(q), "alphas": alphas}, &ref)
	for _, a := range alphas {
		want := ref.KDI[fmtFloat(a)]
		if want == nil {
			t.Fatalf("no reference for alpha %v", a)
		}
		for _, exact := range []bool{true, false} {
			k, err := FitKDEIntegral(x, KDEIntegralOptions{Bandwidth: a, Exact: exact})
			if err != nil {
				t.Fatal(err)
			}
			z, err := k.Transform(q)
			if err != nil {
				t.Fatal(err)
			}
			tol := 1e-12
			if !exact {
				tol = 1e-9
			}
			worst := 0.0
			for i := range want {
				for j := range want[i] {
					worst = math.Max(worst, math.Abs(z.At(i, j)-want[i][j]))
				}
			}
			if worst > tol {
				t.Errorf("alpha %v exact %v: largest difference from scipy %.3g > %g", a, exact, worst, tol)
			}
		}
	}
	// Small bandwidth: the rank (quantile) transform, as sklearn's with
	// one landmark a sample (columns 0 and 1 have distinct values).
	k, err := FitKDEIntegral(x, KDEIntegralOptions{Bandwidth: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	z, _ := k.Transform(x)
	for i := range ref.Rank {
		for j := range 2 {
			if math.Abs(z.At(i, j)-ref.Rank[i][j]) > 1e-12 {
				t.Fatalf("alpha 1e-9: [%d,%d] = %.15g, sklearn rank transform %.15g", i, j, z.At(i, j), ref.Rank[i][j])
			}
		}
	}
}

func fmtFloat(a float64) string {
	switch a {
	case 1:
		return "1"
	case 0.2:
		return "0.2"
	}
	return "0.03"
}

// TestKDEIntegralMinMaxLimit: a bandwidth far above the spread makes F
// linear over the data, so T is min-max scaling.
func TestKDEIntegralMinMaxLimit(t *testing.T) {
	x, q := kdiData()
	for _, exact := range []bool{true, false} {
		k, err := FitKDEIntegral(x, KDEIntegralOptions{Bandwidth: 1e5, Exact: exact})
		if err != nil {
			t.Fatal(err)
		}
		z, _ := k.Transform(q)
		_, p := x.Dims()
		for j := range p {
			lo, hi := mat.Min(x.ColView(j)), mat.Max(x.ColView(j))
			r, _ := q.Dims()
			for i := range r {
				want := (q.At(i, j) - lo) / (hi - lo)
				if math.Abs(z.At(i, j)-want) > 1e-6*math.Max(1, math.Abs(want)) {
					t.Fatalf("exact %v [%d,%d]: %v, min-max %v", exact, i, j, z.At(i, j), want)
				}
			}
		}
	}
}

func TestKDEIntegralEdges(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{3, 1, 3, 2, 3, 4, 3, 8})
	k, err := FitKDEIntegral(x, KDEIntegralOptions{Normal: true})
	if err != nil {
		t.Fatal(err)
	}
	z, _ := k.Transform(mat.NewDense(2, 2, []float64{2, 1, 4, 8}))
	if k.Bandwidths[0] != 0 || z.At(0, 0) != z.At(0, 1) || z.At(0, 0) >= 0 || z.At(1, 0) <= 0 {
		t.Errorf("constant column / normal output: %v (bandwidths %v)", mat.Formatted(z), k.Bandwidths)
	}
	// Values up to 1e300: finite, in [0, 1] and monotone.
	rng := rand.New(rand.NewPCG(1, 2))
	huge := mat.NewDense(200, 1, nil)
	for i := range 200 {
		huge.Set(i, 0, math.Pow(10, 300*rng.Float64()))
	}
	for _, a := range []float64{1e-6, 1, 1e4} {
		z, err := KDEIntegralTransform(huge, KDEIntegralOptions{Bandwidth: a})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 200 {
			v := z.At(i, 0)
			if !(v >= -1e-9 && v <= 1+1e-9) {
				t.Fatalf("alpha %v: T = %v for x = %v", a, v, huge.At(i, 0))
			}
			for k := range 200 {
				if huge.At(i, 0) < huge.At(k, 0) && v > z.At(k, 0)+1e-12 {
					t.Fatalf("alpha %v: not monotone", a)
				}
			}
		}
	}
	for _, c := range []struct {
		x    *mat.Dense
		opts KDEIntegralOptions
	}{
		{mat.NewDense(2, 1, []float64{-1e308, 1e308}), KDEIntegralOptions{}},
		{mat.NewDense(1, 1, []float64{1}), KDEIntegralOptions{}},
		{mat.NewDense(2, 1, []float64{1, math.NaN()}), KDEIntegralOptions{}},
		{x, KDEIntegralOptions{Bandwidth: -1}},
	} {
		if _, err := FitKDEIntegral(c.x, c.opts); err == nil {
			t.Errorf("accepted %v with %+v", mat.Formatted(c.x), c.opts)
		}
	}
}
