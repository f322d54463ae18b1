package geometry

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/subspace"
)

// ClassSubspaces represents each class by a linear subspace of the
// feature space, a point of a Grassmann manifold (Wang et al. 2023,
// "Grassmann class representation"): the span of the top right singular
// vectors of the class's features (through the origin, not centred). A
// feature f gets the logit ||U_c^T f|| for class c, the norm of its
// projection on the class subspace.
type ClassSubspaces struct {
	// Bases holds one d x k orthonormal basis a class.
	Bases []*mat.Dense
	// Dim is k, the dimension of every class subspace.
	Dim int
	// Energy is, for each class, the fraction of its features' squared
	// norm captured by its subspace (sum of the top k squared singular
	// values over all of them).
	Energy  []float64
	stacked *mat.Dense // d x (K k): the bases side by side
}

// FitClassSubspaces fits a k-dimensional subspace to each class of
// features (n x d) by a thin SVD of the class's rows. Every class must have
// at least k samples and k <= d. Cost O(n d min(n_c, d)) over the
// classes, O(K d k) memory for the bases.
func FitClassSubspaces(features *mat.Dense, labels []int, k int) (*ClassSubspaces, error) {
	n, d, err := chk.Dense("features", features)
	if err != nil {
		return nil, err
	}
	nk, counts, err := classes(labels, n, true)
	if err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, d, "a class subspace lies in the feature space"); err != nil {
		return nil, err
	}
	rows := make([][]int, nk)
	for i, y := range labels {
		rows[y] = append(rows[y], i)
	}
	cs := &ClassSubspaces{Dim: k, Bases: make([]*mat.Dense, nk), Energy: make([]float64, nk),
		stacked: mat.NewDense(d, nk*k, nil)}
	for c := 0; c < nk; c++ {
		if counts[c] < k {
			return nil, chk.Errorf("class %d has %d samples, fewer than the subspace dimension k = %d", c, counts[c], k)
		}
		xc := mat.NewDense(counts[c], d, nil)
		for r, i := range rows[c] {
			xc.SetRow(r, features.RawRowView(i))
		}
		var svd mat.SVD
		if !svd.Factorize(xc, mat.SVDThinV) {
			return nil, chk.Errorf("SVD of class %d's %d x %d features did not converge", c, counts[c], d)
		}
		s := svd.Values(nil)
		var top, all float64
		for i, v := range s {
			all += v * v
			if i < k {
				top += v * v
			}
		}
		if s[k-1] <= s[0]*float64(max(counts[c], d))*2.220446049250313e-16 {
			return nil, chk.Errorf("class %d's features span fewer than k = %d dimensions", c, k)
		}
		var v mat.Dense
		svd.VTo(&v)
		cs.Bases[c] = mat.DenseCopyOf(v.Slice(0, d, 0, k))
		cs.stacked.Slice(0, d, c*k, (c+1)*k).(*mat.Dense).Copy(cs.Bases[c])
		cs.Energy[c] = top / all
	}
	return cs, nil
}

// Logits returns the n x K matrix of projection norms ||U_c^T f|| of the
// rows f of features (n x d). Each is at most ||f||, with equality when f
// lies in the class subspace. Cost O(n d K k) (one GEMM).
func (cs *ClassSubspaces) Logits(features *mat.Dense) (*mat.Dense, error) {
	n, d, err := chk.Dense("features", features)
	if err != nil {
		return nil, err
	}
	if rd, _ := cs.stacked.Dims(); rd != d {
		return nil, chk.Errorf("features have %d columns but the class subspaces live in %d dimensions", d, rd)
	}
	var p mat.Dense
	p.Mul(features, cs.stacked)
	nk, k := len(cs.Bases), cs.Dim
	out := mat.NewDense(n, nk, nil)
	for i := 0; i < n; i++ {
		row, o := p.RawRowView(i), out.RawRowView(i)
		for c := range o {
			block := row[c*k : (c+1)*k]
			o[c] = math.Sqrt(floats.Dot(block, block))
		}
	}
	return out, nil
}

// Predict returns the class of largest logit for every row of features.
// Cost: Logits'.
func (cs *ClassSubspaces) Predict(features *mat.Dense) ([]int, error) {
	z, err := cs.Logits(features)
	if err != nil {
		return nil, err
	}
	n, _ := z.Dims()
	out := make([]int, n)
	for i := range out {
		row := z.RawRowView(i)
		for c, v := range row {
			if v > row[out[i]] {
				out[i] = c
			}
		}
	}
	return out, nil
}

// Accuracy returns the fraction of rows of features whose predicted class
// is their label. Cost: Logits'.
func (cs *ClassSubspaces) Accuracy(features *mat.Dense, labels []int) (float64, error) {
	pred, err := cs.Predict(features)
	if err != nil {
		return 0, err
	}
	return Accuracy(pred, labels)
}

// Distances returns the K x K matrix of Grassmann distances between the
// class subspaces under metric (subspace.GrassmannDistance: geodesic,
// chordal, projection, ...). Cost O(K^2 d k^2).
func (cs *ClassSubspaces) Distances(metric subspace.GrassmannMetric) (*mat.Dense, error) {
	nk := len(cs.Bases)
	out := mat.NewDense(nk, nk, nil)
	for a := 0; a < nk; a++ {
		for b := a + 1; b < nk; b++ {
			dist, err := subspace.GrassmannDistance(cs.Bases[a], cs.Bases[b], metric)
			if err != nil {
				return nil, chk.Errorf("classes %d and %d: %w", a, b, err)
			}
			out.Set(a, b, dist)
			out.Set(b, a, dist)
		}
	}
	return out, nil
}
