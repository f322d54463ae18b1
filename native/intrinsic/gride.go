package intrinsic

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// GRIDE is the generalised ratios estimator of Denti et al. (2022) as in
// DADApy's return_id_scaling_gride: for n1 = 1, 2, 4, ... up to RangeMax/2
// and n2 = 2 n1, mu_i = r_{n2} / r_{n1}; the likelihood of mu is maximised
// over d by bisection of its derivative on [D0, D1] to precision Eps, after
// DADApy's filter (mu = 1 nudged by 10 machine epsilons, mu above
// q50 + 20 (q95 - q50) dropped), and the error is 1/sqrt(Fisher
// information).
type GRIDE struct {
	RangeMax int     // largest neighbour rank used, DADApy default 64
	D0, D1   float64 // search interval, default [1e-3, 1000]
	Eps      float64 // bisection precision, default 1e-7
	Common
}

// NewGRIDE returns GRIDE with DADApy's defaults.
func NewGRIDE() *GRIDE { return &GRIDE{RangeMax: 64, D0: 1e-3, D1: 1000, Eps: 1e-7} }

// GRIDEScale is the estimate at one scale.
type GRIDEScale struct {
	N1, N2 int     // neighbour ranks of the ratio
	Dim    float64 // maximum likelihood dimension
	StdErr float64 // 1/sqrt(Fisher information)
	Radius float64 // mean of the n1-th and n2-th neighbour distances over points
}

// FitScales returns the estimates at every scale n1 = 1, 2, 4, ...,
// RangeMax/2 (DADApy caps RangeMax at the number of points). Cost: one kNN
// search with K = RangeMax, then O(n log n + n * 60) per scale.
func (e *GRIDE) FitScales(X *mat.Dense, nn *knn.Result) ([]GRIDEScale, int, error) {
	return e.fitScales(X, nn, false)
}

// fitScales is FitScales, or only the largest scale when last is set.
func (e *GRIDE) fitScales(X *mat.Dense, nn *knn.Result, last bool) ([]GRIDEScale, int, error) {
	if e.RangeMax < 2 || !(e.D0 > 0 && e.D1 > e.D0) || !(e.Eps > 0) {
		return nil, 0, fmt.Errorf("intrinsic: GRIDE RangeMax = %d, [D0, D1] = [%v, %v], Eps = %v: want RangeMax >= 2, 0 < D0 < D1, Eps > 0", e.RangeMax, e.D0, e.D1, e.Eps)
	}
	maxRank := e.RangeMax
	if X != nil {
		if r, _ := X.Dims(); r < maxRank {
			maxRank = r
		}
	} else if nn != nil && nn.N < maxRank {
		maxRank = nn.N
	}
	if X != nil && X.RawMatrix().Rows == maxRank {
		maxRank-- // the search excludes the point itself
	}
	if maxRank < 2 {
		// one scale needs the first and second neighbours of every point
		return nil, 0, fmt.Errorf("intrinsic: GRIDE needs at least 3 points (2 neighbours each), got %s", gridePoints(X, nn))
	}
	steps := int(math.Log2(float64(maxRank)))
	kmax := 1 << steps
	p, err := prepare(X, nn, kmax, e.Common, true)
	if err != nil {
		return nil, 0, err
	}
	n := nrows(p)
	out := make([]GRIDEScale, 0, steps)
	mus := make([]float64, n)
	for s := range steps {
		if last && s < steps-1 {
			continue
		}
		n1 := 1 << s
		n2 := 2 * n1
		var rsum float64
		for i := range n {
			r := dists(p.nn, i, n2)
			mus[i] = r[n2-1] / r[n1-1]
			rsum += r[n2-1] + r[n1-1]
		}
		d, se := grideScale(mus, float64(n1), float64(n2), e.D0, e.D1, e.Eps)
		out = append(out, GRIDEScale{N1: n1, N2: n2, Dim: d, StdErr: se, Radius: rsum / float64(2*n)})
	}
	return out, p.duplicates, nil
}

// gridePoints describes the number of points GRIDE was given.
func gridePoints(X *mat.Dense, nn *knn.Result) string {
	if X != nil {
		r, _ := X.Dims()
		return fmt.Sprintf("%d rows", r)
	}
	if nn != nil {
		return fmt.Sprintf("neighbours of %d points", nn.N)
	}
	return "none"
}

// Fit returns the estimate at the largest scale (n2 = RangeMax) with its
// standard error; FitScales gives the whole curve.
func (e *GRIDE) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	sc, dup, err := e.fitScales(X, nn, true)
	if err != nil {
		return nil, err
	}
	last := sc[len(sc)-1]
	n := 0
	if nn != nil {
		n = nn.N
	} else {
		n = X.RawMatrix().Rows - dup
	}
	return &Estimate{Method: fmt.Sprintf("GRIDE(n1=%d, n2=%d)", last.N1, last.N2), Dim: last.Dim, StdErr: last.StdErr, N: n, Duplicates: dup}, nil
}

// grideScale maximises the likelihood of the ratios at one scale.
func grideScale(mus []float64, n1, n2, d0, d1, eps float64) (float64, float64) {
	const feps = 2.220446049250313e-16
	all := append([]float64(nil), mus...)
	for i, m := range all {
		if m == 1 {
			all[i] += 10 * feps
		}
	}
	sorted := append([]float64(nil), all...)
	sort.Float64s(sorted)
	q95, q50 := percentile(sorted, 95), percentile(sorted, 50)
	muMax := 20*(q95-q50) + q50
	kept := all[:0:0]
	for _, m := range all {
		if m < muMax {
			kept = append(kept, m)
		}
	}
	N := float64(len(kept))
	logs := make([]float64, len(kept)) // log mu, computed once for all iterations
	for i, m := range kept {
		logs[i] = math.Log(m)
	}
	negDeriv := func(d float64) float64 {
		var s float64
		for _, l := range logs {
			o := 1 - math.Exp(-d*l) // 1 - mu^-d
			if o < 2*eps {
				o = 2 * eps
			}
			s += ((1-n2+n1)/o + n2 - 1) * l
		}
		return s - (N-1)/d
	}
	l1 := negDeriv(d1)
	for math.Abs(d0-d1) > eps {
		d2 := (d0 + d1) / 2
		if negDeriv(d2)*l1 > 0 {
			d1 = d2
		} else {
			d0 = d2
		}
	}
	d := (d0 + d1) / 2
	// Fisher information on the unfiltered ratios (as DADApy), with
	// n2 = 2 n1 and regularisation 5 machine epsilons.
	reg := 5 * feps
	info := float64(len(mus)) / (d * d)
	for _, m := range all {
		o := 1 - math.Pow(m, -d)
		if o < reg {
			o = reg
		}
		f1 := math.Log(m) / o
		info += (2*n1 - n1 - 1) * f1 * f1 * math.Pow(m, -d)
	}
	return d, 1 / math.Sqrt(info)
}
