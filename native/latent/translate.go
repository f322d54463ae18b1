package latent

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// Method selects how a Translator is fitted from paired points.
type Method int

const (
	// Procrustes fits an orthogonal map Q (a partial isometry when the
	// widths differ), optionally with an isotropic scale s: min over Q of
	// ||s X Q - Y||_F, Q = U V^T from the SVD X^T Y = U S V^T,
	// s = tr S / ||X||_F^2 (scipy.linalg.orthogonal_procrustes). Works with
	// fewer pairs than dimensions.
	Procrustes Method = iota
	// Affine fits y = x W + b by least squares (minimum-norm solution
	// through the SVD, numpy's rcond). Needs at least dx + 1 pairs.
	Affine
	// LeastSquares fits y = x W by least squares without a bias (the
	// ReplaceMe block map X T ~= Y); with Centre it is Affine. Needs at
	// least dx pairs.
	LeastSquares
	// Ridge fits y = x W + b minimising ||Xc W - Yc||^2 + Alpha ||W||^2 on
	// centred data (scikit-learn's Ridge with fit_intercept). Any number
	// of pairs.
	Ridge
	// CCA maps through the canonical directions: the centred X is
	// projected on its first Components canonical variates, scaled by the
	// canonical correlations (the regression of Y's variates on X's) and
	// mapped back to Y's coordinates. With all components it equals Affine.
	// Needs at least max(dx, dy) + 1 pairs.
	CCA
)

// methodNames are the methods' names, as String returns and
// LoadTranslator reads.
var methodNames = [...]string{"procrustes", "affine", "lstsq", "ridge", "cca"}

// String names the method. O(1).
func (m Method) String() string {
	if m >= 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod returns the method named s ("procrustes", "affine",
// "lstsq", "ridge", "cca"), or an error listing them. O(1).
func ParseMethod(s string) (Method, error) {
	for i, n := range methodNames {
		if n == s {
			return Method(i), nil
		}
	}
	return 0, chk.Errorf("unknown translation method %q (want one of %v)", s, methodNames)
}

// TranslateOptions configures FitTranslator. The zero value is plain
// orthogonal Procrustes, as scipy.linalg.orthogonal_procrustes.
type TranslateOptions struct {
	// Method is the estimator (Procrustes by default).
	Method Method
	// Centre subtracts the mean of X from the points and adds the mean of
	// Y to the output (for Procrustes and LeastSquares; Affine, Ridge and
	// CCA always centre, since they fit a bias).
	Centre bool
	// Scale fits Procrustes' isotropic scale s (otherwise s = 1).
	Scale bool
	// Standardise divides every column of X and of Y by its standard
	// deviation over the pairs (ddof 1, constant columns by 1) before the
	// fit and undoes it on the output, as latentis' Procrustes does. It
	// implies Centre.
	Standardise bool
	// Alpha is Ridge's penalty (0 means 1, scikit-learn's default).
	Alpha float64
	// Components is the number of canonical pairs CCA keeps (0: all).
	Components int
}

// Translator maps points of a source space to a target space by the
// affine map y = x Matrix + Bias, fitted from paired points by
// FitTranslator. Every method's preprocessing (centring, standardising)
// is folded into Matrix and Bias.
type Translator struct {
	// Method and Options as fitted.
	Method  Method
	Options TranslateOptions
	// Matrix is dx x dy, Bias has dy entries.
	Matrix *mat.Dense
	Bias   []float64
	// Rotation is Procrustes' orthogonal factor Q in the prepared
	// (centred, standardised) coordinates, dx x dy (nil for other methods).
	Rotation *mat.Dense
	// Scale is Procrustes' isotropic scale s (1 without Options.Scale).
	Scale float64
	// Correlations are CCA's canonical correlations, descending (nil for
	// other methods).
	Correlations []float64
	// Residual is ||X Matrix + Bias - Y||_F / ||Y - mean(Y)||_F on the
	// fitted pairs: 0 for a perfect fit, about 1 for one no better than
	// predicting the mean (the absolute error when Y is constant).
	Residual float64
	// Pairs is the number of pairs fitted.
	Pairs int

	crossTrace float64 // Procrustes: tr S, the nuclear norm of X'^T Y'
}

// Dims returns the source and target dimensions. O(1).
func (t *Translator) Dims() (dx, dy int) { return t.Matrix.Dims() }

// String summarises the translator, e.g.
// "Translator(procrustes, 64 -> 64, 300 pairs, residual 0.0123)". O(1).
func (t *Translator) String() string {
	dx, dy := t.Dims()
	return fmt.Sprintf("Translator(%s, %d -> %d, %d pairs, residual %.4g)", t.Method, dx, dy, t.Pairs, t.Residual)
}

// Transform maps the rows of x (n x dx) to the target space: x Matrix +
// Bias, n x dy. It returns an error when x is nil, empty, not finite or
// not dx wide. O(n dx dy) flops (one matrix product), O(n dy) memory.
func (t *Translator) Transform(x mat.Matrix) (*mat.Dense, error) {
	xd, n, d, err := dense("x", x)
	if err != nil {
		return nil, err
	}
	dx, dy := t.Dims()
	if d != dx {
		return nil, chk.Errorf("x has %d columns but the translator maps %d-dimensional points", d, dx)
	}
	out := mat.NewDense(n, dy, nil)
	out.Mul(xd, t.Matrix)
	addBias(out, t.Bias)
	return out, nil
}

// Transform32 is Transform for float32 points, with float32 products
// (Matrix and Bias rounded to float32 once). O(n dx dy) flops, O(n dy)
// float32 memory.
func (t *Translator) Transform32(x *mat32.Dense) (*mat32.Dense, error) {
	n, d, err := dense32("x", x)
	if err != nil {
		return nil, err
	}
	dx, dy := t.Dims()
	if d != dx {
		return nil, chk.Errorf("x has %d columns but the translator maps %d-dimensional points", d, dx)
	}
	w := mat32.FromDense(t.Matrix.T()) // dy x dx, the layout gemm32 takes
	out := make([]float32, n*dy)
	gemm32(n, dy, dx, x.RawData(), w.RawData(), out)
	for i := 0; i < n; i++ {
		row := out[i*dy : (i+1)*dy]
		for j := range row {
			row[j] += float32(t.Bias[j])
		}
	}
	return mat32.New(n, dy, out)
}

// ResidualOn returns ||T(x) - y||_F / ||y - mean(y)||_F on held-out pairs
// (the absolute error when y is constant). Errors as Transform, and when
// x and y differ in rows or y's width is not dy. O(n dx dy).
func (t *Translator) ResidualOn(x, y mat.Matrix) (float64, error) {
	_, yd, err := pair("x", x, "y", y)
	if err != nil {
		return 0, err
	}
	_, dy := t.Dims()
	if _, c := yd.Dims(); c != dy {
		return 0, chk.Errorf("y has %d columns but the translator maps to %d", c, dy)
	}
	p, err := t.Transform(x)
	if err != nil {
		return 0, err
	}
	return relResidual(p, yd), nil
}

// addBias adds b to every row of m. O(n d).
func addBias(m *mat.Dense, b []float64) {
	n, _ := m.Dims()
	for i := 0; i < n; i++ {
		row := m.RawRowView(i)
		for j := range row {
			row[j] += b[j]
		}
	}
}

// relResidual returns ||p - y||_F / ||y - mean(y)||_F, or the numerator
// when y is constant. O(n d).
func relResidual(p, y *mat.Dense) float64 {
	n, d := y.Dims()
	mean := columnMeans(y)
	var num, den float64
	for i := 0; i < n; i++ {
		pr, yr := p.RawRowView(i), y.RawRowView(i)
		for j := 0; j < d; j++ {
			e := pr[j] - yr[j]
			num += e * e
			c := yr[j] - mean[j]
			den += c * c
		}
	}
	if den == 0 {
		return math.Sqrt(num)
	}
	return math.Sqrt(num / den)
}
