package merge

import (
	"math"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// trimmer says which entries of a task vector TIES keeps: those whose
// magnitude key exceeds thr, and those equal to it before index cut (so
// that exactly k entries are kept, ties broken by position).
type trimmer struct {
	thr uint64
	cut int
}

// keepAll keeps every entry.
var keepAll = trimmer{thr: 0, cut: math.MaxInt}

// absKey orders magnitudes: the bits of |v| as a float64 (order-preserving
// for non-negative floats; float32 widens exactly).
func absKey(v float64) uint64 { return math.Float64bits(math.Abs(v)) }

func (k trimmer) keeps(v float64, i int) bool {
	key := absKey(v)
	return key > k.thr || (key == k.thr && i < k.cut)
}

// topK returns the trimmer that keeps the k largest |tau| (k =
// floor(density n)). It finds the k-th largest magnitude by a radix
// select on its 64-bit key, 16 bits per pass over the data (at most four
// passes, each parallel), without sorting or copying. O(n) time, O(2^16)
// memory per thread.
func topK[T float](tau []T, density float64) trimmer {
	n := len(tau)
	k := int(math.Floor(density * float64(n)))
	switch {
	case k >= n:
		return keepAll
	case k <= 0:
		return trimmer{thr: math.MaxUint64, cut: 0}
	}
	var prefix uint64
	greater := 0
	for shift := 48; shift >= 0; shift -= 16 {
		hist := histogram(tau, prefix, shift)
		acc := 0
		d := 0xFFFF
		for ; d > 0; d-- {
			if greater+acc+hist[d] >= k {
				break
			}
			acc += hist[d]
		}
		prefix = prefix<<16 | uint64(d)
		greater += acc
		if greater+hist[d] == k {
			// The whole bucket is kept: keep every key >= its lowest.
			return trimmer{thr: prefix << shift, cut: math.MaxInt}
		}
	}
	// prefix is the k-th largest key; keep the first k - greater entries
	// equal to it.
	need := k - greater
	cut := 0
	for i, v := range tau {
		if absKey(float64(v)) == prefix {
			need--
			if need == 0 {
				cut = i + 1
				break
			}
		}
	}
	return trimmer{thr: prefix, cut: cut}
}

// histogram counts the 16-bit digit at shift of the keys whose higher
// bits equal prefix (all keys when shift = 48).
func histogram[T float](tau []T, prefix uint64, shift int) []int {
	n := len(tau)
	const chunk = 1 << 18
	parts := (n + chunk - 1) / chunk
	hists := make([][]int, parts)
	work.Range(parts, 0, func(lo, hi int) {
		h := make([]int, 1<<16)
		for p := lo; p < hi; p++ {
			for _, v := range tau[p*chunk : min((p+1)*chunk, n)] {
				key := absKey(float64(v))
				if shift == 48 || key>>(shift+16) == prefix {
					h[(key>>shift)&0xFFFF]++
				}
			}
		}
		hists[lo] = h
	})
	total := make([]int, 1<<16)
	for _, h := range hists {
		for d, c := range h {
			total[d] += c
		}
	}
	return total
}
