package transform

import (
	"errors"
	"math"
)

// errNoBracket is returned when no minimum could be bracketed.
var errNoBracket = errors.New("no minimum found: the objective keeps decreasing")

// bracketMin searches downhill from a and b for a triple a, b, c with
// f(b) <= f(a), f(b) < f(c) (a minimum lies between a and c), expanding by
// the golden ratio with parabolic extrapolation (the classic bracketing
// step of Brent's method). It returns the triple and f(b).
func bracketMin(f func(float64) float64, a, b float64) (xa, xb, xc, fb float64, err error) {
	const gold, growLimit, tiny, maxIter = 1.618033988749895, 110.0, 1e-21, 1000
	fa, fbv := f(a), f(b)
	if fa < fbv {
		a, b, fa, fbv = b, a, fbv, fa
	}
	c := b + gold*(b-a)
	fc := f(c)
	for it := 0; fc < fbv; it++ {
		if it >= maxIter || math.IsInf(c, 0) {
			return 0, 0, 0, 0, errNoBracket
		}
		r := (b - a) * (fbv - fc)
		q := (b - c) * (fbv - fa)
		den := q - r
		if math.Abs(den) < tiny {
			den = math.Copysign(tiny, den)
		}
		u := b - ((b-c)*q-(b-a)*r)/(2*den)
		ulim := b + growLimit*(c-b)
		var fu float64
		switch {
		case (u-c)*(b-u) > 0: // parabolic minimum between b and c
			fu = f(u)
			if fu < fc {
				return b, u, c, fu, nil
			}
			if fu > fbv {
				return a, b, u, fbv, nil
			}
			u = c + gold*(c-b)
			fu = f(u)
		case (u-ulim)*(ulim-c) >= 0: // clamp to the growth limit
			u = ulim
			fu = f(u)
		case (u-ulim)*(c-u) > 0: // between c and the limit
			fu = f(u)
			if fu < fc {
				b, c, fbv, fc = c, u, fc, fu
				u = c + gold*(c-b)
				fu = f(u)
			}
		default:
			u = c + gold*(c-b)
			fu = f(u)
		}
		a, b, c = b, c, u
		fa, fbv, fc = fbv, fc, fu
	}
	return a, b, c, fbv, nil
}

// brentMin returns the abscissa of a local minimum of f inside the bracket
// (a, b, c) found by bracketMin, to a relative tolerance tol, by Brent's
// method (golden-section steps safeguarding parabolic interpolation).
// At most maxIter evaluations of f.
func brentMin(f func(float64) float64, a, b, c, fb, tol float64, maxIter int) float64 {
	const cgold, zeps = 0.3819660112501051, 1e-11
	lo, hi := math.Min(a, c), math.Max(a, c)
	x, w, v := b, b, b
	fx, fw, fv := fb, fb, fb
	var d, e float64
	for it := 0; it < maxIter; it++ {
		xm := 0.5 * (lo + hi)
		tol1 := tol*math.Abs(x) + zeps
		tol2 := 2 * tol1
		if math.Abs(x-xm) <= tol2-0.5*(hi-lo) {
			break
		}
		useGolden := true
		if math.Abs(e) > tol1 {
			// Try a parabola through x, w, v.
			r := (x - w) * (fx - fv)
			q := (x - v) * (fx - fw)
			p := (x-v)*q - (x-w)*r
			q = 2 * (q - r)
			if q > 0 {
				p = -p
			}
			q = math.Abs(q)
			if math.Abs(p) < math.Abs(0.5*q*e) && p > q*(lo-x) && p < q*(hi-x) {
				e, d = d, p/q
				u := x + d
				if u-lo < tol2 || hi-u < tol2 {
					d = math.Copysign(tol1, xm-x)
				}
				useGolden = false
			}
		}
		if useGolden {
			if x >= xm {
				e = lo - x
			} else {
				e = hi - x
			}
			d = cgold * e
		}
		u := x + d
		if math.Abs(d) < tol1 {
			u = x + math.Copysign(tol1, d)
		}
		fu := f(u)
		if fu <= fx {
			if u >= x {
				lo = x
			} else {
				hi = x
			}
			v, w, x = w, x, u
			fv, fw, fx = fw, fx, fu
			continue
		}
		if u < x {
			lo = u
		} else {
			hi = u
		}
		if fu <= fw || w == x {
			v, w = w, u
			fv, fw = fw, fu
		} else if fu <= fv || v == x || v == w {
			v, fv = u, fu
		}
	}
	return x
}
