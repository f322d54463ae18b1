package latent

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Aggregation combines the relative representations of a product of
// invariances.
type Aggregation int

const (
	// Concat places the blocks side by side: n x (k * blocks).
	Concat Aggregation = iota
	// Sum adds the blocks, each first scaled to unit row norm so that no
	// similarity dominates by its units: n x k.
	Sum
)

// String names the aggregation. O(1).
func (a Aggregation) String() string {
	switch a {
	case Concat:
		return "concat"
	case Sum:
		return "sum"
	}
	return fmt.Sprintf("Aggregation(%d)", int(a))
}

// ProductOptions configures ProductRelative.
type ProductOptions struct {
	// Similarities are the relative representations combined (nil: all
	// four, Cosine, Euclidean, L1, LInf, in that order).
	Similarities []Similarity
	// Aggregation combines them (Concat by default).
	Aggregation Aggregation
	// Relative holds the options every block uses (its Similarity field
	// is ignored). With Sum, Normalise is forced on.
	Relative RelativeOptions
}

// ProductRelative returns the product-of-invariances representation of
// Cannistraci et al. (2024, "From bricks to bridges"): the relative
// representations of x with respect to anchors under several similarity
// functions, each invariant to a different class of transformations,
// concatenated or summed. A block may be invariant to more than its
// similarity alone (Cosine to rotations and scaling, Euclidean to
// isometries, L1 and LInf to translations and coordinate permutations);
// the combination lets a downstream model use whichever fits. Errors as
// RelativeRepresentation, and for an unknown aggregation or an empty
// list. Cost: the sum of the blocks', O(n k d) each; memory O(n k blocks).
func ProductRelative(x, anchors mat.Matrix, opts ProductOptions) (*mat.Dense, error) {
	sims := opts.Similarities
	if sims == nil {
		sims = []Similarity{Cosine, Euclidean, L1, LInf}
	}
	if len(sims) == 0 {
		return nil, chk.Errorf("Similarities is empty: nothing to combine")
	}
	if opts.Aggregation != Concat && opts.Aggregation != Sum {
		return nil, chk.Errorf("unknown aggregation %d (want Concat or Sum)", int(opts.Aggregation))
	}
	var blocks []*mat.Dense
	for _, s := range sims {
		ro := opts.Relative
		ro.Similarity = s
		if opts.Aggregation == Sum {
			ro.Normalise = true
		}
		b, err := RelativeRepresentation(x, anchors, ro)
		if err != nil {
			return nil, fmt.Errorf("%w (in the %s block)", err, s)
		}
		blocks = append(blocks, b)
	}
	n, k := blocks[0].Dims()
	if opts.Aggregation == Sum {
		out := mat.NewDense(n, k, nil)
		for _, b := range blocks {
			out.Add(out, b)
		}
		return out, nil
	}
	out := mat.NewDense(n, k*len(blocks), nil)
	for i := 0; i < n; i++ {
		row := out.RawRowView(i)
		for l, b := range blocks {
			copy(row[l*k:(l+1)*k], b.RawRowView(i))
		}
	}
	return out, nil
}

// rowNormalised returns a copy of x with unit-norm rows, or an error
// naming the first row of zero norm. O(n d).
func rowNormalised(name string, x *mat.Dense) (*mat.Dense, error) {
	n, d := x.Dims()
	out := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		src, dst := x.RawRowView(i), out.RawRowView(i)
		nrm := math.Sqrt(dot(src, src))
		if nrm == 0 {
			return nil, chk.Errorf("%s row %d has zero norm: its direction is undefined", name, i)
		}
		for j, v := range src {
			dst[j] = v / nrm
		}
	}
	return out, nil
}
