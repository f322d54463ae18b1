package transform

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// HermiteBasis returns h_0(t), ..., h_degree(t), the normalised
// probabilists' Hermite polynomials h_k = He_k / sqrt(k!), orthonormal
// under the standard normal distribution: E[h_j(Z) h_k(Z)] = delta_jk for
// Z ~ N(0, 1). Computed by the stable three-term recurrence
// h_{k+1} = (t h_k - sqrt(k) h_{k-1}) / sqrt(k+1). O(degree).
func HermiteBasis(t float64, degree int) []float64 {
	out := make([]float64, max(degree, 0)+1)
	hermiteInto(out, t)
	return out
}

func hermiteInto(out []float64, t float64) {
	out[0] = 1
	if len(out) > 1 {
		out[1] = t
	}
	for k := 1; k+1 < len(out); k++ {
		out[k+1] = (t*out[k] - math.Sqrt(float64(k))*out[k-1]) / math.Sqrt(float64(k+1))
	}
}

// HermiteFeatures maps each value of x (n x d) to h_1, ..., h_degree of
// it (HermiteBasis without the constant h_0): an n x (d degree) matrix
// whose column j*degree + k - 1 is h_k of column j. For standardised
// (N(0, 1)) inputs the features of one column are orthonormal, so a
// linear model on them fits a polynomial in orthogonal coordinates.
// O(n d degree).
func HermiteFeatures(x *mat.Dense, degree int) (*mat.Dense, error) {
	n, d, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if degree < 1 {
		return nil, chk.Errorf("degree = %d must be >= 1", degree)
	}
	out := mat.NewDense(n, d*degree, nil)
	h := make([]float64, degree+1)
	for i := range n {
		row, o := x.RawRowView(i), out.RawRowView(i)
		for j, v := range row {
			hermiteInto(h, v)
			copy(o[j*degree:(j+1)*degree], h[1:])
		}
	}
	return out, nil
}

// FourierFeatures maps each value of x (n x d) to sqrt(2) cos(2 pi k v/P)
// and sqrt(2) sin(2 pi k v/P) for k = 1..order with period P: an
// n x (2 d order) matrix, column j*2*order + 2(k-1) the cosine and the
// next the sine of harmonic k of column j. Together with the constant
// they are orthonormal under the uniform distribution on one period
// (for inputs scaled to [0, 1], P = 2 makes the cosines the orthonormal
// cosine basis of [0, 1]). O(n d order).
func FourierFeatures(x *mat.Dense, order int, period float64) (*mat.Dense, error) {
	n, d, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if order < 1 || !(period > 0) || math.IsInf(period, 0) {
		return nil, chk.Errorf("order = %d must be >= 1 and period = %v positive and finite", order, period)
	}
	out := mat.NewDense(n, 2*d*order, nil)
	w := 2 * math.Pi / period
	for i := range n {
		row, o := x.RawRowView(i), out.RawRowView(i)
		for j, v := range row {
			for k := 1; k <= order; k++ {
				s, c := math.Sincos(w * float64(k) * v)
				o[j*2*order+2*(k-1)] = math.Sqrt2 * c
				o[j*2*order+2*(k-1)+1] = math.Sqrt2 * s
			}
		}
	}
	return out, nil
}

// Tropical applies the tropical (max-plus) linear map of w (d x k) and
// bias b (k, or nil) to the rows of x (n x d):
// out[i][j] = max_l (x[i][l] + w[l][j]) + b[j], the "matrix product" of
// the max-plus semiring (Zhang, Naitzat & Lim 2018: ReLU networks are
// tropical rational maps). With MinPlus the max becomes a min. The map
// commutes with adding a constant to a row and with taking maxima of
// rows (max-plus linearity). Entries of w may be -Inf (no edge) for
// max-plus (+Inf for min-plus). O(n d k).
func Tropical(x, w *mat.Dense, b []float64, minPlus bool) (*mat.Dense, error) {
	n, d, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if w == nil || w.IsEmpty() {
		return nil, chk.Errorf("w is nil or empty")
	}
	dw, k := w.Dims()
	if err := chk.SameRows("w", dw, "x's columns", d, "w is d x k for x of d columns"); err != nil {
		return nil, err
	}
	if b != nil && len(b) != k {
		return nil, chk.Errorf("b has %d values for %d outputs", len(b), k)
	}
	sign := 1.0
	if minPlus {
		sign = -1
	}
	for l := range dw {
		for j, v := range w.RawRowView(l) {
			if math.IsNaN(v) || math.IsInf(v, int(sign)) {
				return nil, chk.Errorf("w has %v at row %d, column %d", v, l, j)
			}
		}
	}
	out := mat.NewDense(n, k, nil)
	for i := range n {
		o := out.RawRowView(i)
		for j := range o {
			o[j] = math.Inf(-1)
		}
		for l, v := range x.RawRowView(i) {
			for j, wv := range w.RawRowView(l) {
				o[j] = math.Max(o[j], sign*(v+wv))
			}
		}
		for j := range o {
			o[j] *= sign
			if b != nil {
				o[j] += b[j]
			}
		}
	}
	return out, nil
}
