package subspace

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PCA is a fitted principal component analysis, with the conventions of
// sklearn.decomposition.PCA(svd_solver="full"): the data are centred (not
// scaled), components are the right singular vectors of the centred data,
// explained variances are s_i^2 / (n - 1), and signs follow sklearn's
// svd_flip (the largest-magnitude entry of each left singular vector is
// positive), so components match sklearn's up to rounding.
type PCA struct {
	// Mean is the per-feature mean (d).
	Mean []float64
	// Components is k x d: one unit-norm principal axis per row, by
	// decreasing variance.
	Components *mat.Dense
	// ExplainedVariance holds the variance along each component (k).
	ExplainedVariance []float64
	// ExplainedVarianceRatio is ExplainedVariance over the total variance.
	ExplainedVarianceRatio []float64
	// SingularValues of the centred data for the kept components (k).
	SingularValues []float64
	// NoiseVariance is the mean variance of the discarded components (0
	// when all are kept), as sklearn's noise_variance_.
	NoiseVariance float64
	// Whiten scales transformed coordinates to unit variance when true.
	Whiten bool
}

// FitPCA fits a PCA with k components to x (n x d, one point a row); k = 0
// keeps min(n, d). Cost: a thin SVD of the centred data, O(n d min(n, d))
// time and O(n d) memory. Errors: nil, empty, non-finite data, n < 2,
// k outside [0, min(n, d)].
func FitPCA(x *mat.Dense, k int) (*PCA, error) {
	n, d, err := chk.Dense("data", x)
	if err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, fmt.Errorf("subspace: PCA needs at least 2 points, have %d", n)
	}
	r := min(n, d)
	if k < 0 || k > r {
		return nil, fmt.Errorf("subspace: %d components requested, must be in [0, %d] (0 = all)", k, r)
	}
	if k == 0 {
		k = r
	}
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range x.RawRowView(i) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	c := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		src, dst := x.RawRowView(i), c.RawRowView(i)
		for j := range dst {
			dst[j] = src[j] - mean[j]
		}
	}
	var svd mat.SVD
	if ok := svd.Factorize(c, mat.SVDThin); !ok {
		return nil, fmt.Errorf("subspace: SVD of the centred %d x %d data did not converge", n, d)
	}
	s := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	p := &PCA{Mean: mean, Components: mat.NewDense(k, d, nil)}
	var total float64
	ev := make([]float64, len(s))
	for i, sv := range s {
		ev[i] = sv * sv / float64(n-1)
		total += ev[i]
	}
	for i := 0; i < k; i++ {
		// svd_flip: make the largest |U_ji| positive.
		best, sign := -1.0, 1.0
		for j := 0; j < n; j++ {
			if a := math.Abs(u.At(j, i)); a > best {
				best = a
				sign = math.Copysign(1, u.At(j, i))
			}
		}
		for j := 0; j < d; j++ {
			p.Components.Set(i, j, sign*v.At(j, i))
		}
		p.ExplainedVariance = append(p.ExplainedVariance, ev[i])
		ratio := 0.0
		if total > 0 {
			ratio = ev[i] / total
		}
		p.ExplainedVarianceRatio = append(p.ExplainedVarianceRatio, ratio)
		p.SingularValues = append(p.SingularValues, s[i])
	}
	if k < r {
		var rest float64
		for _, e := range ev[k:] {
			rest += e
		}
		p.NoiseVariance = rest / float64(r-k)
	}
	return p, nil
}

// Transform projects x (m x d) on the components: (x - mean) C^T, m x k,
// divided by sqrt(explained variance) when Whiten is set. O(m d k).
func (p *PCA) Transform(x *mat.Dense) (*mat.Dense, error) {
	if p == nil || p.Components == nil {
		return nil, fmt.Errorf("subspace: PCA is not fitted (use FitPCA)")
	}
	m, d, err := chk.Dense("data", x)
	if err != nil {
		return nil, err
	}
	k, dc := p.Components.Dims()
	if d != dc {
		return nil, fmt.Errorf("subspace: data has %d columns, the PCA was fitted on %d", d, dc)
	}
	c := mat.NewDense(m, d, nil)
	for i := 0; i < m; i++ {
		src, dst := x.RawRowView(i), c.RawRowView(i)
		for j := range dst {
			dst[j] = src[j] - p.Mean[j]
		}
	}
	z := mat.NewDense(m, k, nil)
	z.Mul(c, p.Components.T())
	if p.Whiten {
		for j := 0; j < k; j++ {
			f := 1 / math.Sqrt(p.ExplainedVariance[j])
			for i := 0; i < m; i++ {
				z.Set(i, j, z.At(i, j)*f)
			}
		}
	}
	return z, nil
}

// InverseTransform maps coordinates z (m x k) back to the data space:
// z C + mean (undoing whitening first when set). O(m d k). With all
// components kept it inverts Transform up to rounding.
func (p *PCA) InverseTransform(z *mat.Dense) (*mat.Dense, error) {
	if p == nil || p.Components == nil {
		return nil, fmt.Errorf("subspace: PCA is not fitted (use FitPCA)")
	}
	m, kz, err := chk.Dense("coordinates", z)
	if err != nil {
		return nil, err
	}
	k, d := p.Components.Dims()
	if kz != k {
		return nil, fmt.Errorf("subspace: coordinates have %d columns, the PCA has %d components", kz, k)
	}
	zz := z
	if p.Whiten {
		zz = mat.NewDense(m, k, nil)
		for j := 0; j < k; j++ {
			f := math.Sqrt(p.ExplainedVariance[j])
			for i := 0; i < m; i++ {
				zz.Set(i, j, z.At(i, j)*f)
			}
		}
	}
	x := mat.NewDense(m, d, nil)
	x.Mul(zz, p.Components)
	for i := 0; i < m; i++ {
		row := x.RawRowView(i)
		for j := range row {
			row[j] += p.Mean[j]
		}
	}
	return x, nil
}
