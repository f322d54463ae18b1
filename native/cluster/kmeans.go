// Package cluster partitions points into groups: k-means (Lloyd iterations
// after a greedy k-means++ start), the building block of anchor selection,
// product quantisation codebooks and class prototypes elsewhere in native/.
//
// The iterations follow scikit-learn's KMeans(algorithm="lloyd") step for
// step (assignment to the nearest centre, means of the assigned points,
// relocation of empty clusters to the points farthest from their centres,
// stop when the labels no longer change or the total squared centre shift
// falls below tol times the mean column variance, a final assignment when
// the loop ended on the shift test), so that from the same initial centres
// the labels, centres, inertia and iteration count agree with sklearn's.
//
// Distances are computed by blocked matrix products (the BLAS backend of
// package native/blas: OpenBLAS with the "openblas" tag), the expansion
// ||c||^2 - 2 x.c that sklearn uses too; the inertia is recomputed exactly
// from differences.
package cluster

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // BLAS backend selection
	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
)

var chk = check.New("cluster")

// KMeansOptions configures FitKMeans. With only K set it is scikit-learn's
// KMeans default: k-means++ start, at most 300 iterations, tol 1e-4, one run.
type KMeansOptions struct {
	// K is the number of clusters (required): 1 <= K <= number of points.
	K int
	// Init, when non-nil, holds the K x d initial centres (Runs and Seed are
	// then unused). nil: a k-means++ start (KMeansPlusPlus).
	Init mat.Matrix
	// MaxIter bounds the Lloyd iterations (0: 300).
	MaxIter int
	// Tol stops the iterations when the sum over clusters of the squared
	// centre shift is at most Tol times the mean variance of the columns of
	// x (0: 1e-4). A negative Tol disables the test: the iterations stop
	// only when no label changes or after MaxIter.
	Tol float64
	// Runs is the number of k-means++ starts; the run of least inertia is
	// kept (0: 1).
	Runs int
	// Seed seeds the k-means++ draws of the first run (run r uses Seed+r).
	Seed uint64
	// Workers is the number of goroutines of the assignment and update
	// steps (0: GOMAXPROCS). The matrix products use the BLAS's own threads.
	Workers int
	// Progress, when set, is called after each iteration with the number of
	// iterations done and MaxIter, over all runs; an error it returns (or an
	// interrupt of the running cell) stops the fit, which returns it.
	Progress progress.Func
}

// KMeans is a fitted k-means clustering.
type KMeans struct {
	// Centers holds the K centres as rows (K x d).
	Centers *mat.Dense
	// Labels holds the index of the nearest centre of each training point.
	Labels []int
	// Inertia is the sum over training points of the squared Euclidean
	// distance to their centre, computed exactly from the differences.
	Inertia float64
	// Iter is the number of Lloyd iterations run (of the kept run).
	Iter int
	// Converged reports whether the iterations stopped before MaxIter
	// (labels stable or shift below the tolerance).
	Converged bool
}

// FitKMeans clusters the rows of x (n points of dimension d) into
// opts.K groups. It returns an error naming the problem when x is nil,
// empty or not finite, when K is not in [1, n], or when Init is not K x d
// or not finite. Cost per iteration: O(n K d) flops in matrix products
// (blocks of 2048 points), O(n d) for the means; k-means++ costs
// O(n K d log K). Memory: a copy of x when it is not a *mat.Dense, one
// 2048 x K block, K x d per worker.
func FitKMeans(x mat.Matrix, opts KMeansOptions) (*KMeans, error) {
	xd, err := denseOf("x", x)
	if err != nil {
		return nil, err
	}
	n, d := xd.Dims()
	if err := chk.K("K", opts.K, 1, n, "one cluster at least and no more clusters than points"); err != nil {
		return nil, err
	}
	p := lloydParams{maxIter: opts.MaxIter, workers: opts.Workers, prog: opts.Progress}
	if p.maxIter <= 0 {
		p.maxIter = 300
	}
	tol := opts.Tol
	if tol == 0 {
		tol = 1e-4
	}
	if tol > 0 {
		p.tol = tol * meanColumnVariance(xd)
	} else {
		p.tol = -1
	}
	if opts.Init != nil {
		c, err := initCentres(opts.Init, opts.K, d)
		if err != nil {
			return nil, err
		}
		p.total = p.maxIter
		return lloyd(xd, c, p, 0)
	}
	runs := max(opts.Runs, 1)
	p.total = runs * p.maxIter
	var best *KMeans
	for r := range runs {
		idx, err := kmeansPlusPlus(xd, opts.K, opts.Seed+uint64(r))
		if err != nil {
			return nil, err
		}
		fit, err := lloyd(xd, rowsOf(xd, idx), p, r*p.maxIter)
		if err != nil {
			return nil, err
		}
		if best == nil || fit.Inertia < best.Inertia {
			best = fit
		}
	}
	return best, nil
}

// FitKMeans32 is FitKMeans for float32 points, computed in float64 (the
// points are converted once: 8 n d bytes). O(n d) on top of FitKMeans.
func FitKMeans32(x *mat32.Dense, opts KMeansOptions) (*KMeans, error) {
	if _, _, err := chk.Dense32("x", x); err != nil {
		return nil, err
	}
	return FitKMeans(x.ToDense(), opts)
}

// Predict returns the index of the nearest centre of each row of x (ties go
// to the smaller index). It returns an error when x is nil, empty, not
// finite, or has a number of columns other than the centres'. O(m K d)
// flops for m rows.
func (m *KMeans) Predict(x mat.Matrix) ([]int, error) {
	xd, err := denseOf("x", x)
	if err != nil {
		return nil, err
	}
	_, d := xd.Dims()
	if _, cd := m.Centers.Dims(); cd != d {
		return nil, chk.Errorf("x has %d columns but the centres have %d", d, cd)
	}
	labels, _ := assign(xd, m.Centers, 0)
	return labels, nil
}

// denseOf validates x and returns it as a *mat.Dense (itself, or a copy
// when it is another mat.Matrix). O(n d).
func denseOf(name string, x mat.Matrix) (*mat.Dense, error) {
	if x == nil {
		return nil, chk.Errorf("%s is nil (nil matrix)", name)
	}
	xd, ok := x.(*mat.Dense)
	if !ok {
		if r, c := x.Dims(); r == 0 || c == 0 {
			return nil, chk.Errorf("%s is empty (%d x %d)", name, r, c)
		}
		xd = mat.DenseCopyOf(x)
	}
	if _, _, err := chk.Dense(name, xd); err != nil {
		return nil, err
	}
	return xd, nil
}

// initCentres validates the given initial centres and copies them. O(K d).
func initCentres(init mat.Matrix, k, d int) (*mat.Dense, error) {
	c, err := denseOf("Init", init)
	if err != nil {
		return nil, err
	}
	if r, cc := c.Dims(); r != k || cc != d {
		return nil, chk.Errorf("Init is %d x %d but K = %d and x has %d columns", r, cc, k, d)
	}
	return mat.DenseCopyOf(c), nil
}

// rowsOf copies the rows idx of x into a new len(idx) x d matrix. O(len(idx) d).
func rowsOf(x *mat.Dense, idx []int) *mat.Dense {
	_, d := x.Dims()
	c := mat.NewDense(len(idx), d, nil)
	for i, j := range idx {
		c.SetRow(i, x.RawRowView(j))
	}
	return c
}

// meanColumnVariance returns the mean over columns of the population
// variance of x's columns (sklearn's scale of tol). O(n d), two passes.
func meanColumnVariance(x *mat.Dense) float64 {
	n, d := x.Dims()
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range x.RawRowView(i) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	var s float64
	for i := 0; i < n; i++ {
		for j, v := range x.RawRowView(i) {
			e := v - mean[j]
			s += e * e
		}
	}
	return s / float64(n*d)
}

// String summarises the fit, e.g. "KMeans(K=8, d=2, inertia=12.5, 7 iterations, converged)".
func (m *KMeans) String() string {
	k, d := m.Centers.Dims()
	conv := "not converged"
	if m.Converged {
		conv = "converged"
	}
	return fmt.Sprintf("KMeans(K=%d, d=%d, inertia=%.6g, %d iterations, %s)", k, d, m.Inertia, m.Iter, conv)
}
