package intrinsic

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/knn"
)

// Estimator is implemented by every estimator of this package; Bootstrap
// uses it. nn may be nil (neighbours are then computed from X).
type Estimator interface {
	Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error)
}

// TwoNN is the two-nearest-neighbour estimator of Facco et al. (2017) with
// skdim's fit: mu_i = r2/r1, the largest DiscardFraction of the mu dropped,
// least squares through the origin of -log(1 - F) against log(mu), with
// F = i/N (i = 0, 1, ...) on the sorted mu.
//
// With ML set, the maximum likelihood variant of DADApy
// (algorithm="ml") is used instead: d = (N-1) / sum log mu over all points
// (DiscardFraction is then ignored).
type TwoNN struct {
	DiscardFraction float64 // in [0, 1), skdim default 0.1
	ML              bool    // maximum likelihood instead of the linear fit
	Common
}

// NewTwoNN returns TwoNN with skdim's defaults.
func NewTwoNN() *TwoNN { return &TwoNN{DiscardFraction: 0.1} }

// Fit estimates the dimension of X (or from precomputed neighbours, K >= 2).
// Cost: one kNN search (O(n^2 d)) plus O(n log n).
func (e *TwoNN) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	if e.DiscardFraction < 0 || e.DiscardFraction >= 1 {
		return nil, fmt.Errorf("intrinsic: TwoNN DiscardFraction = %v, want in [0, 1)", e.DiscardFraction)
	}
	p, err := prepare(X, nn, 2, e.Common, true)
	if err != nil {
		return nil, err
	}
	n := nrows(p)
	mu := make([]float64, n)
	for i := range n {
		r := dists(p.nn, i, 2)
		mu[i] = r[1] / r[0]
	}
	if e.ML {
		var s float64
		for _, m := range mu {
			s += math.Log(m)
		}
		if s == 0 {
			return nil, fmt.Errorf("intrinsic: TwoNN: all distance ratios are 1")
		}
		return &Estimate{Method: "TwoNN(ML)", Dim: float64(n-1) / s, N: n, Duplicates: p.duplicates}, nil
	}
	d, err := twoNNFromMu(mu, e.DiscardFraction)
	if err != nil {
		return nil, err
	}
	return &Estimate{Method: fmt.Sprintf("TwoNN(discard=%g)", e.DiscardFraction), Dim: d, N: n, Duplicates: p.duplicates}, nil
}

// twoNNFromMu sorts mu (in place) and fits the slope.
func twoNNFromMu(mu []float64, discard float64) (float64, error) {
	n := len(mu)
	sort.Float64s(mu)
	m := int(float64(n) * (1 - discard))
	if m < 1 {
		return 0, fmt.Errorf("intrinsic: TwoNN keeps no ratio out of %d", n)
	}
	var sxy, sxx float64
	for i := range m {
		x := math.Log(mu[i])
		y := -math.Log(1 - float64(i)/float64(n))
		sxy += x * y
		sxx += x * x
	}
	if sxx == 0 {
		return 0, fmt.Errorf("intrinsic: TwoNN: all distance ratios are 1")
	}
	return sxy / sxx, nil
}

// FitPointwise is skdim's TwoNN.fit_pw: the estimator is fitted on the k
// neighbours of each point (the point itself excluded). Dim is the median of
// the pointwise values. Cost O(n k^2 d) after a kNN search with K = k.
func (e *TwoNN) FitPointwise(X *mat.Dense, nn *knn.Result, k int) (*Estimate, error) {
	if k < 3 {
		return nil, fmt.Errorf("intrinsic: TwoNN pointwise k = %d, want >= 3", k)
	}
	p, err := prepare(X, nn, k, e.Common, true)
	if err != nil {
		return nil, err
	}
	if p.X == nil {
		return nil, fmt.Errorf("intrinsic: TwoNN pointwise needs X")
	}
	pw, err := overNeighbourhoods(p.X, p.nn, k, e.Workers, func(sub *mat.Dense) (float64, error) {
		m, _ := sub.Dims()
		mu := make([]float64, m)
		for i := range m {
			r1, r2 := twoNearest(sub, i)
			mu[i] = r2 / r1
		}
		return twoNNFromMu(mu, e.DiscardFraction)
	})
	if err != nil {
		return nil, err
	}
	return &Estimate{Method: fmt.Sprintf("TwoNN.pointwise(k=%d)", k), Dim: median(pw), Pointwise: pw, N: len(pw), Duplicates: p.duplicates}, nil
}

// twoNearest returns the two smallest distances from row i to the other rows.
func twoNearest(m *mat.Dense, i int) (float64, float64) {
	r, _ := m.Dims()
	x := m.RawRowView(i)
	r1, r2 := math.Inf(1), math.Inf(1)
	for j := range r {
		if j == i {
			continue
		}
		d := dist(x, m.RawRowView(j))
		if d < r1 {
			r1, r2 = d, r1
		} else if d < r2 {
			r2 = d
		}
	}
	return r1, r2
}

func dist(x, y []float64) float64 {
	var s float64
	y = y[:len(x)]
	for t, v := range x {
		e := v - y[t]
		s += e * e
	}
	return math.Sqrt(s)
}

// overNeighbourhoods applies f to the k neighbours (rows of X, the point
// excluded, nearest first) of every point, in parallel.
func overNeighbourhoods(X *mat.Dense, nn *knn.Result, k, workers int, f func(sub *mat.Dense) (float64, error)) ([]float64, error) {
	n := nn.N
	_, c := X.Dims()
	out := make([]float64, n)
	err := work.RangeErr(n, workers, func(lo, hi int) error {
		sub := mat.NewDense(k, c, nil)
		for i := lo; i < hi; i++ {
			for a, j := range nn.Neighbors(i)[:k] {
				sub.SetRow(a, X.RawRowView(j)[:c])
			}
			v, err := f(sub)
			if err != nil {
				return fmt.Errorf("point %d: %w", i, err)
			}
			out[i] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MLE is the Levina-Bickel maximum likelihood estimator as in skdim's MLE
// (Haro approximation, no noise model): on the k neighbour distances of each
// point, d_i = (k-1) / sum_j log(r_k / r_j); the global value combines them
// with Comb (skdim default CombMLE, the harmonic mean of MacKay and
// Ghahramani).
type MLE struct {
	K    int  // neighbours, skdim default 20
	Comb Comb // CombMLE by default
	Common
}

// NewMLE returns MLE with skdim's defaults (k = 20, comb "mle").
func NewMLE() *MLE { return &MLE{K: 20, Comb: CombMLE} }

// Fit estimates the dimension of X or from precomputed neighbours. Cost:
// one kNN search plus O(n k).
func (e *MLE) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	k := e.K
	return fitPointwise(X, nn, "MLE", k, e.Comb, e.Common, fmt.Sprintf("MLE(k=%d, comb=%v)", k, e.Comb), func(r []float64) float64 {
		rk := r[k-1]
		var s float64
		for _, v := range r {
			s += math.Log(rk / v)
		}
		return float64(k-1) / s
	})
}

// MOM is the method-of-moments estimator (skdim MOM): on the k neighbour
// distances of each point, with m1 their mean and w = r_k,
// d_i = -m1 / (m1 - w). Global value: the mean (skdim's default comb).
type MOM struct {
	K    int  // neighbours, skdim default 100
	Comb Comb // CombMean by default
	Common
}

// NewMOM returns MOM with skdim's defaults (k = 100, mean).
func NewMOM() *MOM { return &MOM{K: 100, Comb: CombMean} }

// Fit estimates the dimension. Cost: one kNN search plus O(n k).
func (e *MOM) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	k := e.K
	return fitPointwise(X, nn, "MOM", k, e.Comb, e.Common, fmt.Sprintf("MOM(k=%d)", k), func(r []float64) float64 {
		m1 := mean(r)
		return -m1 / (m1 - r[k-1])
	})
}

// MADA is the manifold-adaptive dimension estimator (Farahmand et al.;
// skdim MADA): d_i = ln 2 / ln(r_k / r_{floor(k/2)}). Global: mean.
type MADA struct {
	K    int  // neighbours, skdim default 20
	Comb Comb // CombMean by default
	Common
}

// NewMADA returns MADA with skdim's defaults (k = 20, mean).
func NewMADA() *MADA { return &MADA{K: 20, Comb: CombMean} }

// Fit estimates the dimension. Cost: one kNN search plus O(n).
func (e *MADA) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	k := e.K
	return fitPointwise(X, nn, "MADA", k, e.Comb, e.Common, fmt.Sprintf("MADA(k=%d)", k), func(r []float64) float64 {
		return math.Ln2 / math.Log(r[k-1]/r[k/2-1])
	})
}

// fitPointwise is the common body of the estimators that compute one value
// per point from its k neighbour distances r (nearest first, r[k-1] the
// k-th) and combine them with comb: it checks k >= 2, runs (or takes) the
// neighbour search through prepare, applies f to every point and labels the
// Estimate with method. Cost: the search plus O(n) calls of f.
func fitPointwise(X *mat.Dense, nn *knn.Result, name string, k int, comb Comb, common Common, method string, f func(r []float64) float64) (*Estimate, error) {
	if k < 2 {
		return nil, fmt.Errorf("intrinsic: %s K = %d, want >= 2", name, k)
	}
	p, err := prepare(X, nn, k, common, true)
	if err != nil {
		return nil, err
	}
	n := nrows(p)
	pw := make([]float64, n)
	for i := range n {
		pw[i] = f(dists(p.nn, i, k))
	}
	d, err := combine(pw, comb)
	if err != nil {
		return nil, err
	}
	return &Estimate{Method: method, Dim: d, Pointwise: pw, N: n, Duplicates: p.duplicates}, nil
}

// MiNDML is the MiND maximum likelihood estimator (Rozza et al.; skdim
// MiND_ML, version MLk): with rho_i = r_1 / r_{k+1}, it maximises
// N log(k d) + (d-1) sum log rho + (k-1) sum log(1 - rho^d) over d in
// (0, D]. The log-likelihood is concave in d, so the maximum is found by
// bisection on its derivative (skdim uses L-BFGS-B from the best integer,
// which can stop short of the maximum: on sklearn's swiss roll it returns
// 2.0 where the maximum is at 1.985).
type MiNDML struct {
	K int // skdim default 20 (k+1 neighbours are used)
	D int // upper bound of the search, skdim default 10
	Common
}

// NewMiNDML returns MiNDML with skdim's defaults (k = 20, D = 10).
func NewMiNDML() *MiNDML { return &MiNDML{K: 20, D: 10} }

// Fit estimates the dimension. Cost: one kNN search plus O(n) per
// likelihood evaluation (about 60).
func (e *MiNDML) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	if e.K < 1 || e.D < 1 {
		return nil, fmt.Errorf("intrinsic: MiNDML K = %d, D = %d, want both >= 1", e.K, e.D)
	}
	p, err := prepare(X, nn, e.K+1, e.Common, true)
	if err != nil {
		return nil, err
	}
	n := nrows(p)
	lr := make([]float64, n) // log rho
	for i := range n {
		r := dists(p.nn, i, e.K+1)
		lr[i] = math.Log(r[0] / r[e.K])
	}
	dim := mindMaximise(lr, e.K, float64(e.D))
	return &Estimate{Method: fmt.Sprintf("MiND_ML(k=%d, D=%d, MLk)", e.K, e.D), Dim: dim, N: n, Duplicates: p.duplicates}, nil
}

// mindMaximise returns the maximiser over (0, D] of the MiND likelihood
// N log(k d) + (d-1) sum lr + (k-1) sum log(1 - exp(d lr)), lr = log rho,
// by bisection of its derivative (the likelihood is concave in d).
func mindMaximise(lr []float64, K int, D float64) float64 {
	n := float64(len(lr))
	k := float64(K)
	grad := func(d float64) float64 {
		g := n / d
		for _, l := range lr {
			rd := math.Exp(d * l)
			g += l - (k-1)*rd*l/(1-rd)
		}
		return g
	}
	lo, hi := 1e-12, D
	if grad(hi) >= 0 {
		return hi
	}
	for range 200 {
		mid := (lo + hi) / 2
		if grad(mid) > 0 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-12 {
			break
		}
	}
	return (lo + hi) / 2
}
