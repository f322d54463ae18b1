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

// collapsedFeatures returns n features per class equal to the rows of a
// rotated simplex ETF of K classes in d dimensions scaled by 3 and shifted
// by a common offset, plus noise of the given size, and their labels.
func collapsedFeatures(t *testing.T, k, d, per int, noise float64, seed uint64) (*mat.Dense, []int, *mat.Dense) {
	t.Helper()
	etf, err := SimplexETF(k, d, FrameOptions{Rotate: true, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(k*per, d, nil)
	labels := make([]int, k*per)
	for i := range labels {
		c := i % k
		labels[i] = c
		row := x.RawRowView(i)
		for j := range row {
			row[j] = 3*etf.At(c, j) + 0.7 + noise*rng.NormFloat64()
		}
	}
	return x, labels, etf
}

// TestCollapsed: features equal to their (simplex ETF) class means, read
// by a classifier proportional to the centred means, have every measure 0
// (1e-12) and NCC accuracy 1; the uncentred means (shifted) are not
// orthogonal.
func TestCollapsed(t *testing.T) {
	for _, kd := range [][2]int{{2, 5}, {4, 3}, {10, 10}, {10, 32}} {
		k, d := kd[0], kd[1]
		x, labels, etf := collapsedFeatures(t, k, d, 7, 0, uint64(k*d))
		w := mat.DenseCopyOf(etf)
		w.Scale(0.5, w)
		c, err := NeuralCollapse(x, labels, CollapseOptions{Classifier: w})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []struct {
			name string
			v    float64
		}{{"NC1", c.NC1}, {"EquinormCV", c.EquinormCV}, {"Equiangularity", c.Equiangularity},
			{"CosineDeviation", c.CosineDeviation}, {"ETFDistance", c.ETFDistance}, {"NC3", c.NC3},
			{"ClassifierEquinormCV", c.ClassifierEquinormCV}, {"ClassifierCosineDeviation", c.ClassifierCosineDeviation},
			{"NC4", c.NC4}} {
			if math.Abs(m.v) > 1e-12 {
				t.Errorf("K=%d d=%d: %s = %g, want 0", k, d, m.name, m.v)
			}
		}
		if c.NCCAccuracy != 1 || c.Classes != k || c.Samples != 7*k || c.Dim != d {
			t.Errorf("K=%d d=%d: %+v", k, d, c)
		}
	}
}

// TestRandomFeatures: Gaussian features with labels independent of them
// are far from collapse: NC1 >> 1 (the class means differ only by sampling
// noise), the class means point anywhere (cosine deviation and ETF
// distance large), a random classifier disagrees with them. Then noise
// around collapsed features: NC1 falls like the noise variance.
func TestRandomFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	x := sample.Gaussian(rng, 500, 20)
	labels := make([]int, 500)
	for i := range labels {
		labels[i] = rng.IntN(5)
	}
	w := sample.Gaussian(rng, 5, 20)
	c, err := NeuralCollapse(x, labels, CollapseOptions{Classifier: w})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("random: NC1 %.2f, cos deviation %.3f, ETF distance %.3f, NC3 %.3f, NC4 %.3f", c.NC1, c.CosineDeviation, c.ETFDistance, c.NC3, c.NC4)
	if c.NC1 < 10 || c.CosineDeviation < 0.05 || c.ETFDistance < 0.1 || c.NC3 < 0.5 || c.NC4 < 0.5 {
		t.Errorf("random features look collapsed: %+v", c)
	}
	prev := math.Inf(1)
	for _, noise := range []float64{1, 0.1, 0.01} {
		x, labels, _ := collapsedFeatures(t, 6, 12, 40, noise, 3)
		c, err := NeuralCollapse(x, labels, CollapseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !(c.NC1 < prev/50) || !math.IsNaN(c.NC3) || !math.IsNaN(c.NC4) {
			t.Errorf("noise %v: NC1 %v (previous %v), NC3 %v, NC4 %v", noise, c.NC1, prev, c.NC3, c.NC4)
		}
		prev = c.NC1
	}
}

// TestOrthogonalFrame: class means on an orthogonal frame of different
// lengths (the imbalanced-data geometry) have OrthoCosine 0 while their
// cosine deviation from the simplex ETF is 1/(K-1).
func TestOrthogonalFrame(t *testing.T) {
	const k, d = 4, 6
	var rows []float64
	var labels []int
	for c := 0; c < k; c++ {
		for r := 0; r < 3+5*c; r++ { // imbalanced counts
			row := make([]float64, d)
			row[c] = float64(c + 1)
			rows = append(rows, row...)
			labels = append(labels, c)
		}
	}
	x := mat.NewDense(len(labels), d, rows)
	c, err := NeuralCollapse(x, labels, CollapseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.OrthoCosine > 1e-15 || c.NC1 != 0 {
		t.Errorf("orthogonal frame: OrthoCosine %g, NC1 %g", c.OrthoCosine, c.NC1)
	}
	x2, labels2, _ := collapsedFeatures(t, k, d, 5, 0, 9)
	for i := 0; i < len(labels2); i++ { // remove the offset: the ETF itself
		row := x2.RawRowView(i)
		for j := range row {
			row[j] -= 0.7
		}
	}
	c2, _ := NeuralCollapse(x2, labels2, CollapseOptions{})
	if math.Abs(c2.OrthoCosine-1.0/3) > 1e-12 {
		t.Errorf("ETF: OrthoCosine %v, want 1/3", c2.OrthoCosine)
	}
}

// TestCollapseNumpy computes every measure with numpy from Papyan et al.'s
// formulas (S_W, S_B as d x d matrices, the pseudo-inverse of S_B on its
// top K-1 eigenvectors, the classifier's predictions) in the same run.
func TestCollapseNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	x0, labels, _ := collapsedFeatures(t, 5, 9, 30, 0.8, 4)
	x := mat.DenseCopyOf(x0)
	for i := range labels { // imbalance: drop some samples of class 0
		if labels[i] == 0 && i%3 == 0 {
			labels[i] = 1 + i%4
		}
	}
	w := sample.Gaussian(rng, 5, 9)
	b := []float64{0.1, -0.2, 0.3, 0, 0.05}
	got, err := NeuralCollapse(x, labels, CollapseOptions{Classifier: w, Bias: b})
	if err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys
import numpy as np
r = json.load(sys.stdin)
H, y, W, b = np.load(r["x"]), np.array(r["y"]), np.load(r["w"]), np.array(r["b"])
K = int(y.max()) + 1
n, d = H.shape
mu_G = H.mean(0)
M = np.stack([H[y == c].mean(0) for c in range(K)])
Mc = M - mu_G
Sw = sum((H[y == c] - M[c]).T @ (H[y == c] - M[c]) for c in range(K)) / n
Sb = Mc.T @ Mc / K
ev, V = np.linalg.eigh(Sb)
top = np.argsort(ev)[::-1][:K - 1]
inv = V[:, top] @ np.diag(1 / ev[top]) @ V[:, top].T
nc1 = np.trace(Sw @ inv) / K
norms = np.linalg.norm(Mc, axis=1)
U = Mc / norms[:, None]
cos = (U @ U.T)[~np.eye(K, dtype=bool)]
G = Mc @ Mc.T
etf = np.linalg.norm(G / np.linalg.norm(G) - (np.eye(K) - 1 / K) / np.sqrt(K - 1))
Mu = M / np.linalg.norm(M, axis=1)[:, None]
ortho = np.abs((Mu @ Mu.T)[~np.eye(K, dtype=bool)]).mean()
nc3 = np.linalg.norm(W / np.linalg.norm(W) - Mc / np.linalg.norm(Mc)) ** 2
wn = np.linalg.norm(W, axis=1)
Wu = W / wn[:, None]
wcos = (Wu @ Wu.T)[~np.eye(K, dtype=bool)]
pred = np.argmax(H @ W.T + b, 1)
ncc = np.argmin(((H[:, None, :] - M[None]) ** 2).sum(2), 1)
print(json.dumps({"NC1": nc1, "EquinormCV": norms.std() / norms.mean(), "Equiangularity": cos.std(),
  "CosineDeviation": np.abs(cos + 1 / (K - 1)).mean(), "ETFDistance": etf, "OrthoCosine": ortho,
  "NC3": nc3, "ClassifierEquinormCV": wn.std() / wn.mean(), "ClassifierCosineDeviation": np.abs(wcos + 1 / (K - 1)).mean(),
  "NC4": float((pred != ncc).mean()), "NCCAccuracy": float((ncc == y).mean())}))
`
	var want map[string]float64
	pyref.JSON(t, script, map[string]any{"x": pyref.WriteNPY(t, x), "y": labels, "w": pyref.WriteNPY(t, w), "b": b}, &want)
	have := map[string]float64{"NC1": got.NC1, "EquinormCV": got.EquinormCV, "Equiangularity": got.Equiangularity,
		"CosineDeviation": got.CosineDeviation, "ETFDistance": got.ETFDistance, "OrthoCosine": got.OrthoCosine,
		"NC3": got.NC3, "ClassifierEquinormCV": got.ClassifierEquinormCV, "ClassifierCosineDeviation": got.ClassifierCosineDeviation,
		"NC4": got.NC4, "NCCAccuracy": got.NCCAccuracy}
	for name, v := range want {
		if math.Abs(have[name]-v) > 1e-9*math.Max(1, math.Abs(v)) {
			t.Errorf("%s = %.12g, numpy %.12g", name, have[name], v)
		}
	}
	t.Logf("numpy agrees on %d measures (NC1 %.4f, NC4 %.3f)", len(want), got.NC1, got.NC4)
}

func TestCollapseErrors(t *testing.T) {
	x := sample.Gaussian(rand.New(rand.NewPCG(1, 1)), 6, 3)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil", second(NeuralCollapse(nil, nil, CollapseOptions{})), "geometry: features is nil"},
		{"labels", second(NeuralCollapse(x, []int{0, 1}, CollapseOptions{})), "labels has 2 entries for 6 samples"},
		{"negative", second(NeuralCollapse(x, []int{0, 1, -1, 0, 1, 0}, CollapseOptions{})), "label -1 of sample 2 is negative"},
		{"missing", second(NeuralCollapse(x, []int{0, 2, 0, 2, 0, 2}, CollapseOptions{})), "class 1 has no samples"},
		{"one class", second(NeuralCollapse(x, []int{0, 0, 0, 0, 0, 0}, CollapseOptions{})), "at least 2 classes"},
		{"classifier", second(NeuralCollapse(x, []int{0, 1, 0, 1, 0, 1}, CollapseOptions{Classifier: mat.NewDense(3, 3, nil)})), "Classifier is 3 x 3, want classes x features = 2 x 3"},
		{"bias", second(NeuralCollapse(x, []int{0, 1, 0, 1, 0, 1}, CollapseOptions{Classifier: mat.NewDense(2, 3, nil), Bias: []float64{1}})), "Bias has 1 values for 2 classes"},
		{"predictions", second(NeuralCollapse(x, []int{0, 1, 0, 1, 0, 1}, CollapseOptions{Predictions: []int{1}})), "Predictions has 1 entries for 6 samples"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }
