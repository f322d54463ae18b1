package similarity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// leftSVD returns the left singular vectors U (n x r, orthonormal columns)
// and singular values s (r, descending) of a (n x d), keeping the r
// numerically non-zero ones (s_i > max(n, d) * eps * s_max, numpy's rank
// rule). For n >= d it factorises a = QR (blocked Householder, LAPACK
// Geqrf/Orgqr) and takes the SVD of the d x d R, so U = Q U_R: O(n d^2) with
// the heavy part in BLAS-3 and O(n d) memory (no n x n matrix). For n < d it
// uses a thin SVD of a directly, O(n^2 d).
func leftSVD(a blas64.General) (blas64.General, []float64, error) {
	n, d := a.Rows, a.Cols
	var u blas64.General
	var s []float64
	if n >= d {
		q := blas64.General{Rows: n, Cols: d, Stride: d, Data: make([]float64, n*d)}
		for i := 0; i < n; i++ {
			copy(q.Data[i*d:(i+1)*d], a.Data[i*a.Stride:i*a.Stride+d])
		}
		tau := make([]float64, d)
		work := []float64{0}
		lapack64.Geqrf(q, tau, work, -1)
		work = make([]float64, int(work[0]))
		lapack64.Geqrf(q, tau, work, len(work))
		r := mat.NewDense(d, d, nil)
		for i := 0; i < d; i++ {
			for j := i; j < d; j++ {
				r.Set(i, j, q.Data[i*d+j])
			}
		}
		work = []float64{0}
		lapack64.Orgqr(q, tau, work, -1)
		work = make([]float64, int(work[0]))
		lapack64.Orgqr(q, tau, work, len(work))
		var svd mat.SVD
		if !svd.Factorize(r, mat.SVDThin) {
			return u, nil, fmt.Errorf("similarity: SVD did not converge")
		}
		s = svd.Values(nil)
		var ur mat.Dense
		svd.UTo(&ur)
		u = blas64.General{Rows: n, Cols: d, Stride: d, Data: make([]float64, n*d)}
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, q, ur.RawMatrix(), 0, u)
	} else {
		var svd mat.SVD
		if !svd.Factorize(mat.NewDense(n, d, append([]float64(nil), a.Data[:n*d]...)), mat.SVDThin) {
			return u, nil, fmt.Errorf("similarity: SVD did not converge")
		}
		s = svd.Values(nil)
		var ud mat.Dense
		svd.UTo(&ud)
		u = ud.RawMatrix()
	}
	r := 0
	if len(s) > 0 {
		tol := float64(max(n, d)) * 0x1p-52 * s[0]
		for r < len(s) && s[r] > tol {
			r++
		}
	}
	return keepCols(u, r), s[:r], nil
}

// keepCols returns the first r columns of g (a view).
func keepCols(g blas64.General, r int) blas64.General {
	return blas64.General{Rows: g.Rows, Cols: r, Stride: g.Stride, Data: g.Data}
}

// singularValues returns the singular values (descending) of a^T b.
func crossSingularValues(a, b blas64.General) ([]float64, error) {
	if a.Cols == 0 || b.Cols == 0 {
		return nil, nil
	}
	m := mat.NewDense(a.Cols, b.Cols, nil)
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, a, b, 0, m.RawMatrix())
	var svd mat.SVD
	if !svd.Factorize(m, mat.SVDNone) {
		return nil, fmt.Errorf("similarity: SVD did not converge")
	}
	return svd.Values(nil), nil
}

func needRows(n, d int, name, method string) error {
	if n < d {
		return fmt.Errorf("similarity: %s needs at least as many points as dimensions, %s is %d x %d (use SVCCA, or reduce the dimension first)", method, name, n, d)
	}
	return nil
}

// ccaPrep is an orthonormal basis of a centred representation's column
// space (what CCA needs of it), with the centred data for PWCCA's weights.
type ccaPrep struct {
	xc blas64.General
	u  blas64.General
}

func newCCAPrep(x *mat.Dense, name, method string) (*ccaPrep, error) {
	n, d := x.Dims()
	if err := needRows(n, d, name, method); err != nil {
		return nil, err
	}
	xc := centred(x)
	u, _, err := leftSVD(xc)
	if err != nil {
		return nil, err
	}
	if u.Cols == 0 {
		return nil, fmt.Errorf("similarity: %s has zero variance (all rows equal)", name)
	}
	return &ccaPrep{xc: xc, u: u}, nil
}

func clamp01(v []float64) []float64 {
	for i, x := range v {
		v[i] = math.Min(1, math.Max(0, x))
	}
	return v
}

// CanonicalCorrelations returns the canonical correlations of X (n x d1)
// and Y (n x d2), descending, in [0, 1]: the singular values of
// Q_x^T Q_y where Q_x, Q_y are orthonormal bases of the centred columns
// (QR, then an SVD of R to drop numerically dependent directions). There are
// min(rank X, rank Y) of them. It needs n >= d1 and n >= d2. Cost
// O(n (d1^2 + d2^2 + d1 d2)), memory O(n (d1 + d2)).
func CanonicalCorrelations(x, y *mat.Dense) ([]float64, error) {
	if _, _, _, err := checkPair(x, y); err != nil {
		return nil, err
	}
	px, err := newCCAPrep(x, "X", "CCA")
	if err != nil {
		return nil, err
	}
	py, err := newCCAPrep(y, "Y", "CCA")
	if err != nil {
		return nil, err
	}
	rho, err := crossSingularValues(px.u, py.u)
	return clamp01(rho), err
}

// CCA returns the mean canonical correlation of X and Y (mean of
// CanonicalCorrelations), a similarity in [0, 1]: 1 when Y = X A + b for an
// invertible A. Requirements and cost as CanonicalCorrelations.
func CCA(x, y *mat.Dense) (float64, error) {
	rho, err := CanonicalCorrelations(x, y)
	if err != nil {
		return 0, err
	}
	return mean(rho), nil
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// svccaKeep returns the number of leading singular values whose cumulative
// sum first reaches threshold * total.
func svccaKeep(s []float64, threshold float64) int {
	var total float64
	for _, v := range s {
		total += v
	}
	var c float64
	for i, v := range s {
		c += v
		if c >= threshold*total {
			return i + 1
		}
	}
	return len(s)
}

func newSVCCAPrep(x *mat.Dense, name string, threshold float64) (blas64.General, error) {
	u, s, err := leftSVD(centred(x))
	if err != nil {
		return u, err
	}
	if u.Cols == 0 {
		return u, fmt.Errorf("similarity: %s has zero variance (all rows equal)", name)
	}
	return keepCols(u, svccaKeep(s, threshold)), nil
}

func checkThreshold(t float64) (float64, error) {
	if t == 0 {
		return 0.99, nil
	}
	if !(t > 0 && t <= 1) {
		return 0, fmt.Errorf("similarity: SVCCA threshold must be in (0, 1], got %v", t)
	}
	return t, nil
}

// SVCCA returns singular vector CCA (Raghu et al. 2017), a similarity in
// [0, 1]: each centred representation is reduced to its leading left
// singular directions, the fewest whose singular values sum to at least
// threshold of the total (threshold 0 means 0.99), then the mean canonical
// correlation of the two reduced representations is taken over
// min(k_x, k_y) correlations. (anatome keeps the directions whose cumulative
// share is strictly below the threshold, one fewer; the google svcca
// tutorials pick a fixed number.) It does not need n >= d. Cost
// O(n d min(n, d)) for each SVD plus O(n k_x k_y); memory O(n (d1 + d2)).
func SVCCA(x, y *mat.Dense, threshold float64) (float64, error) {
	if _, _, _, err := checkPair(x, y); err != nil {
		return 0, err
	}
	t, err := checkThreshold(threshold)
	if err != nil {
		return 0, err
	}
	ux, err := newSVCCAPrep(x, "X", t)
	if err != nil {
		return 0, err
	}
	uy, err := newSVCCAPrep(y, "Y", t)
	if err != nil {
		return 0, err
	}
	rho, err := crossSingularValues(ux, uy)
	return mean(clamp01(rho)), err
}

// PWCCA returns projection-weighted CCA (Morcos, Raghu and Bengio 2018), a
// similarity in [0, 1]: the canonical correlations rho_i weighted by how
// much of the representation with fewer dimensions (by rank; X on a tie, as
// the google svcca code) each canonical variate h_i accounts for,
// alpha_i = sum_j |<h_i, z_j>| over that representation's centred neurons
// z_j (columns), normalised to sum to 1: PWCCA = sum_i alpha_i rho_i.
// The canonical variates are the unit-norm, zero-mean vectors Q_x a_i from
// the SVD Q_x^T Q_y = A S B^T (the google code re-adds neuron means to the
// variates before orthonormalising them, which makes them not orthogonal to
// the constant vector; we keep the centred variates of the paper). Needs
// n >= d1, d2. Cost O(n (d1^2 + d2^2 + d1 d2)), memory O(n (d1 + d2)).
func PWCCA(x, y *mat.Dense) (float64, error) {
	if _, _, _, err := checkPair(x, y); err != nil {
		return 0, err
	}
	px, err := newCCAPrep(x, "X", "PWCCA")
	if err != nil {
		return 0, err
	}
	py, err := newCCAPrep(y, "Y", "PWCCA")
	if err != nil {
		return 0, err
	}
	return pwccaPair(px, py)
}

func pwccaPair(px, py *ccaPrep) (float64, error) {
	if px.u.Cols > py.u.Cols {
		px, py = py, px
	}
	m := mat.NewDense(px.u.Cols, py.u.Cols, nil)
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, px.u, py.u, 0, m.RawMatrix())
	var svd mat.SVD
	if !svd.Factorize(m, mat.SVDThin) {
		return 0, fmt.Errorf("similarity: SVD did not converge")
	}
	rho := clamp01(svd.Values(nil))
	var a mat.Dense
	svd.UTo(&a) // r_x x k
	k := len(rho)
	// canonical variates H = U_x A (n x k); projections P = H^T Z (k x d).
	h := blas64.General{Rows: px.u.Rows, Cols: k, Stride: k, Data: make([]float64, px.u.Rows*k)}
	ar := a.RawMatrix()
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, px.u, blas64.General{Rows: ar.Rows, Cols: k, Stride: ar.Stride, Data: ar.Data}, 0, h)
	p := blas64.General{Rows: k, Cols: px.xc.Cols, Stride: px.xc.Cols, Data: make([]float64, k*px.xc.Cols)}
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, h, px.xc, 0, p)
	var wsum, acc float64
	for i := 0; i < k; i++ {
		var w float64
		for _, v := range p.Data[i*p.Stride : i*p.Stride+p.Cols] {
			w += math.Abs(v)
		}
		wsum += w
		acc += w * rho[i]
	}
	if wsum == 0 {
		return 0, fmt.Errorf("similarity: PWCCA weights are all zero")
	}
	return acc / wsum, nil
}
