package compress

import (
	"math"
	"slices"

	"github.com/subspace-kernel/subspace/native/intrinsic"
	"github.com/subspace-kernel/subspace/native/knn"
)

// PointwiseLID returns the Levina-Bickel maximum likelihood estimate of the
// local intrinsic dimension at each query, from the first k distances of
// its exact neighbours (package native/intrinsic's MLE on precomputed
// neighbours): (k-1) / sum_j log(r_k / r_j). A query at distance 0 from a
// data row (a duplicate) is an error; search data rows against themselves
// with knn.SearchSelf and ExcludeSelf to get their LID. k >= 2. O(N k).
func PointwiseLID(truth *knn.Result, k int) ([]float64, error) {
	if truth == nil {
		return nil, chk.Errorf("PointwiseLID: neighbours are nil")
	}
	est, err := (&intrinsic.MLE{K: k, Comb: intrinsic.CombMLE}).Fit(nil, truth)
	if err != nil {
		return nil, err
	}
	return est.Pointwise, nil
}

// LIDBin is one quantile bin of queries by local intrinsic dimension.
type LIDBin struct {
	// Lo and Hi bound the bin's LID values (Lo of the first bin and Hi of
	// the last are the extreme values).
	Lo, Hi float64
	// MeanLID and Recall are the means over the bin's queries.
	MeanLID, Recall float64
	// Count is the number of queries in the bin.
	Count int
}

// RecallByLID splits the queries into bins of equal count by their local
// intrinsic dimension (sorted, ties kept together in the lower bin's
// order by query index) and returns each bin's mean recall: how recall of
// an approximate search falls where the data is locally high-dimensional.
// recall and lid have one value a query; 1 <= bins <= len(lid). Errors name
// NaN values and mismatched lengths. O(N log N).
func RecallByLID(recall, lid []float64, bins int) ([]LIDBin, error) {
	if len(recall) != len(lid) {
		return nil, chk.Errorf("RecallByLID: %d recall values but %d LID values", len(recall), len(lid))
	}
	if err := chk.K("bins", bins, 1, len(lid), "quantile bins, at most one a query"); err != nil {
		return nil, err
	}
	for i := range lid {
		if math.IsNaN(lid[i]) || math.IsNaN(recall[i]) {
			return nil, chk.Errorf("RecallByLID: query %d has LID %v and recall %v", i, lid[i], recall[i])
		}
	}
	order := make([]int, len(lid))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case lid[a] < lid[b]:
			return -1
		case lid[a] > lid[b]:
			return 1
		}
		return 0
	})
	n := len(lid)
	out := make([]LIDBin, bins)
	for b := range bins {
		part := order[b*n/bins : (b+1)*n/bins]
		bin := LIDBin{Lo: lid[part[0]], Hi: lid[part[len(part)-1]], Count: len(part)}
		for _, i := range part {
			bin.MeanLID += lid[i]
			bin.Recall += recall[i]
		}
		bin.MeanLID /= float64(len(part))
		bin.Recall /= float64(len(part))
		out[b] = bin
	}
	return out, nil
}
