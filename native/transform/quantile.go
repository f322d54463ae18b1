package transform

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// boundsThreshold is scikit-learn's BOUNDS_THRESHOLD: normal outputs are
// clipped to the quantiles 1e-7 and 1 - 1e-7.
const boundsThreshold = 1e-7

// QuantileOptions configures FitQuantile. The zero value is
// scikit-learn's QuantileTransformer default except for subsampling:
// 1000 quantiles, uniform output, every row used.
type QuantileOptions struct {
	// Quantiles is the number of landmarks of each column's empirical
	// distribution function (0 = 1000; at most the number of rows used).
	Quantiles int
	// Normal maps to a standard normal output instead of uniform.
	Normal bool
	// Subsample, when > 0 and below the number of rows, estimates the
	// quantiles from that many rows drawn without replacement (seeded by
	// Seed), one draw a column. scikit-learn draws 10,000 rows by default;
	// 0 (ours) uses every row: sorting is cheap.
	Subsample int
	// Seed of the subsample.
	Seed uint64
	// Workers spread the columns over goroutines (0 = GOMAXPROCS).
	Workers int
}

// Quantile is a fitted quantile transform (scikit-learn's
// QuantileTransformer, dense input).
type Quantile struct {
	// Normal tells whether outputs are standard normal (else uniform).
	Normal bool
	// References are the probabilities of the landmarks,
	// linspace(0, 1, Quantiles).
	References []float64
	// Landmarks (Quantiles x p) holds each column's values at the
	// reference probabilities: numpy's linear percentiles, made
	// non-decreasing.
	Landmarks *mat.Dense
}

// FitQuantile computes, for each column of x (n x p), the values at
// opts.Quantiles evenly spaced probabilities (numpy's linear
// interpolation between order statistics). Cost: O(n log n) a column for
// the sort (O(s log s) with a subsample of s rows); O(n) memory a worker.
func FitQuantile(x *mat.Dense, opts QuantileOptions) (*Quantile, error) {
	n, p, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if opts.Quantiles < 0 || opts.Subsample < 0 {
		return nil, chk.Errorf("Quantiles (%d) and Subsample (%d) must be >= 0", opts.Quantiles, opts.Subsample)
	}
	used := n
	if opts.Subsample > 0 && opts.Subsample < n {
		used = opts.Subsample
	}
	nq := opts.Quantiles
	if nq == 0 {
		nq = 1000
	}
	nq = max(1, min(nq, used))
	q := &Quantile{Normal: opts.Normal, References: linspace01(nq), Landmarks: mat.NewDense(nq, p, nil)}
	err = work.Queue(p, opts.Workers, nil, p, func() func(int) (int, error) {
		col := make([]float64, n)
		land := make([]float64, nq)
		return func(j int) (int, error) {
			mat.Col(col, j, x)
			s := col
			if used < n {
				rng := rand.New(rand.NewPCG(opts.Seed, uint64(j)))
				perm := rng.Perm(n)[:used]
				s = make([]float64, used)
				for k, i := range perm {
					s[k] = col[i]
				}
			}
			slices.Sort(s)
			for k, r := range q.References {
				land[k] = percentile(s, r)
				if k > 0 && land[k] < land[k-1] {
					land[k] = land[k-1]
				}
			}
			q.Landmarks.SetCol(j, land)
			return 1, nil
		}
	})
	if err != nil {
		return nil, err
	}
	return q, nil
}

// linspace01 is numpy's linspace(0, 1, n).
func linspace01(n int) []float64 {
	out := make([]float64, n)
	if n == 1 {
		return out
	}
	step := 1 / float64(n-1)
	for i := range out {
		out[i] = float64(i) * step
	}
	out[n-1] = 1
	return out
}

// percentile is numpy's "linear" percentile of sorted values at
// probability r (with numpy's two-sided interpolation formula).
func percentile(s []float64, r float64) float64 {
	r = r * 100 / 100 // numpy takes percentages: the same rounding
	h := r * float64(len(s)-1)
	lo := int(math.Floor(h))
	if lo >= len(s)-1 {
		return s[len(s)-1]
	}
	t := h - float64(lo)
	a, b := s[lo], s[lo+1]
	if t >= 0.5 {
		return b - (b-a)*(1-t)
	}
	return a + (b-a)*t
}

// Transform maps each value of x (m x p) to its estimated probability
// under its column's fitted distribution (the mean of the upward and
// downward linear interpolations between landmarks, so that repeated
// landmarks map to the middle of their probabilities), clamped to
// [0, 1]; with Normal, then through the standard normal quantile,
// clipped at the 1e-7 quantiles (scikit-learn's conventions). O(m p log Q).
func (q *Quantile) Transform(x *mat.Dense) (*mat.Dense, error) {
	m, p, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	_, pq := q.Landmarks.Dims()
	if err := chk.SameCols("x", p, "the fitted data", pq, ""); err != nil {
		return nil, err
	}
	out := mat.NewDense(m, p, nil)
	lo := distuv.UnitNormal.Quantile(boundsThreshold - 0x1p-52)
	hi := distuv.UnitNormal.Quantile(1 - (boundsThreshold - 0x1p-52))
	lands := make([][]float64, p) // contiguous landmarks of each column
	for j := range p {
		lands[j] = mat.Col(nil, j, q.Landmarks)
	}
	work.Range(m, 0, func(i0, i1 int) {
		for i := i0; i < i1; i++ {
			row, o := x.RawRowView(i), out.RawRowView(i)
			for j, v := range row {
				o[j] = q.uniform(v, lands[j], lo, hi)
			}
		}
	})
	return out, nil
}

// uniform maps v through the column with landmarks land: the probability,
// or its normal quantile clipped to [lo, hi] when q.Normal.
func (q *Quantile) uniform(v float64, land []float64, lo, hi float64) float64 {
	nq := len(land)
	u := interpBoth(v, land, q.References)
	if !q.Normal {
		switch v {
		case land[0]:
			return 0
		case land[nq-1]:
			return 1
		}
		return u
	}
	switch {
	case v-boundsThreshold < land[0]:
		u = 0
	case v+boundsThreshold > land[nq-1]:
		u = 1
	}
	return math.Max(lo, math.Min(hi, distuv.UnitNormal.Quantile(u)))
}

// interpBoth is 0.5 (interp(v, xp, fp) - interp(-v, -xp reversed, -fp
// reversed)): the upward interpolation takes the last of equal knots,
// the downward the first, and their mean the middle.
func interpBoth(v float64, xp, fp []float64) float64 {
	n := len(xp)
	switch {
	case v < xp[0]:
		return fp[0]
	case v > xp[n-1]:
		return fp[n-1]
	}
	// up: last k with xp[k] <= v; down: first k with xp[k] >= v, which
	// is up + 1 unless v equals a knot.
	up := lastAtMost(xp, v)
	down := up + 1
	if xp[up] == v {
		down = sort.SearchFloat64s(xp[:up+1], v)
	}
	return 0.5 * (lerpAt(v, xp, fp, up) + lerpAtDown(v, xp, fp, down))
}

// lastAtMost returns the last index k of the sorted xp with xp[k] <= v
// (xp[0] <= v). O(log len(xp)).
func lastAtMost(xp []float64, v float64) int {
	lo, hi := 0, len(xp) // xp[lo] <= v, xp[hi] > v (hi virtual)
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if xp[mid] <= v {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

func lerpAt(v float64, xp, fp []float64, k int) float64 {
	if k >= len(xp)-1 {
		return fp[len(fp)-1]
	}
	return fp[k] + (fp[k+1]-fp[k])*(v-xp[k])/(xp[k+1]-xp[k])
}

func lerpAtDown(v float64, xp, fp []float64, k int) float64 {
	if k == 0 {
		return fp[0]
	}
	return fp[k] - (fp[k]-fp[k-1])*(xp[k]-v)/(xp[k]-xp[k-1])
}

// InverseTransform maps transformed values z (m x p) back to the original
// units by interpolating the landmarks (standard normal values through
// their distribution function first). O(m p log Q).
func (q *Quantile) InverseTransform(z *mat.Dense) (*mat.Dense, error) {
	m, p, err := chk.Dense("z", z)
	if err != nil {
		return nil, err
	}
	nq, pq := q.Landmarks.Dims()
	if err := chk.SameCols("z", p, "the fitted data", pq, ""); err != nil {
		return nil, err
	}
	out := mat.NewDense(m, p, nil)
	land := make([]float64, nq)
	for j := range p {
		mat.Col(land, j, q.Landmarks)
		for i := range m {
			u := z.At(i, j)
			if q.Normal {
				u = 0.5 * math.Erfc(-u/math.Sqrt2)
			}
			up := sort.Search(nq, func(k int) bool { return q.References[k] > u }) - 1
			v := land[0]
			if up >= 0 {
				v = lerpAt(u, q.References, land, up)
			}
			switch {
			case q.Normal && u-boundsThreshold < 0, !q.Normal && u == 0:
				v = land[0]
			case q.Normal && u+boundsThreshold > 1, !q.Normal && u == 1:
				v = land[nq-1]
			}
			out.Set(i, j, v)
		}
	}
	return out, nil
}

// QuantileTransform fits a quantile transform to x and returns x
// transformed (scikit-learn's quantile_transform). Cost of FitQuantile
// plus Transform.
func QuantileTransform(x *mat.Dense, opts QuantileOptions) (*mat.Dense, error) {
	q, err := FitQuantile(x, opts)
	if err != nil {
		return nil, err
	}
	return q.Transform(x)
}
