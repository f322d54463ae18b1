package geometry

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// KernelTargetAlignment returns the alignment of the n x n Gram matrix
// gram with the labels (Cristianini et al. 2001):
// <K, Y>_F / (||K||_F ||Y||_F), with the target Y_ij = 1 when samples i and
// j share a class and 0 otherwise (Y = T T^T for the one-hot T; for two
// classes this is, once centred, the same as the +-1 target y y^T). With
// centred set, K and Y are first centred, H K H and H Y H with
// H = I - 11^T/n (Cortes et al. 2012), which removes the constant part
// every kernel of positive values shares; in [-1, 1], 1 when K is a
// positive multiple of the (centred) target. Cost O(n^2).
func KernelTargetAlignment(gram mat.Symmetric, labels []int, centred bool) (float64, error) {
	if gram == nil {
		return 0, chk.Errorf("gram is nil (nil matrix)")
	}
	n := gram.SymmetricDim()
	if n == 0 {
		return 0, chk.Errorf("gram is empty (0 x 0)")
	}
	k, counts, err := classes(labels, n, false)
	if err != nil {
		return 0, err
	}
	rowMean := make([]float64, n)
	var grand float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := gram.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, chk.Errorf("gram has a non-finite value %v at row %d, column %d", v, i, j)
			}
			rowMean[i] += v
		}
		grand += rowMean[i]
		rowMean[i] /= float64(n)
	}
	grand /= float64(n * n)
	var inner, kk float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := gram.At(i, j)
			if centred {
				v += grand - rowMean[i] - rowMean[j]
			}
			kk += v * v
			if labels[i] == labels[j] {
				inner += v
			}
		}
	}
	return ratio(inner, math.Sqrt(kk), targetNorm(counts, n, k, centred))
}

// ratio returns inner / (kernel target), or an error when a norm is 0.
func ratio(inner, kernel, target float64) (float64, error) {
	switch {
	case target == 0:
		return 0, chk.Errorf("the target is zero (one class only, centred): alignment undefined")
	case kernel == 0:
		return 0, chk.Errorf("the kernel is zero: alignment undefined")
	}
	return inner / (kernel * target), nil
}

// targetNorm returns ||Y||_F (or ||H Y H||_F) for the same-class target
// with the given class counts: the Frobenius norm of the K x K matrix
// T^T T (or Tc^T Tc, Tc = T minus its column means), whose entries are
// n_c delta_cc' (minus n_c n_c' / n when centred).
func targetNorm(counts []int, n, k int, centred bool) float64 {
	var s float64
	for a := 0; a < k; a++ {
		for b := 0; b < k; b++ {
			var v float64
			if a == b {
				v = float64(counts[a])
			}
			if centred {
				v -= float64(counts[a]) * float64(counts[b]) / float64(n)
			}
			s += v * v
		}
	}
	return math.Sqrt(s)
}

// FeatureTargetAlignment is KernelTargetAlignment of the linear kernel
// K = X X^T of the features x (n x d), computed without the n x n matrix:
// <K, Y> = ||X^T T||_F^2 and ||K||_F = ||X^T X||_F (on the smaller Gram
// side), on column-centred X when centred. Cost O(n d min(n, d) + n d K).
func FeatureTargetAlignment(x *mat.Dense, labels []int, centred bool) (float64, error) {
	n, d, err := chk.Dense("features", x)
	if err != nil {
		return 0, err
	}
	k, counts, err := classes(labels, n, false)
	if err != nil {
		return 0, err
	}
	z := x
	if centred {
		z = mat.DenseCopyOf(x)
		mean := make([]float64, d)
		for i := 0; i < n; i++ {
			for j, v := range z.RawRowView(i) {
				mean[j] += v / float64(n)
			}
		}
		for i := 0; i < n; i++ {
			row := z.RawRowView(i)
			for j := range row {
				row[j] -= mean[j]
			}
		}
	}
	sums := mat.NewDense(k, d, nil) // T^T Z: the per-class sums of the rows
	for i, y := range labels {
		row, s := z.RawRowView(i), sums.RawRowView(y)
		for j, v := range row {
			s[j] += v
		}
	}
	inner := mat.Norm(sums, 2)
	var gram mat.SymDense
	if n < d {
		gram.SymOuterK(1, z)
	} else {
		gram.SymOuterK(1, z.T())
	}
	return ratio(inner*inner, mat.Norm(&gram, 2), targetNorm(counts, n, k, centred))
}
