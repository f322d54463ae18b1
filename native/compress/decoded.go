package compress

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/subspace-kernel/subspace/native/internal/topk"
	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// decoder writes rows [lo, hi) of an index, decoded to float32, into dst
// ((hi-lo) x d, row-major).
type decoder func(lo, hi int, dst []float32)

// decodedBlock is the number of index rows decoded and multiplied at once.
const decodedBlock = 2048

// searchDecoded is exact Euclidean search among the decoded rows of a
// quantised index of n rows: blocks of decodedBlock rows are decoded and
// multiplied with the queries by one float32 GEMM, each product row folded
// into a bounded heap per query (key ||y||^2 - 2 q.y, plus 4 spare
// candidates against float32 rounding), and the survivors' distances
// recomputed in float64 from their decoded rows. Cost O(m n d) flops plus
// the decoding of every row once; memory O(m k + decodedBlock (m + d)).
func searchDecoded(n, d int, decode decoder, queries *mat32.Dense, k, workers int) *knn.Result {
	m, _ := queries.Dims()
	c := min(k+4, n)
	heaps := make([]*topk.Heap[float32], m)
	for i := range heaps {
		heaps[i] = topk.New[float32](c)
	}
	bs := min(decodedBlock, n)
	block := make([]float32, bs*d)
	norm := make([]float32, bs)
	prod := make([]float32, m*bs)
	for lo := 0; lo < n; lo += bs {
		hi := min(lo+bs, n)
		rows := hi - lo
		decode(lo, hi, block[:rows*d])
		for r := range rows {
			norm[r] = sqNorm32(block[r*d : (r+1)*d])
		}
		blas32.Gemm(blas.NoTrans, blas.Trans, 1,
			blas32.General{Rows: m, Cols: d, Stride: d, Data: queries.RawData()},
			blas32.General{Rows: rows, Cols: d, Stride: d, Data: block[:rows*d]},
			0, blas32.General{Rows: m, Cols: rows, Stride: rows, Data: prod[:m*rows]})
		work.Range(m, workers, func(qlo, qhi int) {
			for i := qlo; i < qhi; i++ {
				h, g := heaps[i], prod[i*rows:(i+1)*rows]
				for r, v := range g {
					key := norm[r] - 2*v
					if !h.Full() || key < h.Worst() {
						h.Push(key, int32(lo+r))
					}
				}
			}
		})
	}
	res := &knn.Result{N: m, K: k, Index: make([]int, m*k), Dist: make([]float64, m*k)}
	parallelQueries(m, workers, func() func(i int) {
		keys := make([]float32, c)
		ids := make([]int32, c)
		row := make([]float32, d)
		exact := make([]float64, c)
		rows := make([]int, c)
		return func(i int) {
			cnt := heaps[i].Sorted(keys, ids)
			for t := range cnt {
				decode(int(ids[t]), int(ids[t])+1, row)
				exact[t], rows[t] = euclid64(queries.Row(i), row), int(ids[t])
			}
			topk.SortPairs(exact[:cnt], rows[:cnt])
			copy(res.Neighbors(i), rows[:k])
			copy(res.Distances(i), exact[:k])
		}
	})
	return res
}

// sqNorm32 returns ||x||^2 accumulated in float32. O(len(x)).
func sqNorm32(x []float32) float32 {
	var s float32
	for _, v := range x {
		s += v * v
	}
	return s
}
