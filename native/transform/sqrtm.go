package transform

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// SqrtMethod selects the matrix square-root algorithm.
type SqrtMethod int

const (
	// SqrtEigen uses the eigen-decomposition A = U L U^T of a symmetric
	// positive semi-definite matrix: sqrt(A) = U L^1/2 U^T. Exact to
	// rounding; symmetric input only. O(d^3).
	SqrtEigen SqrtMethod = iota
	// SqrtNewtonSchulz runs the coupled Newton-Schulz iteration
	// Y <- Y T, Z <- T Z, T = (3I - Z Y)/2 from Y = A/||A||_F, Z = I
	// (Higham 2008), which converges quadratically to sqrt and inverse
	// sqrt when the spectrum of A/||A||_F lies in (0, 1] (any matrix with
	// positive real eigenvalues close enough to it, SPD always). Only
	// matrix products: 3 GEMMs an iteration.
	SqrtNewtonSchulz
	// SqrtPade evaluates the [m/m] Padé approximant of sqrt(1 + x) at
	// X = A/||A||_F - I (the matrix Padé approximants of Song et al.
	// 2022), in the partial-fraction form of Higham (2008): m linear
	// solves. Accurate when the eigenvalues of A/||A||_F are not close
	// to 0 (the error grows as the smallest approaches 0).
	SqrtPade
)

// SqrtOptions configures MatrixSqrt. The zero value uses the
// eigen-decomposition.
type SqrtOptions struct {
	// Method: SqrtEigen (default), SqrtNewtonSchulz or SqrtPade.
	Method SqrtMethod
	// Iterations caps Newton-Schulz (0 = 100) or sets the Padé degree m
	// (0 = 8).
	Iterations int
	// Tol stops Newton-Schulz when the relative residual
	// ||Y^2 - A/c||_F / ||A/c||_F falls below it (0 = 1e-14).
	Tol float64
}

// SqrtResult is a matrix square root with its inverse and error.
type SqrtResult struct {
	// Sqrt is X with X X = A.
	Sqrt *mat.Dense
	// InvSqrt is X^-1 (nil when A is singular).
	InvSqrt *mat.Dense
	// Residual is ||X X - A||_F / ||A||_F, the achieved error.
	Residual float64
	// Iterations is the number of Newton-Schulz iterations run (the Padé
	// degree for SqrtPade, 0 for SqrtEigen).
	Iterations int
}

// MatrixSqrt returns the principal square root of the square matrix a
// (and its inverse) by the chosen method, with its relative residual.
// Errors: nil, empty, non-square or non-finite a; SqrtEigen on a
// non-symmetric matrix (relative asymmetry above 1e-10) or one with a
// negative eigenvalue; a zero matrix; Newton-Schulz not converging
// (spectrum outside the region of convergence). Cost: O(d^3) for each
// method (about 3 d^3 flops an iteration for Newton-Schulz, m solves
// for Padé: m solves of d x d systems).
func MatrixSqrt(a mat.Matrix, opts SqrtOptions) (*SqrtResult, error) {
	if a == nil {
		return nil, chk.Errorf("a is nil (nil matrix)")
	}
	r, c := a.Dims()
	if r != c || r == 0 {
		return nil, chk.Errorf("a is %d x %d: the square root needs a non-empty square matrix", r, c)
	}
	ad := mat.DenseCopyOf(a)
	if _, _, err := chk.Dense("a", ad); err != nil {
		return nil, err
	}
	norm := mat.Norm(ad, 2)
	if norm == 0 {
		return nil, chk.Errorf("a is the zero matrix")
	}
	var res *SqrtResult
	var err error
	switch opts.Method {
	case SqrtEigen:
		res, err = sqrtEigen(ad)
	case SqrtNewtonSchulz:
		res, err = sqrtNewtonSchulz(ad, norm, opts)
	case SqrtPade:
		res, err = sqrtPade(ad, norm, opts)
	default:
		return nil, chk.Errorf("unknown square-root method %d", int(opts.Method))
	}
	if err != nil {
		return nil, err
	}
	var sq mat.Dense
	sq.Mul(res.Sqrt, res.Sqrt)
	sq.Sub(&sq, ad)
	res.Residual = mat.Norm(&sq, 2) / norm
	return res, nil
}

func sqrtEigen(a *mat.Dense) (*SqrtResult, error) {
	d, _ := a.Dims()
	var asym float64
	for i := range d {
		for j := i + 1; j < d; j++ {
			asym = math.Max(asym, math.Abs(a.At(i, j)-a.At(j, i)))
		}
	}
	if asym > 1e-10*mat.Norm(a, math.Inf(1)) {
		return nil, chk.Errorf("a is not symmetric (largest |a_ij - a_ji| = %g): use SqrtNewtonSchulz or SqrtPade", asym)
	}
	s := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			s.SetSym(i, j, 0.5*(a.At(i, j)+a.At(j, i)))
		}
	}
	vals, u, err := eigenSym("a", s)
	if err != nil {
		return nil, err
	}
	tol := 1e-12 * math.Abs(vals[d-1])
	if vals[0] < -tol {
		return nil, chk.Errorf("a has a negative eigenvalue %g: no real symmetric square root", vals[0])
	}
	res := &SqrtResult{Sqrt: mat.DenseCopyOf(fromSpectrum(vals, u, func(l float64) float64 { return math.Sqrt(math.Max(l, 0)) }))}
	if vals[0] > tol {
		res.InvSqrt = mat.DenseCopyOf(fromSpectrum(vals, u, func(l float64) float64 { return 1 / math.Sqrt(l) }))
	}
	return res, nil
}

func sqrtNewtonSchulz(a *mat.Dense, norm float64, opts SqrtOptions) (*SqrtResult, error) {
	d, _ := a.Dims()
	maxIt := opts.Iterations
	if maxIt == 0 {
		maxIt = 100
	}
	tol := opts.Tol
	if tol == 0 {
		tol = 1e-14
	}
	y := mat.DenseCopyOf(a)
	y.Scale(1/norm, y)
	an := mat.DenseCopyOf(y)
	z := eye(d)
	var t, tmp, sq mat.Dense
	best, it := math.Inf(1), 0
	for it < maxIt {
		it++
		t.Mul(z, y)
		t.Scale(-0.5, &t)
		for i := range d {
			t.Set(i, i, t.At(i, i)+1.5)
		}
		tmp.Mul(y, &t)
		y.Copy(&tmp)
		tmp.Mul(&t, z)
		z.Copy(&tmp)
		sq.Mul(y, y)
		sq.Sub(&sq, an)
		r := mat.Norm(&sq, 2) / mat.Norm(an, 2)
		if math.IsNaN(r) || math.IsInf(r, 0) || r > 1e3 {
			return nil, chk.Errorf("Newton-Schulz diverged at iteration %d: the spectrum of a/||a||_F is outside the region of convergence (non-positive eigenvalues?)", it)
		}
		if r < tol || r >= best && r < 1e-10 { // converged, or stalled at rounding
			break
		}
		best = math.Min(best, r)
	}
	y.Scale(math.Sqrt(norm), y)
	z.Scale(1/math.Sqrt(norm), z)
	return &SqrtResult{Sqrt: y, InvSqrt: z, Iterations: it}, nil
}

func eye(d int) *mat.Dense {
	m := mat.NewDense(d, d, nil)
	for i := range d {
		m.Set(i, i, 1)
	}
	return m
}

func sqrtPade(a *mat.Dense, norm float64, opts SqrtOptions) (*SqrtResult, error) {
	d, _ := a.Dims()
	m := opts.Iterations
	if m == 0 {
		m = 8
	}
	// The [m/m] Padé approximant of sqrt(1 + x) in partial fractions
	// (Higham 2008, Functions of Matrices, sec. 6.7):
	// 1 + sum_j alpha_j x / (1 + beta_j x), alpha_j = 2/(2m+1) sin^2(theta_j),
	// beta_j = cos^2(theta_j), theta_j = j pi/(2m+1); here x = A/c - I.
	xm := mat.DenseCopyOf(a)
	xm.Scale(1/norm, xm)
	for i := range d {
		xm.Set(i, i, xm.At(i, i)-1)
	}
	s := eye(d)
	var den, term mat.Dense
	for j := 1; j <= m; j++ {
		th := float64(j) * math.Pi / float64(2*m+1)
		alpha := 2 / float64(2*m+1) * math.Sin(th) * math.Sin(th)
		beta := math.Cos(th) * math.Cos(th)
		den.Scale(beta, xm)
		for i := range d {
			den.Set(i, i, den.At(i, i)+1)
		}
		if err := term.Solve(&den, xm); err != nil {
			return nil, chk.Errorf("Padé term %d: I + %g (A/||A|| - I) is singular: %v", j, beta, err)
		}
		term.Scale(alpha, &term)
		s.Add(s, &term)
	}
	s.Scale(math.Sqrt(norm), s)
	res := &SqrtResult{Sqrt: s, Iterations: m}
	var inv mat.Dense
	if err := inv.Inverse(s); err == nil {
		res.InvSqrt = &inv
	}
	return res, nil
}
