package knn

// Choose returns the algorithm Auto runs for n data rows, m queries of
// dimension d, K neighbours and the metric, in float32 or float64. O(1).
func Choose(n, m, d, k int, metric Metric, float32 bool) Algorithm {
	if metric == InnerProduct {
		return Brute
	}
	if d <= 15 {
		return KDTree
	}
	return Brute
}
