package compress

import (
	"fmt"
	"time"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// LowRankPQIndex projects rows on their leading principal axes, then
// product-quantises the projections (LR2VQ-style: the low-rank step removes
// directions of little variance before quantising, so the same code bytes
// spend their bits on what varies). Queries are projected the same way and
// searched with PQ's asymmetric distance tables in the low-rank space.
type LowRankPQIndex struct {
	proj  *PCAProjection
	pq    *PQIndex
	build time.Duration
}

// NewLowRankPQIndex fits a rank-r PCA projection of data (n x D, 1 <= r <=
// D) and a product quantiser on the projected rows (opts.M must divide r).
// Cost: the PCA fit (O(n D^2 + D^3)), the projection (O(n D r)) and the PQ
// training and encoding at dimension r.
func NewLowRankPQIndex(data *mat32.Dense, rank int, opts PQOptions) (*LowRankPQIndex, error) {
	start := time.Now()
	proj, err := FitPCAProjection(data, rank, false)
	if err != nil {
		return nil, err
	}
	z, err := proj.Transform(data)
	if err != nil {
		return nil, err
	}
	pq, err := NewPQIndex(z, opts)
	if err != nil {
		return nil, err
	}
	return &LowRankPQIndex{proj: proj, pq: pq, build: time.Since(start)}, nil
}

// Projection returns the fitted PCA projection; PQ the index of the
// projected rows.
func (ix *LowRankPQIndex) Projection() *PCAProjection { return ix.proj }
func (ix *LowRankPQIndex) PQ() *PQIndex               { return ix.pq }

// Search projects the queries and searches the PQ codes (Dist: asymmetric
// distance in the low-rank space). O(m D r) plus PQIndex.Search's cost.
func (ix *LowRankPQIndex) Search(queries *mat32.Dense, k int) (*knn.Result, error) {
	z, err := ix.proj.Transform(queries)
	if err != nil {
		return nil, err
	}
	return ix.pq.Search(z, k)
}

// BytesPerVector returns M, the code bytes a row. O(1).
func (ix *LowRankPQIndex) BytesPerVector() float64 { return ix.pq.BytesPerVector() }

// BuildSeconds returns the time to fit, project, train and encode. O(1).
func (ix *LowRankPQIndex) BuildSeconds() float64 { return ix.build.Seconds() }

// Name describes the index, e.g. "PCA 64 + PQ 16x8".
func (ix *LowRankPQIndex) Name() string {
	return fmt.Sprintf("PCA %d + %s", ix.proj.OutDim(), ix.pq.Name())
}
