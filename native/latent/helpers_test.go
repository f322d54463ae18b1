package latent

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// gauss returns an n x d standard normal matrix from seed.
func gauss(seed uint64, n, d int) *mat.Dense {
	return sample.Gaussian(rand.New(rand.NewPCG(seed, 7)), n, d)
}

// orthogonal returns a random d x d orthogonal matrix (Q of the QR of a
// Gaussian matrix).
func orthogonal(seed uint64, d int) *mat.Dense {
	var qr mat.QR
	qr.Factorize(gauss(seed, d, d))
	var q mat.Dense
	qr.QTo(&q)
	return &q
}

// affineMap returns s x Q + b for every row x.
func affineMap(x, q *mat.Dense, s float64, b []float64) *mat.Dense {
	n, _ := x.Dims()
	_, d := q.Dims()
	out := mat.NewDense(n, d, nil)
	out.Mul(x, q)
	out.Scale(s, out)
	if b != nil {
		addBias(out, b)
	}
	return out
}

// maxAbsDiff returns max |a_ij - b_ij|, failing on a shape mismatch.
func maxAbsDiff(t *testing.T, a, b mat.Matrix) float64 {
	t.Helper()
	ra, ca := a.Dims()
	rb, cb := b.Dims()
	if ra != rb || ca != cb {
		t.Fatalf("shapes %d x %d and %d x %d", ra, ca, rb, cb)
	}
	var m float64
	for i := 0; i < ra; i++ {
		for j := 0; j < ca; j++ {
			m = math.Max(m, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return m
}

// fromRows builds a matrix from JSON rows.
func fromRows(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// wantErr fails unless err is non-nil and its text is want.
func wantErr(t *testing.T, name string, err error, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want %q", name, want)
		return
	}
	if err.Error() != want {
		t.Errorf("%s: error\n  %q\nwant\n  %q", name, err.Error(), want)
	}
}
