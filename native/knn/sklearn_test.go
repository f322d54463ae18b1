package knn

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// sklearnScript runs sklearn's brute-force NearestNeighbors (Euclidean,
// cosine; self search through kneighbors() without X, which excludes each
// point) and numpy for the inner product, on JSON from stdin.
const sklearnScript = `
import json, sys
import numpy as np
from sklearn.neighbors import NearestNeighbors
req = json.load(sys.stdin)
X = np.array(req["data"], dtype=np.float64)
Q = np.array(req["queries"], dtype=np.float64)
k = req["k"]
out = {}
for metric in ("euclidean", "cosine"):
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute", metric=metric).fit(X)
    d, i = nn.kneighbors(Q)
    ds, is_ = nn.kneighbors()
    out[metric] = {"dist": d.tolist(), "index": i.tolist(), "self_dist": ds.tolist(), "self_index": is_.tolist()}
s = -(Q @ X.T)
i = np.argsort(s, axis=1, kind="stable")[:, :k]
out["inner"] = {"dist": np.take_along_axis(s, i, 1).tolist(), "index": i.tolist()}
json.dump(out, sys.stdout)
`

type skResult struct {
	Dist      [][]float64 `json:"dist"`
	Index     [][]int     `json:"index"`
	SelfDist  [][]float64 `json:"self_dist"`
	SelfIndex [][]int     `json:"self_index"`
}

func runSklearn(t *testing.T, data, queries *mat.Dense, k int) map[string]skResult {
	t.Helper()
	var res map[string]skResult
	pyref.JSON(t, sklearnScript, map[string]any{"data": pyref.Rows(data), "queries": pyref.Rows(queries), "k": k}, &res)
	return res
}

// compareSk checks indices equal except between tied distances, and
// distances within rel (relative, with an absolute floor of abs).
func compareSk(t *testing.T, name string, got *Result, dist [][]float64, index [][]int, rel, abs float64) {
	t.Helper()
	for i := range got.N {
		for r := range got.K {
			g, w := got.Distances(i)[r], dist[i][r]
			if math.Abs(g-w) > rel*math.Abs(w)+abs {
				t.Fatalf("%s: query %d rank %d: distance %.17g, sklearn %.17g", name, i, r, g, w)
			}
			if gi, wi := got.Neighbors(i)[r], index[i][r]; gi != wi {
				// Allowed only for a tie: the two candidates at the same
				// distance within the tolerance.
				if r+1 >= got.K || math.Abs(dist[i][r]-dist[i][r+1]) > rel*math.Abs(w)+abs {
					t.Fatalf("%s: query %d rank %d: index %d, sklearn %d (not a tie)", name, i, r, gi, wi)
				}
			}
		}
	}
}

// TestSklearn compares the engine with scikit-learn's brute-force search
// run in the same test: float64 distances to 1e-8 relative, indices equal;
// the float32 path against sklearn within float32 rounding of the inputs.
func TestSklearn(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	data := sample.Gaussian(rng, 400, 24)
	queries := sample.Gaussian(rng, 60, 24)
	// A shifted copy away from the origin stresses the norm expansion.
	for i := range 400 {
		for j := range 24 {
			data.Set(i, j, data.At(i, j)+3)
		}
	}
	for i := range 60 {
		for j := range 24 {
			queries.Set(i, j, queries.At(i, j)+3)
		}
	}
	const k = 12
	sk := runSklearn(t, data, queries, k)
	for _, c := range []struct {
		name   string
		metric Metric
		abs    float64
	}{
		{"euclidean", Euclidean, 0},
		// sklearn computes 1 - x.y/(|x||y|), which carries absolute error
		// ~1e-16 near 0: compare cosine distances with an absolute floor.
		{"cosine", Cosine, 1e-12},
		{"inner", InnerProduct, 0},
	} {
		got, err := Search(data, queries, Options{K: k, Metric: c.metric, BlockSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		compareSk(t, c.name, got, sk[c.name].Dist, sk[c.name].Index, 1e-8, c.abs)
		if c.name != "inner" {
			self, err := SearchSelf(data, Options{K: k, Metric: c.metric, ExcludeSelf: true, BlockSize: 100})
			if err != nil {
				t.Fatal(err)
			}
			compareSk(t, c.name+" self", self, sk[c.name].SelfDist, sk[c.name].SelfIndex, 1e-8, c.abs)
		}
		// float32: inputs rounded to float32 move distances by ~1e-7
		// relative; neighbours agree except near-ties at that level.
		got32, err := Search32(mat32.FromDense(data), mat32.FromDense(queries), Options{K: k, Metric: c.metric})
		if err != nil {
			t.Fatal(err)
		}
		compareSk(t, c.name+" float32", got32, sk[c.name].Dist, sk[c.name].Index, 2e-6, 1e-6)
	}
}
