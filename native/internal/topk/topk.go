// Package topk keeps the k smallest (key, index) pairs of a stream: a
// bounded max-heap whose root is the worst pair kept, so that a candidate
// is rejected with one comparison once the heap is full. It is the
// selection step of the approximate searches (compress, ann); ties between
// equal keys go to the smaller index, so results do not depend on the
// order candidates arrive in.
package topk

import (
	"cmp"
	"sort"
)

// Heap holds at most K pairs; the zero value is unusable, use New or Reset.
type Heap[T cmp.Ordered] struct {
	k    int
	keys []T
	idx  []int32
}

// New returns an empty heap keeping the k smallest pairs. O(k) memory.
func New[T cmp.Ordered](k int) *Heap[T] {
	return &Heap[T]{k: k, keys: make([]T, 0, k), idx: make([]int32, 0, k)}
}

// Reset empties the heap and sets its capacity to k, reusing its storage. O(1)
// (O(k) when k grows).
func (h *Heap[T]) Reset(k int) {
	h.k = k
	h.keys, h.idx = h.keys[:0], h.idx[:0]
}

// Len returns the number of pairs held. O(1).
func (h *Heap[T]) Len() int { return len(h.keys) }

// Full reports whether K pairs are held. O(1).
func (h *Heap[T]) Full() bool { return len(h.keys) >= h.k }

// Worst returns the largest key held (the key a candidate must beat once
// the heap is full); it panics on an empty heap. O(1).
func (h *Heap[T]) Worst() T { return h.keys[0] }

// worse orders pairs: a larger key, or an equal key and a larger index.
func worse[T cmp.Ordered](ka T, ia int32, kb T, ib int32) bool {
	return ka > kb || (ka == kb && ia > ib)
}

// Push offers (key, i): it is kept when the heap is not full or when it
// ranks before the worst pair, which it then replaces. It reports whether
// the pair was kept. O(log k).
func (h *Heap[T]) Push(key T, i int32) bool {
	if len(h.keys) < h.k {
		h.keys = append(h.keys, key)
		h.idx = append(h.idx, i)
		h.up(len(h.keys) - 1)
		return true
	}
	if h.k == 0 || !worse(h.keys[0], h.idx[0], key, i) {
		return false
	}
	h.keys[0], h.idx[0] = key, i
	h.down(0)
	return true
}

// Pop removes and returns the worst pair; it panics on an empty heap. O(log k).
func (h *Heap[T]) Pop() (T, int32) {
	key, i := h.keys[0], h.idx[0]
	last := len(h.keys) - 1
	h.keys[0], h.idx[0] = h.keys[last], h.idx[last]
	h.keys, h.idx = h.keys[:last], h.idx[:last]
	if last > 0 {
		h.down(0)
	}
	return key, i
}

func (h *Heap[T]) up(j int) {
	for j > 0 {
		p := (j - 1) / 2
		if !worse(h.keys[j], h.idx[j], h.keys[p], h.idx[p]) {
			return
		}
		h.keys[j], h.keys[p] = h.keys[p], h.keys[j]
		h.idx[j], h.idx[p] = h.idx[p], h.idx[j]
		j = p
	}
}

func (h *Heap[T]) down(j int) {
	n := len(h.keys)
	for {
		l := 2*j + 1
		if l >= n {
			return
		}
		c := l
		if r := l + 1; r < n && worse(h.keys[r], h.idx[r], h.keys[l], h.idx[l]) {
			c = r
		}
		if !worse(h.keys[c], h.idx[c], h.keys[j], h.idx[j]) {
			return
		}
		h.keys[j], h.keys[c] = h.keys[c], h.keys[j]
		h.idx[j], h.idx[c] = h.idx[c], h.idx[j]
		j = c
	}
}

// Sorted empties the heap into keys and indices sorted best first (smaller
// key, then smaller index), written into the given slices, which must have
// room for Len() pairs; it returns the number written. O(k log k).
func (h *Heap[T]) Sorted(keys []T, idx []int32) int {
	n := len(h.keys)
	for j := n - 1; j >= 0; j-- {
		keys[j], idx[j] = h.Pop()
	}
	return n
}

// SortPairs sorts the pairs (keys[t], ids[t]) by key, then by id, in place
// (ids are expected distinct, which makes the order total). The slices
// must have the same length. O(n log n).
func SortPairs(keys []float64, ids []int) {
	sort.Sort(pairs{keys, ids})
}

type pairs struct {
	keys []float64
	ids  []int
}

func (p pairs) Len() int { return len(p.keys) }
func (p pairs) Less(a, b int) bool {
	if p.keys[a] != p.keys[b] {
		return p.keys[a] < p.keys[b]
	}
	return p.ids[a] < p.ids[b]
}
func (p pairs) Swap(a, b int) {
	p.keys[a], p.keys[b] = p.keys[b], p.keys[a]
	p.ids[a], p.ids[b] = p.ids[b], p.ids[a]
}
