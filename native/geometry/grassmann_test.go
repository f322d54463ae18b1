package geometry

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/subspace"
)

// subspaceClasses returns per samples of each of K classes drawn in the
// class's own k-dimensional subspace of R^d (random, or orthogonal to the
// others when orthogonal is set), and the labels.
func subspaceClasses(k, dim, d, per int, orthogonal bool, seed uint64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 3))
	q := randomRotation(d, seed)
	x := mat.NewDense(k*per, d, nil)
	labels := make([]int, k*per)
	for c := 0; c < k; c++ {
		basis := mat.NewDense(d, dim, nil)
		for j := 0; j < dim; j++ {
			for i := 0; i < d; i++ {
				if orthogonal {
					basis.Set(i, j, q.At(i, c*dim+j))
				} else {
					basis.Set(i, j, rng.NormFloat64())
				}
			}
		}
		for r := 0; r < per; r++ {
			a := make([]float64, dim)
			for j := range a {
				a[j] = rng.NormFloat64()
			}
			var row mat.VecDense
			row.MulVec(basis, mat.NewVecDense(dim, a))
			x.SetRow(c*per+r, row.RawVector().Data)
			labels[c*per+r] = c
		}
	}
	return x, labels
}

// TestProjectionLogits: every logit is at most ||f|| (1e-12 relative),
// with equality for a feature inside its class subspace; classes in
// orthogonal subspaces are classified exactly, have energy 1 and geodesic
// distances sqrt(k) pi/2; Distances agrees with subspace.GrassmannDistance.
func TestProjectionLogits(t *testing.T) {
	const k, dim, d = 4, 3, 16
	x, labels := subspaceClasses(k, dim, d, 20, true, 1)
	cs, err := FitClassSubspaces(x, labels, dim)
	if err != nil {
		t.Fatal(err)
	}
	z, err := cs.Logits(x)
	if err != nil {
		t.Fatal(err)
	}
	for i, y := range labels {
		f := mat.Norm(x.RowView(i), 2)
		for c := 0; c < k; c++ {
			if z.At(i, c) > f*(1+1e-12) {
				t.Fatalf("sample %d: logit %d is %v > ||f|| = %v", i, c, z.At(i, c), f)
			}
		}
		if math.Abs(z.At(i, y)-f) > 1e-12*f {
			t.Fatalf("sample %d inside class %d's subspace: logit %v, ||f|| %v", i, y, z.At(i, y), f)
		}
	}
	if acc, _ := cs.Accuracy(x, labels); acc != 1 {
		t.Errorf("orthogonal classes: accuracy %v", acc)
	}
	dist, err := cs.Distances(subspace.Geodesic)
	if err != nil {
		t.Fatal(err)
	}
	for a := 0; a < k; a++ {
		if math.Abs(cs.Energy[a]-1) > 1e-12 || dist.At(a, a) != 0 {
			t.Errorf("class %d: energy %v, self-distance %v", a, cs.Energy[a], dist.At(a, a))
		}
		for b := a + 1; b < k; b++ {
			if math.Abs(dist.At(a, b)-math.Sqrt(dim)*math.Pi/2) > 1e-9 || dist.At(a, b) != dist.At(b, a) {
				t.Errorf("classes %d, %d: geodesic distance %v, want sqrt(3) pi/2", a, b, dist.At(a, b))
			}
		}
	}
	chord, _ := cs.Distances(subspace.Chordal)
	direct, _ := subspace.GrassmannDistance(cs.Bases[0], cs.Bases[2], subspace.Chordal)
	if chord.At(0, 2) != direct {
		t.Errorf("chordal distance %v, subspace.GrassmannDistance %v", chord.At(0, 2), direct)
	}
}

// TestGrassmannDigits fits 8-dimensional class subspaces to the training
// digits and compares the test logits with numpy's SVD-based ones in the
// same run; the classifier is accurate (> 0.9).
func TestGrassmannDigits(t *testing.T) {
	xtr, ytr, xte, yte := digitsSplit(t)
	cs, err := FitClassSubspaces(xtr, ytr, 8)
	if err != nil {
		t.Fatal(err)
	}
	acc, _ := cs.Accuracy(xte, yte)
	t.Logf("digits, 8-dimensional class subspaces: test accuracy %.4f", acc)
	if acc < 0.9 {
		t.Errorf("accuracy %v, want > 0.9", acc)
	}
	z, _ := cs.Logits(xte)
	const script = `
import json, sys
import numpy as np
r = json.load(sys.stdin)
X, y, T = np.load(r["xtr"]), np.array(r["ytr"]), np.load(r["xte"])
out = []
for c in range(10):
    _, _, vt = np.linalg.svd(X[y == c], full_matrices=False)
    out.append(np.linalg.norm(T @ vt[:8].T, axis=1))
print(json.dumps(np.stack(out, 1).tolist()))
`
	var want [][]float64
	pyref.JSON(t, script, map[string]any{"xtr": pyref.WriteNPY(t, xtr), "ytr": ytr, "xte": pyref.WriteNPY(t, xte)}, &want)
	for i := range want {
		for c, v := range want[i] {
			if math.Abs(z.At(i, c)-v) > 1e-9 {
				t.Fatalf("logit (%d, %d) = %v, numpy %v", i, c, z.At(i, c), v)
			}
		}
	}
	if _, err := FitClassSubspaces(xtr, ytr, 65); err == nil {
		t.Error("k = 65 > d gave no error")
	}
	if _, err := cs.Logits(xtr.Slice(0, 5, 0, 10).(*mat.Dense)); err == nil {
		t.Error("features of the wrong width gave no error")
	}
}
