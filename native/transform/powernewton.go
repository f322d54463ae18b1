package transform

import "math"

// newtonLambda looks for the maximum-likelihood lambda of an ordinary
// column by a safeguarded Newton iteration on the derivative of the
// negative log-likelihood f(lambda) = (1 - lambda) sumLog + n/2 log V,
// V = Var(psi): f' = -sumLog + n/2 V'/V and f” = n/2 (V”/V - (V'/V)^2),
// with V' = 2 Cov(psi, psi') and V” = 2 Var(psi') + 2 Cov(psi, psi”),
// all from one exponential a value and iteration. The likelihood of a
// power transform is unimodal, so a bracket [lo, hi] with f'(lo) < 0 <
// f'(hi) is kept and bisected whenever a Newton step leaves it; steps
// are at most 2 long, starting from lambda = 1. It takes about 5 passes
// over the column where Brent's method takes about 40.
//
// The direct formulas lose precision on extreme columns (values or psi
// beyond e^300, variances lost to cancellation): ok is false whenever a
// pass is not finite or its variance is below 1e-9 of its raw second
// moment, and the caller then uses the log-domain Brent search.
func (c *powerColumn) newtonLambda() (lambda float64, ok bool) {
	lo, hi := math.Inf(-1), math.Inf(1)
	lambda = 1
	for range 60 {
		d1, d2, ok := c.derivatives(lambda)
		if !ok {
			return 0, false
		}
		if d1 < 0 {
			lo = lambda
		} else {
			hi = lambda
		}
		step := -d1 / d2
		if !(d2 > 0) { // not locally convex: head for the bracket
			step = math.Copysign(2, -d1)
		}
		step = math.Max(-2, math.Min(2, step)) // trust region
		next := lambda + step
		if next <= lo || next >= hi {
			if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
				return 0, false
			}
			next = 0.5 * (lo + hi)
		}
		// Quadratic convergence: after a step of 1e-7 the error is ~1e-14.
		if math.Abs(next-lambda) <= 1e-7*math.Max(1, math.Abs(lambda)) {
			return next, true
		}
		lambda = next
	}
	return 0, false
}

// derivatives returns f'(lambda) and f”(lambda) (see newtonLambda), with
// ok false when the direct formulas cannot be trusted.
func (c *powerColumn) derivatives(lambda float64) (d1, d2 float64, ok bool) {
	var m momentSums
	m.add(c.pos, lambda, 1)
	m.add(c.neg, 2-lambda, -1)
	n := float64(c.n)
	mean, mean1, mean2 := m.s/n, m.s1/n, m.s2/n
	v := m.ss/n - mean*mean
	c1 := m.ss1/n - mean*mean1
	v1 := m.s1s1/n - mean1*mean1
	c2 := m.ss2/n - mean*mean2
	if !(v > 1e-9*m.ss/n) || math.IsInf(m.ss, 0) || math.IsNaN(m.ss+m.s1s1+m.ss2) {
		return 0, 0, false
	}
	g := 2 * c1 / v // V'/V
	d1 = -c.sumLog + 0.5*n*g
	d2 = 0.5 * n * ((2*v1+2*c2)/v - g*g)
	return d1, d2, !math.IsNaN(d1) && !math.IsNaN(d2)
}

// momentSums accumulates, shifted by the first psi seen (to limit
// cancellation), the sums of psi, psi', psi” and of the products the
// derivatives need.
type momentSums struct {
	init                          bool
	k, k1, k2                     float64 // shifts
	s, s1, s2, ss, ss1, s1s1, ss2 float64
}

// add accumulates the values whose logarithms are l (log1p|x| or log x)
// with exponent a; side -1 marks negative Yeo-Johnson values, whose
// exponent is 2 - lambda (d/dlambda = -d/da, psi = -phi(a)).
func (m *momentSums) add(l []float64, a, side float64) {
	inv := 1 / a
	for _, x := range l {
		// phi(a) = expm1(a x)/a and its a-derivatives.
		var p, p1, p2 float64
		if a == 0 {
			p, p1, p2 = x, x*x/2, x*x*x/3
		} else {
			e := fexpm1(a * x)
			p = e * inv
			p1 = (x*(e+1) - p) * inv
			p2 = (x*x*(e+1) - 2*p1) * inv
		}
		// psi = side phi; dpsi/dlambda = phi' (both sides: -(-1));
		// d2psi/dlambda2 = side phi''.
		psi, d1, d2 := side*p, p1, side*p2
		if !m.init {
			m.init, m.k, m.k1, m.k2 = true, psi, d1, d2
		}
		psi, d1, d2 = psi-m.k, d1-m.k1, d2-m.k2
		m.s += psi
		m.s1 += d1
		m.s2 += d2
		m.ss += psi * psi
		m.ss1 += psi * d1
		m.s1s1 += d1 * d1
		m.ss2 += psi * d2
	}
}
