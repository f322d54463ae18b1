package chart

import (
	"fmt"
	"math"
	"sort"
)

// checkFinite reports the first NaN or Inf in v, naming what and where.
func checkFinite(what string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%s: non-finite value %v at index %d", what, x, i)
		}
	}
	return nil
}

// HistogramCounts bins values into bins equal-width bins spanning
// [min, max] (numpy.histogram's rule: every bin is half-open except the
// last, which includes max; when all values are equal the range is
// value±0.5). bins <= 0 picks Sturges' rule, ceil(log2 n) + 1. It returns
// the counts and the bins+1 edges. O(n). Errors: empty input, NaN/Inf.
func HistogramCounts(values []float64, bins int) (counts []int, edges []float64, err error) {
	if len(values) == 0 {
		return nil, nil, fmt.Errorf("chart.HistogramCounts: no values")
	}
	if err := checkFinite("chart.HistogramCounts", values); err != nil {
		return nil, nil, err
	}
	if bins <= 0 {
		bins = int(math.Ceil(math.Log2(float64(len(values))))) + 1
	}
	lo, hi := values[0], values[0]
	for _, x := range values {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	// Same arithmetic as numpy: edges = linspace(lo, hi, bins+1), index =
	// int((x-lo) * (bins/(hi-lo))) corrected against the edges.
	step := (hi - lo) / float64(bins)
	edges = make([]float64, bins+1)
	for i := range edges {
		edges[i] = float64(i)*step + lo
	}
	edges[bins] = hi
	norm := float64(bins) / (hi - lo)
	counts = make([]int, bins)
	for _, x := range values {
		b := int((x - lo) * norm)
		b = min(max(b, 0), bins-1)
		// Guard against rounding at the edges: numpy compares with the
		// computed edges.
		for b > 0 && x < edges[b] {
			b--
		}
		for b < bins-1 && x >= edges[b+1] {
			b++
		}
		counts[b]++
	}
	return counts, edges, nil
}

// Box holds the statistics a box plot draws (Tukey's schematic plot):
// quartiles by linear interpolation (numpy.percentile's default), whiskers
// at the most extreme values within 1.5 IQR of the box, and the values
// beyond them.
type Box struct {
	Low, Q1, Median, Q3, High float64
	Outliers                  []float64
}

// quantile returns the q-quantile of sorted s by linear interpolation.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	i := int(math.Floor(pos))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	f := pos - float64(i)
	return s[i] + f*(s[i+1]-s[i])
}

// BoxStats computes the box plot statistics of values. O(n log n) for the
// sort (values is not modified). Errors: empty input, NaN/Inf.
func BoxStats(values []float64) (Box, error) {
	if len(values) == 0 {
		return Box{}, fmt.Errorf("chart.BoxStats: no values")
	}
	if err := checkFinite("chart.BoxStats", values); err != nil {
		return Box{}, err
	}
	s := append([]float64(nil), values...)
	sort.Float64s(s)
	b := Box{Q1: quantile(s, 0.25), Median: quantile(s, 0.5), Q3: quantile(s, 0.75)}
	iqr := b.Q3 - b.Q1
	loF, hiF := b.Q1-1.5*iqr, b.Q3+1.5*iqr
	b.Low, b.High = math.Inf(1), math.Inf(-1)
	for _, x := range s {
		if x < loF || x > hiF {
			b.Outliers = append(b.Outliers, x)
			continue
		}
		b.Low, b.High = math.Min(b.Low, x), math.Max(b.High, x)
	}
	return b, nil
}
