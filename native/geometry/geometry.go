// Package geometry measures how the classes of a labelled representation
// are arranged, and builds the fixed arrangements networks are compared
// with:
//
//   - neural collapse NC1-NC4 of features and a classifier, layer by layer
//     (Papyan, Han and Donoho 2020), with the orthogonal-frame comparison
//     for imbalanced data (Dang et al. 2023);
//   - fixed class geometries: the simplex equiangular tight frame, the
//     d-simplex fixed classifier (Pernici et al. 2019), equiangular basis
//     vectors (Shen et al. 2023) against the Welch bound, and
//     nearest-prototype classification with them;
//   - Grassmann class representation: one linear subspace per class,
//     logits ||U_c^T f|| (Wang et al. 2023), subspace distances;
//   - coding rate and rate reduction (MCR2, Yu et al. 2020) for hard
//     labels and soft memberships;
//   - kernel-target alignment (Cristianini et al. 2001; centred, Cortes et
//     al. 2012), label sharpness and the data versus representation
//     intrinsic dimension comparison (Konz and Mazurowski 2024).
//
// Rows are points (samples), columns are features. Labels are ints in
// [0, K), K being one more than the largest label; every class must have
// samples where a class mean is needed. All entry points are non-generic
// so notebook cells can call them.
package geometry

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/check"
)

// chk words geometry's argument errors ("geometry: features is nil (nil matrix)").
var chk = check.New("geometry")

// classes validates labels for n samples and returns K (largest label + 1)
// and the count of each class; an error names the first bad label. When
// needAll is set, a class without samples is an error. O(n).
func classes(labels []int, n int, needAll bool) (k int, counts []int, err error) {
	if len(labels) != n {
		return 0, nil, chk.Errorf("labels has %d entries for %d samples", len(labels), n)
	}
	for i, y := range labels {
		if y < 0 {
			return 0, nil, chk.Errorf("label %d of sample %d is negative (labels must be 0..K-1)", y, i)
		}
		k = max(k, y+1)
	}
	counts = make([]int, k)
	for _, y := range labels {
		counts[y]++
	}
	if needAll {
		for c, m := range counts {
			if m == 0 {
				return 0, nil, chk.Errorf("class %d has no samples (labels must use every class 0..%d)", c, k-1)
			}
		}
	}
	return k, counts, nil
}

// classMeans returns the K x d matrix of class means and the global mean.
// O(n d).
func classMeans(x *mat.Dense, labels []int, k int, counts []int) (*mat.Dense, []float64) {
	n, d := x.Dims()
	means := mat.NewDense(k, d, nil)
	global := make([]float64, d)
	for i := 0; i < n; i++ {
		row := x.RawRowView(i)
		m := means.RawRowView(labels[i])
		for j, v := range row {
			m[j] += v
			global[j] += v
		}
	}
	for c := 0; c < k; c++ {
		m := means.RawRowView(c)
		for j := range m {
			m[j] /= float64(counts[c])
		}
	}
	for j := range global {
		global[j] /= float64(n)
	}
	return means, global
}

// unitRows returns a copy of m with rows scaled to unit norm; a zero row
// is an error naming it.
func unitRows(m *mat.Dense, name string) (*mat.Dense, error) {
	r, _ := m.Dims()
	out := mat.DenseCopyOf(m)
	for i := 0; i < r; i++ {
		row := out.RawRowView(i)
		nrm := math.Sqrt(floats.Dot(row, row))
		if nrm == 0 {
			return nil, fmt.Errorf("geometry: %s row %d is zero (no direction)", name, i)
		}
		for j := range row {
			row[j] /= nrm
		}
	}
	return out, nil
}

// offDiagonal returns the entries of the square matrix g off its diagonal,
// row by row.
func offDiagonal(g *mat.Dense) []float64 {
	k, _ := g.Dims()
	out := make([]float64, 0, k*(k-1))
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			if i != j {
				out = append(out, g.At(i, j))
			}
		}
	}
	return out
}

// meanStd returns the mean and the population standard deviation (numpy's
// std, ddof = 0) of v.
func meanStd(v []float64) (mean, std float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)))
}
