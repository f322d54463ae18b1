package transform

import (
	"math"
	"sort"
)

const (
	// hermTerms is the length of the Hermite expansion of a box's
	// points: with |s| <= 1/2 the first omitted term is below 1e-16 of
	// the box's count.
	hermTerms = 20
	// reach: a box whose centre is more than reach bandwidths away counts
	// fully (left) or not at all (right): Phi(-9) < 1.2e-19.
	reach = 9.5
)

// kdeCDF evaluates F(y) = sum_i Phi((y - x_i)/h) and its derivative
// sum_i phi((y - x_i)/h)/h for sorted data, in O(reach * hermTerms) a
// query. The data are cut into boxes one bandwidth wide; a box with
// centre c is summarised by the moments A_k = sum_i s_i^k / k! of its
// points' offsets s_i = (x_i - c)/h, and with t = (y - c)/h
//
//	sum_i Phi(t - s_i) = A_0 Phi(t) - phi(t) sum_{k>=1} A_k He_{k-1}(t)
//	sum_i phi(t - s_i) = phi(t) sum_{k>=0} A_k He_k(t)
//
// (the generating function of the probabilists' Hermite polynomials He_k,
// integrated once), exact up to the truncation after hermTerms terms.
type kdeCDF struct {
	h       float64
	centers []float64 // box centres, increasing
	before  []float64 // points in the boxes before each box
	moments [][hermTerms]float64
}

func newKDECDF(sorted []float64, h float64) *kdeCDF {
	k := &kdeCDF{h: h}
	lo := sorted[0]
	key := math.Inf(-1)
	var count float64
	for _, x := range sorted {
		b := math.Floor((x - lo) / h)
		if b != key {
			key = b
			k.centers = append(k.centers, lo+(b+0.5)*h)
			k.before = append(k.before, count)
			k.moments = append(k.moments, [hermTerms]float64{})
		}
		m := &k.moments[len(k.moments)-1]
		s := (x - k.centers[len(k.centers)-1]) / h
		term := 1.0
		for j := range hermTerms {
			m[j] += term
			term *= s / float64(j+1)
		}
		count++
	}
	return k
}

// eval returns F(y) and its derivative dF/dy.
func (k *kdeCDF) eval(y float64) (f, df float64) {
	w := reach * k.h
	b0 := sort.SearchFloat64s(k.centers, y-w)
	if b0 == len(k.centers) {
		return k.before[b0-1] + k.moments[b0-1][0], 0
	}
	f = k.before[b0]
	var he [hermTerms]float64
	for b := b0; b < len(k.centers) && k.centers[b] <= y+w; b++ {
		t := (y - k.centers[b]) / k.h
		he[0], he[1] = 1, t
		for j := 1; j < hermTerms-1; j++ {
			he[j+1] = t*he[j] - float64(j)*he[j-1]
		}
		m := &k.moments[b]
		var sf, sd float64
		for j := 1; j < hermTerms; j++ {
			sf += m[j] * he[j-1]
		}
		for j := range hermTerms {
			sd += m[j] * he[j]
		}
		phi := math.Exp(-0.5*t*t) / math.Sqrt(2*math.Pi)
		f += m[0]*0.5*math.Erfc(-t/math.Sqrt2) - phi*sf
		df += phi * sd
	}
	return f, df / k.h
}
