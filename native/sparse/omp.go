// Package sparse approximates targets by a few columns (atoms) of a
// dictionary: orthogonal matching pursuit with scikit-learn's
// conventions.
package sparse

import (
	"math"

	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/check"
)

var chk = check.New("sparse")

// OMPOptions configures OMP. The zero value is scikit-learn's default:
// max(1, floor(p/10)) atoms.
type OMPOptions struct {
	// NonZero is the number of atoms to select (0 = max(1, p/10)).
	NonZero int
	// Tol, when > 0, replaces NonZero: atoms are added until the squared
	// residual norm ||y - X b||^2 is at most Tol (or every atom is used).
	Tol float64
}

// OMPResult is a sparse approximation y ~ X Coef.
type OMPResult struct {
	// Coef has one coefficient a column of X, zero off the support.
	Coef []float64
	// Support lists the selected columns in the order chosen.
	Support []int
	// Residual is the squared residual norm ||y - X Coef||^2.
	Residual float64
}

// OMP approximates y (n) by a few columns of x (n x p) by orthogonal
// matching pursuit (Pati et al. 1993; scikit-learn's
// OrthogonalMatchingPursuit with fit_intercept=False): each step adds
// the column most correlated with the residual, argmax_j |x_j . r|, then
// refits the least-squares coefficients on the selected columns, so the
// residual is orthogonal to all of them. Columns are used as given
// (normalise them for the usual selection rule, as scikit-learn
// assumes). It stops early when the residual is orthogonal to every
// column (linear dependence in the dictionary). Cost: O(n p) a step for
// the correlations plus O(n s^2) for the least squares on s atoms.
func OMP(x *mat.Dense, y []float64, opts OMPOptions) (*OMPResult, error) {
	n, p, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if err := chk.SameRows("y", len(y), "x", n, "one target value a row"); err != nil {
		return nil, err
	}
	if err := chk.Finite("y", y, 1); err != nil {
		return nil, err
	}
	k := opts.NonZero
	if k == 0 {
		k = max(1, p/10)
	}
	if opts.Tol < 0 || math.IsNaN(opts.Tol) {
		return nil, chk.Errorf("Tol = %v must be >= 0", opts.Tol)
	}
	if opts.Tol > 0 {
		k = min(n, p)
	} else if err := chk.K("NonZero", k, 1, min(n, p), "at most min(rows, columns) atoms"); err != nil {
		return nil, err
	}
	yv := mat.NewVecDense(n, append([]float64(nil), y...))
	r := mat.VecDenseCopyOf(yv)
	res := &OMPResult{Coef: make([]float64, p), Residual: mat.Dot(r, r)}
	used := make([]bool, p)
	corr := mat.NewVecDense(p, nil)
	var beta *mat.VecDense
	scale := mat.Norm(x, 2) * math.Sqrt(res.Residual)
	for len(res.Support) < k && !(opts.Tol > 0 && res.Residual <= opts.Tol) {
		corr.MulVec(x.T(), r)
		best := -1
		for j := range p {
			if !used[j] && (best < 0 || math.Abs(corr.AtVec(j)) > math.Abs(corr.AtVec(best))) {
				best = j
			}
		}
		if best < 0 || math.Abs(corr.AtVec(best)) <= 1e-14*scale {
			break // the residual is orthogonal to every remaining column
		}
		used[best] = true
		res.Support = append(res.Support, best)
		sub := mat.NewDense(n, len(res.Support), nil)
		for c, j := range res.Support {
			for i := range n {
				sub.Set(i, c, x.At(i, j))
			}
		}
		beta = new(mat.VecDense)
		if err := beta.SolveVec(sub, yv); err != nil {
			return nil, chk.Errorf("least squares on %d atoms: %v", len(res.Support), err)
		}
		r.MulVec(sub, beta)
		r.SubVec(yv, r)
		res.Residual = mat.Dot(r, r)
	}
	for c, j := range res.Support {
		res.Coef[j] = beta.AtVec(c)
	}
	return res, nil
}
