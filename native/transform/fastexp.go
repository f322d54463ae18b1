package transform

import "math"

// Scalar exponentials for the likelihood loops, which evaluate e^x for
// every value of a column at every lambda tried: math.Exp and math.Expm1
// (about 20-30 ns here) dominate the fit. fexp uses the table method
// (e^x = 2^(k/128) e^r with |r| <= ln2/256, a degree-5 polynomial for
// e^r, a 128-entry table of 2^(j/128)) and fexpm1 a degree-18 Taylor
// polynomial for |x| <= 0.7; they are within 2 and 3 ulp of math.Exp and
// math.Expm1 (TestFastExp) and fall back to them outside [-700, 700].

var exp2Table = func() (t [128]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 128)
	}
	return t
}()

const (
	invStep = 128 / math.Ln2
	// fdlibm's split of ln 2 (the high part has 21 trailing zero bits, so
	// k ln2Hi/128 is exact for the |k| < 2^17 used here), divided by 128.
	ln2Hi128 = 6.93147180369123816490e-01 / 128
	ln2Lo128 = 1.90821492927058770002e-10 / 128
	roundMag = 0x1.8p52 // adding and subtracting it rounds to an integer
)

// fexp returns e^x.
func fexp(x float64) float64 {
	if !(x > -700 && x < 700) {
		return math.Exp(x)
	}
	t := x*invStep + roundMag
	k := int64(math.Float64bits(t)) // low bits: k in two's complement
	t -= roundMag
	r := (x - t*ln2Hi128) - t*ln2Lo128
	q := r + r*r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120))))
	ki := int64(int32(uint32(k))) // the integer, sign-extended
	tj := exp2Table[ki&127]
	y := tj + tj*q
	return math.Float64frombits(math.Float64bits(y) + uint64(ki>>7)<<52)
}

// expm1Coef are 1/k! for k = 2..18, the Taylor coefficients fexpm1 uses.
var expm1Coef = func() (c [17]float64) {
	f := 1.0
	for k := 2; k <= 18; k++ {
		f *= float64(k)
		c[k-2] = 1 / f
	}
	return c
}()

// fexpm1 returns e^x - 1, accurate near 0.
func fexpm1(x float64) float64 {
	if x > 0.7 || x < -0.7 {
		if x < -40 {
			return -1
		}
		return fexp(x) - 1
	}
	// Two Horner chains in x^2 (even and odd coefficients) run in parallel.
	x2 := x * x
	even, odd := expm1Coef[16], expm1Coef[15]
	for k := 13; k >= 1; k -= 2 {
		even = expm1Coef[k+1] + x2*even
		odd = expm1Coef[k] + x2*odd
	}
	even = expm1Coef[0] + x2*even
	return x + x2*(even+x*odd)
}
