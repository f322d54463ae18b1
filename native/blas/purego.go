//go:build !(cgo && openblas)

package blas

const backend = "gonum (pure Go)"
