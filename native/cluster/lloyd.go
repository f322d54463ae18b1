package cluster

import (
	"cmp"
	"math"
	"slices"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/progress"
)

// assignBlock bounds the number of points whose products with the centres
// are computed by one matrix product, and assignValues the size of that
// product (points x K values of scratch).
const (
	assignBlock  = 2048
	assignValues = 1 << 17
)

// lloydParams are the resolved options of one Lloyd run.
type lloydParams struct {
	maxIter int
	tol     float64 // absolute bound on the total squared shift; < 0: no shift test
	workers int
	prog    progress.Func
	total   int // iterations over all runs, for progress
}

// lloyd runs Lloyd iterations from the centres c (overwritten), as
// sklearn's _kmeans_single_lloyd: assign, average (relocating empty
// clusters), stop on stable labels or a small shift, and assign once more
// when the loop did not end on stable labels. done0 is the number of
// iterations already reported to the progress callback by earlier runs.
// O(iterations n K d).
func lloyd(x, c *mat.Dense, p lloydParams, done0 int) (*KMeans, error) {
	n, _ := x.Dims()
	prev := make([]int, n)
	for i := range prev {
		prev[i] = -1
	}
	next := mat.DenseCopyOf(c)
	var labels []int
	strict := false
	converged := false
	iter := 0
	for iter < p.maxIter {
		labels, _ = assign(x, c, p.workers)
		counts := sums(x, labels, next, p.workers)
		relocateEmpty(x, c, next, counts, labels)
		average(next, counts)
		shift := totalShift(c, next)
		c, next = next, c
		iter++
		if err := progress.Report(p.prog, done0+iter, p.total); err != nil {
			return nil, err
		}
		if slices.Equal(labels, prev) {
			strict, converged = true, true
			break
		}
		if p.tol >= 0 && shift <= p.tol {
			converged = true
			break
		}
		copy(prev, labels)
	}
	if !strict {
		labels, _ = assign(x, c, p.workers)
	}
	return &KMeans{Centers: c, Labels: labels, Inertia: inertia(x, c, labels, p.workers), Iter: iter, Converged: converged}, nil
}

// assign returns the index of the nearest centre of every row of x (ties
// to the smaller index) and, for each row, the minimised ||c||^2 - 2 x.c.
// A block of rows at a time, the block is filled with the centres' squared
// norms and one matrix product adds -2 x.c to it (as sklearn does), then
// the minimum of each row is searched, split over workers. Blocks hold
// about 128 Ki values so that the product stays in cache for the search.
// O(n K d).
func assign(x, c *mat.Dense, workers int) ([]int, []float64) {
	n, _ := x.Dims()
	k, d := c.Dims()
	cn := make([]float64, k)
	for j := range cn {
		r := c.RawRowView(j)
		cn[j] = dot(r, r)
	}
	labels := make([]int, n)
	best := make([]float64, n)
	if d <= smallDim {
		assignSmall(x, c, cn, labels, best, workers)
		return labels, best
	}
	bs := min(max(assignValues/k, 64), assignBlock, n)
	g := mat.NewDense(bs, k, nil)
	for i0 := 0; i0 < n; i0 += bs {
		i1 := min(i0+bs, n)
		gb := g.Slice(0, i1-i0, 0, k).(*mat.Dense)
		for r := 0; r < i1-i0; r++ {
			copy(gb.RawRowView(r), cn)
		}
		blas64.Gemm(blas.NoTrans, blas.Trans, -2, x.Slice(i0, i1, 0, d).(*mat.Dense).RawMatrix(), c.RawMatrix(), 1, gb.RawMatrix())
		work.Range(i1-i0, workers, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				labels[i0+r], best[i0+r] = argmin(gb.RawRowView(r))
			}
		})
	}
	return labels, best
}

// smallDim is the largest dimension for which assignSmall computes the
// distances itself: below it a matrix product is too thin to pay for the
// BLAS threads' start and spin (measured on product-quantiser sub-spaces of
// 8 coordinates: 2x less CPU time).
const smallDim = 16

// assignSmall is assign for points of at most smallDim coordinates: each
// worker computes ||c||^2 - 2 x.c for its rows directly (the same
// expression, rounded the same way, as the product path). O(n K d).
func assignSmall(x, c *mat.Dense, cn []float64, labels []int, best []float64, workers int) {
	n, _ := x.Dims()
	k, d := c.Dims()
	cent := c.RawMatrix()
	work.Range(n, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			xr := x.RawRowView(i)
			bj, bv := 0, math.Inf(1)
			for j := 0; j < k; j++ {
				cr := cent.Data[j*cent.Stride : j*cent.Stride+d]
				var s float64
				for t, v := range xr {
					s += v * cr[t]
				}
				if v := cn[j] - 2*s; v < bv {
					bj, bv = j, v
				}
			}
			labels[i], best[i] = bj, bv
		}
	})
}

// argmin returns the index of the smallest value of v (the first of equal
// ones) and that value. O(len(v)).
func argmin(v []float64) (int, float64) {
	bj, bv := 0, v[0]
	for j, x := range v {
		if x < bv {
			bj, bv = j, x
		}
	}
	return bj, bv
}

// sums overwrites next with the per-cluster sums of the rows of x and
// returns the cluster sizes. Each worker sums its rows into its own K x d
// buffer; the buffers are added in worker order. O(n d + workers K d).
func sums(x *mat.Dense, labels []int, next *mat.Dense, workers int) []float64 {
	k, d := next.Dims()
	n := len(labels)
	w := max(1, min(work.Workers(workers), n/4096+1))
	part := make([][]float64, w)
	cnt := make([][]float64, w)
	work.Chunks(n, w, func(t, lo, hi int) {
		s, c := make([]float64, k*d), make([]float64, k)
		for i := lo; i < hi; i++ {
			l := labels[i]
			c[l]++
			acc := s[l*d : (l+1)*d]
			for j, v := range x.RawRowView(i) {
				acc[j] += v
			}
		}
		part[t], cnt[t] = s, c
	})
	counts := make([]float64, k)
	next.Zero()
	for t := range part {
		for l := 0; l < k; l++ {
			counts[l] += cnt[t][l]
			row := next.RawRowView(l)
			for j, v := range part[t][l*d : (l+1)*d] {
				row[j] += v
			}
		}
	}
	return counts
}

// relocateEmpty gives every empty cluster one of the points farthest from
// their current centres (exact squared distances to the old centres c,
// largest first, ties to the smaller index), taking the point's weight
// away from its own cluster's sum; the labels are left unchanged, as in
// sklearn. O(n d) when a cluster is empty, O(K) otherwise.
func relocateEmpty(x, c, next *mat.Dense, counts []float64, labels []int) {
	var empty []int
	for l, w := range counts {
		if w == 0 {
			empty = append(empty, l)
		}
	}
	if len(empty) == 0 {
		return
	}
	n := len(labels)
	dist := make([]float64, n)
	order := make([]int, n)
	for i := range dist {
		dist[i] = linalg.SqDist(x.RawRowView(i), c.RawRowView(labels[i]))
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if r := cmp.Compare(dist[b], dist[a]); r != 0 {
			return r
		}
		return cmp.Compare(a, b)
	})
	for e, l := range empty {
		if e >= n {
			break
		}
		far := order[e]
		xr := x.RawRowView(far)
		old := next.RawRowView(labels[far])
		for j, v := range xr {
			old[j] -= v
		}
		next.SetRow(l, xr)
		counts[l] = 1
		counts[labels[far]]--
	}
}

// average divides each cluster's sum by its size (clusters of size 0 keep
// their zero sum, which relocateEmpty prevents when there are enough
// points). O(K d).
func average(next *mat.Dense, counts []float64) {
	for l, w := range counts {
		if w > 0 {
			row := next.RawRowView(l)
			for j := range row {
				row[j] /= w
			}
		}
	}
}

// totalShift returns the sum over clusters of ||new - old||^2. O(K d).
func totalShift(old, next *mat.Dense) float64 {
	k, _ := old.Dims()
	var s float64
	for l := 0; l < k; l++ {
		s += linalg.SqDist(old.RawRowView(l), next.RawRowView(l))
	}
	return s
}

// inertia returns the sum of the exact squared distances of the rows of x
// to their centres, summed per worker then in worker order. O(n d).
func inertia(x, c *mat.Dense, labels []int, workers int) float64 {
	n := len(labels)
	w := max(1, min(work.Workers(workers), n/4096+1))
	part := make([]float64, w)
	work.Chunks(n, w, func(t, lo, hi int) {
		var s float64
		for i := lo; i < hi; i++ {
			s += linalg.SqDist(x.RawRowView(i), c.RawRowView(labels[i]))
		}
		part[t] = s
	})
	var s float64
	for _, v := range part {
		s += v
	}
	return s
}

// dot returns a.b. O(len(a)).
func dot(a, b []float64) float64 {
	var s float64
	for j, v := range a {
		s += v * b[j]
	}
	return s
}
