package latent

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// Similarity selects how a point is compared with each anchor.
type Similarity int

const (
	// Cosine is cos(x, a) in [-1, 1] (the relative representation of
	// Moschella et al.): invariant to x -> s x Q for orthogonal Q, s > 0,
	// when the anchors are mapped with the points. Zero vectors are an error.
	Cosine Similarity = iota
	// Euclidean is the distance ||x - a||: invariant to x -> x Q + b.
	Euclidean
	// L1 is the distance sum_j |x_j - a_j|: invariant to translations,
	// permutations and sign flips of the coordinates.
	L1
	// LInf is the distance max_j |x_j - a_j|: the same invariances as L1.
	LInf
)

// String names the similarity. O(1).
func (s Similarity) String() string {
	switch s {
	case Cosine:
		return "cosine"
	case Euclidean:
		return "euclidean"
	case L1:
		return "l1"
	case LInf:
		return "linf"
	}
	return fmt.Sprintf("Similarity(%d)", int(s))
}

// IsDistance reports whether the values are distances (smaller = more
// alike): true for Euclidean, L1 and LInf, false for Cosine. O(1).
func (s Similarity) IsDistance() bool { return s != Cosine }

// RelativeOptions configures a relative representation. The zero value
// is the paper's: cosine to the anchors, nothing else.
type RelativeOptions struct {
	// Similarity compares points with anchors (Cosine by default).
	Similarity Similarity
	// Centre subtracts the anchors' mean from points and anchors first.
	// With Cosine this adds invariance to translations x -> x + b (the
	// anchors' mean moves with them). Euclidean, L1 and LInf are
	// translation invariant already.
	Centre bool
	// Standardise also divides every column by the anchors' standard
	// deviation of that column (ddof 1; constant columns by 1), as
	// latentis' StandardScaling. It breaks the rotation invariance; it
	// implies Centre.
	Standardise bool
	// TopK, when > 0, keeps in each row only the TopK entries of the
	// nearest anchors (largest cosines, smallest distances) and sets the
	// others to 0 (the paper's sparsification). Ties go to the smaller
	// anchor index.
	TopK int
	// Normalise scales every output row to unit Euclidean norm (after
	// TopK); an all-zero row stays zero.
	Normalise bool
}

// Relative holds the anchors of a relative representation, prepared once
// (centred, standardised, normalised for Cosine) so that Transform costs
// one matrix product per block of points.
type Relative struct {
	// Options as given to NewRelative.
	Options RelativeOptions
	// Anchors is a copy of the k x d anchors as given.
	Anchors *mat.Dense
	// Mean is the anchors' column mean subtracted first (nil unless Centre,
	// Standardise or Euclidean, which centres internally: distances are
	// unchanged and the products lose less to cancellation).
	Mean []float64
	// Scale holds the column standard deviations divided by (nil unless
	// Standardise).
	Scale []float64

	prep   *mat.Dense   // prepared anchors, k x d
	prep32 *mat32.Dense // the same in float32, made on first Transform32
	sq     []float64    // squared norms of the prepared anchors (Euclidean)
	kind   Similarity
}

// NewRelative prepares anchors (k x d, one anchor a row) for relative
// representations under opts. It returns an error when anchors is nil,
// empty or not finite, when the similarity is unknown, when TopK is
// negative or larger than k, and, for Cosine, when an anchor has zero norm
// (after centring). O(k d) time and memory.
func NewRelative(anchors mat.Matrix, opts RelativeOptions) (*Relative, error) {
	a, k, d, err := dense("anchors", anchors)
	if err != nil {
		return nil, err
	}
	if opts.Similarity < Cosine || opts.Similarity > LInf {
		return nil, chk.Errorf("unknown similarity %d (want Cosine, Euclidean, L1 or LInf)", int(opts.Similarity))
	}
	if opts.TopK < 0 || opts.TopK > k {
		return nil, chk.Errorf("TopK = %d must be in [0, %d] (0 keeps every anchor; there are %d anchors)", opts.TopK, k, k)
	}
	r := &Relative{Options: opts, Anchors: mat.DenseCopyOf(a), kind: opts.Similarity}
	if opts.Centre || opts.Standardise || opts.Similarity == Euclidean {
		r.Mean = columnMeans(a)
	}
	if opts.Standardise {
		r.Scale = columnStd(a, r.Mean)
	}
	r.prep = mat.NewDense(k, d, nil)
	for i := 0; i < k; i++ {
		shiftRow(r.prep.RawRowView(i), a.RawRowView(i), r.Mean, r.Scale)
	}
	switch opts.Similarity {
	case Cosine:
		for i := 0; i < k; i++ {
			row := r.prep.RawRowView(i)
			nrm := math.Sqrt(dot(row, row))
			if nrm == 0 {
				return nil, chk.Errorf("anchors row %d has zero norm%s: its cosine is undefined", i, centredNote(opts))
			}
			for j := range row {
				row[j] /= nrm
			}
		}
	case Euclidean:
		r.sq = make([]float64, k)
		for i := range r.sq {
			row := r.prep.RawRowView(i)
			r.sq[i] = dot(row, row)
		}
	}
	r.prep32 = mat32.FromDense(r.prep)
	return r, nil
}

// centredNote words the preparation that made a row zero.
func centredNote(opts RelativeOptions) string {
	if opts.Centre || opts.Standardise {
		return " after centring on the anchors' mean"
	}
	return ""
}

// Dims returns the number of anchors and their dimension. O(1).
func (r *Relative) Dims() (anchors, dim int) { return r.prep.Dims() }

// Transform returns the n x k relative representation of the rows of x
// (n x d): entry (i, j) compares x_i with anchor j under the options. It
// returns an error when x is nil, empty or not finite, when its width is
// not the anchors', and, for Cosine, naming the first row of zero norm.
// Cost O(n k d) flops (one matrix product for Cosine, or products in
// blocks of 2048 prepared rows when centring, standardising or Euclidean;
// direct loops for L1 and LInf), plus O(n k log k) with TopK; memory
// O(n k) for the result and a 2048 x d block.
func (r *Relative) Transform(x mat.Matrix) (*mat.Dense, error) {
	xd, n, d, err := dense("x", x)
	if err != nil {
		return nil, err
	}
	k, ad := r.prep.Dims()
	if d != ad {
		return nil, chk.Errorf("x has %d columns but the anchors have %d", d, ad)
	}
	raw := xd.RawMatrix()
	out := make([]float64, n*k)
	e := engine[float64]{
		x: raw.Data, n: n, d: d, stride: raw.Stride, a: r.prep.RawMatrix().Data, k: k,
		sq: r.sq, mean: r.Mean, scale: r.Scale, kind: r.kind, gemm: gemm64, opts: r.Options,
	}
	if err := e.run(out); err != nil {
		return nil, err
	}
	return mat.NewDense(n, k, out), nil
}

// Transform32 is Transform for float32 points: float32 matrix products
// (twice the speed of float64), norms and the final scaling accumulated in
// float64, result in float32. Same errors; O(n k) float32 memory.
func (r *Relative) Transform32(x *mat32.Dense) (*mat32.Dense, error) {
	n, d, err := dense32("x", x)
	if err != nil {
		return nil, err
	}
	k, ad := r.prep.Dims()
	if d != ad {
		return nil, chk.Errorf("x has %d columns but the anchors have %d", d, ad)
	}
	out := make([]float32, n*k)
	e := engine[float32]{
		x: x.RawData(), n: n, d: d, stride: d, a: r.prep32.RawData(), k: k,
		sq: r.sq, mean: r.Mean, scale: r.Scale, kind: r.kind, gemm: gemm32, opts: r.Options,
	}
	if err := e.run(out); err != nil {
		return nil, err
	}
	return mat32.New(n, k, out)
}

// RelativeRepresentation returns the n x k relative representation of the
// rows of x with respect to the rows of anchors (k x d): NewRelative then
// Transform. For cosine with no options it equals numpy's
// normalize(x) @ normalize(anchors).T. Errors and cost as those two.
func RelativeRepresentation(x, anchors mat.Matrix, opts RelativeOptions) (*mat.Dense, error) {
	r, err := NewRelative(anchors, opts)
	if err != nil {
		return nil, err
	}
	return r.Transform(x)
}

// RelativeRepresentation32 is RelativeRepresentation for float32 points
// and anchors (see Transform32). Errors and cost as RelativeRepresentation.
func RelativeRepresentation32(x, anchors *mat32.Dense, opts RelativeOptions) (*mat32.Dense, error) {
	if _, _, err := dense32("anchors", anchors); err != nil {
		return nil, err
	}
	r, err := NewRelative(anchors.ToDense(), opts)
	if err != nil {
		return nil, err
	}
	return r.Transform32(x)
}

// columnMeans returns the column means of a. O(n d).
func columnMeans(a *mat.Dense) []float64 {
	n, d := a.Dims()
	m := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range a.RawRowView(i) {
			m[j] += v
		}
	}
	for j := range m {
		m[j] /= float64(n)
	}
	return m
}

// columnStd returns the column standard deviations of a about mean (ddof
// 1, or 0 with one row), with zero or near-zero ones (< 10 eps) set to 1
// as latentis does, so that constant columns pass unscaled. O(n d).
func columnStd(a *mat.Dense, mean []float64) []float64 {
	n, d := a.Dims()
	s := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range a.RawRowView(i) {
			e := v - mean[j]
			s[j] += e * e
		}
	}
	dof := float64(max(n-1, 1))
	for j := range s {
		s[j] = math.Sqrt(s[j] / dof)
		if s[j] < 10*0x1p-52 {
			s[j] = 1
		}
	}
	return s
}

// shiftRow writes (src - mean) / scale into dst (mean, scale may be nil).
func shiftRow(dst, src, mean, scale []float64) {
	for j, v := range src {
		if mean != nil {
			v -= mean[j]
		}
		if scale != nil {
			v /= scale[j]
		}
		dst[j] = v
	}
}

// dot returns a . b. O(len(a)).
func dot(a, b []float64) float64 {
	var s float64
	for j, v := range a {
		s += v * b[j]
	}
	return s
}
