package chart

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// exactPCAMaxDim is the largest feature dimension for which PCA
// diagonalises the full d×d covariance; above it (with n also above it),
// randomized subspace iteration finds the leading components.
const exactPCAMaxDim = 512

// PCA projects the rows of x (n points × d features) on their k leading
// principal components. It returns the n×k scores (centred data times the
// components, as sklearn's PCA.fit_transform), and the fraction of the
// total variance each component explains. Each component's sign is chosen
// so that its largest-magnitude loading is positive (deterministic output).
//
// Cost: with d <= 512 (or n <= 512, through the n×n Gram matrix), an exact
// eigendecomposition, O(n·d·min(n,d) + min(n,d)³) time and O(n·d +
// min(n,d)²) memory; otherwise 12 rounds of randomized subspace iteration
// with k+8 vectors, O(n·d·k) time, accurate when the spectrum has a gap
// after the k-th value (as embeddings do). Errors: fewer than 2 points,
// k < 1 or k > d, NaN or Inf (with its position).
func PCA(x mat.Matrix, k int) (scores *mat.Dense, explained []float64, err error) {
	n, d := x.Dims()
	switch {
	case n < 2:
		return nil, nil, fmt.Errorf("chart.PCA: need at least 2 points, got %d", n)
	case k < 1 || k > d:
		return nil, nil, fmt.Errorf("chart.PCA: k = %d components out of range [1, %d] for %d features", k, d, d)
	}
	xc := mat.NewDense(n, d, nil)
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			v := x.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("chart.PCA: non-finite value %v at row %d, column %d", v, i, j)
			}
			xc.Set(i, j, v)
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	total := 0.0
	for i := 0; i < n; i++ {
		row := xc.RawRowView(i)
		for j := range row {
			row[j] -= mean[j]
			total += row[j] * row[j]
		}
	}
	var comps *mat.Dense // d×k
	var vars []float64
	switch {
	case d <= exactPCAMaxDim:
		var c mat.SymDense
		c.SymOuterK(1, xc.T())
		comps, vars, err = topEigen(&c, k)
	case n <= exactPCAMaxDim:
		// Gram matrix G = Xc Xcᵀ: its eigenvectors u give components
		// Xcᵀu / sqrt(λ).
		var g mat.SymDense
		g.SymOuterK(1, xc)
		var u *mat.Dense
		u, vars, err = topEigen(&g, k)
		if err == nil {
			comps = mat.NewDense(d, k, nil)
			comps.Mul(xc.T(), u)
			for j := 0; j < k; j++ {
				s := math.Sqrt(math.Max(vars[j], 0))
				for i := 0; i < d; i++ {
					if s > 0 {
						comps.Set(i, j, comps.At(i, j)/s)
					}
				}
			}
		}
	default:
		comps, vars, err = subspaceIteration(xc, k)
	}
	if err != nil {
		return nil, nil, err
	}
	// Deterministic signs.
	for j := 0; j < k; j++ {
		best, sign := 0.0, 1.0
		for i := 0; i < d; i++ {
			if a := math.Abs(comps.At(i, j)); a > best {
				best, sign = a, math.Copysign(1, comps.At(i, j))
			}
		}
		if sign < 0 {
			for i := 0; i < d; i++ {
				comps.Set(i, j, -comps.At(i, j))
			}
		}
	}
	scores = mat.NewDense(n, k, nil)
	scores.Mul(xc, comps)
	explained = make([]float64, k)
	for j := range explained {
		if total > 0 {
			explained[j] = math.Max(vars[j], 0) / total
		}
	}
	return scores, explained, nil
}

// topEigen returns the k leading eigenvectors (columns) and eigenvalues of
// a symmetric matrix, in decreasing order.
func topEigen(a mat.Symmetric, k int) (*mat.Dense, []float64, error) {
	var es mat.EigenSym
	if !es.Factorize(a, true) {
		return nil, nil, fmt.Errorf("chart.PCA: eigendecomposition did not converge")
	}
	vals := es.Values(nil)
	var vecs mat.Dense
	es.VectorsTo(&vecs)
	idx := make([]int, len(vals))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return vals[idx[a]] > vals[idx[b]] })
	r, _ := vecs.Dims()
	out := mat.NewDense(r, k, nil)
	top := make([]float64, k)
	for j := 0; j < k; j++ {
		top[j] = vals[idx[j]]
		for i := 0; i < r; i++ {
			out.Set(i, j, vecs.At(i, idx[j]))
		}
	}
	return out, top, nil
}

// subspaceIteration finds the k leading right singular vectors of xc by
// randomized subspace iteration followed by Rayleigh-Ritz; it returns them
// (d×k) with the eigenvalues of xcᵀxc.
func subspaceIteration(xc *mat.Dense, k int) (*mat.Dense, []float64, error) {
	n, d := xc.Dims()
	p := min(d, k+8)
	rng := rand.New(rand.NewPCG(1, 2))
	q := mat.NewDense(d, p, nil)
	for i := 0; i < d; i++ {
		for j := 0; j < p; j++ {
			q.Set(i, j, rng.NormFloat64())
		}
	}
	y := mat.NewDense(n, p, nil)
	z := mat.NewDense(d, p, nil)
	orth := func(m *mat.Dense) *mat.Dense {
		var qr mat.QR
		qr.Factorize(m)
		var o mat.Dense
		qr.QTo(&o)
		r, _ := m.Dims()
		return mat.DenseCopyOf(o.Slice(0, r, 0, p))
	}
	q = orth(q)
	for it := 0; it < 12; it++ {
		y.Mul(xc, q)
		z.Mul(xc.T(), y)
		q = orth(z)
	}
	y.Mul(xc, q)
	var b mat.SymDense
	b.SymOuterK(1, y.T())
	w, vals, err := topEigen(&b, k)
	if err != nil {
		return nil, nil, err
	}
	out := mat.NewDense(d, k, nil)
	out.Mul(q, w)
	return out, vals, nil
}
