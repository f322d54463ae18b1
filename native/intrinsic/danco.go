package intrinsic

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/interp"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/knn"
)

// DANCo is the DANCo estimator of Ceruti et al. as in skdim's DANCo
// (version "DANCo", fractal): three statistics of the data, the MiND MLk
// dimension from rho = r_1/r_{k+1} and the mean von Mises location and
// concentration of the angles between each point's k neighbours, are
// compared by Kullback-Leibler divergence with the same statistics of
// uniform samples of the unit d-ball of the same size for d = 1..D
// (calibration); the fractal dimension minimises an interpolating spline of
// the divergence around the best integer d.
//
// Calibration samples are drawn from a PCG stream seeded with Seed, so the
// estimate is deterministic but not numpy's. The MiND MLk maximisation is
// exact (bisection of the concave log-likelihood's derivative) where skdim's
// L-BFGS-B may stop early. Cost: D + 1 kNN searches of n points (O(D n^2
// (D + d))) plus O(D n k^2) angles; memory O(n k).
type DANCo struct {
	K int // neighbours, skdim default 10
	// D is the largest dimension considered (0 = the number of columns,
	// skdim's default).
	D    int
	Seed uint64
	Common
}

// NewDANCo returns DANCo with skdim's defaults (k = 10, D = ambient).
func NewDANCo() *DANCo { return &DANCo{K: 10} }

// DANCoResult holds the divergence profile as well as the estimate.
type DANCoResult struct {
	Dim float64   // fractal estimate
	Int int       // best integer dimension
	KL  []float64 // divergence to the calibration of dimension 1..D
	// N is the number of rows used, Duplicates those removed by Dedup.
	N, Duplicates int
}

// Fit estimates the dimension; X is required.
func (e *DANCo) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	r, err := e.FitProfile(X, nn)
	if err != nil {
		return nil, err
	}
	return &Estimate{Method: fmt.Sprintf("DANCo(k=%d, D=%d)", e.K, len(r.KL)), Dim: r.Dim, N: r.N, Duplicates: r.Duplicates}, nil
}

type dancoStats struct{ dhat, nu, tau float64 }

// FitProfile is Fit returning the divergence profile.
func (e *DANCo) FitProfile(X *mat.Dense, nn *knn.Result) (*DANCoResult, error) {
	if X == nil {
		return nil, fmt.Errorf("intrinsic: DANCo needs X")
	}
	if e.K < 2 {
		return nil, fmt.Errorf("intrinsic: DANCo K = %d, want >= 2", e.K)
	}
	p, err := prepare(X, nn, e.K+1, e.Common, true)
	if err != nil {
		return nil, err
	}
	n, amb := p.X.Dims()
	D := e.D
	if D == 0 {
		D = amb
	}
	if D < 1 {
		return nil, fmt.Errorf("intrinsic: DANCo D = %d, want >= 1", D)
	}
	obs := dancoStatistics(p.X, p.nn, e.K, float64(D))
	rng := rand.New(rand.NewPCG(e.Seed, 0xda1c0))
	kl := make([]float64, D)
	best := 0
	for d := 1; d <= D; d++ {
		ball := sample.UnitBall(rng, n, d)
		bnn, err := search(ball, e.K+1, Common{Workers: e.Workers, Algorithm: e.Algorithm})
		if err != nil {
			return nil, fmt.Errorf("intrinsic: DANCo calibration d=%d: %w", d, err)
		}
		cal := dancoStatistics(ball, bnn, e.K, float64(2*d+5))
		kl[d-1] = dancoKLd(e.K, obs.dhat, cal.dhat) + dancoKLnutau(obs.nu, cal.nu, obs.tau, cal.tau)
		if kl[d-1] < kl[best] {
			best = d - 1
		}
	}
	de := best + 1
	return &DANCoResult{Dim: fractalMin(kl, de), Int: de, KL: kl, N: n, Duplicates: p.duplicates}, nil
}

// dancoStatistics returns the MiND MLk dimension (bound D) and the mean von
// Mises parameters of the neighbour angles. The angles use the first k of
// the k+1 neighbours.
func dancoStatistics(X *mat.Dense, nn *knn.Result, k int, D float64) dancoStats {
	n, c := X.Dims()
	lr := make([]float64, n)
	for i := range n {
		r := dists(nn, i, k+1)
		lr[i] = math.Log(r[0] / r[k])
	}
	dhat := mindMaximise(lr, k, D)
	vec := make([][]float64, k)
	for t := range vec {
		vec[t] = make([]float64, c)
	}
	ln := make([]float64, k)
	var sumNu, sumTau float64
	for i := range n {
		x := X.RawRowView(i)
		for t, j := range nn.Neighbors(i)[:k] {
			y := X.RawRowView(j)
			var s float64
			for q := range c {
				vec[t][q] = y[q] - x[q]
				s += vec[t][q] * vec[t][q]
			}
			ln[t] = math.Sqrt(s)
		}
		var ss, cs float64
		m := 0
		for a := range k {
			for b := a + 1; b < k; b++ {
				var dp float64
				for q := range c {
					dp += vec[a][q] * vec[b][q]
				}
				// The angle th = acos(cos) lies in [0, pi]: cos(th) is
				// cos itself and sin(th) = sqrt(1 - cos^2), no
				// trigonometry needed.
				cos := max(-1, min(dp/(ln[a]*ln[b]), 1))
				ss += math.Sqrt(1 - cos*cos)
				cs += cos
				m++
			}
		}
		sumNu += math.Atan(ss / cs)
		mc, ms := cs/float64(m), ss/float64(m)
		sumTau += ainv(math.Sqrt(mc*mc + ms*ms))
	}
	tau := sumTau / float64(n)
	if c == 1 {
		tau = 1
	}
	return dancoStats{dhat: dhat, nu: sumNu / float64(n), tau: tau}
}

// ainv approximates the inverse of A(tau) = I1(tau)/I0(tau) (Best and
// Fisher), as skdim.
func ainv(eta float64) float64 {
	switch {
	case eta < 0.53:
		return 2*eta + eta*eta*eta + 5*math.Pow(eta, 5)/6
	case eta < 0.85:
		return -0.4 + 1.39*eta + 0.43/(1-eta)
	}
	return 1 / (eta*eta*eta - 4*eta*eta + 3*eta)
}

// dancoKLd is the divergence between the MiND densities of dimensions dhat
// (data) and dcal (calibration).
func dancoKLd(k int, dhat, dcal float64) float64 {
	var hk float64
	for i := 1; i <= k; i++ {
		hk += 1 / float64(i)
	}
	quo := dcal / dhat
	var a float64
	binom := 1.0
	for i := 0; i <= k; i++ {
		sign := 1.0
		if i%2 == 1 {
			sign = -1
		}
		a += sign * binom * digamma(1+float64(i)/quo)
		binom = binom * float64(k-i) / float64(i+1)
	}
	return hk*quo - math.Log(quo) - float64(k-1)*a
}

// dancoKLnutau is the divergence between two von Mises distributions, with
// skdim's clamping of the Bessel functions to the largest float.
func dancoKLnutau(nu1, nu2, tau1, tau2 float64) float64 {
	cl := func(v float64) float64 { return min(v, math.MaxFloat64) }
	i0t1 := cl(besselI(0, tau1))
	return math.Log(cl(besselI(0, tau2))/i0t1) + cl(besselI(1, tau1))/i0t1*(tau1-tau2*math.Cos(nu1-nu2))
}

// besselI returns the modified Bessel function of the first kind I_nu(x),
// nu = 0 or 1, x >= 0: power series below 30, asymptotic expansion above
// (relative error below 1e-12); +Inf beyond overflow.
func besselI(nu int, x float64) float64 {
	x = math.Abs(x)
	if x < 30 {
		h := x / 2
		term := 1.0
		if nu == 1 {
			term = h
		}
		sum := term
		for m := 1; m < 500; m++ {
			term *= h * h / (float64(m) * float64(m+nu))
			sum += term
			if term < 1e-17*sum {
				break
			}
		}
		return sum
	}
	mu := 4 * float64(nu*nu)
	term, sum := 1.0, 1.0
	for j := 1; j < 30; j++ {
		f := float64(2*j - 1)
		term *= -(mu - f*f) / (float64(j) * 8 * x)
		sum += term
		if math.Abs(term) < 1e-16*math.Abs(sum) {
			break
		}
	}
	return math.Exp(x) / math.Sqrt(2*math.Pi*x) * sum
}

// fractalMin minimises the interpolant of kl (at 1..D) near the integer
// minimiser de, within [de-1, de+1] clipped to [1, D]: not-a-knot cubic
// spline (scipy's interp1d "cubic") for D >= 4, the parabola through the
// points for D = 3, linear for D = 2.
func fractalMin(kl []float64, de int) float64 {
	D := len(kl)
	if D == 1 {
		return 1
	}
	xs := make([]float64, D)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	var f func(float64) float64
	switch {
	case D >= 4:
		var s interp.NotAKnotCubic
		if err := s.Fit(xs, kl); err != nil {
			return float64(de)
		}
		f = s.Predict
	case D == 3:
		f = func(x float64) float64 {
			// Lagrange form of the parabola through (1,2,3).
			return kl[0]*(x-2)*(x-3)/2 - kl[1]*(x-1)*(x-3) + kl[2]*(x-1)*(x-2)/2
		}
	default:
		f = func(x float64) float64 { return kl[0] + (kl[1]-kl[0])*(x-1) }
	}
	lo, hi := math.Max(1, float64(de-1)), math.Min(float64(D), float64(de+1))
	// Dense scan, then golden-section refinement around the best sample.
	const steps = 400
	bx, bf := float64(de), f(float64(de))
	for i := 0; i <= steps; i++ {
		x := lo + (hi-lo)*float64(i)/steps
		if v := f(x); v < bf {
			bx, bf = x, v
		}
	}
	a, b := math.Max(lo, bx-(hi-lo)/steps), math.Min(hi, bx+(hi-lo)/steps)
	g := (math.Sqrt(5) - 1) / 2
	for b-a > 1e-9 {
		c, d := b-g*(b-a), a+g*(b-a)
		if f(c) < f(d) {
			b = d
		} else {
			a = c
		}
	}
	return (a + b) / 2
}

// digamma returns psi(x) for x > 0 to about 1e-15 relative: recurrence up
// to x >= 10, then the asymptotic series (gonum's mathext.Digamma is
// accurate to about 1e-10, which the alternating binomial sum of the MiND
// divergence amplifies).
func digamma(x float64) float64 {
	var acc float64
	for x < 10 {
		acc -= 1 / x
		x++
	}
	x2 := 1 / (x * x)
	// Bernoulli terms B_2n / (2n x^2n), n = 1..7.
	series := x2 * (1.0/12 - x2*(1.0/120-x2*(1.0/252-x2*(1.0/240-x2*(1.0/132-x2*(691.0/32760-x2/12))))))
	return acc + math.Log(x) - 0.5/x - series
}
