// Package blas selects the BLAS implementation used by gonum's blas64 and
// blas32 wrappers (and so by mat.Dense products and the native packages).
//
// Built with the "openblas" build tag (and cgo, CGO_LDFLAGS=-lopenblas, as
// the Makefile exports when libopenblas is installed), importing this package
// routes blas64 and blas32 through OpenBLAS via gonum.org/v1/netlib's cgo
// bindings. Without the tag it leaves gonum's pure Go BLAS in place. Packages
// doing heavy linear algebra import it for this side effect:
//
//	import _ "github.com/subspace-kernel/subspace/native/blas"
package blas

// Backend reports the BLAS implementation in use: "openblas" or
// "gonum (pure Go)". O(1).
func Backend() string { return backend }
