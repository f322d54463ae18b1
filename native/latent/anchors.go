package latent

import (
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/cluster"
	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/internal/work"
)

// newRand returns the package's seeded generator (PCG).
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x616e63686f7273)) // "anchors"
}

// RandomAnchors returns k distinct indices drawn uniformly from [0, n)
// (the first k of a seeded random permutation): the same seed gives the
// same anchors. It returns an error unless 1 <= k <= n. O(n) time and
// memory.
func RandomAnchors(n, k int, seed uint64) ([]int, error) {
	if n < 1 {
		return nil, chk.Errorf("n = %d points: need at least one", n)
	}
	if err := chk.K("k", k, 1, n, "at least one anchor and no more anchors than points"); err != nil {
		return nil, err
	}
	return newRand(seed).Perm(n)[:k], nil
}

// FarthestPointAnchors returns k row indices of x chosen by farthest-point
// sampling: the first uniformly at random (seeded), each next one the row
// farthest in Euclidean distance from those already chosen (ties to the
// smaller index), which spreads the anchors over the data. Normalise the
// rows first for an angular spread. It returns an error when x is nil,
// empty or not finite, or k is not in [1, n]. Cost O(n k d) time, O(n)
// memory.
func FarthestPointAnchors(x mat.Matrix, k int, seed uint64) ([]int, error) {
	xd, n, _, err := dense("x", x)
	if err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, n, "at least one anchor and no more anchors than points"); err != nil {
		return nil, err
	}
	minD := make([]float64, n)
	for i := range minD {
		minD[i] = -1 // not yet measured
	}
	idx := []int{newRand(seed).IntN(n)}
	for len(idx) < k {
		last := xd.RawRowView(idx[len(idx)-1])
		work.Range(n, 0, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				d := linalg.SqDist(xd.RawRowView(i), last)
				if minD[i] < 0 || d < minD[i] {
					minD[i] = d
				}
			}
		})
		best := 0
		for i, d := range minD {
			if d > minD[best] {
				best = i
			}
		}
		idx = append(idx, best)
	}
	return idx, nil
}

// KMeansAnchors clusters the rows of x into k groups (native/cluster's
// k-means: greedy k-means++ start from seed, Lloyd iterations as
// scikit-learn's KMeans) and returns, for each cluster, the index of its
// member nearest the centre (distinct, since clusters are disjoint and
// non-empty), together with the k x d centres. Anchors must be data
// points to be paired across spaces; the centres serve anchors within one
// space. Errors as cluster.FitKMeans. Cost: that of FitKMeans,
// O(n k d) an iteration, plus O(n d).
func KMeansAnchors(x mat.Matrix, k int, seed uint64) ([]int, *mat.Dense, error) {
	xd, _, _, err := dense("x", x)
	if err != nil {
		return nil, nil, err
	}
	km, err := cluster.FitKMeans(xd, cluster.KMeansOptions{K: k, Seed: seed})
	if err != nil {
		return nil, nil, err
	}
	idx := make([]int, k)
	best := make([]float64, k)
	for c := range idx {
		idx[c] = -1
	}
	for i, c := range km.Labels {
		d := linalg.SqDist(xd.RawRowView(i), km.Centers.RawRowView(c))
		if idx[c] < 0 || d < best[c] {
			idx[c], best[c] = i, d
		}
	}
	return idx, km.Centers, nil
}

// StratifiedAnchors returns k indices into labels with the classes as
// evenly represented as their sizes allow: every class gets
// floor(k / classes) anchors or all its members if it has fewer, the
// remaining slots go one each to classes with members left, in a seeded
// random order, and the members of each class are drawn uniformly at
// random (seeded). Indices come grouped by class, classes in increasing
// label order. It returns an error unless 1 <= k <= len(labels). O(n)
// time and memory for n labels.
func StratifiedAnchors(labels []int, k int, seed uint64) ([]int, error) {
	n := len(labels)
	if n == 0 {
		return nil, chk.Errorf("labels is empty")
	}
	if err := chk.K("k", k, 1, n, "at least one anchor and no more anchors than labelled points"); err != nil {
		return nil, err
	}
	members := map[int][]int{}
	for i, c := range labels {
		members[c] = append(members[c], i)
	}
	classes := make([]int, 0, len(members))
	for c := range members {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	rng := newRand(seed)
	quota := make(map[int]int, len(classes))
	left := k
	for left > 0 {
		// Classes that can take more, in a seeded order for this round.
		var open []int
		for _, c := range classes {
			if quota[c] < len(members[c]) {
				open = append(open, c)
			}
		}
		if share := left / len(open); share > 0 {
			for _, c := range open {
				add := min(share, len(members[c])-quota[c])
				quota[c] += add
				left -= add
			}
			continue
		}
		rng.Shuffle(len(open), func(i, j int) { open[i], open[j] = open[j], open[i] })
		for _, c := range open[:left] {
			quota[c]++
		}
		left = 0
	}
	out := make([]int, 0, k)
	for _, c := range classes {
		m := members[c]
		rng.Shuffle(len(m), func(i, j int) { m[i], m[j] = m[j], m[i] })
		out = append(out, m[:quota[c]]...)
	}
	return out, nil
}
