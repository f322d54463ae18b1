package geometry

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// TestRateNumpy compares R, Rc and DeltaR with numpy's slogdet on the
// d x d side, in the same run: hard labels with n > d and n < d (where we
// take the n x n side), soft memberships, a doubly stochastic n x n
// membership, and the one-hot soft form equals the hard one.
func TestRateNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	type job struct {
		x      *mat.Dense
		labels []int
		pi     *mat.Dense
	}
	big := sample.Gaussian(rng, 200, 12)
	small := sample.Gaussian(rng, 15, 40)
	lab := func(n, k int) []int {
		l := make([]int, n)
		for i := range l {
			l[i] = rng.IntN(k)
		}
		return l
	}
	jobs := []job{
		{x: big, labels: lab(200, 5)},
		{x: small, labels: lab(15, 3)},
		{x: big, pi: softMemberships(rng, 200, 4)},
		{x: small, pi: doublyStochastic(rng, 15)},
	}
	var in []map[string]any
	for _, j := range jobs {
		pi := j.pi
		if pi == nil {
			pi = oneHot(j.labels)
		}
		in = append(in, map[string]any{"x": pyref.WriteNPY(t, j.x), "pi": pyref.WriteNPY(t, pi)})
	}
	const script = `
import json, sys
import numpy as np
eps = 0.5
out = []
for j in json.load(sys.stdin):
    X, P = np.load(j["x"]), np.load(j["pi"])
    n, d = X.shape
    Z = X.T
    R = np.linalg.slogdet(np.eye(d) + d / (n * eps**2) * Z @ Z.T)[1] / 2
    Rc = 0.0
    for c in range(P.shape[1]):
        t = P[:, c].sum()
        if t > 0:
            Rc += t / (2 * n) * np.linalg.slogdet(np.eye(d) + d / (t * eps**2) * Z @ np.diag(P[:, c]) @ Z.T)[1]
    out.append([R, Rc])
print(json.dumps(out))
`
	var want [][2]float64
	pyref.JSON(t, script, in, &want)
	for k, j := range jobs {
		var r *Rate
		var err error
		if j.pi == nil {
			r, err = RateReduction(j.x, j.labels, 0.5)
			soft, _ := RateReductionSoft(j.x, oneHot(j.labels), 0.5)
			if soft == nil || *soft != *r {
				t.Errorf("job %d: one-hot soft %+v, hard %+v", k, soft, r)
			}
		} else {
			r, err = RateReductionSoft(j.x, j.pi, 0.5)
		}
		if err != nil {
			t.Fatal(err)
		}
		cr, _ := CodingRate(j.x, 0.5)
		if math.Abs(r.R-want[k][0]) > 1e-10*want[k][0] || math.Abs(r.Rc-want[k][1]) > 1e-10*want[k][1] ||
			r.DeltaR != r.R-r.Rc || cr != r.R {
			t.Errorf("job %d: R %.12g Rc %.12g (CodingRate %.12g), numpy %.12g %.12g", k, r.R, r.Rc, cr, want[k][0], want[k][1])
		}
	}
}

// softMemberships returns n random rows of m non-negative memberships
// summing to 1.
func softMemberships(rng *rand.Rand, n, m int) *mat.Dense {
	soft := mat.NewDense(n, m, nil)
	for i := 0; i < n; i++ {
		row := soft.RawRowView(i)
		var s float64
		for j := range row {
			row[j] = rng.Float64()
			s += row[j]
		}
		for j := range row {
			row[j] /= s
		}
	}
	return soft
}

func oneHot(labels []int) *mat.Dense {
	k := 0
	for _, y := range labels {
		k = max(k, y+1)
	}
	m := mat.NewDense(len(labels), k, nil)
	for i, y := range labels {
		m.Set(i, y, 1)
	}
	return m
}

// doublyStochastic returns an n x n matrix with rows and columns summing
// to 1 (Sinkhorn iterations on a positive matrix).
func doublyStochastic(rng *rand.Rand, n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			m.Set(i, j, rng.Float64()+0.1)
		}
	}
	for it := 0; it < 500; it++ {
		for _, rows := range []bool{false, true} {
			for a := 0; a < n; a++ {
				var s float64
				for b := 0; b < n; b++ {
					if rows {
						s += m.At(a, b)
					} else {
						s += m.At(b, a)
					}
				}
				for b := 0; b < n; b++ {
					if rows {
						m.Set(a, b, m.At(a, b)/s)
					} else {
						m.Set(b, a, m.At(b, a)/s)
					}
				}
			}
		}
	}
	return m
}

// TestRateReductionGeometry: classes in mutually orthogonal subspaces have
// a large rate reduction (more than half of R), a labelling drawn
// independently of the data has almost none (below 2% of R).
func TestRateReductionGeometry(t *testing.T) {
	x, labels := subspaceClasses(4, 3, 12, 500, true, 2)
	r, err := RateReduction(x, labels, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	g := sample.Gaussian(rng, 4000, 8)
	indep := make([]int, 4000)
	for i := range indep {
		indep[i] = rng.IntN(4)
	}
	ri, err := RateReduction(g, indep, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("orthogonal classes: R %.3f, Rc %.3f, DeltaR %.3f; independent labels: R %.3f, DeltaR %.4f", r.R, r.Rc, r.DeltaR, ri.R, ri.DeltaR)
	if !(r.DeltaR > 0.5*r.R) || !(ri.DeltaR >= 0 && ri.DeltaR < 0.02*ri.R) {
		t.Errorf("orthogonal %+v, independent %+v", r, ri)
	}
}

func TestRateErrors(t *testing.T) {
	x := sample.Gaussian(rand.New(rand.NewPCG(1, 1)), 4, 2)
	bad := mat.NewDense(4, 2, []float64{1, 0, 0.5, 0.6, 1, 0, 0, 1})
	neg := mat.NewDense(4, 2, []float64{1, 0, 1.5, -0.5, 1, 0, 0, 1})
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"eps", second(CodingRate(x, 0)), "eps = 0, want a finite eps > 0"},
		{"nil", second(CodingRate(nil, 1)), "features is nil"},
		{"labels", second(RateReduction(x, []int{0}, 1)), "labels has 1 entries for 4 samples"},
		{"sum", second(RateReductionSoft(x, bad, 1)), "memberships row 1 sums to 1.1, want 1"},
		{"negative", second(RateReductionSoft(x, neg, 1)), "memberships element (row 1, column 1) is -0.5"},
		{"rows", second(RateReductionSoft(x, mat.NewDense(3, 1, []float64{1, 1, 1}), 1)), "features has 4 rows but memberships has 3"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, c.err, c.want)
		}
	}
}
