// Package transport computes optimal transport distances between point
// clouds that reduce to one dimension: the exact 1-D Wasserstein distance
// (sorted samples, quantile functions), the sliced Wasserstein distance
// (its average over random directions, Bonneel et al. 2015) and the
// max-sliced distance (its maximum over directions, Deshpande et al.
// 2019), with the conventions of POT (ot.sliced_wasserstein_distance,
// ot.max_sliced_wasserstein_distance): uniform weights unless given, p = 2
// by default, directions drawn uniformly on the sphere from a seed or
// passed in as a d x L matrix of columns.
//
// Rows are points. All entry points are non-generic float64 so notebook
// cells can call them.
package transport

import (
	"math"

	"github.com/subspace-kernel/subspace/native/internal/check"
)

// chk words transport's argument errors ("transport: X is nil (nil matrix)").
var chk = check.New("transport")

// Wasserstein1D returns the p-Wasserstein distance W_p between the 1-D
// empirical distributions of u and v with weights wu and wv (nil means
// uniform; weights need not sum to 1, they are normalised): the p-th root
// of the integral over q in (0, 1) of |F_u^-1(q) - F_v^-1(q)|^p. It is the
// p-th root of POT's ot.wasserstein_1d. Cost O(n log n + m log m) for the
// sorts, O(n + m) extra memory; u and v are not modified.
func Wasserstein1D(u, v, wu, wv []float64, p float64) (float64, error) {
	if err := checkP(p); err != nil {
		return 0, err
	}
	if err := checkSample("u", u, wu); err != nil {
		return 0, err
	}
	if err := checkSample("v", v, wv); err != nil {
		return 0, err
	}
	su, sv := append([]float64(nil), u...), append([]float64(nil), v...)
	var cu, cv []float64
	if wu == nil && wv == nil {
		var s sorter
		s.sort(su)
		s.sort(sv)
	} else {
		cu = sortWeighted(su, normalised(wu, len(u)))
		cv = sortWeighted(sv, normalised(wv, len(v)))
	}
	return math.Pow(powerCost(su, sv, cu, cv, p), 1/p), nil
}

func checkP(p float64) error {
	if !(p >= 1) || math.IsInf(p, 1) {
		return chk.Errorf("p = %v, want a finite p >= 1", p)
	}
	return nil
}

// checkSample validates a 1-D sample and its optional weights.
func checkSample(name string, x, w []float64) error {
	if len(x) == 0 {
		return chk.Errorf("%s is empty", name)
	}
	if err := chk.Finite(name, x, 1); err != nil {
		return err
	}
	return checkWeights("weights of "+name, w, len(x))
}

// checkWeights accepts nil, or n finite non-negative weights with a
// positive sum.
func checkWeights(name string, w []float64, n int) error {
	if w == nil {
		return nil
	}
	if len(w) != n {
		return chk.Errorf("%s has %d entries for %d points", name, len(w), n)
	}
	var s float64
	for i, x := range w {
		if !(x >= 0) || math.IsInf(x, 1) {
			return chk.Errorf("%s: entry %d is %v, want finite and >= 0", name, i, x)
		}
		s += x
	}
	if s == 0 {
		return chk.Errorf("%s sum to 0", name)
	}
	return nil
}

// normalised returns w scaled to sum 1, or uniform weights when w is nil.
func normalised(w []float64, n int) []float64 {
	out := make([]float64, n)
	if w == nil {
		for i := range out {
			out[i] = 1 / float64(n)
		}
		return out
	}
	var s float64
	for _, x := range w {
		s += x
	}
	for i, x := range w {
		out[i] = x / s
	}
	return out
}

// sortWeighted sorts x in place with its weights and returns the
// cumulative weights in sorted order. O(n log n).
func sortWeighted(x, w []float64) []float64 {
	idx, cum := order(x, w)
	xs := make([]float64, len(x))
	for k, i := range idx {
		xs[k] = x[i]
	}
	copy(x, xs)
	return cum
}

// powerCost returns W_p^p between sorted samples xs and ys. With nil
// cumulative weights both are uniform; if moreover they have the same size
// the optimal coupling pairs them rank by rank. Otherwise the two quantile
// functions are merged: on each interval between consecutive cumulative
// weights both are constant. O(n + m).
func powerCost(xs, ys, cx, cy []float64, p float64) float64 {
	if cx == nil && cy == nil && len(xs) == len(ys) {
		return rankCost(xs, ys, p) / float64(len(xs))
	}
	if cx == nil {
		cx = uniformCum(len(xs))
	}
	if cy == nil {
		cy = uniformCum(len(ys))
	}
	var total, prev float64
	i, j := 0, 0
	for i < len(xs) && j < len(ys) {
		q := math.Min(cx[i], cy[j])
		total += (q - prev) * powAbs(xs[i]-ys[j], p)
		prev = q
		switch {
		case cx[i] == q && cy[j] == q:
			i++
			j++
		case cx[i] == q:
			i++
		default:
			j++
		}
	}
	return total
}

// uniformCum returns the cumulative weights k/n, k = 1..n (exact at 1).
func uniformCum(n int) []float64 {
	c := make([]float64, n)
	for k := range c {
		c[k] = float64(k+1) / float64(n)
	}
	return c
}

// rankCost returns sum_i |xs_i - ys_i|^p. O(n).
func rankCost(xs, ys []float64, p float64) float64 {
	ys = ys[:len(xs)]
	var s float64
	switch p {
	case 1:
		for i, x := range xs {
			s += math.Abs(x - ys[i])
		}
	case 2:
		for i, x := range xs {
			d := x - ys[i]
			s += d * d
		}
	default:
		for i, x := range xs {
			s += math.Pow(math.Abs(x-ys[i]), p)
		}
	}
	return s
}

func powAbs(d, p float64) float64 {
	switch p {
	case 1:
		return math.Abs(d)
	case 2:
		return d * d
	}
	return math.Pow(math.Abs(d), p)
}
