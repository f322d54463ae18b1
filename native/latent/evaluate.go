package latent

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/similarity"
)

// MeanCosine returns the mean over rows of cos(pred_i, target_i), in
// [-1, 1]: how well translated points point the way of the true ones. It
// returns an error when the inputs are invalid, differ in shape, or a row
// has zero norm. O(n d).
func MeanCosine(pred, target mat.Matrix) (float64, error) {
	p, y, err := sameShape(pred, target)
	if err != nil {
		return 0, err
	}
	n, _ := p.Dims()
	var s float64
	for i := 0; i < n; i++ {
		a, b := p.RawRowView(i), y.RawRowView(i)
		na, nb := math.Sqrt(dot(a, a)), math.Sqrt(dot(b, b))
		if na == 0 {
			return 0, chk.Errorf("pred row %d has zero norm: its cosine is undefined", i)
		}
		if nb == 0 {
			return 0, chk.Errorf("target row %d has zero norm: its cosine is undefined", i)
		}
		s += dot(a, b) / (na * nb)
	}
	return s / float64(n), nil
}

// MSE returns the mean over all entries of (pred - target)^2 (torch's
// F.mse_loss). Errors on invalid inputs or a shape mismatch. O(n d).
func MSE(pred, target mat.Matrix) (float64, error) {
	p, y, err := sameShape(pred, target)
	if err != nil {
		return 0, err
	}
	n, d := p.Dims()
	var s float64
	for i := 0; i < n; i++ {
		s += linalg.SqDist(p.RawRowView(i), y.RawRowView(i))
	}
	return s / float64(n*d), nil
}

// sameShape validates two matrices of the same shape.
func sameShape(pred, target mat.Matrix) (*mat.Dense, *mat.Dense, error) {
	p, y, err := pair("pred", pred, "target", target)
	if err != nil {
		return nil, nil, err
	}
	_, dp := p.Dims()
	_, dy := y.Dims()
	if err := chk.SameCols("pred", dp, "target", dy, ""); err != nil {
		return nil, nil, err
	}
	return p, y, nil
}

// RetrievalOptions configures Retrieve. The zero value ranks by cosine
// and reports top-1, top-5 and MRR@100.
type RetrievalOptions struct {
	// K is the cut-off of the top-k accuracy (0: 5).
	K int
	// Depth is how far down the ranking the true match is looked for: the
	// mean reciprocal rank counts 0 for a match ranked below Depth
	// (MRR@Depth). 0: 100. Both K and Depth are capped at n - 1.
	Depth int
	// Similarity ranks the targets: Cosine (default) or Euclidean.
	Similarity Similarity
}

// Retrieval scores how well translated points find their own targets
// among all targets.
type Retrieval struct {
	// Top1 is the fraction of queries whose nearest target is their own.
	Top1 float64
	// TopK is the fraction whose own target is among the K nearest.
	TopK float64
	// MRR is the mean over queries of 1 / rank of the own target (0 when
	// it ranks below Depth).
	MRR float64
	// K and Depth as used (after defaults and caps).
	K, Depth int
	// Rank holds the 1-based rank of each query's own target, 0 when below
	// Depth.
	Rank []int
}

// Retrieve ranks, for every row i of pred (a translated point), all rows
// of target by similarity (native/knn's exact search, ties to the smaller
// index) and scores where target row i lands: top-1, top-K accuracy and
// mean reciprocal rank (Moschella et al.'s and Maiorca et al.'s retrieval
// metrics). pred and target must have the same shape and at least 2 rows.
// Cost O(n^2 d) flops in blocked matrix products, O(n Depth) memory.
func Retrieve(pred, target mat.Matrix, opts RetrievalOptions) (*Retrieval, error) {
	p, y, err := sameShape(pred, target)
	if err != nil {
		return nil, err
	}
	n, _ := p.Dims()
	if n < 2 {
		return nil, chk.Errorf("retrieval needs at least 2 targets, pred and target have %d rows", n)
	}
	metric, err := knnMetric(opts.Similarity)
	if err != nil {
		return nil, err
	}
	k, depth := opts.K, opts.Depth
	if k <= 0 {
		k = 5
	}
	if depth <= 0 {
		depth = 100
	}
	depth = min(max(depth, k), n-1)
	k = min(k, depth)
	res, err := knn.Search(y, p, knn.Options{K: depth, Metric: metric})
	if err != nil {
		return nil, err
	}
	r := &Retrieval{K: k, Depth: depth, Rank: make([]int, n)}
	for i := 0; i < n; i++ {
		for pos, j := range res.Neighbors(i) {
			if j == i {
				r.Rank[i] = pos + 1
				break
			}
		}
		switch rank := r.Rank[i]; {
		case rank == 0:
		case rank == 1:
			r.Top1++
			fallthrough
		case rank <= k:
			r.TopK++
			fallthrough
		default:
			r.MRR += 1 / float64(rank)
		}
	}
	r.Top1 /= float64(n)
	r.TopK /= float64(n)
	r.MRR /= float64(n)
	return r, nil
}

// knnMetric maps a similarity to native/knn's metric.
func knnMetric(s Similarity) (knn.Metric, error) {
	switch s {
	case Cosine:
		return knn.Cosine, nil
	case Euclidean:
		return knn.Euclidean, nil
	}
	return 0, chk.Errorf("retrieval ranks by Cosine or Euclidean, not %s", s)
}

// NeighbourhoodJaccard returns the mean over points of the Jaccard index
// of the k nearest neighbours (self excluded) of point i among the rows of
// pred and among the rows of target (native/similarity's KNNJaccard): 1
// when translation keeps every neighbourhood, about k/n for unrelated
// spaces. k = 0 means 10; sim is Cosine or Euclidean. Cost O(n^2 d).
func NeighbourhoodJaccard(pred, target mat.Matrix, k int, sim Similarity) (float64, error) {
	p, y, err := pair("pred", pred, "target", target)
	if err != nil {
		return 0, err
	}
	metric, err := knnMetric(sim)
	if err != nil {
		return 0, err
	}
	return similarity.KNNJaccard(p, y, k, metric)
}

// Evaluation gathers the measures of a translation.
type Evaluation struct {
	// Cosine is MeanCosine, MSE the mean squared error.
	Cosine, MSE float64
	// Retrieval is Retrieve's result.
	Retrieval *Retrieval
	// Jaccard is NeighbourhoodJaccard with k = 10 (or n - 1).
	Jaccard float64
}

// Evaluate returns every measure of translated points pred against the
// true target points (same shape, at least 3 rows): mean cosine, MSE,
// retrieval (opts) and neighbourhood Jaccard. Cost O(n^2 d).
func Evaluate(pred, target mat.Matrix, opts RetrievalOptions) (*Evaluation, error) {
	var e Evaluation
	var err error
	if e.Cosine, err = MeanCosine(pred, target); err != nil {
		return nil, err
	}
	if e.MSE, err = MSE(pred, target); err != nil {
		return nil, err
	}
	if e.Retrieval, err = Retrieve(pred, target, opts); err != nil {
		return nil, err
	}
	n, _ := pred.Dims()
	if e.Jaccard, err = NeighbourhoodJaccard(pred, target, min(10, n-2), opts.Similarity); err != nil {
		return nil, err
	}
	return &e, nil
}
