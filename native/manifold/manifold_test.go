package manifold

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func pairwise(x *mat.Dense) *mat.Dense {
	n, _ := x.Dims()
	d := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			var q float64
			for c, v := range x.RawRowView(i) {
				t := v - x.At(j, c)
				q += t * t
			}
			d.Set(i, j, math.Sqrt(q))
		}
	}
	return d
}

const mdsScript = `
import json, sys, warnings
import numpy as np
from sklearn.manifold import MDS
a = json.load(sys.stdin)
D, k = np.array(a["d"]), a["k"]
n = len(D)
J = np.eye(n) - 1.0 / n
B = -0.5 * J @ (D ** 2) @ J
w, v = np.linalg.eigh(B)
idx = np.argsort(w)[::-1][:k]
X = v[:, idx] * np.sqrt(np.maximum(w[idx], 0))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    m = MDS(n_components=k, dissimilarity="precomputed", random_state=0, n_init=2, max_iter=1000, eps=1e-7).fit(D)
print(json.dumps({"x": X.tolist(), "w": w[idx].tolist(), "stress": float(m.stress_), "emb": m.embedding_.tolist()}))
`

func TestClassicalMDSAgainstNumpyAndSklearn(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 13))
	exact := sample.Gaussian(rng, 40, 2) // Euclidean in 2-D: exact recovery
	noisy := sample.Gaussian(rng, 40, 5)
	for c := 2; c < 5; c++ {
		for i := range 40 {
			noisy.Set(i, c, 0.3*noisy.At(i, c))
		}
	}
	for _, tc := range []struct {
		name string
		x    *mat.Dense
	}{{"euclidean 2-D", exact}, {"5-D into 2-D", noisy}} {
		d := pairwise(tc.x)
		var ref struct {
			X      [][]float64 `json:"x"`
			W      []float64   `json:"w"`
			Stress float64     `json:"stress"`
			Emb    [][]float64 `json:"emb"`
		}
		pyref.JSON(t, mdsScript, map[string]any{"d": pyref.Rows(d), "k": 2}, &ref)
		m, err := ClassicalMDS(d, 2)
		if err != nil {
			t.Fatal(err)
		}
		for c := range 2 {
			if math.Abs(m.Eigenvalues[c]-ref.W[c]) > 1e-9*ref.W[0] {
				t.Errorf("%s: eigenvalue %d = %v, numpy %v", tc.name, c, m.Eigenvalues[c], ref.W[c])
			}
			var dot float64
			for i := range ref.X {
				dot += m.Embedding.At(i, c) * ref.X[i][c]
			}
			sign := math.Copysign(1, dot)
			for i := range ref.X {
				if math.Abs(m.Embedding.At(i, c)-sign*ref.X[i][c]) > 1e-9 {
					t.Fatalf("%s: coordinate [%d,%d] = %v, numpy %v", tc.name, i, c, m.Embedding.At(i, c), sign*ref.X[i][c])
				}
			}
		}
		emb := mat.NewDense(len(ref.Emb), 2, nil)
		for i, r := range ref.Emb {
			emb.SetRow(i, r)
		}
		skOwn, _ := Stress(d, emb)
		if math.Abs(skOwn-ref.Stress) > 1e-2*ref.Stress+1e-4 { // stress_ is of the iterate before the last update
			t.Errorf("%s: Stress of sklearn's embedding %v, its stress_ %v", tc.name, skOwn, ref.Stress)
		}
		t.Logf("%s: classical MDS stress %.6g, sklearn SMACOF stress %.6g", tc.name, m.Stress, ref.Stress)
		if tc.name == "euclidean 2-D" && m.Stress > 1e-18 {
			t.Errorf("exact Euclidean data: stress %g, want 0", m.Stress)
		}
		if m.Stress > 2*ref.Stress+1e-9 {
			t.Errorf("%s: classical stress %v more than twice SMACOF's %v", tc.name, m.Stress, ref.Stress)
		}
	}
}

func TestMDSErrors(t *testing.T) {
	for _, d := range []mat.Matrix{
		nil, mat.NewDense(2, 3, nil),
		mat.NewDense(2, 2, []float64{0, 1, 2, 0}),
		mat.NewDense(2, 2, []float64{1, 1, 1, 0}),
		mat.NewDense(2, 2, []float64{0, -1, -1, 0}),
	} {
		if _, err := ClassicalMDS(d, 1); err == nil {
			t.Errorf("accepted %v", d)
		}
	}
	if _, err := ClassicalMDS(mat.NewDense(2, 2, []float64{0, 1, 1, 0}), 3); err == nil {
		t.Error("k > n accepted")
	}
}

// circle returns n points evenly spaced on the unit circle in R^3, in
// order, slightly jittered.
func circle(n int) *mat.Dense {
	rng := rand.New(rand.NewPCG(14, 14))
	x := mat.NewDense(n, 3, nil)
	for i := range n {
		a := 2 * math.Pi * (float64(i) + 0.1*rng.Float64()) / float64(n)
		x.SetRow(i, []float64{math.Cos(a), math.Sin(a), 0})
	}
	return x
}

// TestHeatGeodesicsCircle: on a circle the Harnack-regularised heat
// geodesic distance is proportional to arc length where the heat kernel
// is locally Gaussian (within about two diffusion lengths).
func TestHeatGeodesicsCircle(t *testing.T) {
	const n = 300
	x := circle(n)
	d, err := HeatGeodesics(x, HeatOptions{K: 10, Time: 10, Harnack: 1})
	if err != nil {
		t.Fatal(err)
	}
	var ratios []float64
	for i := range n {
		for m := 2; m <= 20; m++ {
			j := (i + m) % n
			ai := math.Atan2(x.At(i, 1), x.At(i, 0))
			aj := math.Atan2(x.At(j, 1), x.At(j, 0))
			arc := math.Abs(math.Remainder(aj-ai, 2*math.Pi))
			ratios = append(ratios, d.At(i, j)/arc)
		}
		if d.At(i, i) != 0 || d.At(i, (i+5)%n) >= d.At(i, (i+10)%n) {
			t.Fatalf("point %d: d(i,i) %v, d at 5 steps %v, at 10 steps %v", i, d.At(i, i), d.At(i, (i+5)%n), d.At(i, (i+10)%n))
		}
	}
	sort.Float64s(ratios)
	med := ratios[len(ratios)/2]
	lo, hi := ratios[len(ratios)/100], ratios[len(ratios)*99/100]
	t.Logf("d / arc length: median %.4f, 1%% %.4f, 99%% %.4f", med, lo, hi)
	if lo < 0.9*med || hi > 1.1*med {
		t.Errorf("d / arc length spreads from %.4f to %.4f around %.4f (want within 10%%)", lo, hi, med)
	}
	// Without the Harnack term d(i, i) > 0 (the volume term).
	d0, _ := HeatGeodesics(x, HeatOptions{})
	if d0.At(0, 0) != 0 || d0.At(0, 1) <= 0 {
		t.Errorf("unregularised: d(0,0) %v, d(0,1) %v", d0.At(0, 0), d0.At(0, 1))
	}
	// The 2-D embedding keeps the circle's cyclic order: neighbours on the
	// circle are closest in the embedding.
	emb, err := HeatGeodesicEmbedding(x, 2, HeatOptions{K: 10, Time: 10, Harnack: 1})
	if err != nil {
		t.Fatal(err)
	}
	near := 0
	for i := range n {
		best, bj := math.Inf(1), -1
		for j := range n {
			if j == i {
				continue
			}
			e0, e1 := emb.Embedding.At(i, 0)-emb.Embedding.At(j, 0), emb.Embedding.At(i, 1)-emb.Embedding.At(j, 1)
			if q := e0*e0 + e1*e1; q < best {
				best, bj = q, j
			}
		}
		if (bj-i+n)%n <= 2 || (i-bj+n)%n <= 2 {
			near++
		}
	}
	if near < n*95/100 {
		t.Errorf("only %d of %d embedded points have a circle neighbour as nearest", near, n)
	}
}
