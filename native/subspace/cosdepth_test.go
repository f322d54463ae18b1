package subspace

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// tteScript is tte_depth's definition through scipy's cosine distances:
// depths of G w.r.t. F (mean over F) and of F within F (self left out).
const tteScript = `
import json, sys
import numpy as np
from scipy.spatial.distance import cdist
a = json.load(sys.stdin)
F, G = np.array(a["f"]), np.array(a["g"])
D = cdist(G, F, metric="cosine")
S = cdist(F, F, metric="cosine")
n = len(F)
print(json.dumps({"g": (2 - D.mean(axis=1)).tolist(),
                  "f": (2 - (S.sum(axis=1) - np.diag(S)) / (n - 1)).tolist()}))
`

// embeddings returns n rows around a mean direction (like text
// embeddings: a shared component plus noise).
func embeddings(rng *rand.Rand, n, d int, dir []float64) *mat.Dense {
	x := sample.Gaussian(rng, n, d)
	for i := range n {
		row := x.RawRowView(i)
		for j := range row {
			row[j] = 0.5*row[j] + dir[j]
		}
	}
	return x
}

func TestCosineDepth(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	const d = 16
	dir := make([]float64, d)
	dir[0] = 1
	f := embeddings(rng, 120, d, dir)
	g := embeddings(rng, 50, d, dir)
	var ref struct {
		G []float64 `json:"g"`
		F []float64 `json:"f"`
	}
	pyref.JSON(t, tteScript, map[string]any{"f": pyref.Rows(f), "g": pyref.Rows(g)}, &ref)
	dg, err := CosineDepth(g, f)
	if err != nil {
		t.Fatal(err)
	}
	df, err := CosineDepthSelf(f)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range ref.G {
		if math.Abs(dg[i]-w) > 1e-12 {
			t.Fatalf("depth of g[%d] = %.15g, scipy %.15g", i, dg[i], w)
		}
	}
	for i, w := range ref.F {
		if math.Abs(df[i]-w) > 1e-12 {
			t.Fatalf("self depth of f[%d] = %.15g, scipy %.15g", i, df[i], w)
		}
	}
	// The rank test with the cosine depth: same distribution vs a corpus
	// whose mean direction is rotated.
	x := embeddings(rng, 400, d, dir)
	same := embeddings(rng, 200, d, dir)
	turned := make([]float64, d)
	turned[0], turned[1] = math.Cos(1.2), math.Sin(1.2)
	shifted := embeddings(rng, 200, d, turned)
	opts := RankTestOptions{Depth: DepthCosine, SplitSeed: 3}
	r0, err := SameDistributionTest(x, same, opts)
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := SameDistributionTest(x, shifted, opts)
	t.Logf("cosine depth rank test: same Q %.3f p %.3g; rotated Q %.3f p %.3g", r0.Q, r0.PValue, r1.Q, r1.PValue)
	if r0.PValue < 0.05 || r1.PValue > 1e-6 || r1.Q >= 0.5 {
		t.Errorf("same p %.3g; rotated p %.3g Q %.3f", r0.PValue, r1.PValue, r1.Q)
	}
	if DepthCosine.String() != "cosine" {
		t.Errorf("name %q", DepthCosine.String())
	}
	zero := mat.NewDense(2, d, nil)
	if _, err := CosineDepth(zero, f); err == nil {
		t.Error("zero row accepted")
	}
}
