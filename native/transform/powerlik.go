package transform

import "math"

// powerColumn holds one column prepared for the likelihood of a power
// transform: the logarithms every evaluation needs, computed once.
//
// Yeo-Johnson: pos[i] = log1p(x) of the non-negative values, neg[i] =
// log1p(-x) of the negative ones, sumLog = sum sign(x) log1p(|x|).
// Box-Cox: pos[i] = log(x) (x > 0 required), neg empty, sumLog = sum log x.
type powerColumn struct {
	boxCox         bool
	pos, neg       []float64
	posMin, posMax float64 // extremes of pos
	negMin, negMax float64 // extremes of neg
	sumLog         float64
	n              int
	scratch        []float64
}

func newPowerColumn(col []float64, boxCox bool, scratch []float64) powerColumn {
	c := powerColumn{boxCox: boxCox, n: len(col), scratch: scratch[:0]}
	for _, x := range col {
		switch {
		case boxCox:
			l := math.Log(x)
			c.pos = append(c.pos, l)
			c.sumLog += l
		case x >= 0:
			l := math.Log1p(x)
			c.pos = append(c.pos, l)
			c.sumLog += l
		default:
			l := math.Log1p(-x)
			c.neg = append(c.neg, l)
			c.sumLog -= l
		}
	}
	c.posMin, c.posMax = extremes(c.pos)
	c.negMin, c.negMax = extremes(c.neg)
	return c
}

func extremes(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// nll is the negative profile log-likelihood of lambda,
// (1 - lambda) sumLog + n/2 log Var(psi_lambda(x)), with the variance
// computed in the log domain (see logVar): finite for every lambda and
// column, +Inf only when the transformed column has zero variance.
func (c *powerColumn) nll(lambda float64) float64 {
	lv := c.logVar(lambda)
	if math.IsInf(lv, -1) || math.IsNaN(lv) {
		return math.Inf(1)
	}
	return (1-lambda)*c.sumLog + 0.5*float64(c.n)*lv
}

// logVar returns log Var(psi(x)) without forming psi when it would
// overflow and without the cancellation of x^lambda - 1:
//
//   - one-signed columns (all of Box-Cox, and Yeo-Johnson columns whose
//     values share a sign): psi = ±expm1(a l)/a with a = lambda (or
//     2 - lambda for negative values) and l the stored logarithms, so
//     Var psi = e^(2M) Var(expm1(a l - M)) / a^2 with M = max(a l): the
//     differences expm1(a l - M) lie in (-1, 0] and keep full relative
//     precision however small lambda is;
//   - mixed-sign Yeo-Johnson columns: log|psi| of every value, scaled by
//     the largest before the variance is taken (direct when no value
//     exceeds e^600).
func (c *powerColumn) logVar(lambda float64) float64 {
	switch {
	case len(c.neg) == 0:
		return logVarOneSided(c.pos, lambda, max(lambda*c.posMin, lambda*c.posMax), c.scratch)
	case len(c.pos) == 0:
		mu := 2 - lambda
		return logVarOneSided(c.neg, mu, max(mu*c.negMin, mu*c.negMax), c.scratch)
	}
	return c.logVarMixed(lambda)
}

// logVarOneSided is logVar for logarithms l of one sign's values with
// exponent a, m = max(a l).
func logVarOneSided(l []float64, a, m float64, scratch []float64) float64 {
	if a == 0 {
		_, v := meanVar(l)
		return math.Log(v)
	}
	e := scratch[:len(l)]
	for i, v := range l {
		e[i] = fexpm1(a*v - m)
	}
	_, v := meanVar(e)
	return 2*m + math.Log(v) - 2*math.Log(math.Abs(a))
}

func (c *powerColumn) logVarMixed(lambda float64) float64 {
	mu := 2 - lambda
	// |psi| grows with the logarithm on each side: the largest is at an end.
	k := math.Max(logAbsPsi(lambda, c.posMax), logAbsPsi(mu, c.negMax))
	u := c.scratch[:len(c.pos)+len(c.neg)]
	if k < 300 { // squares stay below e^600
		k = 0
		for i, l := range c.pos {
			u[i] = psiOf(lambda, l)
		}
		for i, l := range c.neg {
			u[len(c.pos)+i] = -psiOf(mu, l)
		}
	} else {
		for i, l := range c.pos {
			u[i] = math.Exp(logAbsPsi(lambda, l) - k)
		}
		for i, l := range c.neg {
			u[len(c.pos)+i] = -math.Exp(logAbsPsi(mu, l) - k)
		}
	}
	_, v := meanVar(u)
	return 2*k + math.Log(v)
}

// psiOf is expm1(a l)/a (l for a = 0): the Box-Cox transform of x = e^l,
// or the Yeo-Johnson transform of a value with log1p(|x|) = l up to sign.
func psiOf(a, l float64) float64 {
	if a == 0 {
		return l
	}
	return fexpm1(a*l) / a
}

// logAbsPsi is log|psiOf(a, l)|, finite where psiOf overflows.
func logAbsPsi(a, l float64) float64 {
	if a == 0 {
		return math.Log(math.Abs(l))
	}
	return logAbsExpm1(a*l) - math.Log(math.Abs(a))
}

// logAbsExpm1 is log|e^b - 1| for any b (-Inf at b = 0).
func logAbsExpm1(b float64) float64 {
	if b > 0 {
		return b + math.Log(-math.Expm1(-b))
	}
	return math.Log(-math.Expm1(b))
}

// meanVar returns the mean and the population variance (ddof 0) of v by
// two passes. O(len(v)).
func meanVar(v []float64) (mean, variance float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	var s, c float64
	for _, x := range v {
		d := x - mean
		s += d * d
		c += d
	}
	n := float64(len(v))
	return mean, (s - c*c/n) / n
}
