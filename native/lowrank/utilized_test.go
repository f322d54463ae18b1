package lowrank

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// TestSVFit: the rank is the smallest carrying the energy threshold, the
// split reconstructs W with its initial singular values, the residual's
// energy is the tail's, and changing one trainable value changes W only
// along that component.
func TestSVFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	s := []float64{10, 6, 3, 1, 0.5, 0.1}
	w := withSpectrum(rng, 20, 12, s)
	spec, _ := NewSpectrum(w)
	f, err := NewSVFit(w, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := spec.RankFor(0.95)
	if f.Rank != want || f.Rank != 3 || f.Params() != 3 {
		t.Fatalf("rank %d, want %d (= 3 for energies %v)", f.Rank, want, spec.Energy[:4])
	}
	if math.Abs(f.Energy-spec.Energy[2]) > 1e-15 {
		t.Errorf("energy %v, want %v", f.Energy, spec.Energy[2])
	}
	got, _ := f.Weight(f.S)
	if d := maxAbsDiff(got, w); d > 1e-12 {
		t.Errorf("reconstruction differs by %.2g", d)
	}
	if r := sqFrob(f.Residual); math.Abs(r-spec.TailEnergy(3)) > 1e-10 {
		t.Errorf("residual energy %v, tail %v", r, spec.TailEnergy(3))
	}
	moved := append([]float64(nil), f.S...)
	moved[1] += 2
	w2, _ := f.Weight(moved)
	sp2, _ := NewSpectrum(w2)
	if math.Abs(sp2.Values[1]-8) > 1e-10 || math.Abs(sp2.Values[0]-10) > 1e-10 {
		t.Errorf("raising s_2 by 2: spectrum %v", sp2.Values[:3])
	}
	if _, err := f.Weight(moved[:2]); err == nil {
		t.Errorf("wrong number of singular values accepted")
	}
}

const numpyUtilized = `
import sys, json
import numpy as np
w, x = np.load(sys.argv[1]), np.load(sys.argv[2])
p = float(sys.argv[3])
def rank(s):
    e = np.cumsum(s**2) / np.sum(s**2)
    return int(np.searchsorted(e, p) + 1)
_, sx, vt = np.linalg.svd(x, full_matrices=False)
ks = rank(sx)
kt = rank(np.linalg.svd(x @ w.T, compute_uv=False))
proj = w @ vt[:ks].T @ vt[:ks]
json.dump({"ks": ks, "kt": kt, "rank": rank(np.linalg.svd(proj, compute_uv=False)),
           "wrank": rank(np.linalg.svd(w, compute_uv=False))}, sys.stdout)
`

// TestUtilizedRank: inputs confined to a 5-dimensional subspace (plus tiny
// noise) of a 40-dimensional input space meet a full-rank 30 x 40 weight:
// the input, output and utilized ranks agree with numpy's SVD-based
// computation in the same run, the utilized rank is 5 while the weight
// alone needs many more, and the projected weight acts on the inputs as W.
func TestUtilizedRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	basis := sample.Gaussian(rng, 5, 40)
	x := mat.NewDense(500, 40, nil)
	x.Mul(sample.Gaussian(rng, 500, 5), basis)
	noise := sample.Gaussian(rng, 500, 40)
	noise.Scale(1e-6, noise)
	x.Add(x, noise)
	w := sample.Gaussian(rng, 30, 40)
	const p = 0.999
	u, err := UtilizedRank(w, x, p)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct{ Ks, Kt, Rank, Wrank int }
	pyref.JSON(t, numpyUtilized, nil, &ref, pyref.WriteNPY(t, w), pyref.WriteNPY(t, x), "0.999")
	if u.InputRank != ref.Ks || u.OutputRank != ref.Kt || u.Rank != ref.Rank || u.WeightRank != ref.Wrank {
		t.Errorf("ranks input/output/utilized/weight %d/%d/%d/%d, numpy %d/%d/%d/%d",
			u.InputRank, u.OutputRank, u.Rank, u.WeightRank, ref.Ks, ref.Kt, ref.Rank, ref.Wrank)
	}
	if u.InputRank != 5 || u.Rank != 5 || u.WeightRank < 20 || u.MaxRank != 30 || u.Utilization != 5.0/30 {
		t.Errorf("utilization %+v", *u)
	}
	var y, yp mat.Dense
	y.Mul(x, w.T())
	yp.Mul(x, u.Projected.T())
	if d := maxAbsDiff(&y, &yp); d > 1e-4 {
		t.Errorf("projected weight changes the outputs by %.2g", d)
	}
}

// TestBadInput: nil, empty and NaN weights, ranks outside [1, min(m, n)],
// a randomized MiLoRA, bad energies and mismatched inputs give errors that
// name the problem.
func TestBadInput(t *testing.T) {
	w := mat.NewDense(4, 3, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	nan := mat.DenseCopyOf(w)
	nan.Set(2, 1, math.NaN())
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil", func() error { _, err := NewPiSSA(nil, 1, SplitOptions{}); return err }(), "weight is nil"},
		{"NaN", func() error { _, err := NewOLoRA(nan, 1, SplitOptions{}); return err }(), "row 2, column 1"},
		{"rank 4 of 4x3", func() error { _, err := NewPiSSA(w, 4, SplitOptions{}); return err }(), "rank r = 4 must be in [1, 3] for a 4 x 3 weight"},
		{"rank 0", func() error { _, err := NewLoRA(w, 0, SplitOptions{}); return err }(), "rank r = 0"},
		{"truncated rank", func() error { _, err := TruncatedSVD(w, 5, SVDOptions{Randomized: true}); return err }(), "rank r = 5"},
		{"randomized MiLoRA", func() error {
			_, err := NewMiLoRA(w, 1, SplitOptions{SVD: SVDOptions{Randomized: true}})
			return err
		}(), "randomized"},
		{"negative alpha", func() error { _, err := NewLoRA(w, 1, SplitOptions{Alpha: -1}); return err }(), "scaling"},
		{"unknown method", func() error { _, err := NewSplit("dora", w, 1, SplitOptions{}); return err }(), `unknown split method "dora"`},
		{"energy 0", func() error { _, err := NewSVFit(w, 0); return err }(), "energy fraction 0"},
		{"energy 1.5", func() error {
			_, err := UtilizedRank(w, mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6}), 1.5)
			return err
		}(), "energy fraction 1.5"},
		{"input columns", func() error { _, err := UtilizedRank(w, mat.NewDense(2, 2, []float64{1, 2, 3, 4}), 0.9); return err }(), "inputs has 2 columns but weight has 3"},
		{"zero inputs", func() error { _, err := UtilizedRank(w, mat.NewDense(2, 3, nil), 0.9); return err }(), "no energy"},
		{"split of another weight", func() error {
			sp, _ := NewPiSSA(w, 1, SplitOptions{})
			_, err := sp.Error(mat.NewDense(3, 3, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}), nil)
			return err
		}(), "weight is 3 x 3 but the split is of a 4 x 3 weight"},
		{"zero spectrum", func() error { _, err := SpectrumOf([]float64{0, 0}); return err }(), "no energy"},
		{"negative value", func() error { _, err := SpectrumOf([]float64{1, -1}); return err }(), "singular value 1 is -1"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.name, c.err, c.want)
		}
	}
}
