package chart

import (
	"fmt"
	"math"

	"github.com/subspace-kernel/subspace/native/subspace"
	"gonum.org/v1/gonum/mat"
)

// exactPCAMaxDim is the largest number of features (or of points) for
// which PCA is exact; above it in both, the leading components come from
// a randomized SVD.
const exactPCAMaxDim = 512

// PCA projects the rows of x (n points × d features) on their k leading
// principal components, computed by native/subspace. It returns the n×k
// scores (centred data times the components, as sklearn's
// PCA.fit_transform), and the fraction of the total variance each
// component explains. Each component's sign is chosen so that its
// largest-magnitude loading is positive (deterministic output).
//
// Cost: with d <= 512 or n <= 512, subspace.FitPCA's thin SVD of the
// centred data, O(n·d·min(n,d)) time and O(n·d) memory; otherwise
// subspace.RandomizedSVD with k+8 vectors and 12 power iterations,
// O(n·d·k) time, accurate when the spectrum has a gap after the k-th value
// (as embeddings do). Errors: fewer than 2 points, k < 1 or k > d, NaN or
// Inf (with its position).
func PCA(x mat.Matrix, k int) (scores *mat.Dense, explained []float64, err error) {
	n, d := x.Dims()
	switch {
	case n < 2:
		return nil, nil, fmt.Errorf("chart.PCA: need at least 2 points, got %d", n)
	case k < 1 || k > d:
		return nil, nil, fmt.Errorf("chart.PCA: k = %d components out of range [1, %d] for %d features", k, d, d)
	}
	xd := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		row := xd.RawRowView(i)
		for j := range row {
			v := x.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("chart.PCA: non-finite value %v at row %d, column %d", v, i, j)
			}
			row[j] = v
		}
	}
	var comps *mat.Dense // kept×d loadings
	if d <= exactPCAMaxDim || n <= exactPCAMaxDim {
		scores, explained, comps, err = exactPCA(xd, k)
	} else {
		scores, explained, comps, err = randomizedPCA(xd, k)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("chart.PCA: %w", err)
	}
	kept, _ := comps.Dims()
	for j := 0; j < kept; j++ {
		if largestIsNegative(comps.RawRowView(j)) {
			for i := 0; i < n; i++ {
				scores.Set(i, j, -scores.At(i, j))
			}
		}
	}
	return scores, explained, nil
}

// exactPCA is subspace.FitPCA's: components beyond the data's rank
// (k > n-1 points) get zero scores and variance.
func exactPCA(x *mat.Dense, k int) (*mat.Dense, []float64, *mat.Dense, error) {
	n, _ := x.Dims()
	p, err := subspace.FitPCA(x, min(k, n))
	if err != nil {
		return nil, nil, nil, err
	}
	s, err := p.Transform(x)
	if err != nil {
		return nil, nil, nil, err
	}
	scores := mat.NewDense(n, k, nil)
	scores.Slice(0, n, 0, min(k, n)).(*mat.Dense).Copy(s)
	explained := make([]float64, k)
	copy(explained, p.ExplainedVarianceRatio)
	return scores, explained, p.Components, nil
}

// randomizedPCA takes the k leading components from a randomized SVD of
// the centred data.
func randomizedPCA(x *mat.Dense, k int) (*mat.Dense, []float64, *mat.Dense, error) {
	n, d := x.Dims()
	xc := mat.NewDense(n, d, nil)
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range x.RawRowView(i) {
			mean[j] += v / float64(n)
		}
	}
	total := 0.0
	for i := 0; i < n; i++ {
		src, dst := x.RawRowView(i), xc.RawRowView(i)
		for j := range dst {
			dst[j] = src[j] - mean[j]
			total += dst[j] * dst[j]
		}
	}
	svd, err := subspace.RandomizedSVD(xc, k, subspace.RSVDOptions{Oversample: 8, PowerIters: 12, Seed: 1})
	if err != nil {
		return nil, nil, nil, err
	}
	scores := mat.NewDense(n, k, nil)
	explained := make([]float64, k)
	for j, s := range svd.S {
		for i := 0; i < n; i++ {
			scores.Set(i, j, svd.U.At(i, j)*s)
		}
		if total > 0 {
			explained[j] = s * s / total
		}
	}
	return scores, explained, mat.DenseCopyOf(svd.V.T()), nil
}

// largestIsNegative reports whether the entry of v with the largest
// magnitude (the first of equal ones) is negative.
func largestIsNegative(v []float64) bool {
	best, neg := 0.0, false
	for _, x := range v {
		if a := math.Abs(x); a > best {
			best, neg = a, x < 0
		}
	}
	return neg
}
