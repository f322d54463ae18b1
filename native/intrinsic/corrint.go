package intrinsic

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// CorrInt is the correlation dimension of Grassberger and Procaccia as in
// skdim's CorrInt: radii r1, r2 are the medians of the distances to the
// K1-th and K2-th neighbours, C(r) the fraction of ordered pairs closer
// than r (over n^2), and d = log(C(r2)/C(r1)) / log(r2/r1).
type CorrInt struct {
	K1, K2 int // skdim defaults 10, 20
	Common
}

// NewCorrInt returns CorrInt with skdim's defaults (k1 = 10, k2 = 20).
func NewCorrInt() *CorrInt { return &CorrInt{K1: 10, K2: 20} }

// Fit estimates the dimension; X is required (all pairs are counted).
// Cost: a kNN search and a blocked pair count, both O(n^2 d) flops, memory
// O(n K2).
func (e *CorrInt) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	if e.K1 < 1 || e.K2 <= e.K1 {
		return nil, fmt.Errorf("intrinsic: CorrInt K1 = %d, K2 = %d, want 1 <= K1 < K2", e.K1, e.K2)
	}
	if X == nil {
		return nil, fmt.Errorf("intrinsic: CorrInt needs X")
	}
	p, err := prepare(X, nn, e.K2, e.Common, true)
	if err != nil {
		return nil, err
	}
	n := nrows(p)
	a, b := make([]float64, n), make([]float64, n)
	for i := range n {
		r := dists(p.nn, i, e.K2)
		a[i], b[i] = r[e.K1-1], r[e.K2-1]
	}
	r1, r2 := median(a), median(b)
	cnt, err := knn.CountWithin(p.X, []float64{r1, r2}, knn.Options{Workers: e.Workers, Algorithm: e.Algorithm})
	if err != nil {
		return nil, err
	}
	nn2 := float64(n) * float64(n)
	c1, c2 := float64(cnt[0])/nn2, float64(cnt[1])/nn2
	d := (math.Log(c2) - math.Log(c1)) / math.Log(r2/r1)
	return &Estimate{Method: fmt.Sprintf("CorrInt(k1=%d, k2=%d)", e.K1, e.K2), Dim: d, N: n, Duplicates: p.duplicates}, nil
}
