package compress

import (
	"fmt"
	"math"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// Matryoshka keeps the first k coordinates of each row and L2-renormalises
// the result: how Matryoshka-trained embeddings (whose leading coordinates
// carry most of the meaning) are shortened.
type Matryoshka struct {
	in, out int
}

// NewMatryoshka returns the truncation from D to k coordinates
// (1 <= k <= D). O(1).
func NewMatryoshka(inDim, outDim int) (*Matryoshka, error) {
	if inDim < 1 {
		return nil, chk.Errorf("Matryoshka: input dimension %d must be >= 1", inDim)
	}
	if err := chk.K("k", outDim, 1, inDim, "coordinates kept by the Matryoshka truncation"); err != nil {
		return nil, err
	}
	return &Matryoshka{in: inDim, out: outDim}, nil
}

// InDim returns D. O(1).
func (m *Matryoshka) InDim() int { return m.in }

// OutDim returns k. O(1).
func (m *Matryoshka) OutDim() int { return m.out }

// Name describes the truncation, e.g. "Matryoshka 768->256".
func (m *Matryoshka) Name() string { return fmt.Sprintf("Matryoshka %d->%d", m.in, m.out) }

// Transform returns the first k coordinates of each row of x, renormalised
// to unit length. A row whose first k coordinates are all zero is an
// error naming it. O(n k).
func (m *Matryoshka) Transform(x *mat32.Dense) (*mat32.Dense, error) {
	n, err := checkIn("x", x, m.in)
	if err != nil {
		return nil, err
	}
	out := mat32.Zeros(n, m.out)
	for r := range n {
		copy(out.Row(r), x.Row(r)[:m.out])
	}
	if err := normalizeRows(out, "the truncated x"); err != nil {
		return nil, err
	}
	return out, nil
}

// Normalize returns a copy of x with every row scaled to unit L2 norm, so
// that Euclidean rankings equal cosine rankings. A zero row is an error
// naming it; so are nil, empty or non-finite x. O(n d).
func Normalize(x *mat32.Dense) (*mat32.Dense, error) {
	n, d, err := chk.Dense32("x", x)
	if err != nil {
		return nil, err
	}
	out := mat32.Zeros(n, d)
	copy(out.RawData(), x.RawData())
	if err := normalizeRows(out, "x"); err != nil {
		return nil, err
	}
	return out, nil
}

// normalizeRows scales the rows of x to unit norm in place (norms in
// float64). O(n d).
func normalizeRows(x *mat32.Dense, name string) error {
	n, _ := x.Dims()
	for r := range n {
		row := x.Row(r)
		var s float64
		for _, v := range row {
			s += float64(v) * float64(v)
		}
		if s == 0 {
			return chk.Errorf("row %d of %s has norm 0 and cannot be normalised", r, name)
		}
		f := 1 / math.Sqrt(s)
		for j := range row {
			row[j] = float32(float64(row[j]) * f)
		}
	}
	return nil
}
