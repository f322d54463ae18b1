package geometry

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/knn"
)

// FrameOptions configures the fixed class geometries. The zero value
// gives the canonical (unrotated) frame.
type FrameOptions struct {
	// Rotate applies a random rotation of R^d (Haar, drawn from Seed) to
	// the frame: the geometry is the same, the coordinates are generic.
	Rotate bool
	Seed   uint64
}

// SimplexETF returns the K x d simplex equiangular tight frame, one unit
// row a class: every pair of rows has cosine -1/(K-1), the rows sum to 0,
// and they span K-1 dimensions. It needs K >= 2 and d >= K-1. For d >= K
// the rows are sqrt(K/(K-1)) (e_k - 1/K) in the first K coordinates; for
// d = K-1 they are DSimplex(K-1). O(K d) (plus O(d^3) to rotate).
func SimplexETF(k, d int, opts FrameOptions) (*mat.Dense, error) {
	if k < 2 || d < k-1 {
		return nil, chk.Errorf("SimplexETF(K = %d, d = %d): want K >= 2 and d >= K-1", k, d)
	}
	if d == k-1 {
		return DSimplex(d, opts)
	}
	m := mat.NewDense(k, d, nil)
	scale := math.Sqrt(float64(k) / float64(k-1))
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			v := -1 / float64(k)
			if i == j {
				v += 1
			}
			m.Set(i, j, scale*v)
		}
	}
	return rotated(m, opts), nil
}

// DSimplex returns the d+1 vertices (rows, d columns) of the regular
// simplex of the d-simplex fixed classifier (Pernici et al. 2019): e_1, ...,
// e_d and alpha (1, ..., 1) with alpha = (1 - sqrt(d+1))/d, centred on
// their centroid and scaled to unit norm. Every pair has cosine -1/d: the
// simplex ETF of K = d+1 classes in the fewest dimensions. It needs
// d >= 1. O(d^2) (plus O(d^3) to rotate).
func DSimplex(d int, opts FrameOptions) (*mat.Dense, error) {
	if d < 1 {
		return nil, chk.Errorf("DSimplex(d = %d): want d >= 1", d)
	}
	alpha := (1 - math.Sqrt(float64(d+1))) / float64(d)
	centre := (1 + alpha) / float64(d+1)
	m := mat.NewDense(d+1, d, nil)
	for i := 0; i <= d; i++ {
		row := m.RawRowView(i)
		for j := range row {
			switch {
			case i == d:
				row[j] = alpha
			case i == j:
				row[j] = 1
			}
			row[j] -= centre
		}
	}
	m, _ = unitRows(m, "vertex")
	return rotated(m, opts), nil
}

// randomRotation returns a Haar-distributed d x d orthogonal matrix: the Q
// of the QR decomposition of a Gaussian matrix, its columns' signs fixed
// by R's diagonal. O(d^3).
func randomRotation(d int, seed uint64) *mat.Dense {
	g := sample.Gaussian(rand.New(rand.NewPCG(seed, 0xe7f)), d, d)
	var qr mat.QR
	qr.Factorize(g)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	for j := 0; j < d; j++ {
		if r.At(j, j) < 0 {
			for i := 0; i < d; i++ {
				q.Set(i, j, -q.At(i, j))
			}
		}
	}
	return &q
}

// rotated returns m times a random rotation when opts.Rotate, else m.
func rotated(m *mat.Dense, opts FrameOptions) *mat.Dense {
	if !opts.Rotate {
		return m
	}
	_, d := m.Dims()
	var out mat.Dense
	out.Mul(m, randomRotation(d, opts.Seed))
	return &out
}

// WelchBound returns the smallest possible max |cos| among n unit vectors
// in R^d: sqrt((n - d) / (d (n - 1))) for n > d, 0 for n <= d (Welch
// 1974). O(1).
func WelchBound(n, d int) float64 {
	if n <= d {
		return 0
	}
	return math.Sqrt(float64(n-d) / (float64(d) * float64(n-1)))
}

// MaxAbsCosine returns the largest |cos| between two distinct rows of m
// (at least 2 rows, none zero). O(r^2 c).
func MaxAbsCosine(m *mat.Dense) (float64, error) {
	r, _, err := chk.Dense("m", m)
	if err != nil {
		return 0, err
	}
	if r < 2 {
		return 0, chk.Errorf("m has %d row: need at least 2 vectors", r)
	}
	u, err := unitRows(m, "m")
	if err != nil {
		return 0, err
	}
	var g mat.Dense
	g.Mul(u, u.T())
	best := 0.0
	for _, c := range offDiagonal(&g) {
		best = math.Max(best, math.Abs(c))
	}
	return best, nil
}

// NearestPrototype returns, for every row of features (n x d), the index
// of the prototype (a row of prototypes, P x d, P >= 2) it is nearest to
// under metric: knn.Cosine (largest cosine, the usual rule for fixed
// classifiers), knn.InnerProduct (largest logit) or knn.Euclidean; ties go
// to the lower index. Cost O(n P d) through package knn.
func NearestPrototype(features, prototypes *mat.Dense, metric knn.Metric) ([]int, error) {
	if _, _, err := chk.Dense("features", features); err != nil {
		return nil, err
	}
	p, _, err := chk.Dense("prototypes", prototypes)
	if err != nil {
		return nil, err
	}
	if p < 2 {
		return nil, chk.Errorf("prototypes has %d row: need at least 2 classes", p)
	}
	res, err := knn.Search(prototypes, features, knn.Options{K: 1, Metric: metric})
	if err != nil {
		return nil, chk.Errorf("nearest prototype: %w", err)
	}
	return res.Index, nil
}

// Accuracy returns the fraction of predictions equal to labels (same
// length, non-empty). O(n).
func Accuracy(predictions, labels []int) (float64, error) {
	if len(predictions) != len(labels) || len(labels) == 0 {
		return 0, chk.Errorf("Accuracy: %d predictions for %d labels (want the same, non-zero)", len(predictions), len(labels))
	}
	ok := 0
	for i, p := range predictions {
		if p == labels[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(labels)), nil
}
