package geometry

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/intrinsic"
	"github.com/subspace-kernel/subspace/native/knn"
)

// SharpnessOptions configures LabelSharpness. The zero value uses every
// sample.
type SharpnessOptions struct {
	// Sample, when in (0, n), computes the estimate on that many samples
	// drawn without replacement from Seed (the reference uses M = 1000).
	Sample int
	Seed   uint64
}

// Sharpness is a label sharpness estimate.
type Sharpness struct {
	// Value is K_F = max over pairs with different labels of
	// 1 / ||x_i - x_j||: the reciprocal of the smallest distance between
	// two classes.
	Value float64
	// I and J are the pair reaching it (rows of the input), Distance their
	// distance.
	I, J     int
	Distance float64
	// Conflicts counts the samples that have an identical sample of
	// another class; such pairs (distance 0) are left out, as the
	// reference implementation does.
	Conflicts int
	// Samples is the number of samples used.
	Samples int
}

// LabelSharpness returns the label sharpness K_F of labelled data (Konz
// and Mazurowski 2024): the Lipschitz constant of the labelling over the
// data, max over pairs with y_i != y_j of 1 / ||x_i - x_j|| (the
// multi-class form of their Eq. 1 that their README gives; the indicator of
// different labels replaces |y_i - y_j|). Large when two nearly identical
// inputs carry different labels. Exact over the (sampled) points, by one
// nearest-neighbour search of each class against the others. Needs two
// classes. Cost O(n^2 d) (package knn's blocked GEMMs).
func LabelSharpness(x *mat.Dense, labels []int, opts SharpnessOptions) (*Sharpness, error) {
	n, _, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	k, _, err := classes(labels, n, false)
	if err != nil {
		return nil, err
	}
	idx := sampleRows(n, opts)
	byClass := make([][]int, k)
	present := 0
	for _, i := range idx {
		if byClass[labels[i]] == nil {
			present++
		}
		byClass[labels[i]] = append(byClass[labels[i]], i)
	}
	if present < 2 {
		return nil, chk.Errorf("label sharpness needs samples of at least 2 classes, the %d samples have 1", len(idx))
	}
	res := &Sharpness{Distance: math.Inf(1), I: -1, J: -1, Samples: len(idx)}
	for c, rows := range byClass {
		if rows == nil {
			continue
		}
		var others []int
		for _, i := range idx {
			if labels[i] != c {
				others = append(others, i)
			}
		}
		if err := res.nearestOther(x, rows, others); err != nil {
			return nil, err
		}
	}
	if res.I < 0 {
		return nil, chk.Errorf("every pair of samples with different labels is identical: label sharpness undefined")
	}
	res.Value = 1 / res.Distance
	return res, nil
}

// sampleRows returns the rows to use, in increasing order.
func sampleRows(n int, opts SharpnessOptions) []int {
	if opts.Sample <= 0 || opts.Sample >= n {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	perm := rand.New(rand.NewPCG(opts.Seed, 0x5a4)).Perm(n)[:opts.Sample]
	keep := make([]bool, n)
	for _, i := range perm {
		keep[i] = true
	}
	var idx []int
	for i, k := range keep {
		if k {
			idx = append(idx, i)
		}
	}
	return idx
}

// nearestOther updates res with the nearest non-identical sample of
// others for each of rows, counting the rows that have an identical one.
// The neighbour count doubles for the rows whose neighbours so far are all
// identical to them; past what a kNN search allows (fewer than len(others)
// neighbours) a row scans all of others.
func (res *Sharpness) nearestOther(x *mat.Dense, rows, others []int) error {
	data := gatherRows(x, others)
	pending := rows
	for k := 2; len(pending) > 0; k *= 2 {
		kk := min(k, len(others)-1)
		if kk < 1 {
			for _, i := range pending {
				res.scan(x, i, others, k == 2)
			}
			return nil
		}
		nn, err := knn.Search(data, gatherRows(x, pending), knn.Options{K: kk})
		if err != nil {
			return fmt.Errorf("geometry: label sharpness: %w", err)
		}
		var again []int
		for q, i := range pending {
			dist, nb := nn.Distances(q), nn.Neighbors(q)
			if k == 2 && dist[0] == 0 {
				res.Conflicts++
			}
			r := 0
			for r < kk && dist[r] == 0 {
				r++
			}
			switch {
			case r < kk:
				res.offer(dist[r], i, others[nb[r]])
			case kk == len(others)-1:
				res.scan(x, i, others, false)
			default:
				again = append(again, i)
			}
		}
		pending = again
	}
	return nil
}

// scan offers the nearest non-identical sample of others to row i by
// direct distances, counting a conflict when first and one is identical.
func (res *Sharpness) scan(x *mat.Dense, i int, others []int, first bool) {
	xi := x.RawRowView(i)
	conflict := false
	for _, j := range others {
		xj := x.RawRowView(j)
		var s float64
		for c, v := range xi {
			s += (v - xj[c]) * (v - xj[c])
		}
		if s == 0 {
			conflict = true
			continue
		}
		res.offer(math.Sqrt(s), i, j)
	}
	if first && conflict {
		res.Conflicts++
	}
}

// offer keeps the pair (i, j) when it is the closest so far.
func (res *Sharpness) offer(dist float64, i, j int) {
	if dist < res.Distance {
		res.Distance, res.I, res.J = dist, i, j
	}
}

// gatherRows copies the given rows of x into a new matrix.
func gatherRows(x *mat.Dense, rows []int) *mat.Dense {
	_, d := x.Dims()
	out := mat.NewDense(len(rows), d, nil)
	for r, i := range rows {
		out.SetRow(r, x.RawRowView(i))
	}
	return out
}

// ProfileOptions configures DimensionProfile. The zero value uses MLE
// (k = 20, duplicates removed), the reference's estimator.
type ProfileOptions struct {
	// Estimator estimates every intrinsic dimension (nil = MLE, k = 20,
	// Dedup).
	Estimator intrinsic.Estimator
	// Sharpness configures the label sharpness of each representation
	// (computed when labels are given).
	Sharpness SharpnessOptions
}

// DimensionRow is one line of a DimensionProfile.
type DimensionRow struct {
	// Layer is "data" or "layer 1", "layer 2", ...
	Layer string
	// Dim is the intrinsic dimension estimate, Ratio = Dim / d_data.
	Dim, Ratio float64
	// BelowData reports Dim <= d_data (the bound of Konz and Mazurowski),
	// up to a relative 1e-9 (an isometry changes distances by rounding).
	BelowData bool
	// Sharpness is the representation's label sharpness K_F (NaN without
	// labels).
	Sharpness float64
}

// DimensionProfile compares the intrinsic dimension of the data x with
// that of its representations layers (each n x d_l, the same samples), layer
// by layer: Konz and Mazurowski (2024) show d_data bounds d_repr. With
// labels (nil for none) it also reports each representation's label
// sharpness. Cost: one intrinsic dimension fit (O(n^2 d_l) for the kNN
// estimators) and one LabelSharpness per matrix.
func DimensionProfile(x *mat.Dense, layers []*mat.Dense, labels []int, opts ProfileOptions) ([]DimensionRow, error) {
	n, _, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	est := opts.Estimator
	if est == nil {
		mle := intrinsic.NewMLE()
		mle.Dedup = true
		est = mle
	}
	all := append([]*mat.Dense{x}, layers...)
	rows := make([]DimensionRow, len(all))
	for l, m := range all {
		name := "data"
		if l > 0 {
			name = fmt.Sprintf("layer %d", l)
		}
		r, _, err := chk.Dense(name, m)
		if err != nil {
			return nil, err
		}
		if err := chk.SameRows("x", n, name, r, "the layers must represent the same samples"); err != nil {
			return nil, err
		}
		e, err := est.Fit(m, nil)
		if err != nil {
			return nil, fmt.Errorf("geometry: intrinsic dimension of %s: %w", name, err)
		}
		rows[l] = DimensionRow{Layer: name, Dim: e.Dim, Sharpness: math.NaN()}
		if labels != nil {
			s, err := LabelSharpness(m, labels, opts.Sharpness)
			if err != nil {
				return nil, err
			}
			rows[l].Sharpness = s.Value
		}
	}
	for l := range rows {
		rows[l].Ratio = rows[l].Dim / rows[0].Dim
		rows[l].BelowData = rows[l].Dim <= rows[0].Dim*(1+1e-9)
	}
	return rows, nil
}
