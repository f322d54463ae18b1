package transport

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// MaxSlicedWasserstein returns the max-sliced p-Wasserstein distance
// between the rows of x and y (Deshpande et al. 2019): the largest 1-D
// distance W_p(x theta, y theta) over unit directions theta. It starts
// from the best of the random directions, which with RefineSteps = 0 is
// POT's ot.max_sliced_wasserstein_distance (same value with the same
// directions). Each refinement step fixes the optimal 1-D coupling of the
// current direction, whose cost along theta is theta^T M theta with
// M = sum_k w_k |theta.d_k|^(p-2) d_k d_k^T over the coupled differences
// d_k, and moves to M's leading eigenvector; a step is kept only if it
// increases the distance, so the result never falls below the random
// search's (it is a lower bound of the true maximum either way). Given
// Directions are normalised to unit length here. Cost:
// SlicedWasserstein's, plus O((n + m) d^2 + d^3) a refinement step.
func MaxSlicedWasserstein(x, y *mat.Dense, opts Options) (*Result, error) {
	res, err := projectedCosts(x, y, &opts)
	if err != nil {
		return nil, err
	}
	best := 0
	for l, c := range res.PerDirection {
		if c > res.PerDirection[best] {
			best = l
		}
	}
	theta := mat.Col(nil, best, res.Directions)
	cost := res.PerDirection[best]
	norm := math.Sqrt(floats.Dot(theta, theta))
	for i := range theta {
		theta[i] /= norm
	}
	cost /= math.Pow(norm, opts.P) // W_p^p scales as |theta|^p
	for s := 0; s < opts.RefineSteps; s++ {
		next, nextCost, ok := refine(x, y, theta, &opts)
		if !ok || !(nextCost > cost*(1+1e-12)) {
			break
		}
		theta, cost = next, nextCost
		res.Steps++
	}
	res.Direction = theta
	res.Distance = math.Pow(cost, 1/opts.P)
	return res, nil
}

// project returns the rows of x projected on theta.
func project(x *mat.Dense, theta []float64) []float64 {
	n, _ := x.Dims()
	out := make([]float64, n)
	mat.NewVecDense(n, out).MulVec(x, mat.NewVecDense(len(theta), theta))
	return out
}

// pair is one piece of a 1-D optimal coupling: mass w between row i of X
// and row j of Y.
type pair struct {
	i, j int
	w    float64
}

// coupling returns the monotone (optimal) coupling of the projections px
// and py with normalised weights wx and wy (nil = uniform).
func coupling(px, py, wx, wy []float64) []pair {
	ix, cx := order(px, wx)
	iy, cy := order(py, wy)
	var out []pair
	var prev float64
	a, b := 0, 0
	for a < len(ix) && b < len(iy) {
		q := math.Min(cx[a], cy[b])
		if q > prev {
			out = append(out, pair{ix[a], iy[b], q - prev})
		}
		prev = q
		switch {
		case cx[a] == q && cy[b] == q:
			a++
			b++
		case cx[a] == q:
			a++
		default:
			b++
		}
	}
	return out
}

// order returns the indices sorting v and the cumulative weights in that
// order.
func order(v, w []float64) ([]int, []float64) {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case v[a] < v[b]:
			return -1
		case v[a] > v[b]:
			return 1
		}
		return a - b
	})
	if w == nil {
		w = normalised(nil, len(v))
	}
	cum := make([]float64, len(v))
	var s float64
	for k, i := range idx {
		s += w[i]
		cum[k] = s
	}
	cum[len(cum)-1] = 1 // the weights are normalised: remove the rounding

	return idx, cum
}

// refine takes one step from theta: the leading eigenvector of the
// coupling's weighted scatter M (see MaxSlicedWasserstein) and the W_p^p
// along it. ok is false when M has no usable direction.
func refine(x, y *mat.Dense, theta []float64, opts *Options) (next []float64, cost float64, ok bool) {
	n, d := x.Dims()
	m, _ := y.Dims()
	var wx, wy []float64
	if opts.WeightsX != nil || opts.WeightsY != nil {
		wx, wy = normalised(opts.WeightsX, n), normalised(opts.WeightsY, m)
	}
	pairs := coupling(project(x, theta), project(y, theta), wx, wy)
	diff := mat.NewDense(len(pairs), d, nil)
	for k, pr := range pairs {
		row := diff.RawRowView(k)
		xr, yr := x.RawRowView(pr.i), y.RawRowView(pr.j)
		for c := range row {
			row[c] = xr[c] - yr[c]
		}
		scale := pr.w
		if opts.P != 2 {
			t := math.Abs(floats.Dot(theta, row))
			if t == 0 {
				scale = 0
			} else {
				scale *= math.Pow(t, opts.P-2)
			}
		}
		s := math.Sqrt(scale)
		for c := range row {
			row[c] *= s
		}
	}
	scatter := mat.NewSymDense(d, nil)
	scatter.SymOuterK(1, diff.T())
	var eig mat.EigenSym
	if !eig.Factorize(scatter, true) {
		return nil, 0, false
	}
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	next = mat.Col(nil, d-1, &vecs) // eigenvalues ascending: the last is the largest
	px, py := project(x, next), project(y, next)
	var s sorter
	return next, s.oneDirection(px, py, wx, wy, opts.P), true
}
