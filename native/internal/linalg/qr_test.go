package linalg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// TestThinQR: Q R reproduces a, Q has orthonormal columns and R is upper
// trapezoidal, for tall, square and wide matrices; OrthRows of a^T gives
// ThinQR's Q (transposed, up to signs).
func TestThinQR(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range []struct{ m, n int }{{7, 3}, {5, 5}, {3, 8}, {1, 4}, {6, 1}} {
		a := sample.Gaussian(rng, s.m, s.n)
		q, r := ThinQR(a)
		k := min(s.m, s.n)
		if qr, qc := q.Dims(); qr != s.m || qc != k {
			t.Fatalf("%dx%d: Q is %dx%d", s.m, s.n, qr, qc)
		}
		var rec, qtq mat.Dense
		rec.Mul(q, r)
		if !mat.EqualApprox(&rec, a, 1e-13) {
			t.Errorf("%dx%d: QR != A", s.m, s.n)
		}
		qtq.Mul(q.T(), q)
		if !mat.EqualApprox(&qtq, eye(k), 1e-13) {
			t.Errorf("%dx%d: Q^T Q != I", s.m, s.n)
		}
		for i := 0; i < k; i++ {
			for j := 0; j < i; j++ {
				if r.At(i, j) != 0 {
					t.Errorf("%dx%d: R(%d,%d) = %v below the diagonal", s.m, s.n, i, j, r.At(i, j))
				}
			}
		}
		if s.m >= s.n {
			// OrthRows of a^T spans the same space with the same vectors
			// up to sign.
			at := mat.DenseCopyOf(a.T())
			OrthRows(at)
			for j := 0; j < k; j++ {
				for i := 0; i < s.m; i++ {
					if math.Abs(math.Abs(at.At(j, i))-math.Abs(q.At(i, j))) > 1e-13 {
						t.Fatalf("%dx%d: OrthRows row %d differs from ThinQR's column", s.m, s.n, j)
					}
				}
			}
		}
	}
}

func eye(n int) *mat.Dense {
	e := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		e.Set(i, i, 1)
	}
	return e
}
