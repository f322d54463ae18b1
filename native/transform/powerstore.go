package transform

import "math"

// setStorage chooses how column j's transformed values are stored for
// standardisation (see stored): a one-signed column (every Box-Cox
// column, a Yeo-Johnson column whose values share a sign) keeps
// expm1(a l - M)/a, relative to its extreme M = max a l, which carries
// full precision even when psi is huge or nearly constant; a mixed-sign
// column keeps psi e^-S, S the largest log|psi| when above 300. lo and hi
// are the column's extremes. O(1).
func (pw *Power) setStorage(j int, lo, hi float64) {
	lambda := pw.Lambdas[j]
	a, llo, slo := exponentAndLog(pw.Method, lambda, lo)
	_, lhi, shi := exponentAndLog(pw.Method, lambda, hi)
	if slo != shi {
		pw.side[j], pw.shift[j] = 0, pw.logScale(lambda, lo, hi)
		return
	}
	pw.side[j] = int8(slo)
	if a == 0 {
		pw.shift[j] = 0
		return
	}
	pw.shift[j] = math.Max(a*llo, a*lhi)
}

// stored returns v(x) for column j, an increasing affine function of
// psi(x) that does not overflow: psi e^-S for mixed columns; for
// one-signed columns of sign s with exponent a,
// v = s expm1(a l - M)/a = e^-M (psi + s/a) - s/a (psi itself when a = 0).
func (pw *Power) stored(j int, x float64) float64 {
	a, l, sign := exponentAndLog(pw.Method, pw.Lambdas[j], x)
	return pw.storedLog(j, a, l, sign)
}

// storedLog is stored for a value given by its exponent a, logarithm
// term l and side sign (see exponentAndLog).
func (pw *Power) storedLog(j int, a, l, sign float64) float64 {
	lambda, side, shift := pw.Lambdas[j], float64(pw.side[j]), pw.shift[j]
	if side == 0 {
		return scaledPsi(a, l, sign, shift)
	}
	at := lambda // the exponent of the fitted side
	if side < 0 {
		at = 2 - lambda
	}
	switch {
	case at == 0:
		return scaledPsi(a, l, sign, 0)
	case sign == side:
		return side * fexpm1(a*l-shift) / a
	}
	// A value on the other side of 0 than the fitted ones (Yeo-Johnson).
	return scaledPsi(a, l, sign, shift) + side*math.Expm1(-shift)/at
}

// scaledPsi is psi e^-scale for psi = sign expm1(a l)/a (sign l at a = 0),
// through logarithms when scale > 0.
func scaledPsi(a, l, sign, scale float64) float64 {
	if scale == 0 {
		return sign * psiOf(a, l)
	}
	lp := logAbsPsi(a, l)
	if math.IsInf(lp, -1) {
		return 0
	}
	if l < 0 { // expm1(a l)/a has the sign of l
		sign = -sign
	}
	return sign * math.Exp(lp-scale)
}

// unstore inverts stored: the x with v(x) = v, false when there is none
// in float64.
func (pw *Power) unstore(j int, v float64) (float64, bool) {
	lambda, side, shift := pw.Lambdas[j], float64(pw.side[j]), pw.shift[j]
	if side == 0 {
		return pw.invertPsi(lambda, shift, v)
	}
	at := lambda
	if side < 0 {
		at = 2 - lambda
	}
	if at == 0 {
		return pw.invertPsi(lambda, 0, v)
	}
	if t := at * side * v; t > -1 {
		return fromLog(pw.Method, side, (shift+math.Log1p(t))/at)
	}
	// The other side of 0: psi = e^M (v + s/a) - s/a.
	psi := math.Exp(shift)*(v+side/at) - side/at
	return pw.invertPsi(lambda, 0, psi)
}

// fromLog maps the logarithm term l (log x, or log1p|x| on the given
// side) back to x.
func fromLog(m PowerMethod, side, l float64) (float64, bool) {
	var x float64
	switch {
	case m == BoxCox:
		x = math.Exp(l)
	case side < 0:
		x = -math.Expm1(l)
	default:
		x = math.Expm1(l)
	}
	return x, !math.IsInf(x, 0) && !math.IsNaN(x)
}
