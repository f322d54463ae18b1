package transform

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// exponentAndLog returns, for a value x, the exponent a and the logarithm
// l such that psi(x) = sign expm1(a l)/a: (lambda, log x) for Box-Cox,
// (lambda, log1p x) for non-negative and (2 - lambda, log1p(-x)) with
// sign -1 for negative Yeo-Johnson values.
func exponentAndLog(m PowerMethod, lambda, x float64) (a, l, sign float64) {
	switch {
	case m == BoxCox:
		return lambda, math.Log(x), 1
	case x >= 0:
		return lambda, math.Log1p(x), 1
	}
	return 2 - lambda, math.Log1p(-x), -1
}

// logAbsPsiX is log|psi_lambda(x)| (finite where psi overflows).
func logAbsPsiX(m PowerMethod, lambda, x float64) float64 {
	a, l, _ := exponentAndLog(m, lambda, x)
	return logAbsPsi(a, l)
}

// Transform applies the fitted transform to the rows of x (m x p, the
// columns fitted): psi_lambda of each value, standardised with the
// fitted mean and deviation unless NoStandardize was set. Values far
// outside the fitted range can give ±Inf when the exact result exceeds
// the float64 range. Box-Cox needs positive values. O(m p) time and memory.
func (pw *Power) Transform(x *mat.Dense) (*mat.Dense, error) {
	m, p, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("x", p, "the fitted data", len(pw.Lambdas), ""); err != nil {
		return nil, err
	}
	if pw.Method == BoxCox {
		if err := positive(x); err != nil {
			return nil, err
		}
	}
	out := mat.NewDense(m, p, nil)
	for i := range m {
		row, o := x.RawRowView(i), out.RawRowView(i)
		for j := range p {
			o[j] = (pw.stored(j, row[j]) - pw.mean[j]) / pw.sd[j]
		}
	}
	return out, nil
}

// InverseTransform maps transformed rows z (m x p) back to the original
// units: the inverse of Transform. A value with no preimage (beyond the
// transform's range for its lambda, such as psi >= 1/|lambda| for a
// negative lambda) or whose preimage exceeds the float64 range is an
// error naming its row and column. O(m p).
func (pw *Power) InverseTransform(z *mat.Dense) (*mat.Dense, error) {
	m, p, err := chk.Dense("z", z)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("z", p, "the fitted data", len(pw.Lambdas), ""); err != nil {
		return nil, err
	}
	out := mat.NewDense(m, p, nil)
	for i := range m {
		row, o := z.RawRowView(i), out.RawRowView(i)
		for j := range p {
			v := row[j]*pw.sd[j] + pw.mean[j]
			x, ok := pw.unstore(j, v)
			if !ok {
				return nil, chk.Errorf("z at row %d, column %d (%v) has no preimage in float64 under lambda %v", i, j, row[j], pw.Lambdas[j])
			}
			o[j] = x
		}
	}
	return out, nil
}

// invertPsi maps v = psi(x) e^-scale back to x.
func (pw *Power) invertPsi(lambda, scale, v float64) (float64, bool) {
	neg := pw.Method == YeoJohnson && v < 0
	a, sign := lambda, 1.0
	if neg {
		a, sign = 2-lambda, -1
	}
	// r = log1p(a psi)/a, the logarithm term (log x, log1p|x|).
	var r float64
	psiAbs := math.Abs(v)
	logPsi := math.Log(psiAbs) + scale
	switch {
	case v == 0:
		r = 0
	case a == 0:
		if logPsi > 709 {
			return 0, false
		}
		r = sign * v * math.Exp(scale)
	default:
		// a psi has the sign s; psi's own sign is sign (v's sign).
		s := math.Copysign(1, a) * math.Copysign(1, v) * sign
		lq := math.Log(math.Abs(a)) + logPsi // log|a psi|
		var q float64
		switch {
		case scale == 0 && a*sign*v <= -1:
			return 0, false
		case scale == 0:
			q = math.Log1p(a * sign * v)
		case s > 0 && lq > 35:
			q = lq + math.Log1p(math.Exp(-lq))
		case s > 0:
			q = math.Log1p(math.Exp(lq))
		case lq >= 0:
			return 0, false
		default:
			q = math.Log1p(-math.Exp(lq))
		}
		r = q / a
	}
	side := 1.0
	if neg {
		side = -1
	}
	return fromLog(pw.Method, side, r)
}

// PowerTransform fits a power transform to x and returns x transformed
// (scikit-learn's power_transform). Cost of FitPower plus O(n p).
func PowerTransform(x *mat.Dense, opts PowerOptions) (*mat.Dense, error) {
	pw, err := FitPower(x, opts)
	if err != nil {
		return nil, err
	}
	return pw.Transform(x)
}
