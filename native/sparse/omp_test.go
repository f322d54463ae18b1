package sparse

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

const sklearnOMP = `
import json, sys
import numpy as np
from sklearn.linear_model import OrthogonalMatchingPursuit
a = json.load(sys.stdin)
X, y = np.array(a["x"]), np.array(a["y"])
out = []
for k, tol in a["cases"]:
    m = OrthogonalMatchingPursuit(n_nonzero_coefs=k if k else None, tol=tol if tol else None, fit_intercept=False).fit(X, y)
    out.append(m.coef_.tolist())
print(json.dumps(out))
`

func TestOMPAgainstSklearn(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	const n, p = 60, 40
	x := sample.Gaussian(rng, n, p)
	for j := range p { // unit columns, as sklearn assumes
		c := x.ColView(j)
		s := 1 / math.Sqrt(mat.Dot(c, c))
		for i := range n {
			x.Set(i, j, x.At(i, j)*s)
		}
	}
	y := make([]float64, n)
	for i := range n {
		y[i] = 3*x.At(i, 4) - 2*x.At(i, 17) + 0.5*x.At(i, 30) + 0.05*rng.NormFloat64()
	}
	cases := [][2]float64{{1, 0}, {3, 0}, {8, 0}, {0, 0.5}, {0, 0}}
	var ref [][]float64
	pyref.JSON(t, sklearnOMP, map[string]any{"x": pyref.Rows(x), "y": y, "cases": cases}, &ref)
	for c, cs := range cases {
		r, err := OMP(x, y, OMPOptions{NonZero: int(cs[0]), Tol: cs[1]})
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range ref[c] {
			if math.Abs(r.Coef[j]-w) > 1e-10 {
				t.Fatalf("case %v: coef %d = %v, sklearn %v", cs, j, r.Coef[j], w)
			}
		}
	}
	r, _ := OMP(x, y, OMPOptions{NonZero: 3})
	if r.Support[0] != 4 || r.Support[1] != 17 || r.Support[2] != 30 {
		t.Errorf("support %v, want [4 17 30]", r.Support)
	}
	// Exact sparse signal: exact recovery and zero residual.
	for i := range n {
		y[i] = 3*x.At(i, 4) - 2*x.At(i, 17)
	}
	r, _ = OMP(x, y, OMPOptions{NonZero: 5})
	if len(r.Support) != 2 || math.Abs(r.Coef[4]-3) > 1e-12 || r.Residual > 1e-20 {
		t.Errorf("exact signal: support %v, coef %v, residual %v", r.Support, r.Coef[4], r.Residual)
	}
	for _, bad := range []OMPOptions{{NonZero: 61}, {Tol: -1}} {
		if _, err := OMP(x, y, bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
	if _, err := OMP(x, y[:5], OMPOptions{}); err == nil {
		t.Error("short y accepted")
	}
}
