package latent

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/assign"
	"github.com/subspace-kernel/subspace/native/internal/linalg"
)

// GraphMatch returns the permutation p maximising the quadratic
// assignment objective sum_ij A_ij B_{p(i) p(j)} for two symmetric k x k
// similarity matrices (e.g. the cosines between cluster centres of two
// spaces): the correspondence between two point sets known only through
// their internal similarities. It starts from a linear assignment of the
// rows' sorted similarity profiles (invariant to the unknown order) and
// from restarts random permutations (seeded), improves each by pairwise
// swaps until none helps (2-opt), and keeps the best. It returns an error
// when A and B are not square, of one size, finite and symmetric (to
// 1e-9 relative). O((restarts + 1) sweeps k^3) time, O(k^2) memory.
func GraphMatch(a, b mat.Matrix, restarts int, seed uint64) ([]int, error) {
	ad, k, ka, err := dense("A", a)
	if err != nil {
		return nil, err
	}
	bd, kb, kbb, err := dense("B", b)
	if err != nil {
		return nil, err
	}
	if k != ka || kb != kbb || k != kb {
		return nil, chk.Errorf("A is %d x %d and B is %d x %d: both must be square, of one size", k, ka, kb, kbb)
	}
	for _, m := range []struct {
		name string
		d    *mat.Dense
	}{{"A", ad}, {"B", bd}} {
		if i, j, ok := symmetric(m.d); !ok {
			return nil, chk.Errorf("%s is not symmetric: (%d, %d) = %v but (%d, %d) = %v", m.name, i, j, m.d.At(i, j), j, i, m.d.At(j, i))
		}
	}
	start, err := assign.LinearSum(profileCost(ad, bd), assign.Options{})
	if err != nil {
		return nil, err
	}
	best := twoOpt(ad, bd, start.ColumnOf(k))
	bestObj := qapObjective(ad, bd, best)
	rng := newRand(seed)
	for range restarts {
		p := twoOpt(ad, bd, rng.Perm(k))
		if obj := qapObjective(ad, bd, p); obj > bestObj {
			best, bestObj = p, obj
		}
	}
	return best, nil
}

// symmetric reports whether m = m^T to 1e-9 of its largest entry, and the
// first offending pair otherwise.
func symmetric(m *mat.Dense) (int, int, bool) {
	k, _ := m.Dims()
	tol := 1e-9 * math.Max(1, mat.Norm(m, math.Inf(1)))
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			if math.Abs(m.At(i, j)-m.At(j, i)) > tol {
				return i, j, false
			}
		}
	}
	return 0, 0, true
}

// profileCost returns the k x k squared distances between the sorted
// rows (off-diagonal entries, descending) of a and of b.
func profileCost(a, b *mat.Dense) *mat.Dense {
	k, _ := a.Dims()
	prof := func(m *mat.Dense) [][]float64 {
		out := make([][]float64, k)
		for i := range out {
			r := append([]float64(nil), m.RawRowView(i)...)
			r = append(r[:i], r[i+1:]...)
			slices.Sort(r)
			out[i] = append(r, m.At(i, i))
		}
		return out
	}
	pa, pb := prof(a), prof(b)
	c := mat.NewDense(k, k, nil)
	for i := range pa {
		for j := range pb {
			c.Set(i, j, linalg.SqDist(pa[i], pb[j]))
		}
	}
	return c
}

// qapObjective returns sum_ij a_ij b_{p(i) p(j)}. O(k^2).
func qapObjective(a, b *mat.Dense, p []int) float64 {
	var s float64
	for i, pi := range p {
		ar, br := a.RawRowView(i), b.RawRowView(pi)
		for j, pj := range p {
			s += ar[j] * br[pj]
		}
	}
	return s
}

// swapGain returns the change of the objective (symmetric a, b) when p[i]
// and p[j] are exchanged. O(k).
func swapGain(a, b *mat.Dense, p []int, i, j int) float64 {
	pi, pj := p[i], p[j]
	ai, aj := a.RawRowView(i), a.RawRowView(j)
	bi, bj := b.RawRowView(pi), b.RawRowView(pj)
	var g float64
	for u, pu := range p {
		if u == i || u == j {
			continue
		}
		g += (ai[u] - aj[u]) * (bj[pu] - bi[pu])
	}
	g *= 2
	g += (ai[i] - aj[j]) * (bj[pj] - bi[pi])
	return g
}

// twoOpt applies improving swaps (the best one for each i in turn) until
// a full sweep finds none. Each sweep O(k^3).
func twoOpt(a, b *mat.Dense, p []int) []int {
	k := len(p)
	for improved := true; improved; {
		improved = false
		for i := 0; i < k; i++ {
			bestJ, bestG := -1, 1e-12
			for j := i + 1; j < k; j++ {
				if g := swapGain(a, b, p, i, j); g > bestG {
					bestJ, bestG = j, g
				}
			}
			if bestJ >= 0 {
				p[i], p[bestJ] = p[bestJ], p[i]
				improved = true
			}
		}
	}
	return p
}
