//go:build !(cgo && openblas)

package linalg

import "gonum.org/v1/gonum/blas/blas64"

// lapackSVD is unavailable without the openblas tag: the caller falls back
// to gonum's SVD.
func lapackSVD(blas64.General, bool) (*SVD, bool) { return nil, false }
