package compress

import (
	"fmt"
	"time"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// ExactIndex is exact float32 search (package native/knn, Euclidean): the
// baseline row of a trade-off table, 4 d bytes a vector.
type ExactIndex struct {
	data *mat32.Dense
}

// NewExactIndex keeps data (not copied) for exact search. It returns an
// error for nil, empty or non-finite data. O(n d) to check the values.
func NewExactIndex(data *mat32.Dense) (*ExactIndex, error) {
	if _, _, err := chk.Dense32("data", data); err != nil {
		return nil, err
	}
	return &ExactIndex{data: data}, nil
}

// Search returns the exact k nearest rows (1 <= k < n) of every query.
// O(m n d) flops (blocked GEMM, see knn.Search32).
func (e *ExactIndex) Search(queries *mat32.Dense, k int) (*knn.Result, error) {
	return knn.Search32(e.data, queries, knn.Options{K: k})
}

// BytesPerVector returns 4 d. O(1).
func (e *ExactIndex) BytesPerVector() float64 { _, d := e.data.Dims(); return float64(4 * d) }

// Name returns "exact float32".
func (e *ExactIndex) Name() string { return "exact float32" }

// TransformedIndex searches exactly among transformed rows: queries are
// transformed the same way, so its recall measures what the transform
// (projection, truncation) loses. Memory: 4 OutDim bytes a vector, plus
// the transform's own parameters.
type TransformedIndex struct {
	t     Transformer
	data  *mat32.Dense
	build time.Duration
}

// NewTransformedIndex transforms data (n x t.InDim()) and keeps the result.
// Cost: one Transform of data; memory O(n OutDim).
func NewTransformedIndex(t Transformer, data *mat32.Dense) (*TransformedIndex, error) {
	if t == nil {
		return nil, chk.Errorf("transform is nil")
	}
	start := time.Now()
	z, err := t.Transform(data)
	if err != nil {
		return nil, err
	}
	return &TransformedIndex{t: t, data: z, build: time.Since(start)}, nil
}

// Transformed returns the transformed rows (shared, not copied).
func (ix *TransformedIndex) Transformed() *mat32.Dense { return ix.data }

// Search transforms the queries and returns the k nearest transformed rows
// (Dist: Euclidean distance in the transformed space). O(m n OutDim) plus
// the transform of the queries.
func (ix *TransformedIndex) Search(queries *mat32.Dense, k int) (*knn.Result, error) {
	z, err := ix.t.Transform(queries)
	if err != nil {
		return nil, err
	}
	return knn.Search32(ix.data, z, knn.Options{K: k})
}

// BytesPerVector returns 4 OutDim. O(1).
func (ix *TransformedIndex) BytesPerVector() float64 { return float64(4 * ix.t.OutDim()) }

// Name returns the transform's name.
func (ix *TransformedIndex) Name() string { return ix.t.Name() }

// BuildSeconds returns the time taken to transform the data. O(1).
func (ix *TransformedIndex) BuildSeconds() float64 { return ix.build.Seconds() }

// String is Name with the size.
func (ix *TransformedIndex) String() string {
	n, _ := ix.data.Dims()
	return fmt.Sprintf("%s index of %d rows", ix.Name(), n)
}
