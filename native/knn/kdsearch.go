package knn

import (
	"math"
	"math/bits"
	"slices"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// boundSlack widens the squared-distance admission bound derived from the
// current K-th distance: it covers the rounding of the bound itself (a
// square of a square root) and the difference between sqDistFast and
// sqDistSeq (at most 2d·2^-53 relative, so below 1e-10 for d < 10^5).
// Candidates and nodes within the bound are examined exactly, so the slack
// costs a few extra exact distances, never a wrong result.
const boundSlack = 1 + 1e-10

// kdSearch is the state of one goroutine's queries against a tree: the
// query (in float64), a buffer of candidates (exact squared distance,
// input row) all within the admission bound, and the bound itself.
//
// Candidates are appended rather than pushed on a heap: when the buffer
// is full it is compacted by a quickselect to the K nearest (and any
// within the bound's slack of the K-th), which tightens the bound. Each
// candidate costs O(1) amortised instead of O(log K); the exact order by
// (distance, row) is established once, at the end, on the reported
// distances themselves (so that two squared distances whose square roots
// round to the same value are ordered by row, as brute force does).
type kdSearch[T float] struct {
	t      *kdTree[T]
	x      []float64
	k      int
	buf    []cand
	limit  int     // compact when the buffer reaches it
	bound  float64 // candidates and nodes at squared distance above it cannot be among the K nearest
	skip   int32   // tree position excluded from the results (self), or -1
	cosine bool    // distances are sq/2 (1 - cos on normalised rows), not sqrt(sq)
	seedD  []float64
	seedI  []int32   // scratch for the selection among the seeds
	sq     []float64 // distances of a leaf's points
	off    []float64 // per coordinate distance from the query to the current cell
}

func newKDSearch[T float](t *kdTree[T], k int, cosine bool) *kdSearch[T] {
	limit := max(2*k, k+16)
	return &kdSearch[T]{t: t, x: make([]float64, t.dim), k: k, buf: make([]cand, 0, limit), limit: limit,
		cosine: cosine, seedD: make([]float64, 0, k+1), seedI: make([]int32, k+1), sq: make([]float64, t.maxLeaf()), off: make([]float64, t.dim)}
}

// query finds the neighbours of s.x, skipping tree position skip (-1 for
// none), and writes them, sorted by (distance, row), to index and dist.
// seed, when not nil, lists input rows near the query (the neighbours of
// the previous query): their K-th distance bounds the search from the
// start. Cost O(visited nodes · d + examined points · d + K log K).
func (s *kdSearch[T]) query(skip int32, seed []int, index []int, dist []float64) {
	s.buf, s.skip = s.buf[:0], skip
	s.bound = s.seedBound(seed)
	clear(s.off)
	s.visit(0, 0)
	for t := range s.buf {
		s.buf[t].d = s.dist(s.buf[t].d)
	}
	k := s.k
	if len(s.buf) > k {
		selectCands(s.buf, k-1)
	}
	top := s.buf[:k]
	sortCands(top)
	for t, c := range top {
		index[t], dist[t] = c.j, c.d
	}
}

// seedBound returns an upper bound of the K-th smallest exact squared
// distance from the query over the distinct rows seed (the skipped one
// left out), or +Inf when fewer than K remain. O(len(seed) d).
func (s *kdSearch[T]) seedBound(seed []int) float64 {
	k, d := s.k, s.t.dim
	sd := s.seedD[:0]
	for _, j := range seed {
		if p := s.t.where[j]; p != s.skip {
			sd = append(sd, sqDist(s.x, s.t.pts[int(p)*d:int(p+1)*d]))
		}
	}
	if len(sd) < k {
		return math.Inf(1)
	}
	return selectPairs(sd, s.seedI[:len(sd)], k-1) * boundSlack
}

// visit searches the subtree of node, whose cell (the region its split
// planes enclose) lies at squared distance rd >= 0 from the query, with
// s.off[c] the query's distance to the cell along coordinate c. The child
// on the query's side of the split is searched first; the other one only
// if its cell distance, updated in O(1) from the split plane (Arya and
// Mount), is within the bound. Leaves also check the tighter bounding box
// of their points. The update is rounded, but it only grows along a path,
// so its relative error stays far below boundSlack.
func (s *kdSearch[T]) visit(node int, rd float64) {
	t := s.t
	if node >= t.firstLeaf {
		if t.minDist(node, s.x) <= s.bound {
			s.leaf(int(t.start[node]), int(t.end[node]))
		}
		return
	}
	c := t.splitDim[node]
	diff := s.x[c] - t.splitVal[node]
	near, far := 2*node+1, 2*node+2
	if diff >= 0 {
		near, far = far, near
	}
	s.visit(near, rd)
	old := s.off[c]
	if rd += diff*diff - old*old; rd <= s.bound {
		s.off[c] = diff
		s.visit(far, rd)
		s.off[c] = old
	}
}

// leaf appends the points at tree positions [lo, hi) within the bound to
// the buffer: first all their exact squared distances into a scratch array
// (a tight loop), then the filter.
func (s *kdSearch[T]) leaf(lo, hi int) {
	d := s.t.dim
	pts := s.t.pts[lo*d : hi*d]
	perm := s.t.perm[lo:hi]
	sq := s.sq[:hi-lo]
	leafDists(s.x, pts, sq)
	bound, skip := s.bound, int(s.skip)-lo
	for i, v := range sq {
		if v > bound || i == skip {
			continue
		}
		s.buf = append(s.buf, cand{v, int(perm[i])})
		if len(s.buf) >= s.limit {
			s.compact()
			bound = s.bound
		}
	}
}

// leafDists writes sqDist(x, row i of pts) into out[i] for the len(out)
// rows of pts, with the lanes written out for 2 and 3 coordinates.
// O(len(pts)).
func leafDists[T float](x []float64, pts []T, out []float64) {
	d := len(x)
	switch d {
	case 2:
		x0, x1 := x[0], x[1]
		for i := range out {
			r := pts[2*i : 2*i+2 : 2*i+2]
			e0, e1 := x0-float64(r[0]), x1-float64(r[1])
			out[i] = float64(e0*e0) + float64(e1*e1)
		}
	case 3:
		x0, x1, x2 := x[0], x[1], x[2]
		for i := range out {
			r := pts[3*i : 3*i+3 : 3*i+3]
			e0, e1, e2 := x0-float64(r[0]), x1-float64(r[1]), x2-float64(r[2])
			out[i] = (float64(e0*e0) + float64(e1*e1)) + float64(e2*e2)
		}
	default:
		for i := range out {
			out[i] = sqDist(x, pts[i*d:(i+1)*d])
		}
	}
}

// compact keeps the K candidates of smallest squared distance, and those
// within the slack of the K-th, and lowers the bound to the K-th's. The
// buffer grows instead when ties keep it more than half full.
func (s *kdSearch[T]) compact() {
	kth := selectCands(s.buf, s.k-1)
	s.bound = min(s.bound, kth*boundSlack)
	keep := s.buf[:0]
	for _, c := range s.buf {
		if c.d <= s.bound {
			keep = append(keep, c)
		}
	}
	s.buf = keep
	if len(keep) > s.limit/2 {
		s.limit *= 2
	}
}

// dist turns an exact squared distance into the reported distance.
func (s *kdSearch[T]) dist(sq float64) float64 {
	if s.cosine {
		return sq / 2
	}
	return math.Sqrt(sq)
}

// candLess orders candidates by (distance, row).
func candLess(a, b cand) bool { return a.d < b.d || a.d == b.d && a.j < b.j }

// sortCands sorts cs by (distance, row): quicksort with a median-of-three
// pivot down to insertion sort on short ranges, handing over to the
// standard library's pdqsort if the recursion gets deep. O(n log n).
func sortCands(cs []cand) {
	quickCands(cs, 2*bits.Len(uint(len(cs))))
}

func quickCands(cs []cand, depth int) {
	for len(cs) > 16 {
		if depth == 0 {
			slices.SortFunc(cs, func(a, b cand) int {
				if candLess(a, b) {
					return -1
				}
				if candLess(b, a) {
					return 1
				}
				return 0
			})
			return
		}
		depth--
		p := partitionCands(cs)
		if p < len(cs)-p {
			quickCands(cs[:p], depth)
			cs = cs[p+1:]
		} else {
			quickCands(cs[p+1:], depth)
			cs = cs[:p]
		}
	}
	for i := 1; i < len(cs); i++ {
		c := cs[i]
		j := i
		for ; j > 0 && candLess(c, cs[j-1]); j-- {
			cs[j] = cs[j-1]
		}
		cs[j] = c
	}
}

// partitionCands partitions cs (len >= 3) around the median of its first,
// middle and last elements and returns the pivot's final position: before
// it only smaller candidates, after it only larger ones (candidates are
// distinct: their rows are).
func partitionCands(cs []cand) int {
	hi := len(cs) - 1
	m := hi / 2
	if candLess(cs[m], cs[0]) {
		cs[m], cs[0] = cs[0], cs[m]
	}
	if candLess(cs[hi], cs[0]) {
		cs[hi], cs[0] = cs[0], cs[hi]
	}
	if candLess(cs[hi], cs[m]) {
		cs[hi], cs[m] = cs[m], cs[hi]
	}
	cs[m], cs[hi] = cs[hi], cs[m]
	pivot := cs[hi]
	st := 0
	for i := range hi {
		if candLess(cs[i], pivot) {
			cs[st], cs[i] = cs[i], cs[st]
			st++
		}
	}
	cs[st], cs[hi] = cs[hi], cs[st]
	return st
}

// selectCands reorders cs so that cs[kth] is the candidate of rank kth in
// the order of candLess, none after it ranking before it, and returns its
// distance. Expected O(len(cs)).
func selectCands(cs []cand, kth int) float64 {
	lo, hi := 0, len(cs)
	for hi-lo > 2 {
		p := lo + partitionCands(cs[lo:hi])
		switch {
		case kth < p:
			hi = p
		case kth > p:
			lo = p + 1
		default:
			return cs[kth].d
		}
	}
	if hi-lo == 2 && candLess(cs[lo+1], cs[lo]) {
		cs[lo], cs[lo+1] = cs[lo+1], cs[lo]
	}
	return cs[kth].d
}

// queryChunk is the number of queries a goroutine takes at a time: small
// enough to balance the workers and report progress, large enough that
// handing chunks out costs nothing.
func queryChunk(m, workers int) int {
	return min(1024, max(64, m/(8*workers)))
}

// treeSelf answers the self search of every point of the tree into res,
// the queries in tree order (for locality), each seeded with the
// neighbours of the one before it. Cost: O(n log n) node visits plus the
// examined points, O(n (K + d)) memory.
func treeSelf[T float](t *kdTree[T], excludeSelf, cosine bool, opts Options, res *Result) error {
	n, k, d := t.n, res.K, t.dim
	chunk := queryChunk(n, work.Workers(opts.Workers))
	return work.Queue((n+chunk-1)/chunk, opts.Workers, opts.Progress, n, func() func(int) (int, error) {
		s := newKDSearch(t, k, cosine)
		seed := make([]int, 0, k+1)
		return func(c int) (int, error) {
			p0, p1 := c*chunk, min((c+1)*chunk, n)
			seed = seed[:0]
			for p := p0; p < p1; p++ {
				for c, v := range t.pts[p*d : (p+1)*d] {
					s.x[c] = float64(v)
				}
				skip := int32(-1)
				if excludeSelf {
					skip = int32(p)
				}
				i := int(t.perm[p])
				out := res.Index[i*k : (i+1)*k]
				s.query(skip, seed, out, res.Dist[i*k:(i+1)*k])
				// The next query's seed: these K rows and this point
				// (distinct: without ExcludeSelf the point is among them).
				seed = append(seed[:0], out...)
				if excludeSelf {
					seed = append(seed, i)
				}
			}
			return p1 - p0, nil
		}
	})
}

// treeCross answers m queries, row i of the query set given by fill (which
// writes query i into x as float64), into res, each seeded with the
// neighbours of the query before it.
func treeCross[T float](t *kdTree[T], m int, fill func(i int, x []float64), cosine bool, opts Options, res *Result) error {
	k := res.K
	chunk := queryChunk(m, work.Workers(opts.Workers))
	return work.Queue((m+chunk-1)/chunk, opts.Workers, opts.Progress, m, func() func(int) (int, error) {
		s := newKDSearch(t, k, cosine)
		return func(c int) (int, error) {
			i0, i1 := c*chunk, min((c+1)*chunk, m)
			var seed []int
			for i := i0; i < i1; i++ {
				fill(i, s.x)
				out := res.Index[i*k : (i+1)*k]
				s.query(-1, seed, out, res.Dist[i*k:(i+1)*k])
				seed = out
			}
			return i1 - i0, nil
		}
	})
}
