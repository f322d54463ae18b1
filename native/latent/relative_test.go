package latent

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestRelativeMatchesNumpy compares every similarity (and the centred and
// standardised cosine) with numpy/scipy computed in the same run, in
// float64 (1e-12) and float32 (1e-5), on more points than one block.
func TestRelativeMatchesNumpy(t *testing.T) {
	x := gauss(1, 2100, 12)
	a := gauss(2, 40, 12)
	x.Apply(func(_, j int, v float64) float64 { return v + float64(j) }, x) // off-centre data
	a.Apply(func(_, j int, v float64) float64 { return v + float64(j) }, a)
	var ref map[string][][]float64
	pyref.JSON(t, "testdata/relative_ref.py", map[string]string{"x": pyref.WriteNPY(t, x), "a": pyref.WriteNPY(t, a)}, &ref)
	cases := []struct {
		name string
		opts RelativeOptions
	}{
		{"cosine", RelativeOptions{}},
		{"euclidean", RelativeOptions{Similarity: Euclidean}},
		{"l1", RelativeOptions{Similarity: L1}},
		{"linf", RelativeOptions{Similarity: LInf}},
		{"centred", RelativeOptions{Centre: true}},
		{"standardised", RelativeOptions{Standardise: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := fromRows(ref[c.name])
			got, err := RelativeRepresentation(x, a, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if e := maxAbsDiff(t, got, want); e > 1e-12*math.Max(1, mat.Max(want)) {
				t.Errorf("float64: max difference from numpy %g", e)
			}
			got32, err := RelativeRepresentation32(mat32.FromDense(x), mat32.FromDense(a), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if e := maxAbsDiff(t, got32.ToDense(), want); e > 1e-5*math.Max(1, mat.Max(want)) {
				t.Errorf("float32: max difference from numpy %g", e)
			}
		})
	}
}

// TestRelativeInvariance: cosine relative representations are unchanged
// by x -> s x Q (and, centred, by x -> s x Q + b), Euclidean ones by
// x -> x Q + b, L1 and LInf by translations and signed permutations of the
// coordinates, all to 1e-10, when the anchors move with the points.
func TestRelativeInvariance(t *testing.T) {
	const d = 16
	x := gauss(3, 500, d)
	a := gauss(4, 50, d)
	q := orthogonal(5, d)
	b := make([]float64, d)
	for j := range b {
		b[j] = float64(j%5) - 2
	}
	perm := mat.NewDense(d, d, nil) // signed permutation
	for j := 0; j < d; j++ {
		perm.Set(j, (j*7+3)%d, float64(1-2*(j%2)))
	}
	cases := []struct {
		name string
		opts RelativeOptions
		q    *mat.Dense
		s    float64
		b    []float64
	}{
		{"cosine rotation and scale", RelativeOptions{}, q, 3.7, nil},
		{"centred cosine, rotation, scale, shift", RelativeOptions{Centre: true}, q, 0.2, b},
		{"euclidean isometry", RelativeOptions{Similarity: Euclidean}, q, 1, b},
		{"l1 signed permutation and shift", RelativeOptions{Similarity: L1}, perm, 1, b},
		{"linf signed permutation and shift", RelativeOptions{Similarity: LInf}, perm, 1, b},
		{"top-k normalised cosine", RelativeOptions{TopK: 7, Normalise: true}, q, 2, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r0, err := RelativeRepresentation(x, a, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			r1, err := RelativeRepresentation(affineMap(x, c.q, c.s, c.b), affineMap(a, c.q, c.s, c.b), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if e := maxAbsDiff(t, r0, r1); e > 1e-10 {
				t.Errorf("not invariant: max difference %g", e)
			}
		})
	}
	// And the controls: cosine is not invariant to a shift, L1 not to a rotation.
	r0, _ := RelativeRepresentation(x, a, RelativeOptions{})
	r1, _ := RelativeRepresentation(affineMap(x, q, 1, b), affineMap(a, q, 1, b), RelativeOptions{})
	if e := maxAbsDiff(t, r0, r1); e < 1e-3 {
		t.Errorf("uncentred cosine unchanged by a shift (%g): the test cannot fail", e)
	}
	l0, _ := RelativeRepresentation(x, a, RelativeOptions{Similarity: L1})
	l1, _ := RelativeRepresentation(affineMap(x, q, 1, nil), affineMap(a, q, 1, nil), RelativeOptions{Similarity: L1})
	if e := maxAbsDiff(t, l0, l1); e < 1e-3 {
		t.Errorf("L1 unchanged by a rotation (%g)", e)
	}
}

// TestRelativeTopK checks the sparsification: k non-zero entries a row,
// those of the nearest anchors, then unit rows with Normalise.
func TestRelativeTopK(t *testing.T) {
	x := gauss(6, 30, 5)
	a := gauss(7, 12, 5)
	for _, sim := range []Similarity{Cosine, Euclidean} {
		full, _ := RelativeRepresentation(x, a, RelativeOptions{Similarity: sim})
		top, err := RelativeRepresentation(x, a, RelativeOptions{Similarity: sim, TopK: 3, Normalise: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 30; i++ {
			row, frow := top.RawRowView(i), full.RawRowView(i)
			kept, norm := 0, 0.0
			var worstKept, bestDropped float64 = math.Inf(1), math.Inf(-1)
			for j, v := range row {
				key := frow[j]
				if sim.IsDistance() {
					key = -key
				}
				if v != 0 {
					kept++
					worstKept = math.Min(worstKept, key)
				} else {
					bestDropped = math.Max(bestDropped, key)
				}
				norm += v * v
			}
			if kept != 3 || worstKept < bestDropped || math.Abs(norm-1) > 1e-12 {
				t.Fatalf("%s row %d: %d kept, worst kept %v, best dropped %v, norm^2 %v", sim, i, kept, worstKept, bestDropped, norm)
			}
		}
	}
}

// TestProductRelative: Concat places the four blocks side by side, Sum
// adds the unit-normalised blocks; and the product is invariant to what
// all its blocks are invariant to (a shift plus a signed permutation,
// with centring).
func TestProductRelative(t *testing.T) {
	x := gauss(8, 40, 6)
	a := gauss(9, 10, 6)
	cat, err := ProductRelative(x, a, ProductOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r, c := cat.Dims(); r != 40 || c != 40 {
		t.Fatalf("concat is %d x %d, want 40 x 40", r, c)
	}
	for l, s := range []Similarity{Cosine, Euclidean, L1, LInf} {
		blk, _ := RelativeRepresentation(x, a, RelativeOptions{Similarity: s})
		if e := maxAbsDiff(t, cat.Slice(0, 40, 10*l, 10*(l+1)), blk); e != 0 {
			t.Errorf("block %s differs by %g", s, e)
		}
	}
	sum, err := ProductRelative(x, a, ProductOptions{Similarities: []Similarity{Cosine, L1}, Aggregation: Sum})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := RelativeRepresentation(x, a, RelativeOptions{Normalise: true})
	l, _ := RelativeRepresentation(x, a, RelativeOptions{Similarity: L1, Normalise: true})
	var want mat.Dense
	want.Add(c, l)
	if e := maxAbsDiff(t, sum, &want); e > 1e-15 {
		t.Errorf("sum differs by %g", e)
	}
	perm := mat.NewDense(6, 6, nil)
	for j := 0; j < 6; j++ {
		perm.Set(j, (j+2)%6, -1)
	}
	b := []float64{1, -2, 3, 0.5, 0, 2}
	opts := ProductOptions{Relative: RelativeOptions{Centre: true}}
	p0, _ := ProductRelative(x, a, opts)
	p1, _ := ProductRelative(affineMap(x, perm, 1, b), affineMap(a, perm, 1, b), opts)
	if e := maxAbsDiff(t, p0, p1); e > 1e-10 {
		t.Errorf("product not invariant to a shifted signed permutation: %g", e)
	}
}

// TestRelativeErrors: bad inputs give errors naming the argument.
func TestRelativeErrors(t *testing.T) {
	x := gauss(10, 5, 3)
	a := gauss(11, 4, 3)
	zeroX := mat.DenseCopyOf(x)
	zeroX.SetRow(2, []float64{0, 0, 0})
	zeroA := mat.DenseCopyOf(a)
	zeroA.SetRow(1, []float64{0, 0, 0})
	nan := mat.DenseCopyOf(x)
	nan.Set(4, 1, math.NaN())
	same := mat.NewDense(2, 3, []float64{1, 2, 3, 1, 2, 3})
	run := func(x, a mat.Matrix, o RelativeOptions) error {
		_, err := RelativeRepresentation(x, a, o)
		return err
	}
	wantErr(t, "zero x", run(zeroX, a, RelativeOptions{}), "latent: x row 2 has zero norm: its cosine is undefined")
	wantErr(t, "zero anchor", run(x, zeroA, RelativeOptions{}), "latent: anchors row 1 has zero norm: its cosine is undefined")
	wantErr(t, "centred zero anchor", run(x, same, RelativeOptions{Centre: true}),
		"latent: anchors row 0 has zero norm after centring on the anchors' mean: its cosine is undefined")
	wantErr(t, "nan", run(nan, a, RelativeOptions{}), "latent: x has a non-finite value NaN at row 4, column 1")
	wantErr(t, "width", run(gauss(1, 3, 4), a, RelativeOptions{}), "latent: x has 4 columns but the anchors have 3")
	wantErr(t, "nil anchors", run(x, nil, RelativeOptions{}), "latent: anchors is nil (nil matrix)")
	wantErr(t, "topk", run(x, a, RelativeOptions{TopK: 5}), "latent: TopK = 5 must be in [0, 4] (0 keeps every anchor; there are 4 anchors)")
	wantErr(t, "similarity", run(x, a, RelativeOptions{Similarity: 9}), "latent: unknown similarity 9 (want Cosine, Euclidean, L1 or LInf)")
	if err := run(zeroX, a, RelativeOptions{Similarity: Euclidean}); err != nil {
		t.Errorf("zero row under Euclidean: %v", err)
	}
	_, err := ProductRelative(zeroX, a, ProductOptions{})
	wantErr(t, "product", err, "latent: x row 2 has zero norm: its cosine is undefined (in the cosine block)")
	_, err = ProductRelative(x, a, ProductOptions{Aggregation: 4})
	wantErr(t, "aggregation", err, "latent: unknown aggregation 4 (want Concat or Sum)")
}
