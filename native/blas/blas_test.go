package blas

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// TestGemm checks that the selected backend computes correct products in
// both precisions (a 3x2 by 2x3 product checked entry by entry against a
// plain triple loop), whichever backend the build tags chose.
func TestGemm(t *testing.T) {
	t.Logf("backend: %s", Backend())
	if b := Backend(); b != "openblas" && b != "gonum (pure Go)" {
		t.Fatalf("unexpected backend name %q", b)
	}
	a := []float64{1, 2, 3, 4, 5, 6}    // 3x2
	b := []float64{7, 8, 9, 10, 11, 12} // 2x3
	want := make([]float64, 9)          // 3x3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 2; k++ {
				want[i*3+j] += a[i*2+k] * b[k*3+j]
			}
		}
	}
	c := make([]float64, 9)
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas64.General{Rows: 3, Cols: 2, Stride: 2, Data: a},
		blas64.General{Rows: 2, Cols: 3, Stride: 3, Data: b},
		0, blas64.General{Rows: 3, Cols: 3, Stride: 3, Data: c})
	a32 := make([]float32, 6)
	b32 := make([]float32, 6)
	for i := range a {
		a32[i], b32[i] = float32(a[i]), float32(b[i])
	}
	c32 := make([]float32, 9)
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas32.General{Rows: 3, Cols: 2, Stride: 2, Data: a32},
		blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: b32},
		0, blas32.General{Rows: 3, Cols: 3, Stride: 3, Data: c32})
	for i := range want {
		if c[i] != want[i] || math.Abs(float64(c32[i])-want[i]) > 1e-5 {
			t.Fatalf("entry %d: float64 %v float32 %v want %v", i, c[i], c32[i], want[i])
		}
	}
}
