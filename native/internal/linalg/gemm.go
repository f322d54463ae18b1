package linalg

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// GemmNT64 computes c (m x n) = a (m x k) b^T for b (n x k), all
// contiguous row-major: the products of rows with rows that kNN searches
// and relative representations are made of. O(m n k) flops through the
// BLAS of native/blas.
func GemmNT64(m, n, k int, a, b, c []float64) {
	blas64.Gemm(blas.NoTrans, blas.Trans, 1,
		blas64.General{Rows: m, Cols: k, Stride: k, Data: a},
		blas64.General{Rows: n, Cols: k, Stride: k, Data: b},
		0, blas64.General{Rows: m, Cols: n, Stride: n, Data: c})
}

// GemmNT32 is GemmNT64 in float32. O(m n k) flops.
func GemmNT32(m, n, k int, a, b, c []float32) {
	blas32.Gemm(blas.NoTrans, blas.Trans, 1,
		blas32.General{Rows: m, Cols: k, Stride: k, Data: a},
		blas32.General{Rows: n, Cols: k, Stride: k, Data: b},
		0, blas32.General{Rows: m, Cols: n, Stride: n, Data: c})
}
