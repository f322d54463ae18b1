package similarity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// sqDistances returns the full n x n matrix of squared Euclidean distances
// between rows of x, from the Gram matrix of the centred data (one SYRK),
// clamped at 0 with an exact zero diagonal. O(n^2 d) in BLAS, O(n^2) memory.
func sqDistances(x *mat.Dense) gram {
	xc := centred(x)
	n := xc.Rows
	g := blas64.Symmetric{N: n, Stride: n, Uplo: blas.Upper, Data: make([]float64, n*n)}
	blas64.Syrk(blas.NoTrans, 1, xc, 0, g)
	out := gram{n: n, data: g.Data} // reuse: fill lower from upper, then transform
	diag := make([]float64, n)
	for i := 0; i < n; i++ {
		diag[i] = g.Data[i*n+i]
	}
	for i := 0; i < n; i++ {
		out.data[i*n+i] = 0
		for j := i + 1; j < n; j++ {
			d := diag[i] + diag[j] - 2*g.Data[i*n+j]
			if d < 0 {
				d = 0
			}
			out.data[i*n+j] = d
			out.data[j*n+i] = d
		}
	}
	return out
}

// selectKth returns the k-th smallest (0-based) element of v, reordering v.
// Expected O(len(v)).
func selectKth(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		// median of three as pivot
		a, b, c := v[lo], v[mid], v[hi]
		p := b
		if (a <= b) == (b <= c) {
			p = b
		} else if (b <= a) == (a <= c) {
			p = a
		} else {
			p = c
		}
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for v[j] > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

// median returns the median of v (mean of the two middle values for an even
// count, as numpy), reordering v. Expected O(len(v)).
func median(v []float64) float64 {
	m := len(v)
	if m%2 == 1 {
		return selectKth(v, m/2)
	}
	hi := selectKth(v, m/2)
	// the largest of the lower half
	lo := v[0]
	for _, x := range v[:m/2] {
		if x > lo {
			lo = x
		}
	}
	return (lo + hi) / 2
}

// rbfGram turns x into the RBF kernel exp(-||xi-xj||^2 / (2 sigma^2)) with
// sigma = factor * sqrt(median of the non-zero squared distances).
func rbfGram(x *mat.Dense, factor float64) (gram, float64, error) {
	if factor == 0 {
		factor = 1
	}
	if !(factor > 0) || math.IsInf(factor, 0) {
		return gram{}, 0, fmt.Errorf("similarity: sigma factor must be positive and finite, got %v", factor)
	}
	d := sqDistances(x)
	n := d.n
	nz := make([]float64, 0, n*(n-1)/2)
	for i := 0; i < n; i++ {
		for _, v := range d.data[i*n+i+1 : (i+1)*n] {
			if v > 0 {
				nz = append(nz, v)
			}
		}
	}
	if len(nz) == 0 {
		return gram{}, 0, fmt.Errorf("similarity: all %d points are identical: RBF bandwidth undefined", n)
	}
	sigma := factor * math.Sqrt(median(nz))
	s := -0.5 / (sigma * sigma)
	for i, v := range d.data {
		d.data[i] = math.Exp(v * s)
	}
	return d, sigma, nil
}

// RBFKernel returns the n x n RBF (Gaussian) kernel matrix of the rows of X,
// K_ij = exp(-||x_i - x_j||^2 / (2 sigma^2)), and the sigma used:
// sigma = sigmaFactor * sqrt(median of the non-zero squared pairwise
// distances) (the latentis / Kornblith convention; sigmaFactor 0 means 1).
// Cost O(n^2 d) (one SYRK) plus an expected O(n^2) median; memory O(n^2).
func RBFKernel(x *mat.Dense, sigmaFactor float64) (*mat.SymDense, float64, error) {
	if err := checkOne("X", x); err != nil {
		return nil, 0, err
	}
	g, sigma, err := rbfGram(x, sigmaFactor)
	if err != nil {
		return nil, 0, err
	}
	return mat.NewSymDense(g.n, g.data), sigma, nil
}

// RBFCKA returns CKA with RBF kernels (biased HSIC, Kornblith et al. 2019), a
// similarity in [0, 1]; each representation gets its own bandwidth
// sigma = sigmaFactor * sqrt(median non-zero squared distance) (sigmaFactor
// 0 means 1). It is 1 for Y = c X Q + b (orthogonal Q, c > 0), because the
// median rule rescales sigma with c. Cost O(n^2 (d1 + d2)), memory O(n^2).
func RBFCKA(x, y *mat.Dense, sigmaFactor float64) (float64, error) {
	return rbfCKA(x, y, sigmaFactor, false)
}

// DebiasedRBFCKA is RBFCKA with Song et al.'s unbiased HSIC (needs n > 3);
// it can be slightly negative. Cost O(n^2 (d1 + d2)), memory O(n^2).
func DebiasedRBFCKA(x, y *mat.Dense, sigmaFactor float64) (float64, error) {
	return rbfCKA(x, y, sigmaFactor, true)
}

func rbfCKA(x, y *mat.Dense, f float64, debiased bool) (float64, error) {
	n, _, _, err := checkPair(x, y)
	if err != nil {
		return 0, err
	}
	if debiased && n <= 3 {
		return 0, fmt.Errorf("similarity: debiased CKA needs more than 3 points, got %d", n)
	}
	gk, _, err := rbfGram(x, f)
	if err != nil {
		return 0, fmt.Errorf("X: %w", err)
	}
	gl, _, err := rbfGram(y, f)
	if err != nil {
		return 0, fmt.Errorf("Y: %w", err)
	}
	return gramCKA(gk, gl, debiased)
}
