package dependence

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
)

// gemmMinDim is the dimension from which pairwise distances come from
// BLAS products (|a|^2 + |b|^2 - 2 a.b on centred data) rather than
// explicit differences: for embeddings (hundreds of dimensions) this is
// an order of magnitude faster, with an absolute error of about
// 1e-16 (|a|^2 + |b|^2) on squared distances.
const gemmMinDim = 32

// distSource produces rows of squared pairwise distances of a sample.
type distSource struct {
	s     sample
	gemm  bool
	c     []float64 // centred copy (gemm only)
	norms []float64 // squared norms of the centred rows (gemm only)
}

func newDistSource(s sample) *distSource {
	ds := &distSource{s: s, gemm: s.dim >= gemmMinDim}
	if !ds.gemm {
		return ds
	}
	n, d := s.n, s.dim
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for k, v := range s.v[i*d : (i+1)*d] {
			mean[k] += v
		}
	}
	for k := range mean {
		mean[k] /= float64(n)
	}
	ds.c = make([]float64, n*d)
	ds.norms = make([]float64, n)
	for i := 0; i < n; i++ {
		var q float64
		for k, v := range s.v[i*d : (i+1)*d] {
			t := v - mean[k]
			ds.c[i*d+k] = t
			q += t * t
		}
		ds.norms[i] = q
	}
	return ds
}

// product fills out (rows i0..i1, n columns) with -2 <c_i, c_j> by one
// GEMM; only for gemm sources. finishRow then completes row i.
func (ds *distSource) product(i0, i1 int, out []float64) {
	n, d := ds.s.n, ds.s.dim
	a := blas64.General{Rows: i1 - i0, Cols: d, Stride: d, Data: ds.c[i0*d : i1*d]}
	b := blas64.General{Rows: n, Cols: d, Stride: d, Data: ds.c}
	c := blas64.General{Rows: i1 - i0, Cols: n, Stride: n, Data: out[:(i1-i0)*n]}
	blas64.Gemm(blas.NoTrans, blas.Trans, -2, a, b, 0, c)
}

// row writes |s_i - s_j|^e for all j into out. For gemm sources out must
// already hold -2 <c_i, c_j> (from product).
func (ds *distSource) row(i int, e float64, out []float64) {
	s := ds.s
	d := s.dim
	if ds.gemm {
		ni := ds.norms[i]
		for j := range out {
			q := out[j] + ni + ds.norms[j]
			if q < 0 || j == i {
				q = 0
			}
			out[j] = powHalf(q, e)
		}
		return
	}
	xi := s.v[i*d : (i+1)*d]
	for j := 0; j < s.n; j++ {
		xj := s.v[j*d : (j+1)*d]
		if d == 1 {
			r := math.Abs(xi[0] - xj[0])
			if e != 1 {
				r = math.Pow(r, e)
			}
			out[j] = r
			continue
		}
		var q float64
		for k, v := range xi {
			t := v - xj[k]
			q += t * t
		}
		out[j] = powHalf(q, e)
	}
}

// powHalf returns q^(e/2), the distance to the power e from its square.
func powHalf(q, e float64) float64 {
	switch e {
	case 1:
		return math.Sqrt(q)
	case 2:
		return q
	}
	return math.Pow(q, e/2)
}
