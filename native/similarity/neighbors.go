package similarity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// DefaultK is the neighbourhood size used when k is 0 (platonic-rep's topk).
const DefaultK = 10

func defaultK(k int) (int, error) {
	if k == 0 {
		return DefaultK, nil
	}
	if k < 0 {
		return 0, fmt.Errorf("similarity: k must be positive, got %d", k)
	}
	return k, nil
}

// l2Rows returns a copy of x with every row scaled to unit Euclidean norm
// (rows of zero norm stay zero, as torch's F.normalize).
func l2Rows(x *mat.Dense) *mat.Dense {
	n, d := x.Dims()
	out := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		src, dst := x.RawRowView(i), out.RawRowView(i)
		var s float64
		for _, v := range src {
			s += v * v
		}
		if s == 0 {
			continue
		}
		s = 1 / math.Sqrt(s)
		for j, v := range src {
			dst[j] = v * s
		}
	}
	return out
}

func l2Rows32(x *mat32.Dense) *mat32.Dense {
	n, d := x.Dims()
	out := mat32.Zeros(n, d)
	for i := 0; i < n; i++ {
		src, dst := x.Row(i), out.Row(i)
		var s float64
		for _, v := range src {
			s += float64(v) * float64(v)
		}
		if s == 0 {
			continue
		}
		s = 1 / math.Sqrt(s)
		for j, v := range src {
			dst[j] = float32(float64(v) * s)
		}
	}
	return out
}

// overlaps returns, for every point, |N_A(i) ∩ N_B(i)|.
func overlaps(a, b *knn.Result) ([]int, error) {
	if a == nil || b == nil {
		return nil, fmt.Errorf("similarity: nil neighbour result")
	}
	if a.N != b.N {
		return nil, fmt.Errorf("similarity: neighbour results for %d and %d points: rows must be the same stimuli", a.N, b.N)
	}
	if a.N == 0 || a.K == 0 || b.K == 0 {
		return nil, fmt.Errorf("%w: neighbour result with no points or no neighbours", ErrEmpty)
	}
	if len(a.Index) != a.N*a.K || len(b.Index) != b.N*b.K {
		return nil, fmt.Errorf("similarity: malformed neighbour result (Index length differs from N*K)")
	}
	// stamp[j] == i+1 marks j as a neighbour of i in A.
	maxIdx := 0
	for _, j := range a.Index {
		if j < 0 {
			return nil, fmt.Errorf("similarity: negative neighbour index %d", j)
		}
		maxIdx = max(maxIdx, j)
	}
	stamp := make([]int, maxIdx+1)
	out := make([]int, a.N)
	for i := 0; i < a.N; i++ {
		for _, j := range a.Neighbors(i) {
			stamp[j] = i + 1
		}
		c := 0
		for _, j := range b.Neighbors(i) {
			if j >= 0 && j <= maxIdx && stamp[j] == i+1 {
				c++
			}
		}
		out[i] = c
	}
	return out, nil
}

// MutualKNNFromNeighbors returns the mutual k-NN alignment of two
// precomputed neighbour lists of the same points: the mean over points of
// |N_A(i) ∩ N_B(i)| / k with k = A's K (B should use the same K). O(n k).
func MutualKNNFromNeighbors(a, b *knn.Result) (float64, error) {
	c, err := overlaps(a, b)
	if err != nil {
		return 0, err
	}
	var s float64
	for _, v := range c {
		s += float64(v)
	}
	return s / float64(len(c)*a.K), nil
}

// KNNJaccardFromNeighbors returns the mean over points of the Jaccard index
// |N_A(i) ∩ N_B(i)| / |N_A(i) ∪ N_B(i)| of two precomputed neighbour lists.
// O(n k).
func KNNJaccardFromNeighbors(a, b *knn.Result) (float64, error) {
	c, err := overlaps(a, b)
	if err != nil {
		return 0, err
	}
	var s float64
	for _, v := range c {
		s += float64(v) / float64(a.K+b.K-v)
	}
	return s / float64(len(c)), nil
}

func selfKNN(x *mat.Dense, k int, metric knn.Metric) (*knn.Result, error) {
	return knn.SearchSelf(x, knn.Options{K: k, Metric: metric, ExcludeSelf: true})
}

// MutualKNN returns the mutual k-nearest-neighbour alignment of
// platonic-rep (Huh et al. 2024): rows are L2-normalised, each point's k
// nearest other points are found by inner product (cosine) with native/knn,
// and the score is the mean over points of |N_X(i) ∩ N_Y(i)| / k, in [0, 1]:
// 1 for identical neighbourhoods, about k/(n-1) for unrelated ones. k = 0
// means DefaultK (10); it needs k < n. Ties are broken by the smaller index
// (torch's argsort leaves them unspecified). Cost O(n^2 (d1 + d2)) in
// blocked GEMMs, memory O(n (d1 + d2 + k)).
func MutualKNN(x, y *mat.Dense, k int) (float64, error) {
	if _, _, _, err := checkPair(x, y); err != nil {
		return 0, err
	}
	k, err := defaultK(k)
	if err != nil {
		return 0, err
	}
	a, err := selfKNN(l2Rows(x), k, knn.InnerProduct)
	if err != nil {
		return 0, fmt.Errorf("X: %w", err)
	}
	b, err := selfKNN(l2Rows(y), k, knn.InnerProduct)
	if err != nil {
		return 0, fmt.Errorf("Y: %w", err)
	}
	return MutualKNNFromNeighbors(a, b)
}

// MutualKNN32 is MutualKNN for float32 inputs (float32 GEMMs).
func MutualKNN32(x, y *mat32.Dense, k int) (float64, error) {
	if _, _, _, err := checkPair32(x, y); err != nil {
		return 0, err
	}
	k, err := defaultK(k)
	if err != nil {
		return 0, err
	}
	opts := knn.Options{K: k, Metric: knn.InnerProduct, ExcludeSelf: true}
	a, err := knn.SearchSelf32(l2Rows32(x), opts)
	if err != nil {
		return 0, fmt.Errorf("X: %w", err)
	}
	b, err := knn.SearchSelf32(l2Rows32(y), opts)
	if err != nil {
		return 0, fmt.Errorf("Y: %w", err)
	}
	return MutualKNNFromNeighbors(a, b)
}

// KNNJaccard returns the mean Jaccard overlap of the k-nearest-neighbour
// sets of each point in X and in Y (self excluded, found with native/knn
// under metric, e.g. knn.Euclidean or knn.Cosine): mean_i |N_X(i) ∩ N_Y(i)|
// / |N_X(i) ∪ N_Y(i)|, in [0, 1]. k = 0 means DefaultK. Cost
// O(n^2 (d1 + d2)), memory O(n (d1 + d2 + k)).
func KNNJaccard(x, y *mat.Dense, k int, metric knn.Metric) (float64, error) {
	if _, _, _, err := checkPair(x, y); err != nil {
		return 0, err
	}
	k, err := defaultK(k)
	if err != nil {
		return 0, err
	}
	a, err := selfKNN(x, k, metric)
	if err != nil {
		return 0, fmt.Errorf("X: %w", err)
	}
	b, err := selfKNN(y, k, metric)
	if err != nil {
		return 0, fmt.Errorf("Y: %w", err)
	}
	return KNNJaccardFromNeighbors(a, b)
}
