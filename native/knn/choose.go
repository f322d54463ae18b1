package knn

import "math/bits"

// Choose returns the algorithm Auto runs for n data rows, m queries of
// dimension d, K neighbours, the metric and the precision: the KD-tree
// when d <= TreeMaxDim(n, K) and the metric is Euclidean or cosine, the
// blocked brute force otherwise (always for the inner product, which is
// not a metric). O(1).
//
// The rule was measured on the development machine (2 cores, AVX-512,
// OpenBLAS; `knnshapes -calibrate`, see bench/knnshapes and the README),
// self searches with both algorithms on i.i.d. Gaussian data (intrinsic
// dimension d: the tree's worst case) and on a 3-dimensional cube rotated
// into d dimensions. CPU time of brute force / CPU time of the tree (the
// machine was under heavy load, so CPU time, not wall time; > 1: the tree
// is faster), K = 2 / 20 / 100:
//
//	n        d   Gaussian            3-D in d dims
//	2,500    3   4.15  2.26  1.49    2.69  1.79  1.48
//	2,500    4   1.59  1.27  1.06    2.19  1.93  1.34
//	2,500    5   1.23  1.00  0.90    2.25  1.67  1.26
//	2,500    6   0.95  0.67  0.73    3.13  1.84  1.34
//	2,500    8   0.35  0.40  0.57    2.08  1.53  1.10
//	20,000   5   5.59  2.45  1.33    4.34  1.79  1.41
//	20,000   6   3.21  1.48  0.92    2.48  1.90  1.49
//	20,000   8   0.98  0.55  0.43    2.74  1.78  1.22
//	20,000  10   0.40  0.28  0.24    2.14  1.40  1.13
//	100,000  6   see the README
//	100,000  8   see the README
//
// On data whose intrinsic dimension is low the tree keeps winning far above
// the threshold, but the threshold is set by the Gaussian columns: a tree
// on data of high intrinsic dimension can be several times slower than
// brute force, while brute force on low-dimensional data loses less (its
// blocks are KD-tree leaves too, and block pairs out of reach are skipped).
// The crossing grows by about one dimension each time n is multiplied by 4
// (a tree query costs about O(log n 2^d), brute force O(n d)), and larger K
// favour brute force, which gives the rule of TreeMaxDim. scikit-learn's
// auto rule (a tree up to d = 15, whatever n) is the same idea; its
// brute force is slower than ours, hence its higher threshold.
func Choose(n, m, d, k int, metric Metric, is32 bool) Algorithm {
	if metric == InnerProduct || d > TreeMaxDim(n, k) {
		return Brute
	}
	return KDTree
}

// TreeMaxDim is the largest dimension for which Auto uses the KD-tree with
// n data rows and K neighbours: floor(log2(n) / 2), one less for K >= 64
// (5 and 4 at n = 2,500; 7 and 6 at 20,000; 8 and 7 at 100,000). O(1).
func TreeMaxDim(n, k int) int {
	dmax := (bits.Len(uint(max(n, 1))) - 1) / 2
	if k >= 64 {
		dmax--
	}
	return dmax
}
