package knn

import (
	"fmt"
	"math"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// search checks K and the metric, picks the algorithm (opts.Algorithm, or
// Choose for Auto) and runs it. q == d (same pointer) means a self search.
func search[T float](d, q *matrix[T], excludeSelf bool, opts Options, gemm gemmFunc[T]) (*Result, error) {
	n := d.rows
	if err := chk.K("K", opts.K, 1, n-1, fmt.Sprintf("K must be less than the number of data rows (%d)", n)); err != nil {
		return nil, err
	}
	if opts.Metric < Euclidean || opts.Metric > InnerProduct {
		return nil, fmt.Errorf("knn: unknown metric %d", int(opts.Metric))
	}
	alg := opts.Algorithm
	switch alg {
	case Auto:
		var zero T
		_, is32 := any(zero).(float32)
		alg = Choose(n, q.rows, d.cols, opts.K, opts.Metric, is32)
	case Brute:
	case KDTree:
		if opts.Metric == InnerProduct {
			return nil, fmt.Errorf("knn: the KD-tree needs a metric (Euclidean or cosine), not the inner product: use Brute")
		}
	default:
		return nil, fmt.Errorf("knn: unknown algorithm %d", int(alg))
	}
	if alg == Brute {
		return runBrute(d, q, excludeSelf && d == q, opts, gemm)
	}
	return runTree(d, q, excludeSelf && d == q, opts)
}

// runBrute is the blocked brute-force search. The GEMM operands are the
// rows centred on the data mean (Euclidean: distances unchanged, products
// far more accurate away from the origin), unit-norm rows (cosine) or the
// rows themselves (inner product), each reordered into the blocks of a
// KD-tree; the reported distances are recomputed exactly from the input
// rows. Cost O(m n d) flops at most (less when block pairs are pruned),
// memory O(n d) for the operands plus the candidate buffers (O(n K) for a
// self search, O(BlockSize K) otherwise) and one BlockSize^2 tile.
func runBrute[T float](d, q *matrix[T], excludeSelf bool, opts Options, gemm gemmFunc[T]) (*Result, error) {
	self := d == q
	gd, gq := d, q
	var dInv, qInv []float64
	switch opts.Metric {
	case Euclidean:
		mean := colMean(d)
		gd = shifted(d, mean)
		gq = gd
		if !self {
			gq = shifted(q, mean)
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
	bs := blockSize(d.cols, opts.BlockSize)
	nw := work.Workers(opts.Workers)
	e := &bruteRun[T]{metric: opts.Metric, k: opts.K, gemm: gemm, opts: opts, nw: nw}
	e.d = newOperand(gd, bs, nw)
	e.q = e.d
	if !self {
		e.q = newOperand(gq, bs, nw)
	}

	for _, v := range e.d.norm {
		e.nmax = max(e.nmax, v)
	}
	u := 0x1p-53
	var zero T
	if _, is32 := any(zero).(float32); is32 {
		u = 0x1p-24
	}
	e.gamma = 4 * float64(d.cols+8) * u
	switch opts.Metric {
	case Euclidean:
		e.exact = func(i, j int) float64 { return euclid(q.row(i), d.row(j)) }
	case Cosine:
		e.exact = func(i, j int) float64 { return cosineDist(q.row(i), d.row(j), qInv[i], dInv[j]) }
	default:
		e.exact = func(i, j int) float64 { return -dot(q.row(i), d.row(j)) }
	}
	res := &Result{N: q.rows, K: opts.K, Index: make([]int, q.rows*opts.K), Dist: make([]float64, q.rows*opts.K), Algorithm: Brute}
	var err error
	if self && d.cols >= symmetricMinDim {
		e.tile = make([]T, e.d.t.maxLeaf()*e.d.t.maxLeaf())
		err = e.symmetricSelf(excludeSelf, res)
	} else {
		err = e.blocks(excludeSelf, res)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// runTree is the KD-tree search: on the rows themselves for the Euclidean
// metric, on float64 unit-norm copies for the cosine metric (whose squared
// distances halved are exactly the brute force's cosineDist). Cost: the
// build, O(n d log n), plus the queries.
func runTree[T float](d, q *matrix[T], excludeSelf bool, opts Options) (*Result, error) {
	m, k := q.rows, opts.K
	res := &Result{N: m, K: k, Index: make([]int, m*k), Dist: make([]float64, m*k), Algorithm: KDTree}
	leaf := opts.LeafSize
	if leaf <= 0 {
		leaf = DefaultLeafSize
	}
	leaf = max(leaf, 2)
	if opts.Metric == Cosine {
		nd, _, err := unitRows(d, "data")
		if err != nil {
			return nil, err
		}
		t := buildKD(nd, leaf, opts.Workers)
		if d == q {
			return res, treeSelf(t, excludeSelf, true, opts, res)
		}
		nq, _, err := unitRows(q, "queries")
		if err != nil {
			return nil, err
		}
		return res, treeCross(t, m, func(i int, x []float64) { copy(x, nq.row(i)) }, true, opts, res)
	}
	t := buildKD(d, leaf, opts.Workers)
	if d == q {
		return res, treeSelf(t, excludeSelf, false, opts, res)
	}
	fill := func(i int, x []float64) {
		for c, v := range q.row(i) {
			x[c] = float64(v)
		}
	}
	return res, treeCross(t, m, fill, false, opts, res)
}

// unitRows returns m's rows divided by their norms, in float64 whatever T
// (the products float64(v) * (1/|row|) of cosineDist), and the inverse
// norms, or an error naming the first zero row. O(n d).
func unitRows[T float](m *matrix[T], name string) (*matrix[float64], []float64, error) {
	out := &matrix[float64]{rows: m.rows, cols: m.cols, data: make([]float64, len(m.data))}
	inv := make([]float64, m.rows)
	for i := range m.rows {
		nr := math.Sqrt(sqNorm(m.row(i)))
		if nr == 0 {
			return nil, nil, fmt.Errorf("knn: cosine metric: %s row %d has zero norm", name, i)
		}
		inv[i] = 1 / nr
		o := out.row(i)
		for t, v := range m.row(i) {
			o[t] = float64(v) * inv[i]
		}
	}
	return out, inv, nil
}
