package merge

import (
	"math"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// trimmer says which entries of a task vector TIES keeps: those whose
// magnitude exceeds thr, and those equal to it before index cut (so that
// exactly k entries are kept, ties broken by position).
type trimmer struct {
	thr float64
	cut int
}

// keepAll keeps every entry.
var keepAll = trimmer{thr: -1, cut: math.MaxInt}

// keeps reports whether entry i, of value v, is kept.
func (k trimmer) keeps(v float64, i int) bool {
	a := math.Abs(v)
	return a > k.thr || (a == k.thr && i < k.cut)
}

// topK returns the trimmer that keeps the k largest |tau| (k =
// floor(density n)). It finds the k-th largest magnitude by a radix
// select on the bits of |tau| (non-negative floats order as their bit
// patterns), 16 bits per pass over the data: two passes for float32, at
// most four for float64, each parallel, without sorting or copying. O(n)
// time, O(2^16) memory per thread.
func topK[T float](tau []T, density float64) trimmer {
	n := len(tau)
	k := int(math.Floor(density * float64(n)))
	switch {
	case k >= n:
		return keepAll
	case k <= 0:
		return trimmer{thr: math.Inf(1), cut: 0}
	}
	top, value := 48, math.Float64frombits
	if _, ok := any(tau).([]float32); ok {
		top, value = 16, func(key uint64) float64 { return float64(math.Float32frombits(uint32(key))) }
	}
	var hists [][]int
	var prefix uint64
	greater := 0
	for shift := top; shift >= 0; shift -= 16 {
		hist := histogram(tau, prefix, shift, &hists)
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
			// The whole bucket is kept: keep every magnitude >= its lowest.
			return trimmer{thr: value(prefix << shift), cut: math.MaxInt}
		}
	}
	// prefix is the k-th largest key; keep the first k - greater entries
	// equal to it.
	need := k - greater
	cut := 0
	thr := value(prefix)
	for i := 0; i < n && need > 0; i++ {
		if math.Abs(float64(tau[i])) == thr {
			need--
			cut = i + 1
		}
	}
	return trimmer{thr: thr, cut: cut}
}

// histogram counts the 16-bit digit at shift of the magnitude keys whose
// higher bits equal prefix (every key on the first pass: the bits above a
// key's width are 0, as is the first prefix). Keys are the bits of |v|:
// 31 for float32, 63 for float64. Per-chunk counts live in *hists, reused
// across passes.
func histogram[T float](tau []T, prefix uint64, shift int, hists *[][]int) []int {
	const chunk = 1 << 18
	n := len(tau)
	parts := (n + chunk - 1) / chunk
	if *hists == nil {
		*hists = make([][]int, parts)
	}
	hs := *hists
	work.Range(parts, 0, func(lo, hi int) {
		if hs[lo] == nil {
			hs[lo] = make([]int, 1<<16)
		}
		h := hs[lo]
		clear(h)
		a, b := lo*chunk, min(hi*chunk, n)
		switch v := any(tau).(type) {
		case []float32:
			for _, x := range v[a:b] {
				key := uint64(math.Float32bits(x) &^ (1 << 31))
				if key>>(shift+16) == prefix {
					h[(key>>shift)&0xFFFF]++
				}
			}
		case []float64:
			for _, x := range v[a:b] {
				key := math.Float64bits(x) &^ (1 << 63)
				if key>>(shift+16) == prefix {
					h[(key>>shift)&0xFFFF]++
				}
			}
		}
	})
	total := make([]int, 1<<16)
	for _, h := range hs {
		for d, c := range h {
			total[d] += c
		}
	}
	return total
}
