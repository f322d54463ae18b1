package geometry

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// TestAlignmentNumpy compares the Gram and feature forms with each other
// and with numpy's direct formula (n x n matrices, H K H) in the same run,
// uncentred and centred, for a linear and an RBF kernel.
func TestAlignmentNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x, labels := subspaceClasses(3, 2, 6, 20, false, 1)
	noise := sample.Gaussian(rng, 60, 6)
	x.Add(x, noise)
	var lin mat.SymDense
	lin.SymOuterK(1, x)
	rbf := mat.NewSymDense(60, nil)
	for i := 0; i < 60; i++ {
		for j := i; j < 60; j++ {
			var s float64
			for c := 0; c < 6; c++ {
				d := x.At(i, c) - x.At(j, c)
				s += d * d
			}
			rbf.SetSym(i, j, math.Exp(-s/10))
		}
	}
	const script = `
import json, sys
import numpy as np
r = json.load(sys.stdin)
y = np.array(r["y"])
Y = (y[:, None] == y[None, :]).astype(float)
n = len(y)
H = np.eye(n) - 1 / n
out = []
for path in (r["lin"], r["rbf"]):
    K = np.load(path)
    for centred in (False, True):
        k, t = (H @ K @ H, H @ Y @ H) if centred else (K, Y)
        out.append(float((k * t).sum() / (np.linalg.norm(k) * np.linalg.norm(t))))
print(json.dumps(out))
`
	var want []float64
	pyref.JSON(t, script, map[string]any{"y": labels, "lin": pyref.WriteNPY(t, &lin), "rbf": pyref.WriteNPY(t, rbf)}, &want)
	k := 0
	for _, g := range []mat.Symmetric{&lin, rbf} {
		for _, centred := range []bool{false, true} {
			got, err := KernelTargetAlignment(g, labels, centred)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-want[k]) > 1e-12 {
				t.Errorf("kernel %d centred=%v: %.15g, numpy %.15g", k/2, centred, got, want[k])
			}
			if k < 2 {
				f, _ := FeatureTargetAlignment(x, labels, centred)
				if math.Abs(f-got) > 1e-12 {
					t.Errorf("feature form %.15g, Gram form %.15g (centred=%v)", f, got, centred)
				}
			}
			k++
		}
	}
	t.Logf("alignments (linear, linear centred, RBF, RBF centred): %.4f", want)
}

// TestAlignmentPerfect: the target itself (and a positive multiple) is
// aligned 1, centred or not; one-hot features give the same through the
// feature form; a single class cannot be centred.
func TestAlignmentPerfect(t *testing.T) {
	labels := []int{0, 1, 2, 1, 0, 0, 2, 2, 2}
	n := len(labels)
	y := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			if labels[i] == labels[j] {
				y.SetSym(i, j, 2.5)
			}
		}
	}
	for _, centred := range []bool{false, true} {
		if a, err := KernelTargetAlignment(y, labels, centred); err != nil || math.Abs(a-1) > 1e-15 {
			t.Errorf("centred=%v: alignment of the target %v, %v", centred, a, err)
		}
		if a, err := FeatureTargetAlignment(oneHot(labels), labels, centred); err != nil || math.Abs(a-1) > 1e-15 {
			t.Errorf("centred=%v: alignment of one-hot features %v, %v", centred, a, err)
		}
	}
	if _, err := FeatureTargetAlignment(oneHot(labels), make([]int, n), true); err == nil {
		t.Error("one class, centred, gave no error")
	}
	if _, err := KernelTargetAlignment(y, labels[:3], false); err == nil {
		t.Error("too few labels gave no error")
	}
}
