// Package intrinsic estimates the intrinsic dimension of point clouds: the
// number of degrees of freedom of the manifold the rows of X lie on or near.
//
// Estimators follow scikit-dimension 0.3 (skdim) conventions and defaults
// exactly unless stated, and DADApy for GRIDE:
//
//	TwoNN    ratio of the 2nd to the 1st neighbour distance (Facco et al.)
//	MLE      Levina-Bickel maximum likelihood, k = 20, MacKay-Ghahramani aggregation
//	MOM      method of moments, k = 100
//	TLE      tight local estimator, k = 20, epsilon 1e-4
//	MADA     manifold-adaptive, k = 20: ln 2 / ln(r_k / r_{k/2})
//	MiNDML   MiND maximum likelihood (MLk), k = 20, D = 10
//	GRIDE    generalised ratios r_{2n}/r_n, n = 1, 2, 4, ..., 32 (DADApy)
//	CorrInt  correlation dimension between the k1 = 10 and k2 = 20 neighbour radii
//	LPCA     PCA eigenvalue criteria (Fukunaga-Olsen, Fan, maxgap, ratio,
//	         participation ratio, Kaiser, broken stick)
//	ESS      expected simplex skewness, ver a, d = 1, k = 100
//
// Every kNN-based estimator takes an optional precomputed *knn.Result (from
// knn.SearchSelf with ExcludeSelf and the Euclidean metric, K at least what
// the estimator needs); with nil it computes one with package knn. Exact
// duplicate rows make ratio estimators divide by zero (log 0): they are
// detected and reported, or removed first when Common.Dedup is set.
//
// All entry points use concrete float64 types (no generics) so that notebook
// cells interpreted by yaegi can call them.
package intrinsic

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Estimate is the result of an estimator.
type Estimate struct {
	// Method names the estimator and its main parameters, e.g. "MLE(k=20, comb=mle)".
	Method string
	// Dim is the global intrinsic dimension estimate.
	Dim float64
	// Pointwise holds one local estimate per (kept) row, for estimators that
	// define them; nil otherwise.
	Pointwise []float64
	// StdErr is the estimator's own standard error when it has one (GRIDE:
	// 1/sqrt(Fisher information)), else 0.
	StdErr float64
	// N is the number of rows used; Duplicates the number of exact duplicate
	// rows removed by Dedup (0 otherwise).
	N, Duplicates int
}

// Common holds the options shared by the estimators.
type Common struct {
	// Dedup removes exact duplicate rows (keeping the first copy) before
	// estimating. Without it, duplicates are an error for the estimators
	// that divide by neighbour distances. It cannot be combined with
	// precomputed neighbours.
	Dedup bool
	// Workers bounds the goroutines of the kNN search and of pointwise
	// fits (0 = GOMAXPROCS).
	Workers int
	// Progress, when set, receives progress of the kNN search.
	Progress progress.Func
	// Algorithm is the neighbour search (knn.Auto by default: the KD-tree
	// or blocked brute force by knn.Choose; both give identical results).
	Algorithm knn.Algorithm
}

// search returns the K nearest neighbours of every row of X, self
// excluded, with the options of o: the one neighbour search of the
// package.
func search(X *mat.Dense, k int, o Common) (*knn.Result, error) {
	return knn.SearchSelf(X, knn.Options{K: k, ExcludeSelf: true, Workers: o.Workers, Progress: o.Progress, Algorithm: o.Algorithm})
}

// Comb selects how pointwise estimates are combined into a global one.
type Comb int

const (
	// CombMean is the arithmetic mean.
	CombMean Comb = iota
	// CombMedian is the median.
	CombMedian
	// CombMLE is MacKay and Ghahramani's harmonic mean 1/mean(1/d_i)
	// (skdim's "mle").
	CombMLE
)

// String returns skdim's name for the combination.
func (c Comb) String() string {
	switch c {
	case CombMean:
		return "mean"
	case CombMedian:
		return "median"
	case CombMLE:
		return "mle"
	}
	return fmt.Sprintf("Comb(%d)", int(c))
}

func combine(pw []float64, c Comb) (float64, error) {
	switch c {
	case CombMean:
		return mean(pw), nil
	case CombMedian:
		return median(pw), nil
	case CombMLE:
		var s float64
		for _, v := range pw {
			s += 1 / v
		}
		return float64(len(pw)) / s, nil
	}
	return 0, fmt.Errorf("intrinsic: unknown combination %d", int(c))
}

func mean(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// median is numpy's median (mean of the two middle values for even n).
func median(x []float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// percentile is numpy's percentile with linear interpolation, q in [0, 100].
func percentile(sorted []float64, q float64) float64 {
	pos := q / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(lo)
	return sorted[lo] + f*(sorted[lo+1]-sorted[lo])
}

// chk words intrinsic's argument errors
// ("intrinsic: X element (row 3, column 2) is NaN").
var chk = check.Checker{Prefix: "intrinsic", Style: check.ElementIs}

// checkData returns an error for nil, empty, too small or non-finite X.
func checkData(X *mat.Dense, minRows int) error {
	r, _, err := chk.Dense("X", X)
	if err != nil {
		return err
	}
	if r < minRows {
		return chk.Errorf("X has %d rows, need at least %d", r, minRows)
	}
	return nil
}

// Duplicates returns, for each row of X, the index of the first identical
// row (itself when unique), and the number of rows that copy an earlier one.
// O(n d) time with a hash of each row's bits.
func Duplicates(X *mat.Dense) (first []int, count int) {
	r, c := X.Dims()
	seen := make(map[string]int, r)
	first = make([]int, r)
	buf := make([]byte, 8*c)
	for i := range r {
		for j, v := range X.RawRowView(i)[:c] {
			if v == 0 {
				v = 0 // -0 == +0
			}
			binary.LittleEndian.PutUint64(buf[8*j:], math.Float64bits(v))
		}
		if f, ok := seen[string(buf)]; ok {
			first[i] = f
			count++
			continue
		}
		seen[string(buf)] = i
		first[i] = i
	}
	return first, count
}

// Dedup returns X without its exact duplicate rows (first copies kept, in
// order) and the number removed. O(n d).
func Dedup(X *mat.Dense) (*mat.Dense, int) {
	first, count := Duplicates(X)
	if count == 0 {
		return X, 0
	}
	r, c := X.Dims()
	out := mat.NewDense(r-count, c, nil)
	k := 0
	for i := range r {
		if first[i] == i {
			out.SetRow(k, X.RawRowView(i)[:c])
			k++
		}
	}
	return out, count
}

// prepared is X after the duplicate policy, with its neighbours.
type prepared struct {
	X          *mat.Dense
	nn         *knn.Result
	duplicates int
}

// prepare applies the duplicate policy and computes (or checks) the K
// nearest neighbours of every row, self excluded. needNN = false skips the
// search (estimators using X only).
func prepare(X *mat.Dense, nn *knn.Result, k int, o Common, needNN bool) (*prepared, error) {
	if nn != nil {
		if o.Dedup {
			return nil, fmt.Errorf("intrinsic: Dedup cannot be applied to precomputed neighbours: deduplicate X before the search")
		}
		if nn.K < k {
			return nil, fmt.Errorf("intrinsic: precomputed neighbours have K = %d, need at least %d", nn.K, k)
		}
		if X != nil {
			if r, _ := X.Dims(); r != nn.N {
				return nil, fmt.Errorf("intrinsic: precomputed neighbours are for %d points, X has %d rows", nn.N, r)
			}
		}
		if d := zeroDistances(nn); d > 0 {
			return nil, dupError(d)
		}
		return &prepared{X: X, nn: nn}, nil
	}
	if err := checkData(X, k+1); err != nil {
		return nil, err
	}
	p := &prepared{X: X}
	if needNN && !o.Dedup {
		// Lean path: a row has an exact copy exactly when its nearest
		// neighbour is at distance 0, so the search itself detects
		// duplicates; they are counted (by hashing) only when present.
		var err error
		if p.nn, err = search(X, k, o); err != nil {
			return nil, err
		}
		if zeroDistances(p.nn) > 0 {
			_, count := Duplicates(X)
			return nil, dupError(count)
		}
		return p, nil
	}
	_, count := Duplicates(X)
	if count > 0 {
		if !o.Dedup {
			return nil, dupError(count)
		}
		p.X, p.duplicates = Dedup(X)
		if r, _ := p.X.Dims(); r < k+1 {
			return nil, fmt.Errorf("intrinsic: %d rows left after removing %d duplicates, need at least %d", r, count, k+1)
		}
	}
	if needNN {
		var err error
		if p.nn, err = search(p.X, k, o); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func dupError(n int) error {
	return fmt.Errorf("intrinsic: X has %d duplicate rows (exact copies of other rows): neighbour distance ratios would divide by zero; set Dedup to remove them", n)
}

// zeroDistances counts the points whose nearest neighbour is at distance 0.
func zeroDistances(nn *knn.Result) int {
	c := 0
	for i := range nn.N {
		if nn.Dist[i*nn.K] == 0 {
			c++
		}
	}
	return c
}

// dists returns the first k neighbour distances of point i.
func dists(nn *knn.Result, i, k int) []float64 { return nn.Dist[i*nn.K : i*nn.K+k] }

func nrows(p *prepared) int { return p.nn.N }
