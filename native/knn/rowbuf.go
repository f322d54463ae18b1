package knn

import (
	"math"
	"slices"
)

// rowBufs holds, for a set of query rows (slots), the candidates of the
// block products: approximate keys from the GEMM and data rows, all at or
// below the slot's admission bound. A full buffer is compacted to the
// candidates whose key is within twice the slot's rounding tolerance of
// the K-th smallest key, which lowers the bound; so every data row whose
// exact distance ranks among the K nearest stays in the buffer (its key
// is within tol of its exact value, as is the K-th's), and the exact
// distances recomputed at the end decide the order. Memory: slots x c
// keys (float64) and rows (int32).
type rowBufs struct {
	k, c  int
	keys  []float64
	idx   []int32
	cnt   []int32
	bound []float64 // key-space admission bound, +Inf until K candidates are known
	tol   []float64 // bound on |key - exact key| for the slot's row
	// exact returns the exact distance between the query of slot s and
	// data row j.
	exact func(s, j int) float64
}

// newRowBufs returns buffers for slots rows with capacity c >= K+1 each.
func newRowBufs(slots, k, c int) *rowBufs {
	return &rowBufs{k: k, c: c, keys: make([]float64, slots*c), idx: make([]int32, slots*c),
		cnt: make([]int32, slots), bound: make([]float64, slots), tol: make([]float64, slots)}
}

// bufCap is the capacity of a row buffer for K neighbours and the given
// number of buffered rows: room for 2K+16 candidates (a compaction's O(c)
// cost then amortises to O(1) per candidate) while the buffers stay under
// 64 MB, else K plus a quarter (at least 16).
func bufCap(k, rows int) int {
	if c := 2*k + 16; rows*c*12 <= 64<<20 {
		return c
	}
	return k + max(16, k/4)
}

// selectPairs reorders keys (and idx alongside) so that keys[kth] holds
// the value of rank kth, none smaller after it and none larger before it,
// and returns it: Hoare's quickselect with a median-of-three pivot (equal
// keys split evenly). Expected O(len(keys)).
func selectPairs(keys []float64, idx []int32, kth int) float64 {
	lo, hi := 0, len(keys)-1
	for lo < hi {
		m := lo + (hi-lo)/2
		a, b, c := keys[lo], keys[m], keys[hi]
		pivot := max(min(a, b), min(max(a, b), c))
		i, j := lo, hi
		for i <= j {
			for keys[i] < pivot {
				i++
			}
			for keys[j] > pivot {
				j--
			}
			if i <= j {
				keys[i], keys[j] = keys[j], keys[i]
				idx[i], idx[j] = idx[j], idx[i]
				i++
				j--
			}
		}
		switch {
		case kth <= j:
			hi = j
		case kth >= i:
			lo = i
		default:
			return keys[kth]
		}
	}
	return keys[kth]
}

// reset empties slots [s0, s1): no candidates, an infinite bound.
func (b *rowBufs) reset(s0, s1 int) {
	clear(b.cnt[s0:s1])
	for s := s0; s < s1; s++ {
		b.bound[s] = math.Inf(1)
	}
}

// add appends (key, j) to slot s, whose bound the caller checked.
func (b *rowBufs) add(s int, key float64, j int32) {
	n := int(b.cnt[s])
	b.keys[s*b.c+n], b.idx[s*b.c+n] = key, j
	n++
	b.cnt[s] = int32(n)
	if n == b.c {
		b.compact(s)
	}
}

// compact lowers slot s's bound to its K-th smallest key plus twice its
// tolerance and drops the candidates above it. Should more than c-1
// remain (over c candidates within rounding of the K-th, as ties on a
// grid produce), it keeps the K + (c-K)/2 first by exact (distance, row),
// which keeps the K nearest. O(c) expected, O(c (d + log c)) then.
func (b *rowBufs) compact(s int) {
	n := int(b.cnt[s])
	if n < b.k {
		return
	}
	keys, idx := b.keys[s*b.c:s*b.c+n], b.idx[s*b.c:s*b.c+n]
	b.bound[s] = min(b.bound[s], selectPairs(keys, idx, b.k-1)+2*b.tol[s])
	m := 0
	for t, v := range keys {
		if v <= b.bound[s] {
			keys[m], idx[m] = v, idx[t]
			m++
		}
	}
	if m >= b.c-1 {
		m = b.truncate(s, keys[:m], idx[:m])
	}
	b.cnt[s] = int32(m)
}

// truncate keeps the K + (c-K)/2 candidates of slot s first by exact
// (distance, row) and returns how many that is.
func (b *rowBufs) truncate(s int, keys []float64, idx []int32) int {
	type entry struct {
		c   cand
		key float64
	}
	es := make([]entry, len(keys))
	for t, j := range idx {
		es[t] = entry{cand{b.exact(s, int(j)), int(j)}, keys[t]}
	}
	slices.SortFunc(es, func(x, y entry) int { return cmpGap(x.c, y.c) })
	m := b.k + (b.c-b.k)/2
	for t, e := range es[:m] {
		keys[t], idx[t] = e.key, int32(e.c.j)
	}
	return m
}

// finish recomputes the exact distance of slot s's candidates (exact(j)
// for data row j), selects the K nearest by (distance, row) and writes
// them sorted to index and dist. scratch must hold c candidates.
func (b *rowBufs) finish(s int, exact func(j int) float64, scratch []cand, index []int, dist []float64) {
	if int(b.cnt[s]) > b.k+b.k/4 {
		b.compact(s) // fewer exact distances to compute
	}
	n := int(b.cnt[s])
	cs := scratch[:n]
	for t, j := range b.idx[s*b.c : s*b.c+n] {
		cs[t] = cand{exact(int(j)), int(j)}
	}
	k := b.k
	if n > k {
		selectCands(cs, k-1)
	}
	cs = cs[:k]
	sortCands(cs)
	for t, c := range cs {
		index[t], dist[t] = c.j, c.d
	}
}

// foldRow offers columns [t0, t1) of one row of a block product to slot
// s: g[t] is the product of the slot's query with data row t of the
// block, whose squared norms are norm (nil for the dot-product keys of the
// cosine and inner product metrics) and input rows rows; column skip (-1
// for none) is the query itself. Keys: norm[t] - 2 g[t] (the squared
// distance less the query's squared norm) or -g[t]. A tight loop (under)
// collects the columns under the bound into hits (scratch of len(g)),
// then they are added. O(t1 - t0) plus the admitted candidates.
func foldRow[T float](g []T, norm []float64, rows []int32, skip, t0, t1 int, b *rowBufs, s int, hits []int32) {
	var h []int32
	if norm != nil {
		h = under(g[t0:t1], norm[t0:t1], b.bound[s], int32(t0), hits[:0])
	} else {
		h = underDot(g[t0:t1], b.bound[s], int32(t0), hits[:0])
	}
	for _, t := range h {
		key := -float64(g[t])
		if norm != nil {
			key = norm[t] - 2*float64(g[t])
		}
		if int(t) != skip && key <= b.bound[s] {
			b.add(s, key, rows[t])
		}
	}
}

// under appends base+t to h for the t with norm[t] - 2 g[t] <= bound.
// Four columns a step: one well-predicted branch for the common case of
// none admitted.
//
//go:noinline
func under[T float](g []T, norm []float64, bound float64, base int32, h []int32) []int32 {
	norm = norm[:len(g)]
	t := 0
	for ; t+4 <= len(g); t += 4 {
		k0 := norm[t] - 2*float64(g[t])
		k1 := norm[t+1] - 2*float64(g[t+1])
		k2 := norm[t+2] - 2*float64(g[t+2])
		k3 := norm[t+3] - 2*float64(g[t+3])
		if k0 > bound && k1 > bound && k2 > bound && k3 > bound {
			continue
		}
		for u, k := range [4]float64{k0, k1, k2, k3} {
			if k <= bound {
				h = append(h, base+int32(t+u))
			}
		}
	}
	for ; t < len(g); t++ {
		if norm[t]-2*float64(g[t]) <= bound {
			h = append(h, base+int32(t))
		}
	}
	return h
}

// underDot appends base+t to h for the t with -g[t] <= bound.
//
//go:noinline
func underDot[T float](g []T, bound float64, base int32, h []int32) []int32 {
	for t, gv := range g {
		if -float64(gv) <= bound {
			h = append(h, base+int32(t))
		}
	}
	return h
}

// underEach appends t to h for the t with off - 2 g[t] <= bound[t] (or
// -g[t] <= bound[t] when dot).
//
//go:noinline
func underEach[T float](g []T, off float64, dot bool, bound []float64, h []int32) []int32 {
	bound = bound[:len(g)]
	if dot {
		for t, gv := range g {
			if -float64(gv) <= bound[t] {
				h = append(h, int32(t))
			}
		}
		return h
	}
	for t, gv := range g {
		if off-2*float64(gv) <= bound[t] {
			h = append(h, int32(t))
		}
	}
	return h
}

// foldDiag folds row r of a diagonal block product of a self search into
// slot s: first the columns next to r (rows next in tree order, so near in
// space), then, with the bound those set, the others.
func foldDiag[T float](g []T, norm []float64, rows []int32, r, skip int, b *rowBufs, s int, hits []int32) {
	w := b.c / 2
	lo, hi := max(0, r-w), min(len(g), r+w+1)
	foldRow(g, norm, rows, skip, lo, hi, b, s, hits)
	if math.IsInf(b.bound[s], 1) && int(b.cnt[s]) >= b.k {
		b.compact(s)
	}
	foldRow(g, norm, rows, skip, 0, lo, b, s, hits)
	foldRow(g, norm, rows, skip, hi, len(g), b, s, hits)
}

// scatterRow offers one row of a block product to the slots s0, s0+1, ...
// of the other block's rows (the symmetric half of a self search): g[t] is
// the product of data row j (squared norm sq) with the row of slot s0+t.
func scatterRow[T float](g []T, sq float64, euclidean bool, j int32, b *rowBufs, s0 int, hits []int32) {
	h := underEach(g, sq, !euclidean, b.bound[s0:s0+len(g)], hits[:0])
	for _, t := range h {
		key := -float64(g[t])
		if euclidean {
			key = sq - 2*float64(g[t])
		}
		if key <= b.bound[s0+int(t)] {
			b.add(s0+int(t), key, j)
		}
	}
}
