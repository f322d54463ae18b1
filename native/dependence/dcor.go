// Package dependence measures statistical dependence between two sets of
// variables observed on the same n samples (rows): distance covariance and
// distance correlation (Székely, Rizzo & Bakirov 2007) with dcor's
// conventions, their bias-corrected (U-statistic) versions, HSIC with
// Gaussian kernels and a permutation test, and ranking and greedy forward
// selection of features by distance correlation with a target.
//
// Conventions (as the Python package dcor): DistanceCovarianceSqr is the
// V-statistic (1/n^2) sum_ij A_ij B_ij of the double-centred distance
// matrices, DistanceCovariance its square root, DistanceCorrelation the
// square root of dcov^2(x,y) / sqrt(dcov^2(x,x) dcov^2(y,y)) (0 when the
// denominator is 0), in [0, 1]. Distances are Euclidean raised to
// Options.Exponent (default 1). Distance correlation is not scipy's
// distance.correlation (which is 1 - Pearson).
package dependence

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Method chooses the algorithm for the distance statistics.
type Method int

const (
	// Auto uses Fast when both variables are 1-D and Exponent is 1, and
	// Naive otherwise.
	Auto Method = iota
	// Naive is the O(n^2 (p+q)) time, O(n) memory pairwise algorithm; it
	// handles any dimension and exponent.
	Naive
	// Fast is the O(n log n) algorithm of Huo & Székely (2016) for 1-D
	// variables with exponent 1 (sorting, prefix sums and a Fenwick tree).
	Fast
)

// String returns "auto", "naive" or "fast".
func (m Method) String() string {
	switch m {
	case Auto:
		return "auto"
	case Naive:
		return "naive"
	case Fast:
		return "fast"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Options configures the distance statistics. The zero value is dcor's
// default: exponent 1, algorithm chosen automatically.
type Options struct {
	// Exponent applied to Euclidean distances, in (0, 2]; 0 means 1.
	Exponent float64
	// Method: Auto (default), Naive or Fast.
	Method Method
	// Workers for the naive algorithm (0 = GOMAXPROCS).
	Workers int
	// Progress, when set, receives rows done by the naive algorithm.
	Progress progress.Func
}

// Stats holds all distance statistics of a pair of samples, squared.
// DCov* are V-statistics (biased; dcor's distance_covariance_sqr) and
// UDCov* the U-statistics (unbiased; dcor's u_distance_covariance_sqr,
// which can be negative).
type Stats struct {
	N                         int
	Method                    Method // algorithm actually used
	DCovXY, DCovXX, DCovYY    float64
	UDCovXY, UDCovXX, UDCovYY float64
}

// DCorSqr returns the squared distance correlation
// DCovXY / sqrt(DCovXX DCovYY), or 0 when the denominator is 0.
func (s *Stats) DCorSqr() float64 { return ratio(s.DCovXY, s.DCovXX, s.DCovYY) }

// UDCorSqr returns the bias-corrected squared distance correlation
// UDCovXY / sqrt(|UDCovXX UDCovYY|), or 0 when the denominator is 0. It
// can be negative and is approximately unbiased for the population value.
func (s *Stats) UDCorSqr() float64 { return ratio(s.UDCovXY, s.UDCovXX, s.UDCovYY) }

func ratio(xy, xx, yy float64) float64 {
	den := math.Sqrt(math.Abs(xx * yy))
	if den == 0 {
		return 0
	}
	return xy / den
}

// sums are the pairwise sums every statistic derives from, for distance
// matrices a and b (zero diagonals):
// s1 = sum_ij a_ij b_ij, s2 = sum_i a_i. b_i., s3 = a.. b..
type sums struct{ s1, s2, s3 float64 }

// vstat returns (1/n^2) sum A_ij B_ij for double-centred A, B.
func (s sums) vstat(n int) float64 {
	f := float64(n)
	return s.s1/(f*f) - 2*s.s2/(f*f*f) + s.s3/(f*f*f*f)
}

// ustat returns the U-centred statistic of Székely & Rizzo (2014):
// (1/(n(n-3))) [s1 - 2 s2/(n-2) + s3/((n-1)(n-2))].
func (s sums) ustat(n int) float64 {
	f := float64(n)
	return (s.s1 - 2*s.s2/(f-2) + s.s3/((f-1)*(f-2))) / (f * (f - 3))
}

// DistanceStats computes every distance statistic of x (n x p) and y
// (n x q) at once. The naive algorithm costs O(n^2 (p+q)) time and O(n)
// memory; the fast one O(n log n) time and O(n) memory. U-statistics need
// n >= 4 (they are NaN otherwise). Errors: nil, empty or non-finite input,
// different numbers of rows, fewer than 2 rows, exponent outside (0, 2],
// Fast requested for multivariate data or an exponent other than 1.
func DistanceStats(x, y *mat.Dense, opts Options) (*Stats, error) {
	xs, ys, err := fromPair("x", x, "y", y)
	if err != nil {
		return nil, err
	}
	return stats(xs, ys, opts)
}

// sample is a flat row-major n x dim sample.
type sample struct {
	n, dim int
	v      []float64
}

// chk words dependence's argument errors ("dependence: x is nil (nil matrix)").
var chk = check.New("dependence")

// sameSamples is the reason given when x and y differ in rows.
const sameSamples = "both must hold the same samples"

// fromDense copies a non-nil, non-empty, finite matrix into a sample.
// O(n d) time and memory.
func fromDense(name string, m *mat.Dense) (sample, error) {
	n, d, err := chk.Shape(name, m)
	if err != nil {
		return sample{}, err
	}
	v := make([]float64, 0, n*d)
	for i := 0; i < n; i++ {
		v = append(v, m.RawRowView(i)...)
	}
	return fromFlat(name, n, d, v)
}

// fromPair copies x and y into samples (fromDense) and checks that they
// hold the same number of rows. O(n (p + q)) time and memory.
func fromPair(xname string, x *mat.Dense, yname string, y *mat.Dense) (xs, ys sample, err error) {
	if xs, err = fromDense(xname, x); err != nil {
		return
	}
	if ys, err = fromDense(yname, y); err != nil {
		return
	}
	err = chk.SameRows(xname, xs.n, yname, ys.n, sameSamples)
	return
}

// fromFlat wraps the row-major n x d values v as a sample after checking
// that it is non-empty and finite. O(n d) time, no copy.
func fromFlat(name string, n, d int, v []float64) (sample, error) {
	if n == 0 || d == 0 {
		return sample{}, chk.Errorf("%s is empty (%d x %d)", name, n, d)
	}
	if err := chk.Finite(name, v, d); err != nil {
		return sample{}, err
	}
	return sample{n: n, dim: d, v: v}, nil
}

func stats(x, y sample, opts Options) (*Stats, error) {
	if err := chk.SameRows("x", x.n, "y", y.n, sameSamples); err != nil {
		return nil, err
	}
	if x.n < 2 {
		return nil, fmt.Errorf("dependence: need at least 2 samples, have %d", x.n)
	}
	e := opts.Exponent
	if e == 0 {
		e = 1
	}
	if !(e > 0 && e <= 2) {
		return nil, fmt.Errorf("dependence: exponent %v must be in (0, 2]", opts.Exponent)
	}
	method := opts.Method
	oneD := x.dim == 1 && y.dim == 1 && e == 1
	switch method {
	case Auto:
		method = Naive
		if oneD {
			method = Fast
		}
	case Fast:
		if !oneD {
			return nil, fmt.Errorf("dependence: the fast algorithm needs 1-D x and y and exponent 1 (have %d-D, %d-D, exponent %v)", x.dim, y.dim, e)
		}
	case Naive:
	default:
		return nil, fmt.Errorf("dependence: unknown method %d", int(method))
	}
	var xy, xx, yy sums
	if method == Fast {
		xy, xx, yy = fastSums(x.v, y.v)
	} else {
		var err error
		xy, xx, yy, err = naiveSums(x, y, e, opts.Workers, opts.Progress)
		if err != nil {
			return nil, err
		}
	}
	n := x.n
	s := &Stats{N: n, Method: method,
		DCovXY: xy.vstat(n), DCovXX: xx.vstat(n), DCovYY: yy.vstat(n),
		UDCovXY: math.NaN(), UDCovXX: math.NaN(), UDCovYY: math.NaN()}
	if n >= 4 {
		s.UDCovXY, s.UDCovXX, s.UDCovYY = xy.ustat(n), xx.ustat(n), yy.ustat(n)
	}
	return s, nil
}

// DistanceCovarianceSqr returns the squared distance covariance
// (V-statistic, dcor.distance_covariance_sqr). Cost: see DistanceStats.
func DistanceCovarianceSqr(x, y *mat.Dense, opts Options) (float64, error) {
	s, err := DistanceStats(x, y, opts)
	if err != nil {
		return 0, err
	}
	return s.DCovXY, nil
}

// DistanceCovariance returns the distance covariance, the square root of
// DistanceCovarianceSqr (clamped at 0 against rounding).
func DistanceCovariance(x, y *mat.Dense, opts Options) (float64, error) {
	v, err := DistanceCovarianceSqr(x, y, opts)
	return math.Sqrt(math.Max(v, 0)), err
}

// DistanceCorrelationSqr returns the squared distance correlation
// (dcor.distance_correlation_sqr), in [0, 1].
func DistanceCorrelationSqr(x, y *mat.Dense, opts Options) (float64, error) {
	s, err := DistanceStats(x, y, opts)
	if err != nil {
		return 0, err
	}
	return s.DCorSqr(), nil
}

// DistanceCorrelation returns the distance correlation
// (dcor.distance_correlation): 0 for independence in the population limit,
// 1 when y is a similarity transform of x.
func DistanceCorrelation(x, y *mat.Dense, opts Options) (float64, error) {
	v, err := DistanceCorrelationSqr(x, y, opts)
	return math.Sqrt(math.Max(v, 0)), err
}

// UDistanceCovarianceSqr returns the unbiased (U-statistic) squared
// distance covariance (dcor.u_distance_covariance_sqr); needs n >= 4, can
// be negative.
func UDistanceCovarianceSqr(x, y *mat.Dense, opts Options) (float64, error) {
	s, err := DistanceStats(x, y, opts)
	if err != nil {
		return 0, err
	}
	if s.N < 4 {
		return 0, fmt.Errorf("dependence: the U-statistic needs at least 4 samples, have %d", s.N)
	}
	return s.UDCovXY, nil
}

// UDistanceCorrelationSqr returns the bias-corrected squared distance
// correlation (dcor.u_distance_correlation_sqr); needs n >= 4, can be
// negative, near 0 for independent samples at any n.
func UDistanceCorrelationSqr(x, y *mat.Dense, opts Options) (float64, error) {
	s, err := DistanceStats(x, y, opts)
	if err != nil {
		return 0, err
	}
	if s.N < 4 {
		return 0, fmt.Errorf("dependence: the U-statistic needs at least 4 samples, have %d", s.N)
	}
	return s.UDCorSqr(), nil
}

// DistanceStats1D is DistanceStats for two 1-D samples given as slices
// (the fast algorithm applies with exponent 1).
func DistanceStats1D(x, y []float64, opts Options) (*Stats, error) {
	xs, err := fromFlat("x", len(x), 1, x)
	if err != nil {
		return nil, err
	}
	ys, err := fromFlat("y", len(y), 1, y)
	if err != nil {
		return nil, err
	}
	return stats(xs, ys, opts)
}

// DistanceCorrelation1D returns the distance correlation of two 1-D
// samples: O(n log n) with exponent 1.
func DistanceCorrelation1D(x, y []float64, opts Options) (float64, error) {
	s, err := DistanceStats1D(x, y, opts)
	if err != nil {
		return 0, err
	}
	return math.Sqrt(math.Max(s.DCorSqr(), 0)), nil
}
