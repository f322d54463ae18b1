package knn

import (
	"fmt"
	"math"
	"slices"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/progress"
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

// DefaultBlockSize is the number of rows per block when Options.BlockSize is 0.
const DefaultBlockSize = 1024

// slack is the number of extra candidates kept per query beyond K, whose
// distances are recomputed exactly: it absorbs reorderings of near ties by
// the rounding of the GEMM-based ranking.
const slack = 4

// run is the search engine shared by the four entry points. q == d (same
// pointer) means a self search; excludeSelf then skips each query's own row.
func run[T float](d, q *matrix[T], excludeSelf bool, opts Options, gemm gemmFunc[T]) (*Result, error) {
	n, m, dim := d.rows, q.rows, d.cols
	k := opts.K
	if err := chk.K("K", k, 1, n-1, fmt.Sprintf("K must be less than the number of data rows (%d)", n)); err != nil {
		return nil, err
	}
	if opts.Metric < Euclidean || opts.Metric > InnerProduct {
		return nil, fmt.Errorf("knn: unknown metric %d", int(opts.Metric))
	}
	self := d == q
	excludeSelf = excludeSelf && self
	ncand := n
	if excludeSelf {
		ncand = n - 1
	}
	c := min(k+slack, ncand)

	// Prepare the operands of the GEMMs and the per-data-row offset of the
	// ranking key: key(i, j) = norm[j] - 2 x_i.y_j (Euclidean, ||x_i||^2
	// dropped since it is constant along a row) or -x_i.y_j.
	gd, gq := d, q
	var norm []T
	var dInv, qInv []float64 // inverse norms for the exact cosine distance
	var is32 bool
	{
		var zero T
		_, is32 = any(zero).(float32)
	}
	switch opts.Metric {
	case Euclidean:
		if is32 {
			// Centre both sets on the data mean: distances are unchanged and
			// float32 products lose far less to cancellation.
			mean := colMean(d)
			gd = shifted(d, mean)
			gq = gd
			if !self {
				gq = shifted(q, mean)
			}
		}
		norm = make([]T, n)
		for j := range n {
			norm[j] = T(sqNorm(gd.row(j)))
		}
	case Cosine:
		var err error
		if gd, dInv, err = normalised(d, "data"); err != nil {
			return nil, err
		}
		gq, qInv = gd, dInv
		if !self {
			if gq, qInv, err = normalised(q, "queries"); err != nil {
				return nil, err
			}
		}
	}

	bs := opts.BlockSize
	if bs <= 0 {
		bs = DefaultBlockSize
	}
	nw := work.Workers(opts.Workers)
	res := &Result{N: m, K: k, Index: make([]int, m*k), Dist: make([]float64, m*k)}
	exact := func(i, j int) float64 {
		x, y := q.row(i), d.row(j)
		switch opts.Metric {
		case Euclidean:
			return euclid(x, y)
		case Cosine:
			return cosineDist(x, y, qInv[i], dInv[j])
		}
		return -dot(x, y)
	}
	if self {
		return runSelf(gd, norm, excludeSelf, c, bs, nw, res, exact, opts, gemm)
	}
	bq, bd := min(bs, m), min(bs, n)
	tile := make([]T, bq*bd)
	keys := make([]T, bq*c)
	idx := make([]int32, bq*c)
	cnt := make([]int, bq)

	for q0 := 0; q0 < m; q0 += bq {
		q1 := min(q0+bq, m)
		rows := q1 - q0
		clear(cnt)
		for d0 := 0; d0 < n; d0 += bd {
			d1 := min(d0+bd, n)
			cols := d1 - d0
			g := tile[:rows*cols]
			gemm(rows, cols, dim, gq.data[q0*dim:q1*dim], gd.data[d0*dim:d1*dim], g)
			work.Range(rows, nw, func(r0, r1 int) {
				for r := r0; r < r1; r++ {
					skip := -1
					if excludeSelf {
						skip = q0 + r - d0 // local column of the query itself
					}
					gr := g[r*cols : (r+1)*cols]
					kr, ir := keys[r*c:(r+1)*c], idx[r*c:(r+1)*c]
					if norm != nil {
						cnt[r] = foldEuclid(gr, norm[d0:d1], d0, skip, kr, ir, cnt[r])
					} else {
						cnt[r] = foldDot(gr, d0, skip, kr, ir, cnt[r])
					}
				}
			})
		}
		work.Range(rows, nw, func(r0, r1 int) {
			finish(q0+r0, q0+r1, idx[r0*c:r1*c], c, res, exact)
		})
		if err := progress.Report(opts.Progress, q1, m); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// finish recomputes the exact distances of the c candidates of queries
// i0..i1-1 (their indices in idx, row after row), sorts them by (distance,
// index) and writes the best K into res.
func finish(i0, i1 int, idx []int32, c int, res *Result, exact func(i, j int) float64) {
	k := res.K
	cands := make([]cand, c)
	for i := i0; i < i1; i++ {
		row := idx[(i-i0)*c : (i-i0+1)*c]
		for t, j := range row {
			cands[t] = cand{exact(i, int(j)), int(j)}
		}
		slices.SortFunc(cands, func(a, b cand) int {
			switch {
			case a.d < b.d:
				return -1
			case a.d > b.d:
				return 1
			}
			return a.j - b.j
		})
		for t := range k {
			res.Index[i*k+t] = cands[t].j
			res.Dist[i*k+t] = cands[t].d
		}
	}
}

// runSelf is the self search: the product is symmetric, so each pair of
// blocks (a, b), a <= b, is multiplied once and folded into the heaps of
// the rows of block a (along the rows of the product) and of block b (down
// its columns, each goroutine owning a range of columns), halving the
// GEMM work. Heaps are kept for all n rows; block a is final once its pairs
// with every b >= a are done (pairs with b < a came earlier).
func runSelf[T float](gd *matrix[T], norm []T, excludeSelf bool, c, bs, nw int, res *Result, exact func(i, j int) float64, opts Options, gemm gemmFunc[T]) (*Result, error) {
	n, dim := gd.rows, gd.cols
	bs = min(bs, n)
	tile := make([]T, bs*bs)
	keys := make([]T, n*c)
	idx := make([]int32, n*c)
	cnt := make([]int, n)
	for a0 := 0; a0 < n; a0 += bs {
		a1 := min(a0+bs, n)
		rows := a1 - a0
		for b0 := a0; b0 < n; b0 += bs {
			b1 := min(b0+bs, n)
			cols := b1 - b0
			g := tile[:rows*cols]
			gemm(rows, cols, dim, gd.data[a0*dim:a1*dim], gd.data[b0*dim:b1*dim], g)
			// Rows of block a against the columns of block b.
			work.Range(rows, nw, func(r0, r1 int) {
				for r := r0; r < r1; r++ {
					i := a0 + r
					skip := -1
					if excludeSelf {
						skip = i - b0
					}
					gr := g[r*cols : (r+1)*cols]
					kr, ir := keys[i*c:(i+1)*c], idx[i*c:(i+1)*c]
					if norm != nil {
						cnt[i] = foldEuclid(gr, norm[b0:b1], b0, skip, kr, ir, cnt[i])
					} else {
						cnt[i] = foldDot(gr, b0, skip, kr, ir, cnt[i])
					}
				}
			})
			if b0 == a0 {
				continue
			}
			// Rows of block b against the columns of block a: walk the
			// product row by row, each goroutine updating its own columns.
			work.Range(cols, nw, func(j0, j1 int) {
				worst := make([]T, j1-j0)
				for t := range worst {
					worst[t] = worstOf(keys[(b0+j0+t)*c:(b0+j0+t+1)*c], cnt[b0+j0+t])
				}
				for r := range rows {
					i := a0 + r
					gr := g[r*cols+j0 : r*cols+j1]
					if norm != nil {
						scatterEuclid(gr, norm[i], int32(i), worst, keys, idx, cnt, b0+j0, c)
					} else {
						scatterDot(gr, int32(i), worst, keys, idx, cnt, b0+j0, c)
					}
				}
			})
		}
		work.Range(rows, nw, func(r0, r1 int) {
			finish(a0+r0, a0+r1, idx[(a0+r0)*c:(a0+r1)*c], c, res, exact)
		})
		if err := progress.Report(opts.Progress, a1, n); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// scatterEuclid folds one row of a block product (data row i against
// rows j0, j0+1, ... of the other block) into the heaps of those rows:
// key = off - 2 g[t] with off = ||y_i||^2. worst caches each heap's
// admission threshold.
func scatterEuclid[T float](g []T, off T, i int32, worst, keys []T, idx []int32, cnt []int, j0, c int) {
	worst = worst[:len(g)]
	for t, gv := range g {
		key := off - 2*gv
		if key > worst[t] {
			continue
		}
		worst[t] = offer(keys, idx, cnt, j0+t, c, key, i)
	}
}

// scatterDot is scatterEuclid with key = -g[t].
func scatterDot[T float](g []T, i int32, worst, keys []T, idx []int32, cnt []int, j0, c int) {
	worst = worst[:len(g)]
	for t, gv := range g {
		key := -gv
		if key > worst[t] {
			continue
		}
		worst[t] = offer(keys, idx, cnt, j0+t, c, key, i)
	}
}

// offer inserts (key, i) into the heap of row jr when it ranks before the
// heap's worst (or the heap is not full) and returns the new threshold.
func offer[T float](keys []T, idx []int32, cnt []int, jr, c int, key T, i int32) T {
	kr, ir := keys[jr*c:(jr+1)*c], idx[jr*c:(jr+1)*c]
	if cnt[jr] == c && !worse(kr[0], ir[0], key, i) {
		return kr[0]
	}
	cnt[jr] = push(kr, ir, cnt[jr], key, i)
	return worstOf(kr, cnt[jr])
}

// worstOf is the key a candidate must not exceed to enter a heap holding
// cnt of its len(keys) entries.
func worstOf[T float](keys []T, cnt int) T {
	if cnt < len(keys) {
		return T(math.Inf(1))
	}
	return keys[0]
}

type cand struct {
	d float64
	j int
}

// worse reports whether candidate (ka, ia) ranks after (kb, ib).
func worse[T float](ka T, ia int32, kb T, ib int32) bool {
	return ka > kb || (ka == kb && ia > ib)
}

// push adds (key, j) to the max-heap keys/idx holding cnt entries, or
// replaces its top when full. It returns the new count.
func push[T float](keys []T, idx []int32, cnt int, key T, j int32) int {
	c := len(keys)
	var p int
	if cnt < c {
		// Sift up from the new leaf.
		p = cnt
		for p > 0 {
			parent := (p - 1) / 2
			if !worse(key, j, keys[parent], idx[parent]) {
				break
			}
			keys[p], idx[p] = keys[parent], idx[parent]
			p = parent
		}
		keys[p], idx[p] = key, j
		return cnt + 1
	}
	// Replace the root and sift down.
	p = 0
	for {
		l := 2*p + 1
		if l >= c {
			break
		}
		if r := l + 1; r < c && worse(keys[r], idx[r], keys[l], idx[l]) {
			l = r
		}
		if !worse(keys[l], idx[l], key, j) {
			break
		}
		keys[p], idx[p] = keys[l], idx[l]
		p = l
	}
	keys[p], idx[p] = key, j
	return cnt
}

// foldEuclid folds one row of a block product into the heap of its query:
// key = norm[j] - 2 g[j]. A key
// equal to the heap's worst displaces it only with a smaller index, so
// ties go to smaller indices whatever the order blocks are visited in.
func foldEuclid[T float](g, norm []T, d0, skip int, keys []T, idx []int32, cnt int) int {
	c := len(keys)
	j := 0
	for ; cnt < c && j < len(g); j++ {
		if j != skip {
			cnt = push(keys, idx, cnt, norm[j]-2*g[j], int32(d0+j))
		}
	}
	if j == len(g) {
		return cnt
	}
	worst := keys[0]
	rest, nr := g[j:], norm[j:len(g)]
	base := d0 + j
	for t, gv := range rest {
		key := nr[t] - 2*gv
		if key > worst {
			continue
		}
		if jj := base + t; jj-d0 != skip && worse(worst, idx[0], key, int32(jj)) {
			push(keys, idx, c, key, int32(jj))
			worst = keys[0]
		}
	}
	return cnt
}

// foldDot is foldEuclid with key = -g[j].
func foldDot[T float](g []T, d0, skip int, keys []T, idx []int32, cnt int) int {
	c := len(keys)
	j := 0
	for ; cnt < c && j < len(g); j++ {
		if j != skip {
			cnt = push(keys, idx, cnt, -g[j], int32(d0+j))
		}
	}
	if j == len(g) {
		return cnt
	}
	worst := keys[0]
	base := d0 + j
	for t, gv := range g[j:] {
		key := -gv
		if key > worst {
			continue
		}
		if jj := base + t; jj-d0 != skip && worse(worst, idx[0], key, int32(jj)) {
			push(keys, idx, c, key, int32(jj))
			worst = keys[0]
		}
	}
	return cnt
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

func euclid[T float](x, y []T) float64 {
	var s float64
	y = y[:len(x)]
	for t, v := range x {
		e := float64(v) - float64(y[t])
		s += e * e
	}
	return math.Sqrt(s)
}

// cosineDist returns 1 - cos(x, y) as ||x/|x| - y/|y|||^2 / 2, which is
// exactly 0 for rows with the same direction and accurate for small angles.
func cosineDist[T float](x, y []T, ix, iy float64) float64 {
	var s float64
	y = y[:len(x)]
	for t, v := range x {
		e := float64(v)*ix - float64(y[t])*iy
		s += e * e
	}
	return s / 2
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

// normalised returns m with unit-norm rows and the inverse norms, or an error
// naming the first zero row.
func normalised[T float](m *matrix[T], name string) (*matrix[T], []float64, error) {
	out := &matrix[T]{rows: m.rows, cols: m.cols, data: make([]T, len(m.data))}
	inv := make([]float64, m.rows)
	for i := range m.rows {
		nr := math.Sqrt(sqNorm(m.row(i)))
		if nr == 0 {
			return nil, nil, fmt.Errorf("knn: cosine metric: %s row %d has zero norm", name, i)
		}
		inv[i] = 1 / nr
		o := out.row(i)
		for t, v := range m.row(i) {
			o[t] = T(float64(v) * inv[i])
		}
	}
	return out, inv, nil
}
