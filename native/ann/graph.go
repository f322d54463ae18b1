package ann

import (
	"math"
	"slices"

	"github.com/subspace-kernel/subspace/native/internal/topk"
	"github.com/subspace-kernel/subspace/native/internal/work"
)

// searcher is the scratch memory of one goroutine: the visited marks (a
// generation counter avoids clearing them), the candidate queue, the result
// heap, a centred query and the neighbour lists being rebuilt.
type searcher struct {
	mark   []uint32
	gen    uint32
	cand   minQueue
	res    *topk.Heap[float32]
	q      []float32
	keys   []float32
	ids    []int32
	picked []int32
	pdist  []float32
	chosen []int32  // a level's neighbours of the node being inserted
	buf    []uint32 // copy of a neighbour list read under its lock
	next   []uint32 // unvisited neighbours of the node being expanded
	touch  float32  // sink of the loads that warm the cache
	locked bool     // parallel build: lists are read and written under locks
}

func (h *HNSW) newSearcher() *searcher {
	return &searcher{
		mark: make([]uint32, h.n),
		res:  topk.New[float32](h.efc),
		q:    make([]float32, h.dim),
	}
}

// nextGen starts a new search: marks of earlier searches become stale.
func (s *searcher) nextGen() {
	s.gen++
	if s.gen == 0 { // wrapped: clear once every 2^32 searches
		clear(s.mark)
		s.gen = 1
	}
}

// row returns the stored (centred) vector of node i.
func (h *HNSW) row(i int32) []float32 { return h.data[int(i)*h.dim : int(i+1)*h.dim] }

// distTo returns the squared distance between the centred vector q (of
// squared norm qn) and node i: qn + ||x_i||^2 - 2 q.x_i. O(d).
func (h *HNSW) distTo(q []float32, qn float32, i int32) float32 {
	return max(qn+h.norms[i]-2*dot(q, h.row(i)), 0)
}

// links returns the neighbour list of node i on level l: its count is
// list[0], the neighbours list[1 : 1+count].
func (h *HNSW) links(i int32, l int) []uint32 {
	if l == 0 {
		s := h.m0 + 1
		return h.links0[int(i)*s : int(i+1)*s]
	}
	s := h.m + 1
	return h.upper[i][(l-1)*s : l*s]
}

// neighbours returns the neighbour ids of node i on level l: the list
// itself, or, during a parallel build, a copy taken under the node's lock
// (valid until the next call). O(M).
func (h *HNSW) neighbours(s *searcher, i int32, l int) []uint32 {
	list := h.links(i, l)
	if !s.locked {
		return list[1 : 1+list[0]]
	}
	h.locks[i].Lock()
	s.buf = append(s.buf[:0], list[1:1+list[0]]...)
	h.locks[i].Unlock()
	return s.buf
}

// lock and unlock guard node i's lists during a parallel build.
func (h *HNSW) lock(s *searcher, i int32) {
	if s.locked {
		h.locks[i].Lock()
	}
}

func (h *HNSW) unlock(s *searcher, i int32) {
	if s.locked {
		h.locks[i].Unlock()
	}
}

// touch loads one float in 16 (one a 64-byte line) of the vectors of ids
// and returns their sum, so that the loads are not optimised away: their
// cache misses then overlap instead of stalling one distance at a time.
// O(len(ids) d/16).
func (h *HNSW) touch(ids []uint32) float32 {
	var s float32
	for _, i := range ids {
		row := h.data[int(i)*h.dim : int(i+1)*h.dim]
		for j := 0; j < len(row); j += 16 {
			s += row[j]
		}
	}
	return s
}

// greedy walks level l from node ep to a local minimum of the distance to
// q (one neighbour list at a time, moving to any closer neighbour), as
// hnswlib does above the levels it searches with ef. O(steps M d).
func (h *HNSW) greedy(s *searcher, q []float32, qn float32, ep int32, epd float32, l int) (int32, float32) {
	for changed := true; changed; {
		changed = false
		for _, c := range h.neighbours(s, ep, l) {
			if d := h.distTo(q, qn, int32(c)); d < epd {
				ep, epd, changed = int32(c), d, true
			}
		}
	}
	return ep, epd
}

// searchLayer is the best-first search of level l from ep keeping the ef
// nearest nodes seen in s.res (a max-heap, worst on top). It stops when
// the nearest unexpanded candidate is farther than the worst kept one and
// ef nodes are kept. O(visited M d).
func (h *HNSW) searchLayer(s *searcher, q []float32, qn float32, ep int32, epd float32, ef, l int) {
	s.nextGen()
	s.res.Reset(ef)
	s.cand.reset()
	s.mark[ep] = s.gen
	s.res.Push(epd, ep)
	s.cand.push(epd, ep)
	for s.cand.len() > 0 {
		cd, c := s.cand.pop()
		if s.res.Full() && cd > s.res.Worst() {
			break
		}
		// Unvisited neighbours first, their vectors touched one cache line
		// in 16 floats before any distance is computed: the independent
		// loads overlap, as hnswlib's prefetches do.
		s.next = s.next[:0]
		for _, nb := range h.neighbours(s, c, l) {
			if s.mark[nb] != s.gen {
				s.mark[nb] = s.gen
				s.next = append(s.next, nb)
			}
		}
		s.touch += h.touch(s.next)
		for _, nb := range s.next {
			d := h.distTo(q, qn, int32(nb))
			if !s.res.Full() || d < s.res.Worst() {
				s.cand.push(d, int32(nb))
				s.res.Push(d, int32(nb))
			}
		}
	}
}

// insert adds node r with level lev. During a parallel build the global
// lock guards the entry point (held for the whole insertion of a node that
// raises the top level, as hnswlib does) and at most one node lock is held
// at a time. O(efConstruction M d) per level.
func (h *HNSW) insert(s *searcher, r int32, lev int) {
	h.levels[r] = int8(lev)
	if lev > 0 {
		h.upper[r] = make([]uint32, lev*(h.m+1))
	}
	if s.locked {
		h.global.Lock()
	}
	ep, top := h.entry, h.maxLevel
	if ep < 0 || lev <= top {
		if ep < 0 {
			h.entry, h.maxLevel = r, lev
		}
		if s.locked {
			h.global.Unlock()
		}
		if ep < 0 {
			return
		}
	}
	q, qn := h.row(r), h.norms[r]
	epd := h.distTo(q, qn, ep)
	for l := top; l > lev; l-- {
		ep, epd = h.greedy(s, q, qn, ep, epd, l)
	}
	for l := min(lev, top); l >= 0; l-- {
		h.searchLayer(s, q, qn, ep, epd, h.efc, l)
		n := s.res.Len()
		s.keys = slices.Grow(s.keys[:0], n)[:n]
		s.ids = slices.Grow(s.ids[:0], n)[:n]
		s.res.Sorted(s.keys, s.ids)
		picked := h.heuristic(s, s.keys, s.ids, h.m)
		ep, epd = picked[0], s.pdist[0]
		s.chosen = append(s.chosen[:0], picked...)
		h.lock(s, r)
		own := h.links(r, l)
		own[0] = uint32(len(s.chosen))
		for t, c := range s.chosen {
			own[1+t] = uint32(c)
		}
		h.unlock(s, r)
		for _, c := range s.chosen {
			h.linkBack(s, c, r, l)
		}
	}
	if lev > top {
		h.entry, h.maxLevel = r, lev
		if s.locked {
			h.global.Unlock()
		}
	}
}

// heuristic chooses at most m of the candidates (ids with squared
// distances keys to the node, sorted nearest first): a candidate is kept
// unless it is nearer to an already kept one than to the node (hnswlib's
// getNeighborsByHeuristic2; all are kept when there are fewer than m). The
// kept ids are in s.picked, their distances in s.pdist, nearest first.
// O(len(ids) m d).
func (h *HNSW) heuristic(s *searcher, keys []float32, ids []int32, m int) []int32 {
	s.picked, s.pdist = s.picked[:0], s.pdist[:0]
	if len(ids) <= m {
		s.picked = append(s.picked, ids...)
		s.pdist = append(s.pdist, keys...)
		return s.picked
	}
	for t, c := range ids {
		if len(s.picked) >= m {
			break
		}
		good := true
		x, xn := h.row(c), h.norms[c]
		for _, p := range s.picked {
			if h.distTo(x, xn, p) < keys[t] {
				good = false
				break
			}
		}
		if good {
			s.picked = append(s.picked, c)
			s.pdist = append(s.pdist, keys[t])
		}
	}
	return s.picked
}

// linkBack adds r to the list of c on level l, pruning the list with the
// heuristic when it is full (capacity 2M on level 0, M above), under c's
// lock during a parallel build.
// O(M^2 d) when pruning, O(1) otherwise.
func (h *HNSW) linkBack(s *searcher, c, r int32, l int) {
	capacity := h.m
	if l == 0 {
		capacity = h.m0
	}
	h.lock(s, c)
	defer h.unlock(s, c)
	list := h.links(c, l)
	cnt := int(list[0])
	if cnt < capacity {
		list[1+cnt] = uint32(r)
		list[0]++
		return
	}
	x, xn := h.row(c), h.norms[c]
	s.keys, s.ids = s.keys[:0], s.ids[:0]
	s.keys = append(s.keys, h.distTo(x, xn, r))
	s.ids = append(s.ids, r)
	for _, nb := range list[1 : 1+cnt] {
		s.keys = append(s.keys, h.distTo(x, xn, int32(nb)))
		s.ids = append(s.ids, int32(nb))
	}
	sortPairs(s.keys, s.ids)
	picked := h.heuristic(s, s.keys, s.ids, capacity)
	list[0] = uint32(len(picked))
	for t, p := range picked {
		list[1+t] = uint32(p)
	}
}

// sortPairs sorts ids by keys (then by id), in place. O(n log n) (n <= 2M+1).
func sortPairs(keys []float32, ids []int32) {
	for i := 1; i < len(keys); i++ {
		k, id := keys[i], ids[i]
		j := i - 1
		for ; j >= 0 && (keys[j] > k || (keys[j] == k && ids[j] > id)); j-- {
			keys[j+1], ids[j+1] = keys[j], ids[j]
		}
		keys[j+1], ids[j+1] = k, id
	}
}

// searchOne answers one query: greedy descent to level 0, best-first
// search with max(ef, k) candidates, the k best re-ranked by their float64
// distances. O(ef M log n d).
func (h *HNSW) searchOne(s *searcher, query []float32, k int, idx []int, dist []float64) {
	q := s.q
	for j, v := range query {
		q[j] = v - h.mean[j]
	}
	qn := sqNorm(q)
	ep := h.entry
	epd := h.distTo(q, qn, ep)
	for l := h.maxLevel; l > 0; l-- {
		ep, epd = h.greedy(s, q, qn, ep, epd, l)
	}
	h.searchLayer(s, q, qn, ep, epd, max(h.efs, k), 0)
	for s.res.Len() > k {
		s.res.Pop()
	}
	n := s.res.Len()
	s.keys = slices.Grow(s.keys[:0], n)[:n]
	s.ids = slices.Grow(s.ids[:0], n)[:n]
	s.res.Sorted(s.keys, s.ids)
	for t, c := range s.ids {
		idx[t], dist[t] = int(c), euclid64(q, h.row(c))
	}
	topk.SortPairs(dist[:n], idx[:n])
	for t := n; t < k; t++ { // fewer than k reachable (disconnected graph)
		idx[t], dist[t] = -1, math.Inf(1)
	}
}

// parallel runs f for each of m queries on Workers goroutines, each with
// its own searcher. O(m) scheduling.
func (h *HNSW) parallel(m int, f func(s *searcher, i int)) {
	work.Range(m, h.workers, func(lo, hi int) {
		s := h.newSearcher()
		for i := lo; i < hi; i++ {
			f(s, i)
		}
	})
}
