package dependence

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Selection is the outcome of greedy forward feature selection.
type Selection struct {
	// Features are the selected columns of x, in the order chosen.
	Features []int
	// DCor[s] is the distance correlation between the first s+1 selected
	// columns (jointly) and the target.
	DCor []float64
}

// SelectFeatures chooses up to k columns of x (n x p) by greedy forward
// selection on distance correlation with target (n x q): each step adds
// the column that maximises the distance correlation of the selected
// columns taken jointly (a multivariate sample) with the target, so a
// column redundant with those already chosen gains little, unlike in the
// ranking of RankFeatures. Ties go to the lower column index. Distances
// are Euclidean to opts.Exponent (dcor's V-statistic, as
// DistanceCorrelation). Since the target's double-centred distance
// matrix B has zero row sums, dcov^2(S, y) = (1/n^2) sum_ij D_ij B_ij
// and dcov^2(S, S) = (1/n^2) (sum D^2 - 2n sum_i r_i^2 + n^2 g^2) (r the
// row means, g the mean of D) need no centring of the candidates'
// distance matrices D. Cost: O(k p n^2) time (candidates in parallel over
// opts.Workers), O(n^2) memory for B and the selected columns' squared
// distances. opts.Progress receives steps done.
func SelectFeatures(x, target *mat.Dense, k int, opts Options) (*Selection, error) {
	xs, ys, err := fromPair("x", x, "target", target)
	if err != nil {
		return nil, err
	}
	n, p := xs.n, xs.dim
	if err := chk.K("k", k, 1, p, "at most the columns of x"); err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, chk.Errorf("need at least 2 samples, have %d", n)
	}
	e := opts.Exponent
	if e == 0 {
		e = 1
	}
	if !(e > 0 && e <= 2) {
		return nil, chk.Errorf("exponent %v must be in (0, 2]", opts.Exponent)
	}
	b := centredDistances(ys, e)
	var byy float64
	for _, v := range b {
		byy += v * v
	}
	fn := float64(n)
	byy /= fn * fn
	sq := make([]float64, n*n) // squared distances of the selected columns
	sel := &Selection{}
	chosen := make([]bool, p)
	for step := range k {
		scores := make([]float64, p)
		err := work.Queue(p, opts.Workers, nil, p, func() func(int) (int, error) {
			r := make([]float64, n)
			return func(j int) (int, error) {
				if !chosen[j] {
					scores[j] = candidateDCor(xs, j, sq, b, byy, e, r)
				}
				return 1, nil
			}
		})
		if err != nil {
			return nil, err
		}
		best := -1
		for j := range p {
			if !chosen[j] && (best < 0 || scores[j] > scores[best]) {
				best = j
			}
		}
		chosen[best] = true
		sel.Features = append(sel.Features, best)
		sel.DCor = append(sel.DCor, scores[best])
		for i := range n {
			xi := xs.v[i*p+best]
			for l := range n {
				t := xi - xs.v[l*p+best]
				sq[i*n+l] += t * t
			}
		}
		if err := progress.Report(opts.Progress, step+1, k); err != nil {
			return nil, err
		}
	}
	return sel, nil
}

// centredDistances returns the double-centred n x n matrix of the
// sample's Euclidean distances to the power e.
func centredDistances(s sample, e float64) []float64 {
	n := s.n
	ds := newDistSource(s)
	a := make([]float64, n*n)
	for i := range n {
		row := a[i*n : (i+1)*n]
		if ds.gemm {
			ds.product(i, i+1, row)
		}
		ds.row(i, e, row)
	}
	r := make([]float64, n)
	var g float64
	for i := range n {
		for _, v := range a[i*n : (i+1)*n] {
			r[i] += v
		}
		g += r[i]
		r[i] /= float64(n)
	}
	g /= float64(n * n)
	for i := range n {
		for j := range n {
			a[i*n+j] += g - r[i] - r[j]
		}
	}
	return a
}

// candidateDCor is the distance correlation with the target of the
// selected columns (squared distances sq) plus column j. r is scratch.
func candidateDCor(xs sample, j int, sq, b []float64, byy, e float64, r []float64) float64 {
	n, p := xs.n, xs.dim
	var sdb, sdd, g float64
	for i := range r {
		r[i] = 0
	}
	for i := range n {
		xi := xs.v[i*p+j]
		var ri, di, dd float64
		sqRow, bRow := sq[i*n:(i+1)*n], b[i*n:(i+1)*n]
		for l := range n {
			t := xi - xs.v[l*p+j]
			d := powHalf(sqRow[l]+t*t, e)
			ri += d
			di += d * bRow[l]
			dd += d * d
		}
		r[i] = ri
		sdb += di
		sdd += dd
		g += ri
	}
	fn := float64(n)
	var rr float64
	for _, v := range r {
		rr += (v / fn) * (v / fn)
	}
	g /= fn * fn
	dxy := sdb / (fn * fn)
	dxx := (sdd - 2*fn*rr + fn*fn*g*g) / (fn * fn)
	if dxx <= 0 || byy <= 0 {
		return 0
	}
	return math.Sqrt(math.Max(dxy/math.Sqrt(dxx*byy), 0))
}
