package similarity

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// crossSq returns ||A^T B||_F^2 for n x d1 A and n x d2 B through one GEMM.
// O(n d1 d2) time, d1 d2 memory.
func crossSq(a, b blas64.General) float64 {
	c := blas64.General{Rows: a.Cols, Cols: b.Cols, Stride: b.Cols, Data: make([]float64, a.Cols*b.Cols)}
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, a, b, 0, c)
	return frobSq(c)
}

// selfSq returns ||A^T A||_F^2 through one SYRK (half the flops of a GEMM).
func selfSq(a blas64.General) float64 {
	c := blas64.Symmetric{N: a.Cols, Stride: a.Cols, Uplo: blas.Upper, Data: make([]float64, a.Cols*a.Cols)}
	blas64.Syrk(blas.Trans, 1, a, 0, c)
	return symFrobSq(c)
}

// stackLimit bounds (d1+d2)^2, the size of the single SYRK output used by
// LinearCKA; wider pairs use one GEMM and two SYRKs with smaller outputs.
var stackLimit = 1 << 25 // a variable so that tests can exercise both paths

// LinearCKA returns the linear centred kernel alignment of X (n x d1) and Y
// (n x d2), a similarity in [0, 1]:
//
//	CKA = ||Yc^T Xc||_F^2 / (||Xc^T Xc||_F ||Yc^T Yc||_F)
//
// with Xc, Yc the column-centred inputs (Kornblith et al. 2019, feature
// form, equal to HSIC(K,L)/sqrt(HSIC(K,K) HSIC(L,L)) with the biased HSIC of
// the linear kernels). It is 1 when Y = c X Q for an orthogonal Q and c > 0.
// We return the similarity, not 1-CKA.
//
// Cost: n (d1 + d2)^2 flops in BLAS (one GEMM for X^T Y and two SYRKs).
// When every column's mean is small enough (mean^2 <= 1e4 variance) the
// products are taken on the raw inputs and corrected by the rank-one mean
// terms, so the data are read but never copied; otherwise both inputs are
// centred block by block (1M elements at a time) into a buffer Z of rows of
// [Xc Yc], and SYRKs accumulate Z^T Z, whose blocks are the three products.
// Memory O((d1 + d2)^2) plus the 8 MB block; no n x n matrix is formed and
// the data are never copied whole (except when (d1 + d2)^2 > 2^25: then
// centred copies, one GEMM and two SYRKs, O(n (d1 + d2) + d1 d2 + d1^2 +
// d2^2)). It returns an error for mismatched rows, empty input, NaN/Inf, or
// a representation with zero variance.
func LinearCKA(x, y *mat.Dense) (float64, error) {
	n, d1, d2, err := checkShapes(x, y)
	if err != nil {
		return 0, err
	}
	xr, yr := x.RawMatrix(), y.RawMatrix()
	// The moments pass doubles as the NaN/Inf check: a non-finite sum sends
	// us to the full scan, which names the position (or finds only an
	// overflow of the squares, and the centring path is taken).
	mx, okx, finx := moments(xr.Data, n, d1, xr.Stride, uncentredRatio)
	my, oky, finy := moments(yr.Data, n, d2, yr.Stride, uncentredRatio)
	if !finx || !finy {
		if _, _, _, err := checkPair(x, y); err != nil {
			return 0, err
		}
	}
	if okx && oky && !forceCentredCopy {
		return uncentredCKA(xr, yr, mx, my)
	}
	if (d1+d2)*(d1+d2) > stackLimit {
		xc, yc := centred(x), centred(y)
		return linearCKACentred(xc, yc, math.Sqrt(selfSq(xc)), math.Sqrt(selfSq(yc)))
	}
	m := d1 + d2
	c := stackedSyrk(xr.Data, xr.Stride, yr.Data, yr.Stride, n, d1, d2, mx, my,
		func(z []float64, rows int, c []float64, beta float64) {
			blas64.Syrk(blas.Trans, 1, blas64.General{Rows: rows, Cols: m, Stride: m, Data: z}, beta,
				blas64.Symmetric{N: m, Stride: m, Uplo: blas.Upper, Data: c})
		})
	xx, xy, yy := stackedBlocks(c, d1, m)
	return ckaRatio(xx, xy, yy)
}

// stackBlockElems is the number of elements of the row block of Z = [Xc Yc]
// centred at a time (8 MB in float64): small enough to stay in cache between
// the centring and the SYRK, large enough for BLAS-3 efficiency.
var stackBlockElems = 1 << 20

// stackedSyrk returns the upper triangle of Z^T Z, Z = [X - 1 mx^T, Y - 1
// my^T] (n x m, m = d1 + d2), accumulated over row blocks of Z that are
// centred into one reused buffer: no n x m copy is ever held. syrk must
// compute c = z^T z + beta c for a rows x m block z.
func stackedSyrk[T float32 | float64](xd []T, xs int, yd []T, ys int, n, d1, d2 int, mx, my []float64,
	syrk func(z []T, rows int, c []T, beta T)) []T {
	m := d1 + d2
	rows := max(64, min(n, stackBlockElems/m))
	z := make([]T, rows*m)
	c := make([]T, m*m)
	mxT, myT := make([]T, d1), make([]T, d2)
	for j, v := range mx {
		mxT[j] = T(v)
	}
	for j, v := range my {
		myT[j] = T(v)
	}
	for lo := 0; lo < n; lo += rows {
		hi := min(n, lo+rows)
		parallelRows(hi-lo, m, func(a, b int) {
			for i := a; i < b; i++ {
				dst := z[i*m : (i+1)*m]
				for j, v := range xd[(lo+i)*xs : (lo+i)*xs+d1] {
					dst[j] = v - mxT[j]
				}
				dst = dst[d1:]
				for j, v := range yd[(lo+i)*ys : (lo+i)*ys+d2] {
					dst[j] = v - myT[j]
				}
			}
		})
		beta := T(1)
		if lo == 0 {
			beta = 0
		}
		syrk(z[:(hi-lo)*m], hi-lo, c, beta)
	}
	return c
}

// uncentredRatio bounds max_j mean_j^2 / var_j for LinearCKA to skip the
// centred copies: products of the raw data are corrected by the rank-one
// mean terms, which multiplies the rounding error of each entry by at most
// about 1 + uncentredRatio (here 1e-12 relative in float64).
const uncentredRatio = 1e4

// forceCentredCopy makes LinearCKA always centre copies (tests).
var forceCentredCopy = false

// moments returns the column means of the r x c data, whether every column
// has mean^2 <= limit * variance (variance > 0), and whether all sums are
// finite (false when the data hold NaN or Inf, or the squares overflow).
// One parallel pass, O(r c).
func moments[T float32 | float64](data []T, r, c, stride int, limit float64) (mean []float64, ok, finite bool) {
	var mu sync.Mutex
	sum := make([]float64, c)
	sq := make([]float64, c)
	parallelRows(r, c, func(lo, hi int) {
		s, q := make([]float64, c), make([]float64, c)
		for i := lo; i < hi; i++ {
			for j, v := range data[i*stride : i*stride+c] {
				f := float64(v)
				s[j] += f
				q[j] += f * f
			}
		}
		mu.Lock()
		for j := range s {
			sum[j] += s[j]
			sq[j] += q[j]
		}
		mu.Unlock()
	})
	ok, finite = true, true
	for j := range sum {
		if math.IsNaN(sq[j]) || math.IsInf(sq[j], 0) || math.IsNaN(sum[j]) || math.IsInf(sum[j], 0) {
			finite = false
		}
		m := sum[j] / float64(r)
		v := sq[j]/float64(r) - m*m
		if !(v > 0) || m*m > limit*v {
			ok = false
		}
		sum[j] = m
	}
	return sum, ok && finite, finite
}

// uncentredCKA computes linear CKA from the raw products X^T Y, X^T X and
// Y^T Y (one GEMM, two SYRKs, no copy of the data) minus n mu_x mu_y^T etc.
func uncentredCKA(x, y blas64.General, mx, my []float64) (float64, error) {
	return ckaRatio(uncentredProduct(x, x, mx, mx, true), uncentredProduct(x, y, mx, my, false),
		uncentredProduct(y, y, my, my, true))
}

// uncentredProduct returns ||(X - 1 mx^T)^T (Y - 1 my^T)||_F^2 computed as
// ||X^T Y - n mx my^T||_F^2 from one GEMM on the raw data (one SYRK when
// self, for X = Y). Accurate when the means are not large against the
// spread (see uncentredRatio).
func uncentredProduct(x, y blas64.General, mx, my []float64, self bool) float64 {
	n := float64(x.Rows)
	d1, d2 := x.Cols, y.Cols
	c := make([]float64, d1*d2)
	if self {
		blas64.Syrk(blas.Trans, 1, x, 0, blas64.Symmetric{N: d1, Stride: d1, Uplo: blas.Upper, Data: c})
		var diag, off float64
		for i := 0; i < d1; i++ {
			a := n * mx[i]
			row := c[i*d1 : (i+1)*d1]
			w := row[i] - a*mx[i]
			diag += w * w
			for j := i + 1; j < d1; j++ {
				w := row[j] - a*mx[j]
				off += w * w
			}
		}
		return diag + 2*off
	}
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, x, y, 0, blas64.General{Rows: d1, Cols: d2, Stride: d2, Data: c})
	var s float64
	for i := 0; i < d1; i++ {
		a := n * mx[i]
		for j, v := range c[i*d2 : (i+1)*d2] {
			v -= a * my[j]
			s += v * v
		}
	}
	return s
}

// stackedBlocks sums the squares of the upper-triangular Z^T Z (row-major,
// width m) into ||X^T X||_F^2, ||X^T Y||_F^2 and ||Y^T Y||_F^2.
func stackedBlocks[T float32 | float64](c []T, d1, m int) (xx, xy, yy float64) {
	for i := 0; i < m; i++ {
		row := c[i*m : (i+1)*m]
		dv := float64(row[i])
		if i < d1 {
			xx += dv * dv
			var off, cross float64
			for _, v := range row[i+1 : d1] {
				off += float64(v) * float64(v)
			}
			for _, v := range row[d1:] {
				cross += float64(v) * float64(v)
			}
			xx += 2 * off
			xy += cross
		} else {
			yy += dv * dv
			var off float64
			for _, v := range row[i+1:] {
				off += float64(v) * float64(v)
			}
			yy += 2 * off
		}
	}
	return xx, xy, yy
}

func ckaRatio(xx, xy, yy float64) (float64, error) {
	if xx == 0 {
		return 0, fmt.Errorf("similarity: X has zero variance (all rows equal): CKA undefined")
	}
	if yy == 0 {
		return 0, fmt.Errorf("similarity: Y has zero variance (all rows equal): CKA undefined")
	}
	return xy / (math.Sqrt(xx) * math.Sqrt(yy)), nil
}

func linearCKACentred(xc, yc blas64.General, nx, ny float64) (float64, error) {
	if nx == 0 {
		return 0, fmt.Errorf("similarity: X has zero variance (all rows equal): CKA undefined")
	}
	if ny == 0 {
		return 0, fmt.Errorf("similarity: Y has zero variance (all rows equal): CKA undefined")
	}
	return crossSq(xc, yc) / (nx * ny), nil
}

// LinearCKA32 is LinearCKA for float32 inputs: the products run in single
// precision (SGEMM/SSYRK: twice the speed of float64, half the memory) while
// means, corrections, norms and the ratio are accumulated in float64. The
// raw-product path is taken when mean^2 <= 10 variance for every column,
// otherwise inputs are centred first. Expect a relative difference from the
// float64 result of about 1e-6 to 1e-4, growing with n. Cost n (d1 + d2)^2
// flops, memory O((d1 + d2)^2) float32 plus a 4 MB block on the centring
// path.
func LinearCKA32(x, y *mat32.Dense) (float64, error) {
	n, d1, d2, err := checkShapes32(x, y)
	if err != nil {
		return 0, err
	}
	mx, okx, finx := moments(x.RawData(), n, d1, d1, uncentredRatio32)
	my, oky, finy := moments(y.RawData(), n, d2, d2, uncentredRatio32)
	if !finx || !finy {
		if _, _, _, err := checkPair32(x, y); err != nil {
			return 0, err
		}
	}
	if okx && oky && !forceCentredCopy {
		return uncentredCKA32(x, y, mx, my)
	}
	m := d1 + d2
	if m*m > stackLimit {
		xc, yc := centred32(x, nil, 0, 0), centred32(y, nil, 0, 0)
		xx, yy := selfSq32(xc), selfSq32(yc)
		c := blas32.General{Rows: d1, Cols: d2, Stride: d2, Data: make([]float32, d1*d2)}
		blas32.Gemm(blas.Trans, blas.NoTrans, 1, xc, yc, 0, c)
		var xy float64
		for _, v := range c.Data {
			xy += float64(v) * float64(v)
		}
		return ckaRatio(xx, xy, yy)
	}
	c := stackedSyrk(x.RawData(), d1, y.RawData(), d2, n, d1, d2, mx, my,
		func(z []float32, rows int, c []float32, beta float32) {
			blas32.Syrk(blas.Trans, 1, blas32.General{Rows: rows, Cols: m, Stride: m, Data: z}, beta,
				blas32.Symmetric{N: m, Stride: m, Uplo: blas.Upper, Data: c})
		})
	xx, xy, yy := stackedBlocks(c, d1, m)
	return ckaRatio(xx, xy, yy)
}

// uncentredRatio32 is uncentredRatio for float32 data: the raw-product
// path may multiply the rounding error of each product entry by up to about
// 11, still within the 1e-4 relative accuracy stated for LinearCKA32.
const uncentredRatio32 = 10

// uncentredCKA32 is uncentredCKA in float32 (corrections and sums in
// float64).
func uncentredCKA32(x, y *mat32.Dense, mx, my []float64) (float64, error) {
	n, d1 := x.Dims()
	_, d2 := y.Dims()
	xg := blas32.General{Rows: n, Cols: d1, Stride: d1, Data: x.RawData()}
	yg := blas32.General{Rows: n, Cols: d2, Stride: d2, Data: y.RawData()}
	c := make([]float32, d1*d2)
	blas32.Gemm(blas.Trans, blas.NoTrans, 1, xg, yg, 0, blas32.General{Rows: d1, Cols: d2, Stride: d2, Data: c})
	fn := float64(n)
	var xy float64
	for i := 0; i < d1; i++ {
		a := fn * mx[i]
		for j, v := range c[i*d2 : (i+1)*d2] {
			w := float64(v) - a*my[j]
			xy += w * w
		}
	}
	self := func(g blas32.General, m []float64) float64 {
		d := g.Cols
		s := blas32.Symmetric{N: d, Stride: d, Uplo: blas.Upper, Data: make([]float32, d*d)}
		blas32.Syrk(blas.Trans, 1, g, 0, s)
		var diag, off float64
		for i := 0; i < d; i++ {
			a := fn * m[i]
			row := s.Data[i*d : (i+1)*d]
			w := float64(row[i]) - a*m[i]
			diag += w * w
			for j := i + 1; j < d; j++ {
				w := float64(row[j]) - a*m[j]
				off += w * w
			}
		}
		return diag + 2*off
	}
	return ckaRatio(self(xg, mx), xy, self(yg, my))
}

// centred32 writes the column-centred float32 x (means accumulated in
// float64) into columns off.. of dst (row stride ld), or into a new
// contiguous buffer when dst is nil. O(n d).
func centred32(x *mat32.Dense, dst []float32, ld, off int) blas32.General {
	r, c := x.Dims()
	data := x.RawData()
	var mu sync.Mutex
	mean := make([]float64, c)
	parallelRows(r, c, func(lo, hi int) {
		s := make([]float64, c)
		for i := lo; i < hi; i++ {
			for j, v := range data[i*c : (i+1)*c] {
				s[j] += float64(v)
			}
		}
		mu.Lock()
		for j := range s {
			mean[j] += s[j]
		}
		mu.Unlock()
	})
	m32 := make([]float32, c)
	for j := range mean {
		m32[j] = float32(mean[j] / float64(r))
	}
	if dst == nil {
		dst, ld, off = make([]float32, r*c), c, 0
	}
	parallelRows(r, c, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			src := data[i*c : (i+1)*c]
			out := dst[i*ld+off : i*ld+off+c]
			for j, v := range src {
				out[j] = v - m32[j]
			}
		}
	})
	return blas32.General{Rows: r, Cols: c, Stride: ld, Data: dst}
}

func selfSq32(a blas32.General) float64 {
	c := blas32.Symmetric{N: a.Cols, Stride: a.Cols, Uplo: blas.Upper, Data: make([]float32, a.Cols*a.Cols)}
	blas32.Syrk(blas.Trans, 1, a, 0, c)
	var diag, off float64
	for i := 0; i < c.N; i++ {
		row := c.Data[i*c.Stride : i*c.Stride+c.N]
		diag += float64(row[i]) * float64(row[i])
		for _, v := range row[i+1:] {
			off += float64(v) * float64(v)
		}
	}
	return diag + 2*off
}

// hsicTerms holds what the unbiased HSIC estimator (Song et al. 2012, eq. 5)
// needs of one representation with linear kernel K = X X^T, after zeroing
// K's diagonal: diag[i] = K_ii, row[i] = sum_{j != i} K_ij and sum = the sum
// of the off-diagonal entries. O(n) memory.
type hsicTerms struct {
	diag, row []float64
	sum       float64
}

// linearHSICTerms computes hsicTerms of K = X X^T in O(n d) without
// forming K.
func linearHSICTerms(x blas64.General) hsicTerms {
	n, d := x.Rows, x.Cols
	col := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range x.Data[i*x.Stride : i*x.Stride+d] {
			col[j] += v
		}
	}
	t := hsicTerms{diag: make([]float64, n), row: make([]float64, n)}
	var total float64
	for _, v := range col {
		total += v * v
	}
	for i := 0; i < n; i++ {
		var kd, kr float64
		for j, v := range x.Data[i*x.Stride : i*x.Stride+d] {
			kd += v * v
			kr += v * col[j]
		}
		t.diag[i] = kd
		t.row[i] = kr - kd
		total -= kd
	}
	t.sum = total
	return t
}

// unbiasedHSIC combines the full Frobenius product <K, L> (diagonal
// included) with both representations' terms into Song et al.'s unbiased
// HSIC estimate:
//
//	[tr(K~L~) + 1'K~1 1'L~1/((n-1)(n-2)) - 2/(n-2) 1'K~L~1] / (n(n-3))
//
// where K~, L~ are K, L with zeroed diagonals.
func unbiasedHSIC(kl float64, a, b hsicTerms) float64 {
	n := float64(len(a.diag))
	t1 := kl
	var t3 float64
	for i := range a.diag {
		t1 -= a.diag[i] * b.diag[i]
		t3 += a.row[i] * b.row[i]
	}
	return (t1 + a.sum*b.sum/((n-1)*(n-2)) - 2*t3/(n-2)) / (n * (n - 3))
}

// DebiasedCKA returns linear CKA computed with the unbiased HSIC estimator
// (Song et al. 2012) in place of the biased one, as in Kornblith et al.'s
// "debiased" feature-space CKA:
//
//	HSIC_u(K,L) / sqrt(HSIC_u(K,K) HSIC_u(L,L)),  K = Xc Xc^T, L = Yc Yc^T.
//
// It removes the upward bias of CKA at small n (independent N(0,1) inputs
// with n = 32 give about 0.2 with LinearCKA and about 0 here) and can be
// slightly negative. It needs n > 3. Cost and memory as LinearCKA (feature
// form, no n x n matrix) plus O(n d).
func DebiasedCKA(x, y *mat.Dense) (float64, error) {
	n, _, _, err := checkPair(x, y)
	if err != nil {
		return 0, err
	}
	if n <= 3 {
		return 0, fmt.Errorf("similarity: debiased CKA needs more than 3 points, got %d", n)
	}
	px, py := newDebiasedPrep(centred(x)), newDebiasedPrep(centred(y))
	return debiasedPair(px, py)
}

type debiasedPrep struct {
	xc    blas64.General
	terms hsicTerms
	self  float64 // unbiased HSIC(K, K)
}

func newDebiasedPrep(xc blas64.General) *debiasedPrep {
	p := &debiasedPrep{xc: xc, terms: linearHSICTerms(xc)}
	p.self = unbiasedHSIC(selfSq(xc), p.terms, p.terms)
	return p
}

func debiasedPair(px, py *debiasedPrep) (float64, error) {
	if !(px.self > 0) {
		return 0, fmt.Errorf("similarity: unbiased HSIC(X, X) = %g is not positive: debiased CKA undefined", px.self)
	}
	if !(py.self > 0) {
		return 0, fmt.Errorf("similarity: unbiased HSIC(Y, Y) = %g is not positive: debiased CKA undefined", py.self)
	}
	xy := unbiasedHSIC(crossSq(px.xc, py.xc), px.terms, py.terms)
	return xy / math.Sqrt(px.self*py.self), nil
}

// gram is a full (both triangles filled) symmetric n x n kernel matrix.
type gram struct {
	n    int
	data []float64
}

func symToGram(k mat.Symmetric) gram {
	n := k.SymmetricDim()
	g := gram{n: n, data: make([]float64, n*n)}
	if s, ok := k.(*mat.SymDense); ok {
		raw := s.RawSymmetric()
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				var v float64
				if raw.Uplo == blas.Upper {
					v = raw.Data[i*raw.Stride+j]
				} else {
					v = raw.Data[j*raw.Stride+i]
				}
				g.data[i*n+j], g.data[j*n+i] = v, v
			}
		}
		return g
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := k.At(i, j)
			g.data[i*n+j], g.data[j*n+i] = v, v
		}
	}
	return g
}

// centredGram returns H K H (double centring) and its Frobenius norm.
func (g gram) centred() (gram, float64) {
	n := g.n
	rm := make([]float64, n)
	var gm float64
	for i := 0; i < n; i++ {
		var s float64
		for _, v := range g.data[i*n : (i+1)*n] {
			s += v
		}
		rm[i] = s / float64(n)
		gm += s
	}
	gm /= float64(n * n)
	out := gram{n: n, data: make([]float64, n*n)}
	var fro float64
	for i := 0; i < n; i++ {
		row := g.data[i*n : (i+1)*n]
		dst := out.data[i*n : (i+1)*n]
		for j, v := range row {
			c := v - rm[i] - rm[j] + gm
			dst[j] = c
			fro += c * c
		}
	}
	return out, math.Sqrt(fro)
}

func (g gram) dot(h gram) float64 {
	var s float64
	for i, v := range g.data {
		s += v * h.data[i]
	}
	return s
}

func (g gram) terms() hsicTerms {
	n := g.n
	t := hsicTerms{diag: make([]float64, n), row: make([]float64, n)}
	for i := 0; i < n; i++ {
		var s float64
		for _, v := range g.data[i*n : (i+1)*n] {
			s += v
		}
		d := g.data[i*n+i]
		t.diag[i] = d
		t.row[i] = s - d
		t.sum += s - d
	}
	return t
}

func checkGrams(k, l mat.Symmetric) (int, error) {
	if k == nil || l == nil {
		return 0, fmt.Errorf("similarity: nil kernel matrix")
	}
	n, m := k.SymmetricDim(), l.SymmetricDim()
	if n == 0 || m == 0 {
		return 0, fmt.Errorf("%w: kernel matrix of size 0", ErrEmpty)
	}
	if n != m {
		return 0, fmt.Errorf("similarity: kernel matrices have sizes %d and %d: rows must be the same stimuli", n, m)
	}
	for _, s := range []struct {
		name string
		k    mat.Symmetric
	}{{"K", k}, {"L", l}} {
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				if v := s.k.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
					return 0, fmt.Errorf("similarity: kernel %s has %v at (%d, %d)", s.name, v, i, j)
				}
			}
		}
	}
	return n, nil
}

// KernelCKA returns CKA between two precomputed n x n kernel (Gram)
// matrices K and L of the same stimuli: HSIC(K,L)/sqrt(HSIC(K,K) HSIC(L,L))
// with the biased HSIC tr(KHLH) (debiased=false) or Song et al.'s unbiased
// HSIC (debiased=true, needs n > 3). With K = X X^T and L = Y Y^T it equals
// LinearCKA / DebiasedCKA. Cost O(n^2) time, O(n^2) memory (the centred
// copies).
func KernelCKA(k, l mat.Symmetric, debiased bool) (float64, error) {
	n, err := checkGrams(k, l)
	if err != nil {
		return 0, err
	}
	if debiased && n <= 3 {
		return 0, fmt.Errorf("similarity: debiased CKA needs more than 3 points, got %d", n)
	}
	return gramCKA(symToGram(k), symToGram(l), debiased)
}

func gramCKA(gk, gl gram, debiased bool) (float64, error) {
	if debiased {
		tk, tl := gk.terms(), gl.terms()
		kk := unbiasedHSIC(gk.dot(gk), tk, tk)
		ll := unbiasedHSIC(gl.dot(gl), tl, tl)
		if !(kk > 0) || !(ll > 0) {
			return 0, fmt.Errorf("similarity: unbiased HSIC(K,K) = %g, HSIC(L,L) = %g: debiased CKA needs both positive", kk, ll)
		}
		return unbiasedHSIC(gk.dot(gl), tk, tl) / math.Sqrt(kk*ll), nil
	}
	ck, nk := gk.centred()
	cl, nl := gl.centred()
	if nk == 0 || nl == 0 {
		return 0, fmt.Errorf("similarity: a centred kernel matrix is zero (constant kernel): CKA undefined")
	}
	return ck.dot(cl) / (nk * nl), nil
}
