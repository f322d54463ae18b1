package knn

import (
	"cmp"
	"math"
	"slices"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/progress"
)

// symmetricMinDim is the dimension from which a self search multiplies
// each pair of blocks once (the GEMM dominates); below it every query
// block is searched on its own, in parallel (the selection dominates).
const symmetricMinDim = 48

// openblasSerial is the largest m*n*k for which OpenBLAS runs a GEMM on the
// calling thread (SMP_THRESHOLD_MIN * GEMM_MULTITHREAD_THRESHOLD): the
// parallel mode keeps its block products below it, so that two
// goroutines' GEMMs do not compete for OpenBLAS's threads.
const openblasSerial = 65536 * 4

// blockSize returns the largest number of rows of a block for dimension
// d: small enough below symmetricMinDim for the products to stay serial
// and in cache (64 to 256 rows), large enough above it for the GEMM to
// run near its peak (512 or 1024).
func blockSize(d, requested int) int {
	switch {
	case requested > 0:
		return max(requested, 2)
	case d < symmetricMinDim:
		return max(64, min(256, int(math.Sqrt(openblasSerial/float64(d)))))
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
// operands into tile.
func (e *bruteRun[T]) product(tile []T, q0, q1, d0, d1 int) []T {
	g := tile[:(q1-q0)*(d1-d0)]
	e.gemm(q1-q0, d1-d0, e.q.t.dim, e.q.rows(q0, q1), e.d.rows(d0, d1), g)
	return g
}

// foldBlock folds the tile (query rows [q0, q1) x data rows [d0, d1)) into
// slots s0.. of b, over nw goroutines (nw = 1: on the caller's); diag
// marks a diagonal block of a self search (its own column first, skipped
// when skip is set).
func (e *bruteRun[T]) foldBlock(g []T, b *rowBufs, s0, q0, q1, d0, d1 int, diag, skip bool, nw int) {
	cols := d1 - d0
	var norm []float64
	if e.metric == Euclidean {
		norm = e.d.norm[d0:d1]
	}
	rows := e.d.t.perm[d0:d1]
	work.Range(q1-q0, nw, func(r0, r1 int) {
		hits := make([]int32, cols)
		for r := r0; r < r1; r++ {
			gr := g[r*cols : (r+1)*cols]
			switch {
			case diag && skip:
				foldDiag(gr, norm, rows, r, r, b, s0+r, hits)
			case diag:
				foldDiag(gr, norm, rows, r, -1, b, s0+r, hits)
			default:
				foldRow(gr, norm, rows, -1, 0, cols, b, s0+r, hits)
			}
		}
	})
}

// finishRows writes the results of query tree positions [p0, p1) (slots
// s0..) into res, over nw goroutines.
func (e *bruteRun[T]) finishRows(b *rowBufs, s0, p0, p1 int, res *Result, nw int) {
	k := e.k
	work.Range(p1-p0, nw, func(r0, r1 int) {
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

// blocks answers every query block on its own, the blocks handed out to
// the workers (each with its own buffers and tile, its GEMMs serial): the
// block against the data blocks in order of box distance, until the boxes
// lie beyond every row's bound. For a self search (q == d) the diagonal
// block comes first and skips the query itself when excludeSelf is set.
// Memory: one block's buffers and one tile a worker.
func (e *bruteRun[T]) blocks(excludeSelf bool, res *Result) error {
	q, d := e.q, e.d
	self := q == d
	nd := d.blocks()
	c := bufCap(e.k, q.t.maxLeaf())
	return work.Queue(q.blocks(), e.nw, e.opts.Progress, q.t.n, func() func(int) (int, error) {
		b := newRowBufs(q.t.maxLeaf(), e.k, c)
		tile := make([]T, q.t.maxLeaf()*d.t.maxLeaf())
		order := make([]cand, nd)
		var q0 int
		b.exact = func(s, j int) float64 { return e.exact(int(q.t.perm[q0+s]), j) }
		return func(a int) (int, error) {
			var q1 int
			q0, q1 = q.block(a)
			e.initRows(b, 0, q0, q1)
			for bb := range order {
				order[bb] = cand{boxGap(q, a, d, bb), bb}
				if self && bb == a {
					order[bb].d = -1 // the diagonal block first
				}
			}
			slices.SortFunc(order, cmpGap)
			for _, o := range order {
				if o.d > e.blockReach(b, 0, q0, q1) {
					break // later blocks are farther, bounds only shrink
				}
				if err := progress.Check(); err != nil {
					return 0, err // interrupted: stop within one block product
				}
				d0, d1 := d.block(o.j)
				diag := self && o.j == a
				e.foldBlock(e.product(tile, q0, q1, d0, d1), b, 0, q0, q1, d0, d1, diag, diag && excludeSelf, 1)
				settle(b, 0, q1-q0)
			}
			e.finishRows(b, 0, q0, q1, res, 1)
			return q1 - q0, nil
		}
	})
}

func cmpGap(a, b cand) int {
	if candLess(a, b) {
		return -1
	}
	return 1
}

// symmetricSelf answers a self search with each block product computed once: the
// diagonal blocks first (they set the rows' bounds), then the other pairs
// in order of box distance, each folded into the rows of both blocks, and
// skipped when the boxes lie beyond the bounds of the rows of both.
// Memory: buffers for all n rows, one tile.
func (e *bruteRun[T]) symmetricSelf(excludeSelf bool, res *Result) error {
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
		e.foldBlock(e.product(e.tile, p0, p1, p0, p1), b, p0, p0, p1, p0, p1, true, excludeSelf, e.nw)
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
	slices.SortFunc(pairs, func(x, y blockPair) int { return cmp.Compare(x.gap, y.gap) })
	for _, pr := range pairs {
		a, c := int(pr.a), int(pr.b)
		if pr.gap <= max(reach[a], reach[c]) {
			p0, p1 := o.block(a)
			c0, c1 := o.block(c)
			e.symmetric(e.product(e.tile, p0, p1, c0, c1), b, p0, p1, c0, c1)
			reach[a] = e.blockReach(b, p0, p0, p1)
			reach[c] = e.blockReach(b, c0, c0, c1)
		}
		if err := report(); err != nil {
			return err
		}
	}
	e.finishRows(b, 0, 0, n, res, e.nw)
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
	e.foldBlock(g, b, p0, p0, p1, c0, c1, false, false, e.nw)
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
