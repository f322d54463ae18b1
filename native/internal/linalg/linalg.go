// Package linalg holds the dense factorisations that several native
// packages share, so that each is written once: the thin singular value
// decomposition (where gonum's pure Go LAPACK is slow), the thin QR
// decomposition, the orthonormalisation of wide panels by LQ, and the
// squared distance of two vectors. Built with the "openblas" tag (and cgo) it calls
// LAPACK's divide-and-conquer dgesdd from the OpenBLAS library the
// project already links (about ten times faster than gonum's Dgesvd on
// 768 x 768); otherwise, or when dgesdd reports a failure, it uses gonum's
// mat.SVD. Both return the same factorisation up to the signs of singular
// vector pairs.
package linalg

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS for gonum's BLAS-3 calls
)

// SVD is a thin singular value decomposition a = U diag(S) Vt of an
// m x n matrix, with k = min(m, n).
type SVD struct {
	// U is m x k with orthonormal columns (row-major, contiguous).
	U blas64.General
	// S holds the k singular values, descending.
	S []float64
	// Vt is k x n with orthonormal rows (row-major, contiguous).
	Vt blas64.General
}

// ThinSVD returns the thin SVD of a (m x n, row-major; a is not
// modified). It returns false when the factorisation did not converge.
// Cost O(m n min(m, n)) flops (LAPACK dgesdd with the openblas tag,
// gonum's Dgesvd otherwise); memory O((m + n) min(m, n) + m n) for a copy
// of a and the factors.
func ThinSVD(a blas64.General) (*SVD, bool) {
	if a.Rows == 0 || a.Cols == 0 {
		return &SVD{U: blas64.General{Rows: a.Rows, Stride: 1}, Vt: blas64.General{Cols: a.Cols, Stride: max(a.Cols, 1)}}, true
	}
	if s, ok := lapackSVD(a, true); ok {
		return s, true
	}
	return gonumSVD(a, true)
}

// SingularValues returns the singular values of a (descending), or false
// when the factorisation did not converge. Cost O(m n min(m, n)) flops,
// O(m n) memory (a copy of a).
func SingularValues(a blas64.General) ([]float64, bool) {
	if a.Rows == 0 || a.Cols == 0 {
		return nil, true
	}
	if s, ok := lapackSVD(a, false); ok {
		return s.S, true
	}
	s, ok := gonumSVD(a, false)
	if !ok {
		return nil, false
	}
	return s.S, true
}

// contiguous returns a copy of a with stride = cols.
func contiguous(a blas64.General) []float64 {
	out := make([]float64, a.Rows*a.Cols)
	for i := 0; i < a.Rows; i++ {
		copy(out[i*a.Cols:(i+1)*a.Cols], a.Data[i*a.Stride:i*a.Stride+a.Cols])
	}
	return out
}

// gonumSVD is the pure Go path: mat.SVD (Dgesvd), V transposed into Vt.
func gonumSVD(a blas64.General, vectors bool) (*SVD, bool) {
	var svd mat.SVD
	kind := mat.SVDNone
	if vectors {
		kind = mat.SVDThin
	}
	if !svd.Factorize(mat.NewDense(a.Rows, a.Cols, contiguous(a)), kind) {
		return nil, false
	}
	out := &SVD{S: svd.Values(nil)}
	if !vectors {
		return out, true
	}
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	out.U = u.RawMatrix()
	var vt mat.Dense
	vt.CloneFrom(v.T())
	out.Vt = vt.RawMatrix()
	return out, true
}
