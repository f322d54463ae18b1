package transform

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

const sklearnQuantile = `
import json, sys
import numpy as np
from sklearn.preprocessing import QuantileTransformer
a = json.load(sys.stdin)
X, Q = np.array(a["x"]), np.array(a["q"])
out = {}
for dist in ["uniform", "normal"]:
    for nq in [1000, 37]:
        qt = QuantileTransformer(n_quantiles=nq, output_distribution=dist, subsample=100000).fit(X)
        Z = qt.transform(Q)
        out["%s/%d" % (dist, nq)] = {"landmarks": qt.quantiles_.tolist(), "z": Z.tolist(),
                                      "inv": qt.inverse_transform(Z).tolist()}
print(json.dumps(out))
`

// quantileData has ties (rounded values), a discrete column and a
// heavy-tailed one; the queries add values outside the fitted range.
func quantileData() (x, q *mat.Dense) {
	rng := rand.New(rand.NewPCG(5, 7))
	n, m := 400, 120
	x = mat.NewDense(n, 3, nil)
	for i := range n {
		x.SetRow(i, []float64{math.Round(rng.NormFloat64()*4) / 4, float64(rng.IntN(5)), math.Exp(2 * rng.NormFloat64())})
	}
	q = mat.NewDense(m, 3, nil)
	for i := range m {
		if i < n {
			q.SetRow(i, x.RawRowView(i*3))
		}
		if i%10 == 0 {
			q.SetRow(i, []float64{rng.NormFloat64() * 10, float64(rng.IntN(9) - 2), math.Exp(4 * rng.NormFloat64())})
		}
	}
	return x, q
}

func TestQuantileAgainstSklearn(t *testing.T) {
	x, q := quantileData()
	var ref map[string]struct {
		Landmarks [][]float64 `json:"landmarks"`
		Z         [][]float64 `json:"z"`
		Inv       [][]float64 `json:"inv"`
	}
	pyref.JSON(t, sklearnQuantile, map[string]any{"x": pyref.Rows(x), "q": pyref.Rows(q)}, &ref)
	for _, c := range []struct {
		key    string
		normal bool
		nq     int
	}{{"uniform/1000", false, 0}, {"normal/1000", true, 0}, {"uniform/37", false, 37}, {"normal/37", true, 37}} {
		want := ref[c.key]
		qt, err := FitQuantile(x, QuantileOptions{Normal: c.normal, Quantiles: c.nq})
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := qt.Landmarks.Dims(); r != len(want.Landmarks) {
			t.Fatalf("%s: %d landmarks, sklearn %d", c.key, r, len(want.Landmarks))
		}
		for i, row := range want.Landmarks {
			for j, v := range row {
				if !closeTo(qt.Landmarks.At(i, j), v, 1e-12) {
					t.Errorf("%s: landmark [%d,%d] = %v, sklearn %v", c.key, i, j, qt.Landmarks.At(i, j), v)
				}
			}
		}
		z, err := qt.Transform(q)
		if err != nil {
			t.Fatal(err)
		}
		inv, err := qt.InverseTransform(z)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Z {
			for j := range want.Z[i] {
				if !closeTo(z.At(i, j), want.Z[i][j], 1e-9) {
					t.Errorf("%s: z[%d,%d] = %.12g, sklearn %.12g (x %v)", c.key, i, j, z.At(i, j), want.Z[i][j], q.At(i, j))
				}
				if !closeTo(inv.At(i, j), want.Inv[i][j], 1e-7) {
					t.Errorf("%s: inverse [%d,%d] = %.12g, sklearn %.12g", c.key, i, j, inv.At(i, j), want.Inv[i][j])
				}
			}
		}
	}
}

func TestQuantileErrorsAndSubsample(t *testing.T) {
	if _, err := FitQuantile(mat.NewDense(2, 1, []float64{1, math.Inf(1)}), QuantileOptions{}); err == nil {
		t.Error("Inf accepted")
	}
	x, _ := quantileData()
	qt, err := FitQuantile(x, QuantileOptions{Subsample: 100, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := qt.Landmarks.Dims(); r != 100 {
		t.Errorf("subsample of 100 rows gives %d landmarks, want 100", r)
	}
	if _, err := qt.Transform(mat.NewDense(1, 2, nil)); err == nil {
		t.Error("column mismatch accepted")
	}
	// Uniform output of the fitted data lies in [0, 1] and is monotone in x.
	z, _ := qt.Transform(x)
	n, _ := x.Dims()
	for i := range n {
		for k := range n {
			if x.At(i, 2) < x.At(k, 2) && z.At(i, 2) > z.At(k, 2) {
				t.Fatalf("not monotone: x %v < %v but z %v > %v", x.At(i, 2), x.At(k, 2), z.At(i, 2), z.At(k, 2))
			}
		}
	}
}
