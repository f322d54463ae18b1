package knn

import (
	"math"
	"slices"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/progress"
)

// blockSize returns the largest number of rows of a block for dimension
// d: the block product of two blocks should stay in the per-core cache
// where selection dominates (small d), and be large enough for the GEMM
// to run near its peak where the GEMM dominates (large d). See choose.go
// for the measurements.
func blockSize(d, requested int) int {
	switch {
	case requested > 0:
		return max(requested, 2)
	case d <= 16:
		return 256
	case d <= 64:
		return 512
	}
	return 1024
}

// operand is one side of the block products: the GEMM operand's rows in
// the order of a KD-tree whose leaves are the blocks (spatially compact,
// each with its bounding box), with their squared norms.
type operand[T float] struct {
	t    *kdTree[T]
	norm []float64
}

func newOperand[T float](m *matrix[T], bs, workers int) *operand[T] {
	t := buildKD(m, bs, workers)
	o := &operand[T]{t: t, norm: make([]float64, t.n)}
	for p := range o.norm {
		o.norm[p] = sqNorm(t.pts[p*t.dim : (p+1)*t.dim])
	}
	return o
}

func (o *operand[T]) blocks() int { return len(o.t.start) - o.t.firstLeaf }

// block returns the first and end tree positions of block b.
func (o *operand[T]) block(b int) (int, int) {
	node := o.t.firstLeaf + b
	return int(o.t.start[node]), int(o.t.end[node])
}

func (o *operand[T]) rows(p0, p1 int) []T { return o.t.pts[p0*o.t.dim : p1*o.t.dim] }

// boxGap returns the squared distance between the bounding boxes of
// block a of o and block b of p (0 when they overlap). O(d).
func boxGap[T float](o *operand[T], a int, p *operand[T], b int) float64 {
	d := o.t.dim
	na, nb := o.t.firstLeaf+a, p.t.firstLeaf+b
	alo, ahi := o.t.lo[na*d:(na+1)*d], o.t.hi[na*d:(na+1)*d]
	blo, bhi := p.t.lo[nb*d:(nb+1)*d], p.t.hi[nb*d:(nb+1)*d]
	var s float64
	for c := range alo {
		if g := blo[c] - ahi[c]; g > 0 {
			s += g * g
		} else if g := alo[c] - bhi[c]; g > 0 {
			s += g * g
		}
	}
	return s
}

// bruteRun is a blocked brute-force search: the block products of the
// GEMM operands, folded into per-row candidate buffers (rowBufs), with
// block pairs skipped when their boxes lie beyond every row's bound.
type bruteRun[T float] struct {
	metric Metric
	k      int
	d, q   *operand[T] // q == d for a self search
	gemm   gemmFunc[T]
	gamma  float64 // relative rounding bound of a key
	nmax   float64 // largest squared norm of a data operand row
	exact  func(qi, dj int) float64
	opts   Options
	nw     int
	tile   []T
}

// tolerance returns the bound on |key - exact key| for a query operand
// row of squared norm qn: GEMM and norm rounding, and for float32 the
// rounding of the centred or normalised operand (Higham's gamma_d with a
// safety factor of 4).
func (e *bruteRun[T]) tolerance(qn float64) float64 {
	return e.gamma * (qn + e.nmax)
}

// gap returns the squared operand distance a row with key bound B and
// squared norm qn can still admit, for pruning block pairs: the key plus
// the norm (Euclidean), 2 + 2 key (cosine on unit rows), +Inf for the
// inner product (no geometry).
func (e *bruteRun[T]) reach(bound, qn, tol float64) float64 {
	switch e.metric {
	case Euclidean:
		return (bound + qn + tol) * boundSlack
	case Cosine:
		return (2 + 2*(bound+tol)) * boundSlack
	}
	return math.Inf(1)
}

// blockReach is the largest reach of the rows of block a of the query
// operand (slots s0.. of b).
func (e *bruteRun[T]) blockReach(b *rowBufs, s0, p0, p1 int) float64 {
	r := 0.0
	for p := p0; p < p1; p++ {
		s := s0 + p - p0
		r = max(r, e.reach(b.bound[s], e.q.norm[p], b.tol[s]))
	}
	return r
}

// product multiplies query rows [q0, q1) with data rows [d0, d1) of the
// operands into the tile.
func (e *bruteRun[T]) product(q0, q1, d0, d1 int) []T {
	g := e.tile[:(q1-q0)*(d1-d0)]
	e.gemm(q1-q0, d1-d0, e.q.t.dim, e.q.rows(q0, q1), e.d.rows(d0, d1), g)
	return g
}

// foldBlock folds the tile (query rows [q0, q1) x data rows [d0, d1)) into
// slots s0.. of b, in parallel over rows; diag marks a diagonal block of a
// self search whose own columns are skipped.
func (e *bruteRun[T]) foldBlock(g []T, b *rowBufs, s0, q0, q1, d0, d1 int, diag bool) {
	cols := d1 - d0
	var norm []float64
	if e.metric == Euclidean {
		norm = e.d.norm[d0:d1]
	}
	rows := e.d.t.perm[d0:d1]
	work.Range(q1-q0, e.nw, func(r0, r1 int) {
		hits := make([]int32, cols)
		for r := r0; r < r1; r++ {
			gr := g[r*cols : (r+1)*cols]
			if diag {
				foldDiag(gr, norm, rows, r, r, b, s0+r, hits)
			} else {
				foldRow(gr, norm, rows, -1, 0, cols, b, s0+r, hits)
			}
		}
	})
}

// finishRows writes the results of query tree positions [p0, p1) (slots
// s0..) into res, in parallel.
func (e *bruteRun[T]) finishRows(b *rowBufs, s0, p0, p1 int, res *Result) {
	k := e.k
	work.Range(p1-p0, e.nw, func(r0, r1 int) {
		scratch := make([]cand, b.c)
		for r := r0; r < r1; r++ {
			qi := int(e.q.t.perm[p0+r])
			b.finish(s0+r, func(j int) float64 { return e.exact(qi, j) }, scratch,
				res.Index[qi*k:(qi+1)*k], res.Dist[qi*k:(qi+1)*k])
		}
	})
}

// initRows empties slots s0.. for query positions [p0, p1) and sets their
// tolerances.
func (e *bruteRun[T]) initRows(b *rowBufs, s0, p0, p1 int) {
	b.reset(s0, s0+p1-p0)
	for p := p0; p < p1; p++ {
		b.tol[s0+p-p0] = e.tolerance(e.q.norm[p])
	}
}

// settle compacts the slots holding at least K candidates and no bound
// yet, so that the next block pairs can be pruned.
func settle(b *rowBufs, s0, s1 int) {
	for s := s0; s < s1; s++ {
		if math.IsInf(b.bound[s], 1) && int(b.cnt[s]) >= b.k {
			b.compact(s)
		}
	}
}

// cross answers every query: each query block against the data blocks in
// order of box distance, until the boxes lie beyond every row's bound.
// Memory: one block's buffers and one tile.
func (e *bruteRun[T]) cross(res *Result) error {
	q, d := e.q, e.d
	nq, nd := q.blocks(), d.blocks()
	b := newRowBufs(q.t.maxLeaf(), e.k, bufCap(e.k, q.t.maxLeaf()))
	order := make([]cand, nd)
	var q0 int
	b.exact = func(s, j int) float64 { return e.exact(int(q.t.perm[q0+s]), j) }
	for a := range nq {
		var q1 int
		q0, q1 = q.block(a)
		e.initRows(b, 0, q0, q1)
		for bb := range order {
			order[bb] = cand{boxGap(q, a, d, bb), bb}
		}
		slices.SortFunc(order, cmpGap)
		for _, o := range order {
			if o.d > e.blockReach(b, 0, q0, q1) {
				break // later blocks are farther, bounds only shrink
			}
			d0, d1 := d.block(o.j)
			e.foldBlock(e.product(q0, q1, d0, d1), b, 0, q0, q1, d0, d1, false)
			settle(b, 0, q1-q0)
		}
		e.finishRows(b, 0, q0, q1, res)
		if err := progress.Report(e.opts.Progress, q1, q.t.n); err != nil {
			return err
		}
	}
	return nil
}

func cmpGap(a, b cand) int {
	if candLess(a, b) {
		return -1
	}
	return 1
}

// self answers a self search with each block product computed once: the
// diagonal blocks first (they set the rows' bounds), then the other pairs
// in order of box distance, each folded into the rows of both blocks, and
// skipped when the boxes lie beyond the bounds of the rows of both.
// Memory: buffers for all n rows, one tile.
func (e *bruteRun[T]) self(excludeSelf bool, res *Result) error {
	o := e.d
	nb, n := o.blocks(), o.t.n
	b := newRowBufs(n, e.k, bufCap(e.k, n))
	b.exact = func(s, j int) float64 { return e.exact(int(o.t.perm[s]), j) }
	e.initRows(b, 0, 0, n)
	total := nb * (nb + 1) / 2
	done := 0
	report := func() error {
		done++
		return progress.Report(e.opts.Progress, n*done/total, n)
	}
	reach := make([]float64, nb)
	for a := range nb {
		p0, p1 := o.block(a)
		e.foldBlock(e.product(p0, p1, p0, p1), b, p0, p0, p1, p0, p1, excludeSelf)
		settle(b, p0, p1)
		reach[a] = e.blockReach(b, p0, p0, p1)
		if err := report(); err != nil {
			return err
		}
	}
	pairs := make([]blockPair, 0, total-nb)
	for a := range nb {
		for c := a + 1; c < nb; c++ {
			pairs = append(pairs, blockPair{boxGap(o, a, o, c), int32(a), int32(c)})
		}
	}
	slices.SortFunc(pairs, func(x, y blockPair) int {
		switch {
		case x.gap < y.gap:
			return -1
		case x.gap > y.gap:
			return 1
		}
		return 0
	})
	for _, pr := range pairs {
		a, c := int(pr.a), int(pr.b)
		if pr.gap <= max(reach[a], reach[c]) {
			p0, p1 := o.block(a)
			c0, c1 := o.block(c)
			e.symmetric(e.product(p0, p1, c0, c1), b, p0, p1, c0, c1)
			reach[a] = e.blockReach(b, p0, p0, p1)
			reach[c] = e.blockReach(b, c0, c0, c1)
		}
		if err := report(); err != nil {
			return err
		}
	}
	e.finishRows(b, 0, 0, n, res)
	return nil
}

type blockPair struct {
	gap  float64
	a, b int32
}

// symmetric folds the product of blocks [p0, p1) and [c0, c1) of a self
// search into the rows of the first block (along the tile's rows) and of
// the second (down its columns, each goroutine owning a range of columns).
func (e *bruteRun[T]) symmetric(g []T, b *rowBufs, p0, p1, c0, c1 int) {
	e.foldBlock(g, b, p0, p0, p1, c0, c1, false)
	cols := c1 - c0
	euclidean := e.metric == Euclidean
	perm := e.d.t.perm
	work.Range(cols, e.nw, func(t0, t1 int) {
		hits := make([]int32, t1-t0)
		for r := range p1 - p0 {
			p := p0 + r
			scatterRow(g[r*cols+t0:r*cols+t1], e.d.norm[p], euclidean, perm[p], b, c0+t0, hits)
		}
	})
}
