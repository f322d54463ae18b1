// Package knn computes exact k nearest neighbours and radius counts, with
// a KD-tree for low dimensions and blocked matrix products otherwise.
//
// Both algorithms return the same result, exactly: the K nearest data rows
// of each query sorted by the distance recomputed exactly in float64 from
// the input rows (exact duplicates at distance exactly 0, no cancellation
// error of the ||x||^2 + ||y||^2 - 2 x.y expansion), ties (equal exact
// distances) broken by the smaller data index, whatever the number of
// workers, block or leaf size. Options.Algorithm picks one; Auto (the
// default) follows Choose, whose rule was measured on this machine.
//
// KDTree: a balanced KD-tree over the data, searched nearest child first
// with bounds from the cell and the bounding box of each leaf; candidates
// are ranked by the exact distance itself. About O(m (log n + K) 2^d).
//
// Brute: the rows (centred, or normalised for the cosine metric) are
// reordered into the leaves of a KD-tree, so that blocks are compact in
// space; block pairs are multiplied with one BLAS GEMM (blas64 for
// float64, blas32 for float32; OpenBLAS when built with the "openblas"
// tag, see package native/blas) and each row of a product is filtered
// into the row's candidate buffer, keeping every candidate within the
// proven rounding tolerance of the K-th; block pairs whose boxes lie
// beyond the reach of all their rows are skipped. Cost: at most O(m n d)
// flops and O(m n) comparisons, O(m K d) for the exact recomputation.
// Memory: the K neighbours of each query (O(m K)), candidate buffers
// (O(n K) for a self search above 48 dimensions, one block's otherwise),
// a block product per worker, and a reordered copy of the data.
package knn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // BLAS backend selection
	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Metric selects the dissimilarity used to rank neighbours.
type Metric int

const (
	// Euclidean ranks by Euclidean distance; Dist holds ||x-y|| (not squared).
	Euclidean Metric = iota
	// Cosine ranks by cosine similarity; Dist holds 1 - cos(x, y), in [0, 2].
	// Rows of zero norm are an error.
	Cosine
	// InnerProduct ranks by inner product, largest first; Dist holds -<x, y>
	// so that smaller is nearer as for the other metrics.
	InnerProduct
)

// String returns the metric's name.
func (m Metric) String() string {
	switch m {
	case Euclidean:
		return "euclidean"
	case Cosine:
		return "cosine"
	case InnerProduct:
		return "inner product"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// Algorithm selects how neighbours are found. Every algorithm returns the
// same result (indices and distances), only the time differs.
type Algorithm int

const (
	// Auto picks KDTree or Brute from the number of data rows, the
	// dimension, K and the metric with the rule measured on this machine
	// (see Choose).
	Auto Algorithm = iota
	// Brute is the blocked GEMM engine: O(m n d) flops whatever the data.
	Brute
	// KDTree searches a KD-tree built on the data (Euclidean and cosine
	// metrics): about O(m (log n + K) 2^d) work, far below brute force for
	// low-dimensional data or data of low intrinsic dimension.
	KDTree
)

// String returns the algorithm's name.
func (a Algorithm) String() string {
	switch a {
	case Auto:
		return "auto"
	case Brute:
		return "brute"
	case KDTree:
		return "kd-tree"
	}
	return fmt.Sprintf("Algorithm(%d)", int(a))
}

// Options configures a search.
type Options struct {
	// K is the number of neighbours per query (required): 1 <= K < n, where
	// n is the number of data rows.
	K int
	// Metric is the dissimilarity (Euclidean by default).
	Metric Metric
	// ExcludeSelf, for SearchSelf, makes a point not its own neighbour (by
	// index: exact duplicates of it still are, at distance 0). Search, whose
	// queries are not identified with data rows, ignores it.
	ExcludeSelf bool
	// BlockSize is the largest number of rows of a brute-force block (a
	// KD-tree leaf of the rows, so blocks hold between BlockSize/2 and
	// BlockSize rows; 0 = automatic: 64 to 256 rows below 48 dimensions,
	// 512 up to 64, 1024 above). Memory for a block product is
	// BlockSize^2 values a worker.
	BlockSize int
	// Workers is the number of goroutines (0 = runtime.GOMAXPROCS(0)): tree
	// queries and, below 48 dimensions, brute-force query blocks (each with
	// its own block products, small enough for OpenBLAS to run them on the
	// calling thread) are shared among them; above, the block products use
	// the BLAS backend's own threads and the workers share the selection.
	// Results do not depend on it.
	Workers int
	// Progress, when set, is called after each block of queries with the
	// number of queries done and the total; a non-nil return aborts the search.
	Progress progress.Func
	// Algorithm chooses between the KD-tree and brute force (Auto by default).
	Algorithm Algorithm
	// LeafSize is the largest number of points in a KD-tree leaf (0 =
	// DefaultLeafSize; values below 2 are raised to 2).
	LeafSize int
}

// Result holds, row-major, the K neighbours of each of the N queries sorted
// nearest first, ties broken by smaller index.
type Result struct {
	N, K  int
	Index []int     // N*K data row indices
	Dist  []float64 // N*K distances, see Metric for their meaning
	// Algorithm is the algorithm that ran (Brute or KDTree, never Auto).
	Algorithm Algorithm
}

// Neighbors returns the K neighbour indices of query i (a view of Index). O(1).
func (r *Result) Neighbors(i int) []int { return r.Index[i*r.K : (i+1)*r.K] }

// Distances returns the K neighbour distances of query i (a view of Dist). O(1).
func (r *Result) Distances(i int) []float64 { return r.Dist[i*r.K : (i+1)*r.K] }

// Search returns the opts.K nearest rows of data for every row of queries.
// Both matrices must be non-empty, finite and have the same number of
// columns. Cost: see Algorithm (at most O(m n d) flops); memory
// O(m K + (n + m) d + BlockSize^2).
func Search(data, queries *mat.Dense, opts Options) (*Result, error) {
	d, err := dense64(data, "data")
	if err != nil {
		return nil, err
	}
	q, err := dense64(queries, "queries")
	if err != nil {
		return nil, err
	}
	if q.cols != d.cols {
		return nil, fmt.Errorf("knn: queries have %d columns, data has %d", q.cols, d.cols)
	}
	return search(d, q, false, opts, gemm64)
}

// SearchSelf returns the opts.K nearest rows of data for every row of data,
// excluding the row itself when opts.ExcludeSelf is set. Cost O(n^2 d)
// flops at most (see Algorithm), memory O(n (K + d) + BlockSize^2).
func SearchSelf(data *mat.Dense, opts Options) (*Result, error) {
	d, err := dense64(data, "data")
	if err != nil {
		return nil, err
	}
	return search(d, d, opts.ExcludeSelf, opts, gemm64)
}

// Search32 is Search for float32 matrices: products in float32 (twice the
// GEMM speed of float64), final distances recomputed in float64.
func Search32(data, queries *mat32.Dense, opts Options) (*Result, error) {
	d, err := dense32(data, "data")
	if err != nil {
		return nil, err
	}
	q, err := dense32(queries, "queries")
	if err != nil {
		return nil, err
	}
	if q.cols != d.cols {
		return nil, fmt.Errorf("knn: queries have %d columns, data has %d", q.cols, d.cols)
	}
	return search(d, q, false, opts, gemm32)
}

// SearchSelf32 is SearchSelf for a float32 matrix.
func SearchSelf32(data *mat32.Dense, opts Options) (*Result, error) {
	d, err := dense32(data, "data")
	if err != nil {
		return nil, err
	}
	return search(d, d, opts.ExcludeSelf, opts, gemm32)
}

// chk words knn's argument errors ("knn: data element (row 4, column 2) is NaN").
var chk = check.Checker{Prefix: "knn", Style: check.ElementIs}

// dense64 returns a contiguous row-major view (or copy) of m after checking
// that it is non-nil, non-empty and finite.
func dense64(m *mat.Dense, name string) (*matrix[float64], error) {
	r, c, err := chk.Shape(name, m)
	if err != nil {
		return nil, err
	}
	raw := m.RawMatrix()
	data := raw.Data
	if raw.Stride != c {
		data = make([]float64, r*c)
		for i := 0; i < r; i++ {
			copy(data[i*c:(i+1)*c], raw.Data[i*raw.Stride:i*raw.Stride+c])
		}
	} else {
		data = data[:r*c]
	}
	if err := chk.Finite(name, data, c); err != nil {
		return nil, err
	}
	return &matrix[float64]{rows: r, cols: c, data: data}, nil
}

// dense32 is dense64 for float32 (always a view: mat32 is contiguous).
func dense32(m *mat32.Dense, name string) (*matrix[float32], error) {
	r, c, err := chk.Dense32(name, m)
	if err != nil {
		return nil, err
	}
	return &matrix[float32]{rows: r, cols: c, data: m.RawData()}, nil
}
