package intrinsic

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

// TestAlgorithmOverride fits every estimator (DANCo included) on a
// 3-sphere in 4 dimensions, where knn.Auto picks the KD-tree, with
// Common.Algorithm forced to the tree and to brute force: both searches
// return identical neighbours, so every estimate is the same to the last
// bit, and equal to the automatic choice's. An unknown algorithm is
// refused by every estimator that searches (all but lPCA and FisherS,
// which use no neighbours), which shows the option reaches the search.
func TestAlgorithmOverride(t *testing.T) {
	X, err := synthetic.Sphere(1500, 3, synthetic.Embed{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got := knn.Choose(1500, 1500, 4, 20, knn.Euclidean, false); got != knn.KDTree {
		t.Fatalf("Choose picks %v for n = 1500, d = 4: the test wants the tree as the automatic choice", got)
	}
	fits := map[knn.Algorithm]map[string]float64{}
	for _, alg := range []knn.Algorithm{knn.Auto, knn.KDTree, knn.Brute} {
		fits[alg] = map[string]float64{}
		for _, e := range Defaults(Common{Algorithm: alg}, true) {
			r, err := e.Fit(X, nil)
			if err != nil {
				t.Fatalf("%T with %v: %v", e, alg, err)
			}
			fits[alg][r.Method] = r.Dim
		}
	}
	for method, tree := range fits[knn.KDTree] {
		for _, alg := range []knn.Algorithm{knn.Auto, knn.Brute} {
			if got := fits[alg][method]; math.Float64bits(got) != math.Float64bits(tree) {
				t.Errorf("%s: %v gives %.17g, the KD-tree %.17g", method, alg, got, tree)
			}
		}
	}
	noSearch := map[string]bool{"*intrinsic.LPCA": true, "*intrinsic.FisherS": true}
	for _, e := range Defaults(Common{Algorithm: 9}, true) {
		_, err := e.Fit(X, nil)
		name := fmt.Sprintf("%T", e)
		switch {
		case noSearch[name] && err != nil:
			t.Errorf("%s uses no neighbours but failed: %v", name, err)
		case !noSearch[name] && (err == nil || !strings.Contains(err.Error(), "unknown algorithm")):
			t.Errorf("%s with an unknown algorithm: error %v", name, err)
		}
	}
}
