package geometry

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/intrinsic"
)

// TestLabelSharpnessScipy compares with a brute-force scipy cdist over all
// pairs with different labels in the same run, on data with planted
// identical points of different classes (left out and counted) and with
// one class of a single sample.
func TestLabelSharpnessScipy(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	x := sample.Gaussian(rng, 300, 5)
	labels := make([]int, 300)
	for i := range labels {
		labels[i] = rng.IntN(3)
	}
	labels[17] = 3 // a class of one sample
	for _, p := range [][2]int{{4, 9}, {10, 11}, {20, 21}} {
		x.SetRow(p[1], x.RawRowView(p[0]))
		labels[p[0]], labels[p[1]] = 0, 1
	}
	got, err := LabelSharpness(x, labels, SharpnessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys
import numpy as np
from scipy.spatial.distance import cdist
r = json.load(sys.stdin)
X, y = np.load(r["x"]), np.array(r["y"])
D = cdist(X, X)
mask = (y[:, None] != y[None, :]) & (D > 0)
conflicts = int(((y[:, None] != y[None, :]) & (D == 0)).any(1).sum())
print(json.dumps({"value": float((1 / D[mask]).max()), "conflicts": conflicts}))
`
	var want struct {
		Value     float64 `json:"value"`
		Conflicts int     `json:"conflicts"`
	}
	pyref.JSON(t, script, map[string]any{"x": pyref.WriteNPY(t, x), "y": labels}, &want)
	t.Logf("K_F %.6f (pair %d, %d), scipy %.6f; conflicts %d, scipy %d", got.Value, got.I, got.J, want.Value, got.Conflicts, want.Conflicts)
	if math.Abs(got.Value-want.Value) > 1e-9*want.Value || got.Conflicts != want.Conflicts || got.Samples != 300 {
		t.Errorf("LabelSharpness %+v, scipy %+v", got, want)
	}
	xi, xj := x.RowView(got.I), x.RowView(got.J)
	var diff mat.VecDense
	diff.SubVec(xi, xj)
	if labels[got.I] == labels[got.J] || math.Abs(mat.Norm(&diff, 2)-got.Distance) > 1e-12 {
		t.Errorf("pair %d, %d: labels %d, %d, distance %v", got.I, got.J, labels[got.I], labels[got.J], got.Distance)
	}
	sub, err := LabelSharpness(x, labels, SharpnessOptions{Sample: 100, Seed: 1})
	if err != nil || sub.Samples != 100 || sub.Value > got.Value {
		t.Errorf("sampled: %+v (%v), full %v", sub, err, got.Value)
	}
	if _, err := LabelSharpness(x, make([]int, 300), SharpnessOptions{}); err == nil {
		t.Error("one class gave no error")
	}
}

// TestDimensionProfile: data on a 3-dimensional linear subspace of R^10,
// a layer that embeds it isometrically into R^6 (same dimension), one that
// projects it to 2 dimensions; the estimates match intrinsic.MLE's and
// the bound d_repr <= d_data is reported as it holds.
func TestDimensionProfile(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	z := sample.Gaussian(rng, 1500, 3)
	embed := func(m *mat.Dense, d int, seed uint64) *mat.Dense {
		_, k := m.Dims()
		q := randomRotation(d, seed)
		var out mat.Dense
		out.Mul(m, q.Slice(0, k, 0, d))
		return &out
	}
	x := embed(z, 10, 1)
	same := embed(z, 6, 2)
	flat := embed(z.Slice(0, 1500, 0, 2).(*mat.Dense), 5, 3)
	labels := make([]int, 1500)
	for i := range labels {
		if z.At(i, 0) > 0 {
			labels[i] = 1
		}
	}
	rows, err := DimensionProfile(x, []*mat.Dense{same, flat}, labels, ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		t.Logf("%-8s d = %.3f ratio %.3f below %v K_F %.2f", r.Layer, r.Dim, r.Ratio, r.BelowData, r.Sharpness)
	}
	mle := intrinsic.NewMLE()
	mle.Dedup = true
	for l, m := range []*mat.Dense{x, same, flat} {
		e, _ := mle.Fit(m, nil)
		if math.Abs(rows[l].Dim-e.Dim) > 1e-12 {
			t.Errorf("%s: %v, intrinsic.MLE %v", rows[l].Layer, rows[l].Dim, e.Dim)
		}
	}
	if math.Abs(rows[0].Dim-3) > 0.3 || math.Abs(rows[1].Dim-rows[0].Dim) > 1e-6 || math.Abs(rows[2].Dim-2) > 0.3 ||
		!rows[1].BelowData || !rows[2].BelowData || rows[0].Ratio != 1 || rows[1].Layer != "layer 1" {
		t.Errorf("profile %+v", rows)
	}
	// An isometry keeps distances, so the sharpness too.
	if math.Abs(rows[1].Sharpness-rows[0].Sharpness) > 1e-9*rows[0].Sharpness {
		t.Errorf("isometric layer: K_F %v, data %v", rows[1].Sharpness, rows[0].Sharpness)
	}
	if _, err := DimensionProfile(x, []*mat.Dense{same.Slice(0, 10, 0, 6).(*mat.Dense)}, nil, ProfileOptions{}); err == nil {
		t.Error("a layer of other samples gave no error")
	}
}
