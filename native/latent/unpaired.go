package latent

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/cluster"
	"github.com/subspace-kernel/subspace/native/knn"
)

// UnpairedOptions configures AlignUnpaired. The zero value is usable.
type UnpairedOptions struct {
	// Clusters is the number of k-means centres per space matched as
	// anchors (0: 16; at most the number of points).
	Clusters int
	// Runs is the number of k-means++ starts per space, the run of least
	// inertia kept (0: 4).
	Runs int
	// Restarts is the number of random starts of the centre matching on
	// top of the one from similarity profiles (0: 16).
	Restarts int
	// Iterations bounds the refinement rounds (0: 20); they stop earlier
	// when the pseudo-pairs no longer change.
	Iterations int
	// Attempts is the number of independent attempts (k-means and matching
	// seeded differently); the one ending with the most pseudo-pairs is
	// kept, a criterion that needs no true pair (0: 3).
	Attempts int
	// Seed seeds k-means and the matching restarts.
	Seed uint64
}

// UnpairedResult is the outcome of AlignUnpaired.
type UnpairedResult struct {
	// Translator maps raw points of the first space to the second:
	// orthogonal Procrustes with centring and isotropic scale, fitted on
	// the final pseudo-pairs.
	Translator *Translator
	// PairsA[i] and PairsB[i] are the rows of the two spaces paired last
	// (mutual nearest neighbours after the final map).
	PairsA, PairsB []int
	// Matching[c] is the centre of the second space matched to centre c of
	// the first.
	Matching []int
	// History holds the number of pseudo-pairs found by the relative
	// representations, then after each refinement round.
	History []int
}

// AlignUnpaired aligns two spaces without any known pair, in the manner of
// mini-vec2vec (Dar 2025): both are centred and their rows normalised; each
// is clustered by k-means; the centres are matched across spaces by their
// internal cosine similarities (GraphMatch, the structure a near-isometry
// keeps); points are represented relative to their space's matched centres
// (cosine), and mutual nearest neighbours between the two relative
// representations give pseudo-pairs; an orthogonal Procrustes map fitted
// on them is refined by re-pairing mutual nearest neighbours of the mapped
// points and refitting, until the pairs stop changing. The spaces may
// differ in size but must have the same dimension. The whole is repeated
// opts.Attempts times from different seeds and the attempt ending with the
// most pseudo-pairs kept; the returned Translator is fitted on its pairs
// in the raw coordinates. It returns an error
// for invalid inputs, fewer than 2 points, more clusters than points, or
// no pseudo-pair at all. Cost: k-means O(runs iterations n c d), the
// matching O(restarts c^3), each round two exact kNN searches
// O(n_a n_b d) and a Procrustes fit O(n d^2 + d^3).
func AlignUnpaired(xa, xb mat.Matrix, opts UnpairedOptions) (*UnpairedResult, error) {
	a, na, d, err := dense("XA", xa)
	if err != nil {
		return nil, err
	}
	b, nb, db, err := dense("XB", xb)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("XA", d, "XB", db, "the unpaired alignment maps between spaces of one dimension"); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if err := chk.K("Clusters", opts.Clusters, 2, min(na, nb), "at least 2 centres and no more than points in either space"); err != nil {
		return nil, err
	}
	ha, err := centredUnit("XA", a)
	if err != nil {
		return nil, err
	}
	hb, err := centredUnit("XB", b)
	if err != nil {
		return nil, err
	}
	var best *UnpairedResult
	for at := 0; at < opts.Attempts; at++ {
		o := opts
		o.Seed = opts.Seed + uint64(at)*7919
		res, err := attempt(ha, hb, o)
		if err != nil {
			return nil, err
		}
		if best == nil || len(res.PairsA) > len(best.PairsA) {
			best = res
		}
	}
	best.Translator, err = FitTranslator(rows(a, best.PairsA), rows(b, best.PairsB), TranslateOptions{Centre: true, Scale: true})
	return best, err
}

// attempt runs one matching and refinement on the prepared spaces.
func attempt(ha, hb *mat.Dense, opts UnpairedOptions) (*UnpairedResult, error) {
	res := &UnpairedResult{}
	pa, pb, err := anchorPairs(ha, hb, opts, res)
	if err != nil {
		return nil, err
	}
	for it := 0; it < opts.Iterations; it++ {
		t, err := FitTranslator(rows(ha, pa), rows(hb, pb), TranslateOptions{})
		if err != nil {
			return nil, err
		}
		mapped, _ := t.Transform(ha)
		qa, qb, err := mutualNearest(mapped, hb)
		if err != nil {
			return nil, err
		}
		res.History = append(res.History, len(qa))
		same := samePairs(pa, pb, qa, qb)
		pa, pb = qa, qb
		if same {
			break
		}
	}
	res.PairsA, res.PairsB = pa, pb
	return res, nil
}

func (o UnpairedOptions) withDefaults() UnpairedOptions {
	if o.Clusters == 0 {
		o.Clusters = 16
	}
	if o.Runs == 0 {
		o.Runs = 4
	}
	if o.Restarts == 0 {
		o.Restarts = 16
	}
	if o.Iterations == 0 {
		o.Iterations = 20
	}
	if o.Attempts == 0 {
		o.Attempts = 3
	}
	return o
}

// anchorPairs clusters both spaces, matches the centres and returns the
// mutual nearest neighbours of the points' relative representations.
func anchorPairs(ha, hb *mat.Dense, opts UnpairedOptions, res *UnpairedResult) ([]int, []int, error) {
	ca, err := cluster.FitKMeans(ha, cluster.KMeansOptions{K: opts.Clusters, Runs: opts.Runs, Seed: opts.Seed})
	if err != nil {
		return nil, nil, fmt.Errorf("%w (clustering XA)", err)
	}
	cb, err := cluster.FitKMeans(hb, cluster.KMeansOptions{K: opts.Clusters, Runs: opts.Runs, Seed: opts.Seed + 1000})
	if err != nil {
		return nil, nil, fmt.Errorf("%w (clustering XB)", err)
	}
	ga, err := RelativeRepresentation(ca.Centers, ca.Centers, RelativeOptions{})
	if err != nil {
		return nil, nil, err
	}
	gb, err := RelativeRepresentation(cb.Centers, cb.Centers, RelativeOptions{})
	if err != nil {
		return nil, nil, err
	}
	res.Matching, err = GraphMatch(ga, gb, opts.Restarts, opts.Seed)
	if err != nil {
		return nil, nil, err
	}
	ra, err := RelativeRepresentation(ha, ca.Centers, RelativeOptions{Centre: true})
	if err != nil {
		return nil, nil, err
	}
	rb, err := RelativeRepresentation(hb, rows(cb.Centers, res.Matching), RelativeOptions{Centre: true})
	if err != nil {
		return nil, nil, err
	}
	pa, pb, err := mutualNearest(ra, rb)
	if err != nil {
		return nil, nil, err
	}
	res.History = append(res.History, len(pa))
	return pa, pb, nil
}

// centredUnit returns x centred on its mean with unit rows, or an error
// naming a row equal to the mean.
func centredUnit(name string, x *mat.Dense) (*mat.Dense, error) {
	p, _, _ := prepare(x, true, false)
	return rowNormalised(name+" (centred)", p)
}

// mutualNearest returns the pairs (i, j) such that row j of b is the
// nearest (cosine) to row i of a and row i of a the nearest to row j of b.
// O(n_a n_b d).
func mutualNearest(a, b *mat.Dense) ([]int, []int, error) {
	ab, err := knn.Search(b, a, knn.Options{K: 1, Metric: knn.Cosine})
	if err != nil {
		return nil, nil, err
	}
	ba, err := knn.Search(a, b, knn.Options{K: 1, Metric: knn.Cosine})
	if err != nil {
		return nil, nil, err
	}
	var pa, pb []int
	for i, j := range ab.Index {
		if ba.Index[j] == i {
			pa, pb = append(pa, i), append(pb, j)
		}
	}
	if len(pa) == 0 {
		return nil, nil, chk.Errorf("no mutual nearest neighbours between the spaces: nothing to align")
	}
	return pa, pb, nil
}

// samePairs reports whether two pair lists (sorted by the first index, as
// mutualNearest returns them) are equal.
func samePairs(a1, b1, a2, b2 []int) bool {
	if len(a1) != len(a2) {
		return false
	}
	for i := range a1 {
		if a1[i] != a2[i] || b1[i] != b2[i] {
			return false
		}
	}
	return true
}

// PairsRecovered counts the pairs (pairsA[i], pairsB[i]) that are true
// under truth, where truth[a] is the row of the second space holding the
// same point as row a of the first (-1 when none): how many of the pairs
// an unpaired alignment found are right, on a planted problem. It returns
// an error when the lists differ in length or an index of pairsA is
// outside truth. O(len(pairsA)).
func PairsRecovered(pairsA, pairsB, truth []int) (int, error) {
	if len(pairsA) != len(pairsB) {
		return 0, chk.Errorf("pairsA has %d entries but pairsB has %d", len(pairsA), len(pairsB))
	}
	if err := checkIndices("pairsA", pairsA, len(truth)); err != nil && len(pairsA) > 0 {
		return 0, err
	}
	n := 0
	for i, a := range pairsA {
		if truth[a] == pairsB[i] {
			n++
		}
	}
	return n, nil
}
