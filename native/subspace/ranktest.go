package subspace

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Depth names a depth function for the rank tests.
type Depth int

const (
	// DepthSpatial is SpatialDepth (default: cheap, works in any dimension).
	DepthSpatial Depth = iota
	// DepthMahalanobis is MahalanobisDepth (needs more points than dimensions).
	DepthMahalanobis
	// DepthProjection is ProjectionDepth with random directions.
	DepthProjection
	// DepthHalfspace is HalfspaceDepth with random directions.
	DepthHalfspace
	// DepthCosine is CosineDepth, the TTE depth of text embeddings
	// (Seegmiller & Preum 2023).
	DepthCosine
)

// String returns the depth's name.
func (d Depth) String() string {
	switch d {
	case DepthSpatial:
		return "spatial"
	case DepthMahalanobis:
		return "mahalanobis"
	case DepthProjection:
		return "projection"
	case DepthHalfspace:
		return "halfspace"
	case DepthCosine:
		return "cosine"
	}
	return fmt.Sprintf("Depth(%d)", int(d))
}

// DepthOf computes the chosen depth of the rows of x with respect to ref,
// at the cost of that depth function.
func DepthOf(kind Depth, x, ref *mat.Dense, opts DepthOptions) ([]float64, error) {
	switch kind {
	case DepthSpatial:
		return SpatialDepth(x, ref, opts)
	case DepthMahalanobis:
		return MahalanobisDepth(x, ref)
	case DepthProjection:
		return ProjectionDepth(x, ref, opts)
	case DepthHalfspace:
		return HalfspaceDepth(x, ref, opts)
	case DepthCosine:
		return CosineDepth(x, ref)
	}
	return nil, fmt.Errorf("subspace: unknown depth %d", int(kind))
}

// RankTestOptions configures the depth rank tests.
type RankTestOptions struct {
	// Depth function (default DepthSpatial).
	Depth Depth
	// DepthOptions for the depth (directions, seed, workers).
	DepthOptions
	// SplitSeed seeds the split of x in SameDistributionTest.
	SplitSeed uint64
}

// RankTestResult is the outcome of a depth rank test.
type RankTestResult struct {
	// Q is Liu & Singh's quality index: the estimated probability that a
	// point of y is at least as deep as a point of x (ties count 1/2),
	// U / (nx ny). 1/2 when y and x come from the same distribution; below
	// 1/2 when y is shifted or more spread out than the reference.
	Q float64
	// U is the Mann-Whitney statistic of y's depths against x's (the
	// number of pairs where y is deeper, ties 1/2): scipy's
	// mannwhitneyu(depth_y, depth_x).statistic.
	U float64
	// Z is the standardised U (tie-corrected, without continuity
	// correction); negative when y is less deep.
	Z float64
	// PValue is two-sided, from the normal approximation with tie and
	// continuity corrections (as scipy's mannwhitneyu(method="asymptotic")).
	PValue float64
	// DepthX and DepthY are the depths that were ranked.
	DepthX, DepthY []float64
}

// DepthRankTest tests whether x and y come from the same distribution by
// ranking their depths with respect to a reference sample ref from the
// distribution of x (Liu & Singh 1993): under the null hypothesis the
// depths of x and y are exchangeable; points of a shifted or wider y are
// less deep. ref must be independent of x (not contain x's points) for the
// test to be exact under the null. Cost: two depth computations and
// O((nx + ny) log(nx + ny)). Needs at least 2 points in x and in y.
func DepthRankTest(ref, x, y *mat.Dense, opts RankTestOptions) (*RankTestResult, error) {
	if _, _, err := chk.Dense("y", y); err != nil {
		return nil, err
	}
	dx, err := DepthOf(opts.Depth, x, ref, opts.DepthOptions)
	if err != nil {
		return nil, err
	}
	dy, err := DepthOf(opts.Depth, y, ref, opts.DepthOptions)
	if err != nil {
		return nil, err
	}
	if len(dx) < 2 || len(dy) < 2 {
		return nil, fmt.Errorf("subspace: the rank test needs at least 2 points in x and in y, have %d and %d", len(dx), len(dy))
	}
	r, err := MannWhitney(dy, dx)
	if err != nil {
		return nil, err
	}
	r.DepthX, r.DepthY = dx, dy
	return r, nil
}

// SameDistributionTest is DepthRankTest with a seeded random half of x's
// rows (opts.SplitSeed) as the reference sample and the other half as the
// x sample, so that no reference data are needed. Needs at least 4 rows
// in x.
func SameDistributionTest(x, y *mat.Dense, opts RankTestOptions) (*RankTestResult, error) {
	n, d, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if n < 4 {
		return nil, fmt.Errorf("subspace: x needs at least 4 rows to split into reference and sample, has %d", n)
	}
	rng := rand.New(rand.NewPCG(opts.SplitSeed, 0x5be0cd19137e2179))
	perm := rng.Perm(n)
	h := n / 2
	ref := mat.NewDense(h, d, nil)
	xs := mat.NewDense(n-h, d, nil)
	for k, i := range perm {
		if k < h {
			ref.SetRow(k, x.RawRowView(i))
		} else {
			xs.SetRow(k-h, x.RawRowView(i))
		}
	}
	return DepthRankTest(ref, xs, y, opts)
}

// MannWhitney returns the two-sided Mann-Whitney U test of sample a
// against sample b (normal approximation with tie and continuity
// corrections, as scipy.stats.mannwhitneyu(a, b, method="asymptotic")):
// U counts pairs with a > b (ties 1/2), Q = U / (na nb). O(N log N).
// Errors: an empty sample or a NaN value.
func MannWhitney(a, b []float64) (*RankTestResult, error) {
	na, nb := len(a), len(b)
	if na == 0 || nb == 0 {
		return nil, fmt.Errorf("subspace: Mann-Whitney needs two non-empty samples, have %d and %d values", na, nb)
	}
	for name, s := range map[string][]float64{"first": a, "second": b} {
		for i, v := range s {
			if math.IsNaN(v) {
				return nil, fmt.Errorf("subspace: Mann-Whitney: value %d of the %s sample is NaN", i, name)
			}
		}
	}
	n := na + nb
	type obs struct {
		v   float64
		isA bool
	}
	all := make([]obs, 0, n)
	for _, v := range a {
		all = append(all, obs{v, true})
	}
	for _, v := range b {
		all = append(all, obs{v, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	var ra, tie float64
	for i := 0; i < n; {
		j := i
		for j < n && all[j].v == all[i].v {
			j++
		}
		rank := float64(i+j+1) / 2 // average of ranks i+1..j
		for k := i; k < j; k++ {
			if all[k].isA {
				ra += rank
			}
		}
		t := float64(j - i)
		tie += t*t*t - t
		i = j
	}
	fa, fb, fn := float64(na), float64(nb), float64(n)
	u := ra - fa*(fa+1)/2
	mu := fa * fb / 2
	sd := math.Sqrt(fa * fb / 12 * ((fn + 1) - tie/(fn*(fn-1))))
	res := &RankTestResult{U: u, Q: u / (fa * fb), PValue: 1}
	if sd > 0 {
		res.Z = (u - mu) / sd
		um := math.Max(u, fa*fb-u)
		z := (um - mu - 0.5) / sd
		res.PValue = math.Min(1, math.Erfc(z/math.Sqrt2))
	}
	return res, nil
}
