package lowrank

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// withSpectrum returns a random m x n matrix U diag(s) V^T with the given
// singular values.
func withSpectrum(rng *rand.Rand, m, n int, s []float64) *mat.Dense {
	u, _ := linalg.ThinQR(sample.Gaussian(rng, m, len(s)))
	v, _ := linalg.ThinQR(sample.Gaussian(rng, n, len(s)))
	for j, sv := range s {
		for i := 0; i < m; i++ {
			u.Set(i, j, u.At(i, j)*sv)
		}
	}
	var w mat.Dense
	w.Mul(u, v.T())
	return &w
}

const numpySVD = `
import sys, json
import numpy as np
w = np.load(sys.argv[1])
u, s, vt = np.linalg.svd(w, full_matrices=False)
k = int(sys.argv[2])
json.dump({"s": s.tolist(), "u": u[:, :k].T.tolist(), "v": vt[:k].tolist()}, sys.stdout)
`

// TestTruncatedSVDNumpy: on a 200 x 120 matrix with singular values
// 2^-i/2 (fast decay), the 10 leading triplets of the randomized SVD (and
// of the exact one) match numpy's full SVD, computed in the same run, to
// 1e-8: singular values relatively, singular vectors up to sign.
func TestTruncatedSVDNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	s := make([]float64, 120)
	for i := range s {
		s[i] = math.Pow(2, -float64(i)/2)
	}
	w := withSpectrum(rng, 200, 120, s)
	const k = 10
	var ref struct {
		S []float64   `json:"s"`
		U [][]float64 `json:"u"`
		V [][]float64 `json:"v"`
	}
	pyref.JSON(t, numpySVD, nil, &ref, pyref.WriteNPY(t, w), "10")
	for _, c := range []struct {
		name string
		opts SVDOptions
	}{
		{"exact", SVDOptions{}},
		{"randomized", SVDOptions{Randomized: true, Seed: 5}},
		{"randomized q=3 p=10", SVDOptions{Randomized: true, PowerIters: 3, Oversample: 10, Seed: 6}},
	} {
		f, err := TruncatedSVD(w, k, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < k; i++ {
			if e := math.Abs(f.S[i]-ref.S[i]) / ref.S[i]; e > 1e-8 {
				t.Errorf("%s: s_%d = %.15g, numpy %.15g (rel %.2g)", c.name, i, f.S[i], ref.S[i], e)
			}
			sameUpToSign(t, c.name+" u", i, mat.Col(nil, i, f.U), ref.U[i], 1e-8)
			sameUpToSign(t, c.name+" v", i, mat.Col(nil, i, f.V), ref.V[i], 1e-8)
		}
	}
}

func sameUpToSign(t *testing.T, what string, i int, got, want []float64, tol float64) {
	t.Helper()
	var dot float64
	for j := range got {
		dot += got[j] * want[j]
	}
	sign := math.Copysign(1, dot)
	var d float64
	for j := range got {
		d = max(d, math.Abs(got[j]-sign*want[j]))
	}
	if d > tol {
		t.Errorf("%s_%d differs from numpy's by %.2g (max abs, up to sign)", what, i, d)
	}
}

const numpySpectrum = `
import sys, json
import numpy as np
w = np.load(sys.argv[1])
s = np.linalg.svd(w, compute_uv=False)
e = np.cumsum(s**2) / np.sum(s**2)
p = s / s.sum()
json.dump({"s": s.tolist(), "energy": e.tolist(),
           "rank90": int(np.searchsorted(e, 0.9) + 1), "rank99": int(np.searchsorted(e, 0.99) + 1),
           "stable": float(np.sum(s**2) / s[0]**2), "effective": float(np.exp(-np.sum(p * np.log(p)))),
           "tail5": float(np.sum(s[5:]**2))}, sys.stdout)
`

// TestSpectrumNumpy: singular values, the energy curve, the ranks for 90%
// and 99% energy, stable and effective rank and the Eckart-Young tail agree
// with numpy on a random 60 x 40 matrix; a hand-worked spectrum (3, 4)
// gives energies 16/25 and 1.
func TestSpectrumNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	w := sample.Gaussian(rng, 60, 40)
	var ref struct {
		S, Energy         []float64
		Rank90, Rank99    int
		Stable, Effective float64
		Tail5             float64
	}
	pyref.JSON(t, numpySpectrum, nil, &ref, pyref.WriteNPY(t, w))
	sp, err := NewSpectrum(w)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ref.S {
		if math.Abs(sp.Values[i]-ref.S[i]) > 1e-12*ref.S[0] || math.Abs(sp.Energy[i]-ref.Energy[i]) > 1e-13 {
			t.Fatalf("component %d: s %v energy %v, numpy %v %v", i, sp.Values[i], sp.Energy[i], ref.S[i], ref.Energy[i])
		}
	}
	r90, _ := sp.RankFor(0.9)
	r99, _ := sp.RankFor(0.99)
	if r90 != ref.Rank90 || r99 != ref.Rank99 {
		t.Errorf("ranks for 90%%/99%% energy %d/%d, numpy %d/%d", r90, r99, ref.Rank90, ref.Rank99)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"stable rank", sp.StableRank(), ref.Stable}, {"effective rank", sp.EffectiveRank(), ref.Effective}, {"tail", sp.TailEnergy(5), ref.Tail5}} {
		if math.Abs(c.got-c.want) > 1e-10*math.Abs(c.want) {
			t.Errorf("%s %.15g, numpy %.15g", c.name, c.got, c.want)
		}
	}
	hand, _ := SpectrumOf([]float64{3, 4})
	if hand.Values[0] != 4 || hand.Energy[0] != 16.0/25 || hand.Energy[1] != 1 || hand.TailEnergy(1) != 9 || hand.SpectralBound(1) != 3 || hand.SpectralBound(2) != 0 {
		t.Errorf("hand-worked spectrum (3, 4): %+v", hand)
	}
	if k, _ := hand.RankFor(0.64); k != 1 {
		t.Errorf("rank for 64%% of (4, 3) = %d, want 1", k)
	}
	if k, _ := hand.RankFor(0.65); k != 2 {
		t.Errorf("rank for 65%% of (4, 3) = %d, want 2", k)
	}
}
