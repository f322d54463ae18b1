package transport

import (
	"math"
	"slices"
)

// radixMin is the length from which sortFloats uses the radix sort; below
// it slices.Sort is as fast.
const radixMin = 512

// radixBits is the digit width of the radix sort: 6 passes of 11 bits
// cover the 64-bit keys with 2048 counters each.
const (
	radixBits   = 11
	radixPasses = (64 + radixBits - 1) / radixBits
	radixMask   = 1<<radixBits - 1
)

// sorter sorts float64 slices; its buffers are reused from call to call,
// so one goroutine owns one sorter. The zero value is ready.
type sorter struct {
	buf    []uint64
	counts [radixPasses][1 << radixBits]int
}

// sort sorts v (no NaN) ascending in place, by a least significant digit
// radix sort of the order-preserving integer keys of the values (sign bit
// flipped for positives, all bits for negatives), skipping the digits that
// all keys share. O(n) time and 16 n bytes of buffers: several times
// faster than slices.Sort on the 10,000-value projections that dominate
// sliced Wasserstein distances.
func (s *sorter) sort(v []float64) {
	n := len(v)
	if n < radixMin {
		slices.Sort(v)
		return
	}
	if cap(s.buf) < 2*n {
		s.buf = make([]uint64, 2*n)
	}
	keys, tmp := s.buf[:n], s.buf[n:2*n]
	counts := &s.counts
	*counts = [radixPasses][1 << radixBits]int{}
	for i, x := range v {
		b := math.Float64bits(x)
		if b>>63 == 1 {
			b = ^b
		} else {
			b |= 1 << 63
		}
		keys[i] = b
		for p := range radixPasses {
			counts[p][(b>>(p*radixBits))&radixMask]++
		}
	}
	for p := range radixPasses {
		c := &counts[p]
		if c[(keys[0]>>(p*radixBits))&radixMask] == n {
			continue // every key has this digit
		}
		sum := 0
		for d, k := range c {
			c[d] = sum
			sum += k
		}
		shift := uint(p * radixBits)
		for _, b := range keys {
			d := (b >> shift) & radixMask
			tmp[c[d]] = b
			c[d]++
		}
		keys, tmp = tmp, keys
	}
	for i, b := range keys {
		if b>>63 == 1 {
			b &^= 1 << 63
		} else {
			b = ^b
		}
		v[i] = math.Float64frombits(b)
	}
}
