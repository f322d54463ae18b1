package cluster

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// KMeansPlusPlus returns the indices of k rows of x chosen as initial
// centres by greedy k-means++ (Arthur and Vassilvitskii 2007, in the greedy
// form of scikit-learn's kmeans_plusplus): the first uniformly at random,
// each next one the best, by the resulting potential (sum of squared
// distances to the nearest chosen centre), of 2 + floor(ln k) candidates
// drawn with probability proportional to the current squared distance.
// Seeded: the same seed gives the same indices. It returns an error when x
// is nil, empty or not finite, or k is not in [1, n]. Cost:
// O(n d k (2 + ln k)) flops as matrix products, O(n) memory per candidate.
func KMeansPlusPlus(x mat.Matrix, k int, seed uint64) ([]int, error) {
	xd, err := denseOf("x", x)
	if err != nil {
		return nil, err
	}
	n, _ := xd.Dims()
	if err := chk.K("k", k, 1, n, "one centre at least and no more centres than points"); err != nil {
		return nil, err
	}
	return kmeansPlusPlus(xd, k, seed)
}

// kmeansPlusPlus is KMeansPlusPlus on validated input.
func kmeansPlusPlus(x *mat.Dense, k int, seed uint64) ([]int, error) {
	n, _ := x.Dims()
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	xn := make([]float64, n)
	for i := range xn {
		r := x.RawRowView(i)
		xn[i] = dot(r, r)
	}
	trials := 2 + int(math.Log(float64(k)))
	first := rng.IntN(n)
	idx := []int{first}
	closest := sqDistsTo(x, xn, []int{first})[0]
	pot := sum(closest)
	cum := make([]float64, n)
	for len(idx) < k {
		var acc float64
		for i, v := range closest {
			acc += v
			cum[i] = acc
		}
		cands := make([]int, trials)
		for t := range cands {
			u := rng.Float64() * pot
			cands[t] = min(sort.SearchFloat64s(cum, u), n-1)
		}
		dists := sqDistsTo(x, xn, cands)
		bestT, bestPot := -1, math.Inf(1)
		for t, dt := range dists {
			var p float64
			for i, v := range dt {
				if c := closest[i]; c < v {
					v = c
				}
				dt[i] = v
				p += v
			}
			if p < bestPot {
				bestT, bestPot = t, p
			}
		}
		idx = append(idx, cands[bestT])
		closest, pot = dists[bestT], bestPot
	}
	return idx, nil
}

// sqDistsTo returns, for each index c in cands, the squared distances of
// every row of x to row c, as ||x||^2 + ||c||^2 - 2 x.c clamped at 0 (one
// matrix product for all candidates). O(n d len(cands)).
func sqDistsTo(x *mat.Dense, xn []float64, cands []int) [][]float64 {
	n, _ := x.Dims()
	var g mat.Dense // n x len(cands): x streams through the product once
	g.Mul(x, rowsOf(x, cands).T())
	out := make([][]float64, len(cands))
	for t := range out {
		out[t] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for t, v := range g.RawRowView(i) {
			out[t][i] = max(xn[i]+xn[cands[t]]-2*v, 0)
		}
	}
	return out
}

// sum returns the sum of v. O(len(v)).
func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}
