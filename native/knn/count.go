package knn

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// CountWithin returns, for each radius, the number of ordered pairs (i, j),
// i != j, of rows of data at Euclidean distance strictly less than the
// radius (the correlation sum of Grassberger and Procaccia before
// normalisation; duplicates count as pairs at distance 0). The distance of
// a pair is the exact one the searches report. opts.Algorithm chooses
// between a KD-tree range count (Auto: by Choose with K = 20) and blocked
// GEMMs; only Algorithm, LeafSize, BlockSize, Workers and Progress of opts
// are used.
//
// Cost: with the tree, O(n log n) node visits plus the points of the
// leaves that straddle a radius, far below O(n^2) for low-dimensional
// data; brute force at most O(n^2 d) flops plus O(n^2) comparisons (block
// pairs farther apart than the largest radius are skipped). Memory O(n d)
// plus O(BlockSize^2) a worker.
func CountWithin(data *mat.Dense, radii []float64, opts Options) ([]int64, error) {
	d, err := dense64(data, "data")
	if err != nil {
		return nil, err
	}
	for i, r := range radii {
		if math.IsNaN(r) || r < 0 {
			return nil, fmt.Errorf("knn: radius %d is %v, want >= 0", i, r)
		}
	}
	if len(radii) == 0 {
		return []int64{}, nil
	}
	alg := opts.Algorithm
	if alg == Auto {
		alg = Choose(d.rows, d.rows, d.cols, min(20, d.rows-1), Euclidean, false)
	}
	switch alg {
	case KDTree:
		return countTree(d, radii, opts)
	case Brute:
		return countBrute(d, radii, opts)
	}
	return nil, fmt.Errorf("knn: unknown algorithm %d", int(alg))
}

// countTree counts with a KD-tree: for each point, a node whose box lies
// entirely beyond a radius (the square root of its exact lower bound
// minDist is at least the radius) adds nothing for it, a node entirely
// within (the square root of maxDist, an exact upper bound, is below it)
// adds all its points, and only the others are descended. Radii are
// handled at once, sorted: counts go into a difference array over them.
func countTree(d *matrix[float64], radii []float64, opts Options) ([]int64, error) {
	n := d.rows
	leaf := opts.LeafSize
	if leaf <= 0 {
		leaf = DefaultLeafSize
	}
	t := buildKD(d, max(leaf, 2), opts.Workers)
	order := make([]int, len(radii))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(radii[a], radii[b]) })
	sorted := make([]float64, len(radii))
	for i, o := range order {
		sorted[i] = radii[o]
	}
	nw := work.Workers(opts.Workers)
	chunk := queryChunk(n, nw)
	var mu atomicCounts
	mu.v = make([]atomic.Int64, len(radii)+1)
	err := work.Queue((n+chunk-1)/chunk, nw, opts.Progress, n, func() func(int) (int, error) {
		c := &counter{t: t, r: sorted, x: make([]float64, t.dim), diff: make([]int64, len(radii)+1)}
		return func(ch int) (int, error) {
			p0, p1 := ch*chunk, min((ch+1)*chunk, n)
			clear(c.diff)
			for p := p0; p < p1; p++ {
				copy(c.x, t.pts[p*t.dim:(p+1)*t.dim])
				c.self = p
				c.visit(0, 0, len(sorted))
			}
			mu.add(c.diff)
			return p1 - p0, nil
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(radii))
	var run int64
	for i, o := range order {
		run += mu.v[i].Load()
		out[o] = run
	}
	return out, nil
}

type atomicCounts struct{ v []atomic.Int64 }

func (a *atomicCounts) add(diff []int64) {
	for i, v := range diff {
		if v != 0 {
			a.v[i].Add(v)
		}
	}
}

// counter is one goroutine's range count over the sorted radii: adding v
// to diff[t] adds v to the counts of radius t and of every larger one
// (diff has one more entry than the radii, a sink).
type counter struct {
	t    *kdTree[float64]
	r    []float64
	x    []float64
	self int
	diff []int64
}

// visit counts the points of node for the radii [a, b) not yet decided.
func (c *counter) visit(node, a, b int) {
	t := c.t
	s, e := int(t.start[node]), int(t.end[node])
	lo := math.Sqrt(t.minDist(node, c.x))
	for a < b && c.r[a] <= lo {
		a++ // no point of the node is within radius a
	}
	if a == b {
		return
	}
	hi := math.Sqrt(t.maxDist(node, c.x))
	b0 := b
	for b > a && c.r[b-1] > hi {
		b-- // every point of the node is within radius b-1
	}
	if b < b0 {
		// Radii [b, b0) contain the whole node (those from b0 on were
		// counted by an ancestor).
		cnt := int64(e - s)
		if c.self >= s && c.self < e {
			cnt--
		}
		c.diff[b] += cnt
		c.diff[b0] -= cnt
	}
	if a == b {
		return
	}
	if node >= t.firstLeaf {
		for p := s; p < e; p++ {
			if p == c.self {
				continue
			}
			dist := math.Sqrt(sqDist(c.x, t.pts[p*t.dim:(p+1)*t.dim]))
			// Within the undecided radii from the first one above dist
			// (those from b on were counted by an ancestor).
			c.diff[a+sortSearch(c.r[a:b], dist)]++
			c.diff[b]--
		}
		return
	}
	c.visit(2*node+1, a, b)
	c.visit(2*node+2, a, b)
}

// sortSearch returns the number of radii <= dist in the sorted r.
func sortSearch(r []float64, dist float64) int {
	lo, hi := 0, len(r)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if r[m] <= dist {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// countBrute is CountWithin by blocked GEMMs on the rows centred and
// reordered into the leaves of a KD-tree (as the brute-force search), each
// query block against the data blocks whose boxes come within the largest
// radius, in parallel over query blocks. A pair is counted from its
// expanded squared distance when that is farther than the rounding
// tolerance from the radius, from its exact distance otherwise.
func countBrute(d *matrix[float64], radii []float64, opts Options) ([]int64, error) {
	n, dim := d.rows, d.cols
	r := slices.Clone(radii)
	slices.Sort(r) // counts are per sorted radius, mapped back at the end
	nw := work.Workers(opts.Workers)
	o := newOperand(shifted(d, colMean(d)), blockSize(dim, opts.BlockSize), nw)
	var nmax float64
	for _, v := range o.norm {
		nmax = max(nmax, v)
	}
	gamma := 4 * float64(dim+8) * 0x1p-53
	reach := 0.0
	if len(r) > 0 {
		reach = (r[len(r)-1]*r[len(r)-1] + 4*gamma*nmax) * boundSlack
	}
	var total atomicCounts
	total.v = make([]atomic.Int64, len(r))
	err := work.Queue(o.blocks(), nw, opts.Progress, n, func() func(int) (int, error) {
		tile := make([]float64, o.t.maxLeaf()*o.t.maxLeaf())
		local := make([]int64, len(r))
		lo, hi := make([]float64, len(r)), make([]float64, len(r))
		return func(a int) (int, error) {
			q0, q1 := o.block(a)
			clear(local)
			for b := range o.blocks() {
				if boxGap(o, a, o, b) > reach {
					continue
				}
				d0, d1 := o.block(b)
				g := tile[:(q1-q0)*(d1-d0)]
				gemm64(q1-q0, d1-d0, dim, o.rows(q0, q1), o.rows(d0, d1), g)
				for row := range q1 - q0 {
					i := q0 + row
					tol := gamma * (o.norm[i] + nmax)
					for t, rr := range r {
						lo[t], hi[t] = rr*rr-o.norm[i]-tol, rr*rr-o.norm[i]+tol
					}
					x := d.row(int(o.t.perm[i]))
					cols := d1 - d0
					countRow(g[row*cols:(row+1)*cols], o.norm[d0:d1], i-d0, lo, hi, r, local, func(t int) []float64 {
						return d.row(int(o.t.perm[d0+t]))
					}, x)
				}
			}
			total.add(local)
			return q1 - q0, nil
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(radii))
	for i, rad := range radii {
		t, _ := slices.BinarySearch(r, rad)
		out[i] = total.v[t].Load()
	}
	return out, nil
}

// countRow adds to local[t] the columns t of one row of a block product
// (g, data squared norms norm) within sorted radius r[t] of the row's
// point x: keys norm - 2g below lo[t] count, keys above hi[t] do not, and
// in between the exact distance to row(t) decides. Column skip is the
// point itself.
func countRow(g, norm []float64, skip int, lo, hi, r []float64, local []int64, row func(int) []float64, x []float64) {
	last := hi[len(hi)-1]
	norm = norm[:len(g)]
	for t, gv := range g {
		key := norm[t] - 2*gv
		if key > last || t == skip {
			continue
		}
		for u := range r {
			switch {
			case key < lo[u]:
				local[u]++
			case key <= hi[u]:
				if euclid(x, row(t)) < r[u] {
					local[u]++
				}
			}
		}
	}
}
