package transform

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// PowerMethod selects the power transform family.
type PowerMethod int

const (
	// YeoJohnson (Yeo & Johnson 2000) accepts any real value:
	// ((x+1)^l - 1)/l for x >= 0, -((1-x)^(2-l) - 1)/(2-l) for x < 0
	// (log1p(x) and -log1p(-x) at l = 0 and l = 2).
	YeoJohnson PowerMethod = iota
	// BoxCox (Box & Cox 1964) needs strictly positive values:
	// (x^l - 1)/l, log x at l = 0.
	BoxCox
)

// String returns "yeo-johnson" or "box-cox" (scikit-learn's names). O(1).
func (m PowerMethod) String() string {
	switch m {
	case YeoJohnson:
		return "yeo-johnson"
	case BoxCox:
		return "box-cox"
	}
	return fmt.Sprintf("PowerMethod(%d)", int(m))
}

// PowerOptions configures FitPower. The zero value is scikit-learn's
// PowerTransformer default: Yeo-Johnson, standardised output.
type PowerOptions struct {
	// Method: YeoJohnson (default) or BoxCox.
	Method PowerMethod
	// NoStandardize returns the transformed values themselves instead of
	// scaling them to zero mean and unit variance. Lambdas whose
	// transformed values would exceed the float64 range are then pulled
	// towards 0 until the largest fits (the constrained maximum of the
	// likelihood); standardised output needs no such bound.
	NoStandardize bool
	// Workers spread the columns over goroutines (0 = GOMAXPROCS).
	Workers int
}

// Power is a fitted power transform: one lambda a column and the
// standardisation, stored so that columns with values up to 1e308 and
// large lambdas neither overflow nor lose precision.
type Power struct {
	// Method is the family fitted.
	Method PowerMethod
	// Lambdas are the maximum-likelihood parameters, one a column (1 for
	// a constant column).
	Lambdas []float64
	// Standardized tells whether Transform returns z-scores.
	Standardized bool
	// Per column, side is 0 for a column fitted on values of both signs
	// (Yeo-Johnson) and ±1 for one-signed columns; v(x), an increasing
	// affine function of psi(x), is what is standardised (see stored);
	// shift is its log scale; mean and sd are v's over the fitted rows
	// (sd 1 for constant columns, as StandardScaler).
	side            []int8
	shift, mean, sd []float64
}

// FitPower fits a power transform to each column of x (n x p, n >= 2):
// lambda maximises the profile log-likelihood
// (lambda - 1) sum log-term - n/2 log Var(psi_lambda(x)) (scikit-learn's
// and scipy's criterion), found by downhill bracketing from (-2, 2) and
// Brent's method to a relative tolerance of 1.48e-8 as scipy.optimize.brent.
// The likelihood is evaluated in the log domain (see the README's methods
// table: "power transform revisited"), so columns with values up to the
// float64 limit and extreme lambdas give finite likelihoods and the right
// lambda. A constant column gets lambda 1 and standardises to 0.
// Box-Cox needs strictly positive values (error naming the first other).
// Cost: O(n) logarithms a column plus O(n) exponentials a likelihood
// evaluation (about 40 a column); O(n) memory a worker.
func FitPower(x *mat.Dense, opts PowerOptions) (*Power, error) {
	n, p, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if opts.Method != YeoJohnson && opts.Method != BoxCox {
		return nil, chk.Errorf("unknown power method %d", int(opts.Method))
	}
	if n < 2 {
		return nil, chk.Errorf("x has %d row: a power transform needs at least 2", n)
	}
	if opts.Method == BoxCox {
		if err := positive(x); err != nil {
			return nil, err
		}
	}
	pw := &Power{Method: opts.Method, Standardized: !opts.NoStandardize,
		Lambdas: make([]float64, p), side: make([]int8, p), shift: make([]float64, p),
		mean: make([]float64, p), sd: make([]float64, p)}
	err = work.Queue(p, opts.Workers, nil, p, func() func(int) (int, error) {
		col := make([]float64, n)
		scratch := make([]float64, n)
		return func(j int) (int, error) {
			mat.Col(col, j, x)
			return 1, pw.fitColumn(j, col, scratch)
		}
	})
	if err != nil {
		return nil, err
	}
	return pw, nil
}

func positive(x *mat.Dense) error {
	n, p := x.Dims()
	for i := range n {
		for j, v := range x.RawRowView(i)[:p] {
			if v <= 0 {
				return chk.Errorf("Box-Cox needs strictly positive data: x has %v at row %d, column %d (use Yeo-Johnson)", v, i, j)
			}
		}
	}
	return nil
}

func (pw *Power) fitColumn(j int, col, scratch []float64) error {
	if isConstant(col) {
		pw.Lambdas[j], pw.sd[j] = 1, 1
		pw.mean[j] = pw.stored(j, col[0])
		return nil
	}
	c := newPowerColumn(col, pw.Method == BoxCox, scratch)
	lambda, ok := c.newtonLambda()
	if !ok {
		a, b, cc, fb, err := bracketMin(c.nll, -2, 2)
		if err != nil {
			return chk.Errorf("column %d: %v", j, err)
		}
		lambda = brentMin(c.nll, a, b, cc, fb, 1.48e-8, 500)
	}
	lo, hi := extremes(col)
	if !pw.Standardized {
		lambda = pw.boundLambda(lambda, lo, hi)
	}
	pw.Lambdas[j] = lambda
	if pw.Standardized { // else psi itself: boundLambda kept it finite
		pw.setStorage(j, lo, hi)
	}
	v := scratch[:0]
	for _, l := range c.pos {
		v = append(v, pw.storedLog(j, lambda, l, 1))
	}
	for _, l := range c.neg {
		v = append(v, pw.storedLog(j, 2-lambda, l, -1))
	}
	m, s2 := meanVar(v)
	pw.mean[j], pw.sd[j] = m, math.Sqrt(s2)
	if pw.sd[j] == 0 {
		pw.sd[j] = 1
	}
	if !pw.Standardized {
		pw.mean[j], pw.sd[j] = 0, 1
	}
	return nil
}

func isConstant(v []float64) bool {
	for _, x := range v[1:] {
		if x != v[0] {
			return false
		}
	}
	return true
}

// logScale is the largest log|psi| of a column with extremes lo and hi
// when it exceeds 300 (mixed-sign values are then stored divided by
// e^scale), else 0. |psi| grows with |log-term| on each side of 0, so the
// largest is at an extreme. O(1).
func (pw *Power) logScale(lambda, lo, hi float64) float64 {
	k := math.Max(logAbsPsiX(pw.Method, lambda, lo), logAbsPsiX(pw.Method, lambda, hi))
	if k > 300 { // the variance squares values: keep them below e^600
		return k
	}
	return 0
}

// boundLambda pulls lambda towards 0 by bisection until every |psi| of
// the column is below e^708 (finite with room for the mean), returning
// lambda itself when it already is. At lambda = 0 psi is a logarithm,
// always finite.
func (pw *Power) boundLambda(lambda, lo, hi float64) float64 {
	fits := func(l float64) bool { return pw.logScale(l, lo, hi) < 708 }
	if fits(lambda) {
		return lambda
	}
	fit, over := 0.0, 1.0 // fractions of lambda
	for range 100 {
		mid := 0.5 * (fit + over)
		if fits(mid * lambda) {
			fit = mid
		} else {
			over = mid
		}
	}
	return fit * lambda
}
