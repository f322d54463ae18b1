package density

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
)

// KNNEntropyOptions configures the Kozachenko-Leonenko entropy estimate.
// The zero value uses k = 3 neighbours and the ambient dimension.
type KNNEntropyOptions struct {
	// K is the neighbour rank used (0 = 3, scikit-learn's default for its
	// kNN mutual information).
	K int
	// Dim, when > 0, replaces the ambient dimension d in the estimator:
	// with the intrinsic dimension of data lying on a manifold it
	// estimates the entropy with respect to the manifold's volume
	// (the manifold-entropy estimator of the seed papers), which is finite
	// where the ambient differential entropy is -Inf.
	Dim int
	// Workers for the neighbour search (0 = GOMAXPROCS).
	Workers int
	// Progress, when set, receives the neighbour search's progress.
	Progress progress.Func
}

// KNNEntropy returns the Kozachenko-Leonenko estimate (Kozachenko &
// Leonenko 1987; Kraskov, Stögbauer & Grassberger 2004, eq. 20 with the
// Euclidean norm) of the differential entropy of the distribution of the
// rows of data (n x d), in nats:
//
//	H = psi(n) - psi(k) + log V_m + (m/n) sum_i log r_k(i)
//
// with r_k(i) the Euclidean distance from point i to its k-th nearest
// other point, V_m the volume of the unit m-ball and m = d (or opts.Dim).
// It is consistent: for N(0, Sigma) samples it approaches
// 0.5 log det(2 pi e Sigma) as n grows. Duplicate points (r_k = 0) are an
// error naming the point. Cost: the exact kNN search, O(n^2 d) through BLAS.
func KNNEntropy(data *mat.Dense, opts KNNEntropyOptions) (float64, error) {
	return knnEntropy(data, opts, chk.Dense, knn.SearchSelf)
}

// KNNEntropy32 is KNNEntropy for float32 points (float32 search, float64
// distances), at the same O(n^2 d) cost with float32 GEMMs.
func KNNEntropy32(data *mat32.Dense, opts KNNEntropyOptions) (float64, error) {
	return knnEntropy(data, opts, chk.Dense32, knn.SearchSelf32)
}

// knnEntropy is KNNEntropy for either precision (see knnDensitySelf).
func knnEntropy[M any](data M, opts KNNEntropyOptions,
	check func(string, M) (int, int, error),
	search func(data M, o knn.Options) (*knn.Result, error)) (float64, error) {
	n, d, err := check("data", data)
	if err != nil {
		return 0, err
	}
	k, err := entropyK(opts, n)
	if err != nil {
		return 0, err
	}
	res, err := search(data, knn.Options{K: k, ExcludeSelf: true, Workers: opts.Workers, Progress: opts.Progress})
	if err != nil {
		return 0, fmt.Errorf("density: neighbour search: %w", err)
	}
	return KNNEntropyFromDistances(kth(res), entropyDim(opts, d), k)
}

func entropyK(opts KNNEntropyOptions, n int) (int, error) {
	k := opts.K
	if k == 0 {
		k = 3
	}
	if opts.Dim < 0 {
		return 0, chk.Errorf("Dim = %d must be >= 0", opts.Dim)
	}
	return k, chk.K("k", k, 1, n-1, "at most the points minus one")
}

func entropyDim(opts KNNEntropyOptions, d int) int {
	if opts.Dim > 0 {
		return opts.Dim
	}
	return d
}

// KNNEntropyFromDistances is KNNEntropy from precomputed distances rk
// (one a point: to its k-th nearest other point) of n = len(rk) points in
// dimension m. O(n). Errors: n < 2, m or k < 1, a distance that is not
// positive and finite (naming the point).
func KNNEntropyFromDistances(rk []float64, m, k int) (float64, error) {
	n := len(rk)
	if n < 2 || m < 1 || k < 1 {
		return 0, chk.Errorf("need at least 2 distances, m >= 1 and k >= 1, have %d, m=%d, k=%d", n, m, k)
	}
	var s float64
	for i, r := range rk {
		if !(r > 0) || math.IsInf(r, 0) {
			return 0, chk.Errorf("k-th neighbour distance of point %d is %v: the entropy estimate needs distinct points (remove duplicates or raise k)", i, r)
		}
		s += math.Log(r)
	}
	fn := float64(n)
	return mathext.Digamma(fn) - mathext.Digamma(float64(k)) + LogUnitBallVolume(m) + float64(m)/fn*s, nil
}
