package convergent

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// SparseOptions configures SparseMap. The zero value is Alpha = 0.05,
// 1000 sweeps, tolerance 1e-8.
type SparseOptions struct {
	// Alpha is the L1 penalty (scikit-learn Lasso's alpha) on the
	// standardised units: larger means fewer units of A per unit of B.
	Alpha float64
	// MaxIter bounds the coordinate descent sweeps for each unit of B; Tol
	// ends them when no weight moved more than Tol in a sweep.
	MaxIter int
	Tol     float64
	// Workers bounds the goroutines, one unit of B at a time
	// (0 = GOMAXPROCS).
	Workers int
}

// SparseMapping predicts every unit of B from few units of A.
type SparseMapping struct {
	// Weights is dA x dB: column j holds the weights predicting the
	// standardised unit j of B from the standardised units of A.
	Weights *mat.Dense
	// NonZeros[j] counts the units of A that unit j of B uses; R2[j] is the
	// fraction of its variance they explain on the samples (NaN for a dead
	// unit of B, which gets no weights).
	NonZeros []int
	R2       []float64
	// MeanNonZeros and MeanR2 average them over the live units of B.
	MeanNonZeros, MeanR2 float64
	// Sweeps is the largest number of sweeps a unit needed.
	Sweeps int
}

// SparseMap fits, for every unit of b, an L1-regularised linear regression
// on the units of a (Li et al. 2016's sparse, few-to-one mapping): on
// standardised units (zero mean, unit variance), the weights w minimise
// 1/(2n) ||z_B - Z_A w||^2 + Alpha ||w||_1, as scikit-learn's Lasso with
// fit_intercept=False. Coordinate descent on the covariance form (Friedman
// et al. 2010): the dA x dA correlations of A and the correlations of A
// with B are computed once. Cost O(n dA (dA + dB)) for them plus
// O(dA^2) a unit and sweep; memory O(dA (dA + dB)).
func SparseMap(a, b *mat.Dense, opts SparseOptions) (*SparseMapping, error) {
	if opts.Alpha == 0 {
		opts.Alpha = 0.05
	}
	if opts.MaxIter == 0 {
		opts.MaxIter = 1000
	}
	if opts.Tol == 0 {
		opts.Tol = 1e-8
	}
	if !(opts.Alpha > 0) || opts.MaxIter < 0 || !(opts.Tol > 0) {
		return nil, chk.Errorf("SparseOptions: Alpha = %v, MaxIter = %d, Tol = %v: want Alpha > 0, MaxIter >= 0, Tol > 0", opts.Alpha, opts.MaxIter, opts.Tol)
	}
	za, _, zb, dead, err := standardisePair(a, b)
	if err != nil {
		return nil, err
	}
	n, da := za.Dims()
	_, db := zb.Dims()
	var g, corr mat.Dense
	g.Mul(za.T(), za)
	g.Scale(1/float64(n), &g)
	corr.Mul(za.T(), zb)
	corr.Scale(1/float64(n), &corr)
	res := &SparseMapping{Weights: mat.NewDense(da, db, nil), NonZeros: make([]int, db), R2: make([]float64, db)}
	deadB := map[int]bool{}
	for _, j := range dead {
		deadB[j] = true
	}
	sweeps := make([]int, db)
	work.Range(db, opts.Workers, func(lo, hi int) {
		w, grad := make([]float64, da), make([]float64, da)
		for j := lo; j < hi; j++ {
			if deadB[j] {
				res.R2[j] = math.NaN()
				continue
			}
			c := mat.Col(nil, j, &corr)
			sweeps[j] = lasso(&g, c, w, grad, opts)
			var cw, wgw float64
			for k, v := range w {
				cw += c[k] * v
				wgw += v * (c[k] - grad[k]) // (G w)_k = c_k - grad_k
				if v != 0 {
					res.NonZeros[j]++
				}
				res.Weights.Set(k, j, v)
			}
			res.R2[j] = 2*cw - wgw
		}
	})
	live := 0
	for j := 0; j < db; j++ {
		res.Sweeps = max(res.Sweeps, sweeps[j])
		if !deadB[j] {
			live++
			res.MeanNonZeros += float64(res.NonZeros[j])
			res.MeanR2 += res.R2[j]
		}
	}
	res.MeanNonZeros /= float64(max(live, 1))
	res.MeanR2 /= float64(max(live, 1))
	return res, nil
}

// lasso minimises 1/2 w^T G w - c^T w + alpha ||w||_1 by cyclic coordinate
// descent from w = 0, keeping grad = c - G w; it returns the sweeps done.
// Coordinates with G_kk = 0 (dead units) stay 0.
func lasso(g *mat.Dense, c, w, grad []float64, opts SparseOptions) int {
	for k := range w {
		w[k], grad[k] = 0, c[k]
	}
	sweep := 0
	for sweep < opts.MaxIter {
		sweep++
		moved := 0.0
		for k := range w {
			gkk := g.At(k, k)
			if gkk == 0 {
				continue
			}
			z := grad[k] + gkk*w[k]
			next := 0.0
			switch {
			case z > opts.Alpha:
				next = (z - opts.Alpha) / gkk
			case z < -opts.Alpha:
				next = (z + opts.Alpha) / gkk
			}
			if delta := next - w[k]; delta != 0 {
				col := g.RawRowView(k) // G is symmetric: row k is column k
				for l := range grad {
					grad[l] -= delta * col[l]
				}
				w[k] = next
				moved = math.Max(moved, math.Abs(delta))
			}
		}
		if moved < opts.Tol {
			break
		}
	}
	return sweep
}
