package knn

import (
	"math"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
)

// float is the element type of the engine: one compiled copy per precision.
type float interface{ ~float32 | ~float64 }

// matrix is a contiguous row-major matrix.
type matrix[T float] struct {
	rows, cols int
	data       []T
}

func (m *matrix[T]) row(i int) []T { return m.data[i*m.cols : (i+1)*m.cols] }

// gemmFunc computes c (m x n) = a (m x k) * b (n x k)^T on contiguous rows.
type gemmFunc[T float] func(m, n, k int, a, b, c []T)

// gemm64 and gemm32 are the shared BLAS products of rows with rows.
var (
	gemm64 gemmFunc[float64] = linalg.GemmNT64
	gemm32 gemmFunc[float32] = linalg.GemmNT32
)

// cand is a candidate neighbour: its distance (or key) and data row.
type cand struct {
	d float64
	j int
}

func sqNorm[T float](x []T) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

func dot[T float](x, y []T) float64 {
	var s float64
	y = y[:len(x)]
	for t, v := range x {
		s += float64(v) * float64(y[t])
	}
	return s
}

// euclid is the exact Euclidean distance reported by every search:
// sqrt(sqDist(x, y)). O(d).
func euclid[T float](x, y []T) float64 { return math.Sqrt(sqDist(x, y)) }

// cosineDist returns 1 - cos(x, y) as ||x/|x| - y/|y|||^2 / 2 (summed in
// sqDist's lanes), which is exactly 0 for rows with the same direction and
// accurate for small angles. O(d).
func cosineDist[T float](x, y []T, ix, iy float64) float64 {
	var s [4]float64
	y = y[:len(x)]
	for t, v := range x {
		e := float64(v)*ix - float64(y[t])*iy
		s[t&3] += float64(e * e)
	}
	return ((s[0] + s[1]) + (s[2] + s[3])) / 2
}

func colMean[T float](m *matrix[T]) []float64 {
	mean := make([]float64, m.cols)
	for i := range m.rows {
		for t, v := range m.row(i) {
			mean[t] += float64(v)
		}
	}
	for t := range mean {
		mean[t] /= float64(m.rows)
	}
	return mean
}

func shifted[T float](m *matrix[T], mean []float64) *matrix[T] {
	out := &matrix[T]{rows: m.rows, cols: m.cols, data: make([]T, len(m.data))}
	for k, v := range m.data {
		out.data[k] = T(float64(v) - mean[k%m.cols])
	}
	return out
}

// normalised returns m with unit-norm rows in T (unitRows rounded to T)
// and the inverse norms, or an error naming the first zero row.
func normalised[T float](m *matrix[T], name string) (*matrix[T], []float64, error) {
	u, inv, err := unitRows(m, name)
	if err != nil {
		return nil, nil, err
	}
	if same, ok := any(u).(*matrix[T]); ok {
		return same, inv, nil
	}
	out := &matrix[T]{rows: m.rows, cols: m.cols, data: make([]T, len(u.data))}
	for k, v := range u.data {
		out.data[k] = T(v)
	}
	return out, inv, nil
}
