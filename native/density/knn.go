package density

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
)

// KNNOptions configures the k-nearest-neighbour density.
type KNNOptions struct {
	// Workers for the neighbour search (0 = GOMAXPROCS).
	Workers int
	// Progress, when set, receives the neighbour search's progress.
	Progress progress.Func
}

// LogUnitBallVolume returns log V_d, the log volume of the Euclidean unit
// ball in d dimensions: (d/2) log(pi) - log Gamma(d/2 + 1). O(1).
func LogUnitBallVolume(d int) float64 {
	lg, _ := math.Lgamma(float64(d)/2 + 1)
	return float64(d)/2*math.Log(math.Pi) - lg
}

// KNNLogDensity returns the k-nearest-neighbour log density at each query
// row, estimated from data (n x d):
//
//	log p(x) = log k - log n - log V_d - d log r_k(x)
//
// where r_k(x) is the Euclidean distance from x to its k-th nearest data
// point and V_d the unit-ball volume. A query at distance 0 from k data
// points has r_k = 0 and an error is returned naming it (duplicates: drop
// them first). Cost: the exact kNN search of native/knn, O(m n d) time
// through BLAS. Requires 1 <= k < n.
func KNNLogDensity(data, queries *mat.Dense, k int, opts KNNOptions) ([]float64, error) {
	return knnDensity(data, queries, k, opts, chk.Dense, knn.Search)
}

// KNNLogDensitySelf returns the kNN log density at each data point with the
// point itself left out: r_k is the distance to the k-th nearest other
// point and the sample size in the formula is n-1. Exact duplicates of a
// point count as neighbours at distance 0, so a point with k or more
// duplicates gives an error. Requires 1 <= k <= n-1.
func KNNLogDensitySelf(data *mat.Dense, k int, opts KNNOptions) ([]float64, error) {
	return knnDensitySelf(data, k, opts, chk.Dense, knn.SearchSelf)
}

// KNNLogDensityFromDistances turns precomputed k-th neighbour distances
// r_k (one a point) into log densities log k - log n - log V_d - d log r_k,
// for a sample of n points in d dimensions. O(len(rk)). It returns an error
// for a zero, negative or non-finite distance (naming its position).
func KNNLogDensityFromDistances(rk []float64, n, d, k int) ([]float64, error) {
	if n < 1 || d < 1 || k < 1 {
		return nil, fmt.Errorf("density: need n, d, k >= 1, have n=%d d=%d k=%d", n, d, k)
	}
	c := math.Log(float64(k)) - math.Log(float64(n)) - LogUnitBallVolume(d)
	out := make([]float64, len(rk))
	for i, r := range rk {
		if !(r > 0) || math.IsInf(r, 0) {
			return nil, fmt.Errorf("density: k-th neighbour distance of point %d is %v: the density is undefined (duplicate points? remove them or raise k)", i, r)
		}
		out[i] = c - float64(d)*math.Log(r)
	}
	return out, nil
}

// kth extracts the distance to the K-th neighbour of each query.
func kth(r *knn.Result) []float64 {
	out := make([]float64, r.N)
	for i := range out {
		out[i] = r.Dist[i*r.K+r.K-1]
	}
	return out
}

// KNNLogDensity32 is KNNLogDensity for float32 points (the neighbour search
// runs in float32; distances are then used in float64).
func KNNLogDensity32(data, queries *mat32.Dense, k int, opts KNNOptions) ([]float64, error) {
	return knnDensity(data, queries, k, opts, chk.Dense32, knn.Search32)
}

// KNNLogDensitySelf32 is KNNLogDensitySelf for float32 points.
func KNNLogDensitySelf32(data *mat32.Dense, k int, opts KNNOptions) ([]float64, error) {
	return knnDensitySelf(data, k, opts, chk.Dense32, knn.SearchSelf32)
}

// knnDensity is KNNLogDensity for either precision: check validates a
// matrix (chk.Dense or chk.Dense32), search is the matching knn search.
func knnDensity[M any](data, queries M, k int, opts KNNOptions,
	check func(string, M) (int, int, error),
	search func(data, queries M, o knn.Options) (*knn.Result, error)) ([]float64, error) {
	n, d, err := check("data", data)
	if err != nil {
		return nil, err
	}
	_, dq, err := check("queries", queries)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("queries", dq, "data", d, ""); err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, n-1, "fewer than the data points"); err != nil {
		return nil, err
	}
	res, err := search(data, queries, knn.Options{K: k, Metric: knn.Euclidean, Workers: opts.Workers, Progress: opts.Progress})
	if err != nil {
		return nil, fmt.Errorf("density: neighbour search: %w", err)
	}
	return KNNLogDensityFromDistances(kth(res), n, d, k)
}

// knnDensitySelf is KNNLogDensitySelf for either precision.
func knnDensitySelf[M any](data M, k int, opts KNNOptions,
	check func(string, M) (int, int, error),
	search func(data M, o knn.Options) (*knn.Result, error)) ([]float64, error) {
	n, d, err := check("data", data)
	if err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, n-1, "at most the points minus one"); err != nil {
		return nil, err
	}
	res, err := search(data, knn.Options{K: k, Metric: knn.Euclidean, ExcludeSelf: true, Workers: opts.Workers, Progress: opts.Progress})
	if err != nil {
		return nil, fmt.Errorf("density: neighbour search: %w", err)
	}
	return KNNLogDensityFromDistances(kth(res), n-1, d, k)
}
