//go:build cgo && openblas

package blas

// Link OpenBLAS (Debian's libopenblas provides the cblas_* symbols that
// gonum's netlib bindings call) even when CGO_LDFLAGS is not set.

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

const backend = "openblas"

func init() {
	blas64.Use(netlib.Implementation{})
	blas32.Use(netlib.Implementation{})
}
