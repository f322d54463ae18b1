package compress

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// PCAProjection projects rows on their k leading principal axes, optionally
// whitened (unit variance along each axis), as scikit-learn's
// PCA(n_components=k, whiten=...).
type PCAProjection struct {
	// Mean is the column mean of the fitted data (d).
	Mean []float64
	// Components is k x d, one unit axis a row, by decreasing variance;
	// signs follow scikit-learn's svd_flip (the fitted row of largest
	// |score| on each axis has a positive score).
	Components *mat.Dense
	// ExplainedVariance holds the variance along each axis (divisor n-1).
	ExplainedVariance []float64
	// ExplainedVarianceRatio is ExplainedVariance over the total variance.
	ExplainedVarianceRatio []float64
	// Whiten divides the projected coordinates by sqrt(ExplainedVariance).
	Whiten bool

	comp32 []float32 // k x d, divided by sqrt(variance) when whitening
	mean32 []float32
}

// FitPCAProjection fits the k leading principal axes of x (n x d, n >= 2,
// finite; 1 <= k <= d). It eigendecomposes the d x d covariance (formed
// by float64 GEMMs over blocks of rows) rather than taking the SVD of the
// n x d data as package native/subspace's FitPCA does: O(n d^2 + d^3)
// time and O(d^2) memory instead of O(n d min(n, d)) time and O(n d)
// memory, a large saving for the n >> d of embedding tables (the
// components agree with the SVD's to the square of the relative precision
// lost in the covariance, far below float32 rounding for embeddings).
func FitPCAProjection(x *mat32.Dense, k int, whiten bool) (*PCAProjection, error) {
	n, d, err := chk.Dense32("x", x)
	if err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, chk.Errorf("PCA needs at least 2 rows, x has %d", n)
	}
	if err := chk.K("k", k, 1, d, "number of principal axes"); err != nil {
		return nil, err
	}
	mean := columnMean(x)
	cov := covariance(x, mean)
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		return nil, chk.Errorf("eigendecomposition of the %d x %d covariance did not converge", d, d)
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	p := &PCAProjection{Mean: mean, Components: mat.NewDense(k, d, nil), Whiten: whiten}
	var total float64
	for _, v := range vals {
		total += max(v, 0)
	}
	for i := range k {
		c := d - 1 - i
		ev := max(vals[c], 0)
		p.ExplainedVariance = append(p.ExplainedVariance, ev)
		ratio := 0.0
		if total > 0 {
			ratio = ev / total
		}
		p.ExplainedVarianceRatio = append(p.ExplainedVarianceRatio, ratio)
		for j := range d {
			p.Components.Set(i, j, vecs.At(j, c))
		}
	}
	p.mean32 = make([]float32, d)
	for j, v := range mean {
		p.mean32[j] = float32(v)
	}
	p.setComp32(false)
	z, err := p.Transform(x)
	if err != nil {
		return nil, err
	}
	p.flipSigns(z)
	p.setComp32(whiten)
	return p, nil
}

// setComp32 caches the float32 components used by Transform, scaled by
// 1/sqrt(variance) when whitening (0 variance: left unscaled). O(k d).
func (p *PCAProjection) setComp32(whiten bool) {
	k, d := p.Components.Dims()
	p.comp32 = make([]float32, k*d)
	for i := range k {
		f := 1.0
		if whiten && p.ExplainedVariance[i] > 0 {
			f = 1 / math.Sqrt(p.ExplainedVariance[i])
		}
		for j := range d {
			p.comp32[i*d+j] = float32(p.Components.At(i, j) * f)
		}
	}
}

// flipSigns negates the axes on which the row of largest |score| (first
// such row on ties) has a negative score: scikit-learn's svd_flip. O(n k).
func (p *PCAProjection) flipSigns(z *mat32.Dense) {
	n, k := z.Dims()
	_, d := p.Components.Dims()
	for i := range k {
		best, sign := float32(-1), float32(1)
		for r := range n {
			if v := z.At(r, i); abs32(v) > best {
				best, sign = abs32(v), v
			}
		}
		if sign < 0 {
			for j := range d {
				p.Components.Set(i, j, -p.Components.At(i, j))
			}
		}
	}
}

func abs32(v float32) float32 { return float32(math.Abs(float64(v))) }

// columnMean returns the column means of x accumulated in float64. O(n d).
func columnMean(x *mat32.Dense) []float64 {
	n, d := x.Dims()
	mean := make([]float64, d)
	for r := range n {
		for j, v := range x.Row(r) {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	return mean
}

// covariance returns the d x d covariance of x about mean (divisor n-1),
// from float64 GEMMs over blocks of 4096 centred rows. O(n d^2).
func covariance(x *mat32.Dense, mean []float64) *mat.SymDense {
	n, d := x.Dims()
	const bs = 4096
	acc := make([]float64, d*d)
	buf := make([]float64, min(bs, n)*d)
	for lo := 0; lo < n; lo += bs {
		hi := min(lo+bs, n)
		b := buf[:(hi-lo)*d]
		for r := lo; r < hi; r++ {
			for j, v := range x.Row(r) {
				b[(r-lo)*d+j] = float64(v) - mean[j]
			}
		}
		g := blas64.General{Rows: hi - lo, Cols: d, Stride: d, Data: b}
		blas64.Gemm(blas.Trans, blas.NoTrans, 1, g, g, 1, blas64.General{Rows: d, Cols: d, Stride: d, Data: acc})
	}
	s := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			s.SetSym(i, j, (acc[i*d+j]+acc[j*d+i])/2/float64(n-1))
		}
	}
	return s
}

// Transform returns (x - Mean) Components^T, divided by sqrt(variance)
// along each axis when Whiten is set (n x k). One float32 GEMM: O(n d k).
func (p *PCAProjection) Transform(x *mat32.Dense) (*mat32.Dense, error) {
	k, d := p.Components.Dims()
	n, err := checkIn("x", x, d)
	if err != nil {
		return nil, err
	}
	c := mat32.Zeros(n, d)
	for r := range n {
		dst := c.Row(r)
		for j, v := range x.Row(r) {
			dst[j] = v - p.mean32[j]
		}
	}
	out := mat32.Zeros(n, k)
	blas32.Gemm(blas.NoTrans, blas.Trans, 1,
		blas32.General{Rows: n, Cols: d, Stride: d, Data: c.RawData()},
		blas32.General{Rows: k, Cols: d, Stride: d, Data: p.comp32},
		0, blas32.General{Rows: n, Cols: k, Stride: k, Data: out.RawData()})
	return out, nil
}

// InDim returns d. O(1).
func (p *PCAProjection) InDim() int { _, d := p.Components.Dims(); return d }

// OutDim returns k. O(1).
func (p *PCAProjection) OutDim() int { k, _ := p.Components.Dims(); return k }

// Name describes the projection, e.g. "PCA 300->64 (whitened)".
func (p *PCAProjection) Name() string {
	w := ""
	if p.Whiten {
		w = " (whitened)"
	}
	return fmt.Sprintf("PCA %d->%d%s", p.InDim(), p.OutDim(), w)
}
