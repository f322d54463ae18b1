package transform

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/subspace"
)

// WhitenMethod selects the whitening rotation.
type WhitenMethod int

const (
	// PCAWhiten projects on the principal axes and scales each by
	// (lambda + Epsilon)^-Power: z = (x - mean) V D.
	PCAWhiten WhitenMethod = iota
	// ZCAWhiten rotates back after scaling, z = (x - mean) V D V^T: the
	// whitened data closest to the original (Bell & Sejnowski 1997).
	ZCAWhiten
)

// WhitenOptions configures FitWhitener. The zero value is full PCA
// whitening of every component, with no regularisation.
type WhitenOptions struct {
	// Method: PCAWhiten (default) or ZCAWhiten.
	Method WhitenMethod
	// Components keeps the leading k principal axes (0 = all,
	// min(n, d)); ZCA with k < d whitens inside the kept subspace.
	Components int
	// Epsilon is added to every eigenvalue before the power (>= 0).
	Epsilon float64
	// Power p of the spectral map (lambda + eps)^-p: 0 means 1/2 (full
	// whitening, identity covariance); 1/4 half-whitens; other values
	// give the power-law spectral transformations of INTL (Weng et al.
	// 2024), lambda -> lambda^(1 - 2p) for the output covariance.
	Power float64
}

// Whitener is a fitted whitening transform: z = (x - Mean) W.
type Whitener struct {
	// Mean is the per-feature mean of the fitted data (d).
	Mean []float64
	// W is the d x k whitening matrix (k = d for ZCA).
	W *mat.Dense
	// Eigenvalues of the sample covariance (ddof 1) along the kept axes,
	// decreasing.
	Eigenvalues []float64
	// Axes is d x k: the principal axes as columns (scikit-learn's PCA
	// sign convention).
	Axes *mat.Dense
}

// FitWhitener fits a whitening transform to x (n x d, n >= 2) from its
// principal axes (subspace.FitPCA: a thin SVD of the centred data). With
// Epsilon 0 and Power 1/2 the transformed data have identity sample
// covariance; an axis of zero variance (rank-deficient data) is an error
// unless Epsilon > 0 or Components excludes it. Cost: O(n d min(n, d))
// for the SVD, O(d^2 k) for W; memory O(n d).
func FitWhitener(x *mat.Dense, opts WhitenOptions) (*Whitener, error) {
	if opts.Epsilon < 0 || math.IsNaN(opts.Epsilon) || opts.Power < 0 {
		return nil, chk.Errorf("Epsilon (%v) and Power (%v) must be >= 0", opts.Epsilon, opts.Power)
	}
	if opts.Method != PCAWhiten && opts.Method != ZCAWhiten {
		return nil, chk.Errorf("unknown whitening method %d", int(opts.Method))
	}
	pca, err := subspace.FitPCA(x, opts.Components)
	if err != nil {
		return nil, err
	}
	p := opts.Power
	if p == 0 {
		p = 0.5
	}
	k, d := pca.Components.Dims()
	axes := mat.DenseCopyOf(pca.Components.T())
	scaled := mat.DenseCopyOf(axes)
	for j, l := range pca.ExplainedVariance {
		if l+opts.Epsilon <= 1e-12*pca.ExplainedVariance[0] {
			return nil, chk.Errorf("principal axis %d of %d has variance %g: the data are rank-deficient (set Epsilon > 0 or fewer Components)", j, k, l)
		}
		s := math.Pow(l+opts.Epsilon, -p)
		for i := range d {
			scaled.Set(i, j, scaled.At(i, j)*s)
		}
	}
	w := &Whitener{Mean: pca.Mean, Eigenvalues: pca.ExplainedVariance, Axes: axes, W: scaled}
	if opts.Method == ZCAWhiten {
		var zca mat.Dense
		zca.Mul(scaled, axes.T())
		w.W = &zca
	}
	return w, nil
}

// Transform whitens the rows of x (m x d): (x - Mean) W. O(m d k).
func (w *Whitener) Transform(x *mat.Dense) (*mat.Dense, error) {
	m, d, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("x", d, "the fitted data", len(w.Mean), ""); err != nil {
		return nil, err
	}
	xc := mat.NewDense(m, d, nil)
	for i := range m {
		row, o := x.RawRowView(i), xc.RawRowView(i)
		for j := range o {
			o[j] = row[j] - w.Mean[j]
		}
	}
	var z mat.Dense
	z.Mul(xc, w.W)
	return &z, nil
}

// Whiten fits a whitening transform to x and returns x whitened. Cost of
// FitWhitener plus Transform.
func Whiten(x *mat.Dense, opts WhitenOptions) (*mat.Dense, error) {
	w, err := FitWhitener(x, opts)
	if err != nil {
		return nil, err
	}
	return w.Transform(x)
}

// SpectralTransform returns U f(Lambda) U^T for the eigen-decomposition
// S = U Lambda U^T of the symmetric matrix s: the spectral transformation
// f of a covariance (f(l) = l^-1/2 whitens, l^1/2 is the square root,
// power laws l^p are INTL's family, exp(-t l) of a graph Laplacian is
// the heat kernel). f must return finite values on the eigenvalues.
// Cost: O(d^3) for the eigen-decomposition.
func SpectralTransform(s *mat.SymDense, f func(float64) float64) (*mat.SymDense, error) {
	vals, u, err := eigenSym("s", s)
	if err != nil {
		return nil, err
	}
	for j, l := range vals {
		if fl := f(l); math.IsNaN(fl) || math.IsInf(fl, 0) {
			return nil, chk.Errorf("f(%g) = %v at eigenvalue %d: f must be finite on the spectrum", l, fl, j)
		}
	}
	return fromSpectrum(vals, u, f), nil
}

// eigenSym validates s and returns its eigenvalues (ascending) and
// eigenvectors (columns). O(d^3).
func eigenSym(name string, s *mat.SymDense) ([]float64, *mat.Dense, error) {
	if s == nil || s.SymmetricDim() == 0 {
		return nil, nil, chk.Errorf("%s is nil or empty", name)
	}
	d := s.SymmetricDim()
	if err := chk.Finite(name, s.RawSymmetric().Data, s.RawSymmetric().Stride); err != nil {
		return nil, nil, err
	}
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		return nil, nil, chk.Errorf("the eigen-decomposition of the %d x %d matrix %s did not converge", d, d, name)
	}
	var u mat.Dense
	eig.VectorsTo(&u)
	return eig.Values(nil), &u, nil
}

// fromSpectrum returns U f(Lambda) U^T, symmetrised. O(d^3).
func fromSpectrum(vals []float64, u *mat.Dense, f func(float64) float64) *mat.SymDense {
	d := len(vals)
	scaled := mat.DenseCopyOf(u)
	for j, l := range vals {
		fl := f(l)
		for i := range d {
			scaled.Set(i, j, scaled.At(i, j)*fl)
		}
	}
	var full mat.Dense
	full.Mul(scaled, u.T())
	out := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			out.SetSym(i, j, 0.5*(full.At(i, j)+full.At(j, i)))
		}
	}
	return out
}

// CovariancePower returns (S + eps I)^p for a symmetric positive
// semi-definite s: SpectralTransform with f(l) = (l + eps)^p (p = -1/2
// whitens, 1/2 is the square root). Eigenvalues below zero by rounding
// are clamped to 0; a negative power of a singular matrix is an error.
// O(d^3).
func CovariancePower(s *mat.SymDense, p, eps float64) (*mat.SymDense, error) {
	return SpectralTransform(s, func(l float64) float64 {
		return math.Pow(math.Max(l, 0)+eps, p)
	})
}
