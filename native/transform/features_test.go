package transform

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// TestHermiteOrthonormal: E[h_j h_k] under N(0, 1) by 40-point
// Gauss-Hermite quadrature (exact for degree < 80).
func TestHermiteOrthonormal(t *testing.T) {
	nodes, w := GaussHermiteNodes(40)
	const deg = 12
	gram := make([][]float64, deg+1)
	for j := range gram {
		gram[j] = make([]float64, deg+1)
	}
	for i, t0 := range nodes {
		h := HermiteBasis(t0, deg)
		for j := range h {
			for k := range h {
				gram[j][k] += w[i] * h[j] * h[k]
			}
		}
	}
	for j := range gram {
		for k := range gram[j] {
			want := 0.0
			if j == k {
				want = 1
			}
			if math.Abs(gram[j][k]-want) > 1e-12 {
				t.Errorf("E[h_%d h_%d] = %.15g, want %v", j, k, gram[j][k], want)
			}
		}
	}
}

const numpyHermite = `
import json, sys, math
import numpy as np
from numpy.polynomial import hermite_e as H
a = json.load(sys.stdin)
x, deg = np.array(a["x"]), a["degree"]
cols = []
for j in range(x.shape[1]):
    for k in range(1, deg + 1):
        c = np.zeros(k + 1); c[k] = 1
        cols.append(H.hermeval(x[:, j], c) / math.sqrt(math.factorial(k)))
print(json.dumps(np.array(cols).T.tolist()))
`

func TestHermiteFeaturesAgainstNumpy(t *testing.T) {
	x := sample.Gaussian(rand.New(rand.NewPCG(3, 3)), 20, 3)
	z, err := HermiteFeatures(x, 6)
	if err != nil {
		t.Fatal(err)
	}
	var ref [][]float64
	pyref.JSON(t, numpyHermite, map[string]any{"x": pyref.Rows(x), "degree": 6}, &ref)
	for i := range ref {
		for j := range ref[i] {
			if math.Abs(z.At(i, j)-ref[i][j]) > 1e-12*math.Max(1, math.Abs(ref[i][j])) {
				t.Fatalf("[%d,%d] = %v, numpy hermeval %v", i, j, z.At(i, j), ref[i][j])
			}
		}
	}
	if _, err := HermiteFeatures(x, 0); err == nil {
		t.Error("degree 0 accepted")
	}
}

// TestFourierOrthonormal: on an even grid of one period (exact for
// trigonometric polynomials of low degree) the features are orthonormal
// and orthogonal to the constant.
func TestFourierOrthonormal(t *testing.T) {
	const n, order, period = 64, 5, 2.5
	x := mat.NewDense(n, 1, nil)
	for i := range n {
		x.Set(i, 0, period*float64(i)/n)
	}
	z, err := FourierFeatures(x, order, period)
	if err != nil {
		t.Fatal(err)
	}
	var g mat.Dense
	g.Mul(z.T(), z)
	g.Scale(1.0/n, &g)
	if !mat.EqualApprox(&g, eye(2*order), 1e-12) {
		t.Errorf("Gram matrix of the Fourier features is not the identity:\n%v", mat.Formatted(&g))
	}
	for j := range 2 * order {
		if s := mat.Sum(z.ColView(j)); math.Abs(s) > 1e-10 {
			t.Errorf("feature %d has mean %v", j, s/n)
		}
	}
}

func TestTropical(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	x := sample.Gaussian(rng, 7, 4)
	w := sample.Gaussian(rng, 4, 3)
	w.Set(2, 1, math.Inf(-1)) // no edge
	b := []float64{0.5, -1, 2}
	y, err := Tropical(x, w, b, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 7 {
		for j := range 3 {
			best := math.Inf(-1)
			for l := range 4 {
				best = math.Max(best, x.At(i, l)+w.At(l, j))
			}
			if y.At(i, j) != best+b[j] {
				t.Fatalf("[%d,%d] = %v, want %v", i, j, y.At(i, j), best+b[j])
			}
		}
	}
	// Max-plus linearity: T(x + c) = T(x) + c, T(max(x, x')) = max(T(x), T(x')).
	x2 := sample.Gaussian(rng, 7, 4)
	shift := mat.DenseCopyOf(x)
	mx := mat.NewDense(7, 4, nil)
	for i := range 7 {
		for l := range 4 {
			shift.Set(i, l, x.At(i, l)+3)
			mx.Set(i, l, math.Max(x.At(i, l), x2.At(i, l)))
		}
	}
	ys, _ := Tropical(shift, w, b, false)
	y2, _ := Tropical(x2, w, b, false)
	ym, _ := Tropical(mx, w, b, false)
	for i := range 7 {
		for j := range 3 {
			if math.Abs(ys.At(i, j)-y.At(i, j)-3) > 1e-12 || ym.At(i, j) != math.Max(y.At(i, j), y2.At(i, j)) {
				t.Fatalf("max-plus linearity fails at [%d,%d]", i, j)
			}
		}
	}
	if _, err := Tropical(x, w, nil, true); err == nil {
		t.Error("-Inf weight accepted in min-plus")
	}
	w.Set(2, 1, math.Inf(1))
	mn, err := Tropical(x, w, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	if mn.At(0, 0) != math.Min(math.Min(x.At(0, 0)+w.At(0, 0), x.At(0, 1)+w.At(1, 0)), math.Min(x.At(0, 2)+w.At(2, 0), x.At(0, 3)+w.At(3, 0))) {
		t.Error("min-plus value")
	}
	if _, err := Tropical(x, mat.NewDense(3, 2, nil), nil, false); err == nil {
		t.Error("shape mismatch accepted")
	}
	w.Set(0, 0, math.Inf(1))
	if _, err := Tropical(x, w, nil, false); err == nil {
		t.Error("+Inf weight accepted in max-plus")
	}
}

const sklearnRBF = `
import json, sys
import numpy as np
from sklearn.kernel_approximation import RBFSampler
a = json.load(sys.stdin)
X = np.array(a["x"])
s = RBFSampler(gamma=a["gamma"], n_components=a["m"], random_state=0).fit(X)
ws = s.random_weights_
s.random_weights_ = np.array(a["w"])
s.random_offset_ = np.array(a["b"])
print(json.dumps({"z": s.transform(X).tolist(), "w_scale": float(ws.std()), "w_shape": list(ws.shape)}))
`

func TestRandomFourierSklearnConventions(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	x := sample.Gaussian(rng, 30, 4)
	const gamma, m = 0.3, 2000
	rf, err := NewRandomFeatures(4, RandomFeatureOptions{Components: m, Gamma: gamma, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Z      [][]float64 `json:"z"`
		WScale float64     `json:"w_scale"`
		WShape []int       `json:"w_shape"`
	}
	pyref.JSON(t, sklearnRBF, map[string]any{"x": pyref.Rows(x), "gamma": gamma, "m": m, "w": pyref.Rows(rf.W), "b": rf.Offset}, &ref)
	z, _ := rf.Transform(x)
	for i := range ref.Z {
		for j := range ref.Z[i] {
			if math.Abs(z.At(i, j)-ref.Z[i][j]) > 1e-12 {
				t.Fatalf("[%d,%d] = %v, sklearn with our weights %v", i, j, z.At(i, j), ref.Z[i][j])
			}
		}
	}
	dw, mw := rf.W.Dims()
	if ref.WShape[0] != dw || ref.WShape[1] != mw {
		t.Errorf("W is %d x %d, sklearn's random_weights_ %v", dw, mw, ref.WShape)
	}
	var ss float64
	for _, v := range rf.W.RawMatrix().Data {
		ss += v * v
	}
	ourScale := math.Sqrt(ss / float64(dw*mw))
	if math.Abs(ourScale-ref.WScale) > 0.05*ref.WScale || math.Abs(ourScale-math.Sqrt(2*gamma)) > 0.05*math.Sqrt(2*gamma) {
		t.Errorf("weight scale %v, sklearn's %v, sqrt(2 gamma) %v", ourScale, ref.WScale, math.Sqrt(2*gamma))
	}
}

// kernelError is the mean absolute error of z z^T against the kernel.
func kernelError(t *testing.T, x *mat.Dense, opts RandomFeatureOptions) float64 {
	_, d := x.Dims()
	rf, err := NewRandomFeatures(d, opts)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := rf.Transform(x)
	var zz mat.Dense
	zz.Mul(z, z.T())
	k, _ := RBFKernel(x, x, rf.Gamma)
	var e float64
	r, c := k.Dims()
	for i := range r {
		for j := range c {
			e += math.Abs(zz.At(i, j) - k.At(i, j))
		}
	}
	return e / float64(r*c)
}

func TestRandomFeaturesApproximateKernel(t *testing.T) {
	x := sample.Gaussian(rand.New(rand.NewPCG(6, 6)), 25, 8)
	x.Scale(0.4, x)
	for _, c := range []Coupling{IID, Orthogonal, Simplex} {
		for _, pos := range []bool{false, true} {
			small := kernelError(t, x, RandomFeatureOptions{Components: 64, Gamma: 0.5, Coupling: c, Positive: pos, Seed: 2})
			large := kernelError(t, x, RandomFeatureOptions{Components: 16384, Gamma: 0.5, Coupling: c, Positive: pos, Seed: 2})
			if large > 0.02 || large > small/4 {
				t.Errorf("coupling %d positive %v: kernel error %.4f with 64 features, %.4f with 16384", c, pos, small, large)
			}
		}
	}
}

// TestSimplexCoupling: directions within a block have cosines -1/(d-1)
// exactly; the simplex coupling's kernel estimates have a lower mean
// squared error than independent directions (Reid et al. 2023) over
// seeds, for positive random features.
func TestSimplexCoupling(t *testing.T) {
	const d = 6
	rf, err := NewRandomFeatures(d, RandomFeatureOptions{Components: 2 * d, Coupling: Simplex, Positive: true, Gamma: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for a := range d {
		for b := a + 1; b < d; b++ {
			ca, cb := rf.W.ColView(a), rf.W.ColView(b)
			cos := mat.Dot(ca, cb) / math.Sqrt(mat.Dot(ca, ca)*mat.Dot(cb, cb))
			if math.Abs(cos+1.0/(d-1)) > 1e-12 {
				t.Fatalf("cosine of directions %d, %d = %v, want %v", a, b, cos, -1.0/(d-1))
			}
		}
	}
	x := sample.Gaussian(rand.New(rand.NewPCG(7, 7)), 2, d)
	x.Scale(0.3, x)
	k, _ := RBFKernel(x, x, 0.5)
	const seeds = 20000
	mse := func(c Coupling) float64 {
		var s float64
		for seed := range uint64(seeds) {
			rf, _ := NewRandomFeatures(d, RandomFeatureOptions{Components: d, Gamma: 0.5, Coupling: c, Positive: true, Seed: seed})
			z, _ := rf.Transform(x)
			e := mat.Dot(z.RowView(0), z.RowView(1)) - k.At(0, 1)
			s += e * e
		}
		return s / seeds
	}
	iid, orth, sim := mse(IID), mse(Orthogonal), mse(Simplex)
	t.Logf("PRF estimate of k(x, y) = %.4f, MSE over %d seeds, m = d = %d: iid %.4g, orthogonal %.4g, simplex %.4g", k.At(0, 1), seeds, d, iid, orth, sim)
	if !(sim < iid) || !(sim < 1.1*orth) {
		t.Errorf("simplex MSE %v not below iid %v and orthogonal %v", sim, iid, orth)
	}
}

func TestHermiteActivation(t *testing.T) {
	relu := func(v float64) float64 { return math.Max(v, 0) }
	drelu := func(v float64) float64 {
		if v > 0 {
			return 1
		}
		return 0
	}
	gelu := func(v float64) float64 { return 0.5 * v * math.Erfc(-v/math.Sqrt2) }
	dgelu := func(v float64) float64 {
		return 0.5*math.Erfc(-v/math.Sqrt2) + v*math.Exp(-v*v/2)/math.Sqrt(2*math.Pi)
	}
	gq, gw := GaussHermiteNodes(40)
	for _, c := range []struct {
		name  string
		f, df func(float64) float64
		nodes []float64
	}{
		{"relu", relu, drelu, nil},
		{"gelu", gelu, dgelu, nil},
		{"gelu 6 nodes", gelu, dgelu, []float64{-3, -1.5, -0.5, 0.5, 1.5, 3}},
	} {
		h, err := FitHermiteActivation(c.f, c.df, c.nodes)
		if err != nil {
			t.Fatal(err)
		}
		nodes := c.nodes
		if nodes == nil {
			nodes, _ = GaussHermiteNodes(4)
		}
		for _, t0 := range nodes {
			if math.Abs(h.Eval(t0)-c.f(t0)) > 1e-10 || math.Abs(h.Deriv(t0)-c.df(t0)) > 1e-10 {
				t.Errorf("%s at %v: sigma %v f %v, sigma' %v f' %v", c.name, t0, h.Eval(t0), c.f(t0), h.Deriv(t0), c.df(t0))
			}
		}
		// SecondMoment = E[sigma(Z)^2] by quadrature (exact: degree 14 < 80).
		var m2, f2 float64
		for i, t0 := range gq {
			m2 += gw[i] * h.Eval(t0) * h.Eval(t0)
			f2 += gw[i] * c.f(t0) * c.f(t0)
		}
		if math.Abs(m2-h.SecondMoment()) > 1e-12 {
			t.Errorf("%s: second moment %v, quadrature %v", c.name, h.SecondMoment(), m2)
		}
		if n := h.Normalized(); math.Abs(n.SecondMoment()-1) > 1e-12 || math.Abs(n.InitStd(64)-1.0/8) > 1e-12 {
			t.Errorf("%s: normalised second moment %v", c.name, n.SecondMoment())
		}
		t.Logf("%s: E[sigma^2] %.5f (target function %.5f), InitStd(100) %.5f", c.name, h.SecondMoment(), f2, h.InitStd(100))
		if c.name == "relu" && math.Abs(h.InitStd(100)-math.Sqrt(2.0/100)) > 0.1*math.Sqrt(2.0/100) {
			t.Errorf("relu fit: InitStd %v, He's sqrt(2/fanIn) %v", h.InitStd(100), math.Sqrt(2.0/100))
		}
	}
	if _, err := FitHermiteActivation(relu, drelu, []float64{1, 1}); err == nil {
		t.Error("repeated nodes accepted")
	}
}
