package transport

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/internal/work"
)

// Options configures the sliced distances. The zero value is POT's
// default: 50 directions from seed 0, p = 2, uniform weights.
type Options struct {
	// Projections is the number of random directions (default 50).
	Projections int
	// P is the order of the distance, P >= 1 (default 2).
	P float64
	// Seed seeds the random directions (RandomDirections).
	Seed uint64
	// Directions, when set, is a d x L matrix whose L columns are the
	// directions, used as given (POT's projections argument: pass POT's
	// directions here or ours to POT); Projections and Seed are ignored.
	Directions *mat.Dense
	// WeightsX and WeightsY are optional non-negative weights of the rows
	// of X and Y (nil = uniform); they are normalised to sum 1.
	WeightsX, WeightsY []float64
	// RefineSteps, for MaxSlicedWasserstein only, is the number of ascent
	// steps taken from the best random direction (0 = none: the maximum
	// over the random directions, as POT computes it).
	RefineSteps int
	// Workers bounds the goroutines that sort the projections
	// (0 = GOMAXPROCS).
	Workers int
}

// Result is a sliced distance with what it was computed from.
type Result struct {
	// Distance is SW_p = (mean over directions of W_p^p)^(1/p) for
	// SlicedDetail, max-SW_p = max over directions of W_p for MaxSliced.
	Distance float64
	// PerDirection holds W_p^p along each direction (POT's
	// "projected_emds" log entry).
	PerDirection []float64
	// Directions is the d x L matrix of directions used (columns).
	Directions *mat.Dense
	// Direction is, for MaxSliced, the unit vector reaching Distance (the
	// best column of Directions, or better after refinement); nil for
	// SlicedDetail.
	Direction []float64
	// Steps is the number of refinement steps that improved the distance.
	Steps int
}

// directionBlock is how many directions are projected with one GEMM:
// memory (n + m) * directionBlock values.
const directionBlock = 64

// RandomDirections returns a d x L matrix whose columns are independent
// uniform directions on the unit sphere (normalised Gaussian vectors, as
// POT's get_random_projections), drawn from seed. O(d L).
func RandomDirections(d, L int, seed uint64) (*mat.Dense, error) {
	if d < 1 || L < 1 {
		return nil, chk.Errorf("RandomDirections(%d, %d): want d >= 1 and L >= 1", d, L)
	}
	g := sample.Gaussian(rand.New(rand.NewPCG(seed, 0x51ced)), d, L)
	for j := 0; j < L; j++ {
		col := mat.Col(nil, j, g)
		norm := math.Sqrt(floats.Dot(col, col))
		if norm == 0 { // probability zero; keep the column usable
			g.Set(0, j, 1)
			continue
		}
		for i := range col {
			g.Set(i, j, col[i]/norm)
		}
	}
	return g, nil
}

// SlicedWasserstein returns the sliced p-Wasserstein distance between the
// rows of x (n x d) and y (m x d): (1/L sum_l W_p^p(x theta_l, y theta_l))^(1/p)
// over L directions theta_l, each 1-D distance exact. It is POT's
// ot.sliced_wasserstein_distance (same value with the same directions).
// Cost O(L d (n + m)) for the projections (GEMM) and O(L (n log n + m log m))
// for the sorts, spread over Workers; memory O((n + m) 64 + d L).
func SlicedWasserstein(x, y *mat.Dense, opts Options) (float64, error) {
	r, err := SlicedDetail(x, y, opts)
	if err != nil {
		return 0, err
	}
	return r.Distance, nil
}

// SlicedDetail is SlicedWasserstein returning the per-direction costs and
// the directions too. Same cost.
func SlicedDetail(x, y *mat.Dense, opts Options) (*Result, error) {
	res, err := projectedCosts(x, y, &opts)
	if err != nil {
		return nil, err
	}
	var s float64
	for _, c := range res.PerDirection {
		s += c
	}
	res.Distance = math.Pow(s/float64(len(res.PerDirection)), 1/opts.P)
	return res, nil
}

// projectedCosts validates the input, fills the defaults into opts and
// returns W_p^p along every direction.
func projectedCosts(x, y *mat.Dense, opts *Options) (*Result, error) {
	n, d, err := chk.Dense("X", x)
	if err != nil {
		return nil, err
	}
	m, dy, err := chk.Dense("Y", y)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("X", d, "Y", dy, "points must live in the same space"); err != nil {
		return nil, err
	}
	if err := defaults(opts, d); err != nil {
		return nil, err
	}
	if err := checkWeights("WeightsX", opts.WeightsX, n); err != nil {
		return nil, err
	}
	if err := checkWeights("WeightsY", opts.WeightsY, m); err != nil {
		return nil, err
	}
	theta := opts.Directions
	L := theta.RawMatrix().Cols
	res := &Result{PerDirection: make([]float64, L), Directions: theta}
	var wx, wy []float64
	if opts.WeightsX != nil || opts.WeightsY != nil {
		wx, wy = normalised(opts.WeightsX, n), normalised(opts.WeightsY, m)
	}
	for lo := 0; lo < L; lo += directionBlock {
		hi := min(L, lo+directionBlock)
		block := theta.Slice(0, d, lo, hi)
		var px, py mat.Dense // (hi - lo) x n and x m: one projection a row
		px.Mul(block.T(), x.T())
		py.Mul(block.T(), y.T())
		work.Range(hi-lo, opts.Workers, func(a, b int) {
			var s sorter
			for l := a; l < b; l++ {
				res.PerDirection[lo+l] = s.oneDirection(px.RawRowView(l), py.RawRowView(l), wx, wy, opts.P)
			}
		})
	}
	return res, nil
}

// oneDirection returns W_p^p between the projections u and v (sorted in
// place) with normalised weights (nil = uniform).
func (s *sorter) oneDirection(u, v, wx, wy []float64, p float64) float64 {
	if wx == nil {
		s.sort(u)
		s.sort(v)
		return powerCost(u, v, nil, nil, p)
	}
	cu := sortWeighted(u, wx)
	cv := sortWeighted(v, wy)
	return powerCost(u, v, cu, cv, p)
}

// defaults fills the zero fields of opts and checks the others against
// the dimension d.
func defaults(opts *Options, d int) error {
	if opts.P == 0 {
		opts.P = 2
	}
	if err := checkP(opts.P); err != nil {
		return err
	}
	if opts.RefineSteps < 0 {
		return chk.Errorf("RefineSteps = %d, want >= 0", opts.RefineSteps)
	}
	if opts.Directions != nil {
		rows, L, err := chk.Dense("Directions", opts.Directions)
		if err != nil {
			return err
		}
		if rows != d {
			return chk.Errorf("Directions has %d rows but the points have %d columns (want d x L, one direction a column)", rows, d)
		}
		for j := 0; j < L; j++ {
			if mat.Norm(opts.Directions.ColView(j), 2) == 0 {
				return chk.Errorf("Directions: column %d is zero", j)
			}
		}
		return nil
	}
	if opts.Projections == 0 {
		opts.Projections = 50
	}
	if opts.Projections < 0 {
		return chk.Errorf("Projections = %d, want >= 1", opts.Projections)
	}
	var err error
	opts.Directions, err = RandomDirections(d, opts.Projections, opts.Seed)
	return err
}
