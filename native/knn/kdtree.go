package knn

import "math"

// DefaultLeafSize is the largest number of points in a KD-tree leaf when
// Options.LeafSize is 0 (see the measurements in choose.go).
const DefaultLeafSize = 16

// kdTree is a balanced KD-tree over the rows of a matrix, in the implicit
// layout of scikit-learn's binary trees: node i has children 2i+1 and 2i+2,
// all leaves are on the last level, and every node covers a contiguous range
// of the rows stored again in tree order. A node is split at the median of
// its coordinate of largest spread; each node keeps the exact bounding box
// of its points, whose distance to a query is a lower bound of the exact
// distances of the points inside (see minDist).
//
// Build cost O(n d log n) time (one quickselect and one bounding box per
// node and level), memory O(n d) for the reordered copy plus O(n d / leaf)
// for the boxes.
type kdTree[T float] struct {
	n, dim    int
	pts       []T     // rows in tree order, n*dim
	perm      []int32 // tree position -> row of the input
	where     []int32 // row of the input -> tree position
	start     []int32 // node -> first tree position
	end       []int32 // node -> one past its last tree position
	lo, hi    []float64
	splitDim  []int32   // internal node -> coordinate it is split on
	splitVal  []float64 // internal node -> median coordinate (first of the right half)
	firstLeaf int       // nodes >= firstLeaf are leaves
}

// buildKD builds the tree of the rows of m with at most leafSize points a
// leaf (leafSize >= 2), using up to workers goroutines for the top levels.
func buildKD[T float](m *matrix[T], leafSize, workers int) *kdTree[T] {
	n, dim := m.rows, m.cols
	leaves := 1
	for n > leaves*leafSize {
		leaves *= 2
	}
	nodes := 2*leaves - 1
	t := &kdTree[T]{
		n: n, dim: dim,
		pts:       make([]T, n*dim),
		perm:      make([]int32, n),
		where:     make([]int32, n),
		splitDim:  make([]int32, leaves-1),
		splitVal:  make([]float64, leaves-1),
		start:     make([]int32, nodes),
		end:       make([]int32, nodes),
		lo:        make([]float64, nodes*dim),
		hi:        make([]float64, nodes*dim),
		firstLeaf: leaves - 1,
	}
	for i := range t.perm {
		t.perm[i] = int32(i)
	}
	keys := make([]float64, n)
	t.build(m, 0, 0, n, keys, workers)
	for p, j := range t.perm {
		copy(t.pts[p*dim:(p+1)*dim], m.row(int(j)))
		t.where[j] = int32(p)
	}
	return t
}

// build computes the box of node over perm[s:e] and, for an internal node,
// partitions the range at its middle along the widest coordinate and
// recurses; the two halves run on two goroutines while workers > 1.
func (t *kdTree[T]) build(m *matrix[T], node, s, e int, keys []float64, workers int) {
	t.start[node], t.end[node] = int32(s), int32(e)
	dim := t.dim
	lo, hi := t.lo[node*dim:(node+1)*dim], t.hi[node*dim:(node+1)*dim]
	for c := range lo {
		lo[c], hi[c] = math.Inf(1), math.Inf(-1)
	}
	for _, j := range t.perm[s:e] {
		for c, v := range m.row(int(j)) {
			f := float64(v)
			lo[c] = min(lo[c], f)
			hi[c] = max(hi[c], f)
		}
	}
	if node >= t.firstLeaf {
		return
	}
	split, spread := 0, -1.0
	for c := range lo {
		if w := hi[c] - lo[c]; w > spread {
			split, spread = c, w
		}
	}
	for p, j := range t.perm[s:e] {
		keys[s+p] = float64(m.data[int(j)*dim+split])
	}
	mid := s + (e-s)/2
	selectPairs(keys[s:e], t.perm[s:e], mid-s)
	t.splitDim[node], t.splitVal[node] = int32(split), keys[mid]
	if workers > 1 && e-s > 4096 {
		done := make(chan struct{})
		go func() {
			t.build(m, 2*node+1, s, mid, keys, workers/2)
			close(done)
		}()
		t.build(m, 2*node+2, mid, e, keys, workers-workers/2)
		<-done
		return
	}
	t.build(m, 2*node+1, s, mid, keys, 1)
	t.build(m, 2*node+2, mid, e, keys, 1)
}

// maxLeaf returns the largest number of points in a leaf. O(leaves).
func (t *kdTree[T]) maxLeaf() int {
	m := 0
	for node := t.firstLeaf; node < len(t.start); node++ {
		m = max(m, int(t.end[node]-t.start[node]))
	}
	return m
}

// The exact squared distance of the package (sqDist) sums the squared
// coordinate differences in four lanes, coordinate c going to lane c mod 4
// in increasing order, and returns (lane0 + lane1) + (lane2 + lane3): four
// independent additions per step instead of one chain, and the one value
// that the tree, brute force and the reported distances all use. The box
// bounds below sum in the same lanes: every term of minDist is at most the
// corresponding term of any point of the box (and of maxDist at least),
// and rounded sums are monotonic in each term, so minDist <= sqDist <=
// maxDist holds exactly for every point of the node, without slack.

// minDist returns the squared distance from x to the box of node, a lower
// bound of sqDist(x, p) for the points p of the node. O(d).
func (t *kdTree[T]) minDist(node int, x []float64) float64 {
	lo, hi := t.lo[node*t.dim:(node+1)*t.dim], t.hi[node*t.dim:(node+1)*t.dim]
	lo, hi = lo[:len(x)], hi[:len(x)]
	var s [4]float64
	for c, v := range x {
		if v < lo[c] {
			e := lo[c] - v
			s[c&3] += float64(e * e)
		} else if v > hi[c] {
			e := v - hi[c]
			s[c&3] += float64(e * e)
		}
	}
	return (s[0] + s[1]) + (s[2] + s[3])
}

// maxDist returns the squared distance from x to the farthest corner of
// the box of node, an upper bound of sqDist(x, p) for its points. O(d).
func (t *kdTree[T]) maxDist(node int, x []float64) float64 {
	lo, hi := t.lo[node*t.dim:(node+1)*t.dim], t.hi[node*t.dim:(node+1)*t.dim]
	lo, hi = lo[:len(x)], hi[:len(x)]
	var s [4]float64
	for c, v := range x {
		e := max(v-lo[c], hi[c]-v)
		s[c&3] += float64(e * e)
	}
	return (s[0] + s[1]) + (s[2] + s[3])
}

// sqDist is the exact squared Euclidean distance of the package (see
// above), between rows of any precisions, computed in float64. O(d).
func sqDist[X, Y float](x []X, y []Y) float64 {
	var s0, s1, s2, s3 float64
	y = y[:len(x)]
	t := 0
	for ; t+4 <= len(x); t += 4 {
		e0 := float64(x[t]) - float64(y[t])
		e1 := float64(x[t+1]) - float64(y[t+1])
		e2 := float64(x[t+2]) - float64(y[t+2])
		e3 := float64(x[t+3]) - float64(y[t+3])
		s0 += float64(e0 * e0)
		s1 += float64(e1 * e1)
		s2 += float64(e2 * e2)
		s3 += float64(e3 * e3)
	}
	if t < len(x) {
		e := float64(x[t]) - float64(y[t])
		s0 += float64(e * e)
	}
	if t+1 < len(x) {
		e := float64(x[t+1]) - float64(y[t+1])
		s1 += float64(e * e)
	}
	if t+2 < len(x) {
		e := float64(x[t+2]) - float64(y[t+2])
		s2 += float64(e * e)
	}
	return (s0 + s1) + (s2 + s3)
}
