package linalg

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// geqrf runs LAPACK's Householder QR on a in place and returns tau.
func geqrf(g blas64.General) []float64 {
	tau := make([]float64, min(g.Rows, g.Cols))
	work := make([]float64, 1)
	lapack64.Geqrf(g, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Geqrf(g, tau, work, len(work))
	return tau
}

// orgqr overwrites the first len(tau) columns of g (the output of geqrf)
// with the explicit Q factor; g must have exactly len(tau) columns.
func orgqr(g blas64.General, tau []float64) {
	work := make([]float64, 1)
	lapack64.Orgqr(g, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Orgqr(g, tau, work, len(work))
}

// ThinQR returns the reduced QR decomposition a = Q R of an m x n matrix of
// any shape: Q is m x k with orthonormal columns and R is k x n upper
// trapezoidal, k = min(m, n). The diagonal of R may be negative (LAPACK's
// sign convention, as numpy.linalg.qr and torch.linalg.qr). a is not
// modified. O(m n k) time, O(m n) memory.
func ThinQR(a mat.Matrix) (q, r *mat.Dense) {
	m, n := a.Dims()
	k := min(m, n)
	f := mat.DenseCopyOf(a)
	g := f.RawMatrix()
	tau := geqrf(g)
	r = mat.NewDense(k, n, nil)
	for i := 0; i < k; i++ {
		copy(r.RawRowView(i)[i:], g.Data[i*g.Stride+i:i*g.Stride+n])
	}
	q = mat.NewDense(m, k, nil)
	q.Copy(f.Slice(0, m, 0, k))
	orgqr(q.RawMatrix(), tau)
	return q, r
}

// OrthRows overwrites the k x n matrix a (k <= n) with orthonormal rows
// spanning its row space when a has full row rank: the Q factor of its LQ
// decomposition (the transpose of ThinQR's Q for a^T, up to signs). On row-major storage it
// works along contiguous rows, which makes it the faster of the two for a
// wide panel. O(n k^2) time, O(k) extra memory.
func OrthRows(a *mat.Dense) {
	g := a.RawMatrix()
	tau := make([]float64, min(g.Rows, g.Cols))
	work := make([]float64, 1)
	lapack64.Gelqf(g, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Gelqf(g, tau, work, len(work))
	work = make([]float64, 1)
	lapack64.Orglq(g, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Orglq(g, tau, work, len(work))
}
