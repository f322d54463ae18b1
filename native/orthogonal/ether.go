package orthogonal

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// ETHER is a block-diagonal map with one transformation per diagonal block
// of size b = n / blocks (Bini et al. 2024). ETHER uses one Householder
// reflection per block, H = I - 2 û û^T (orthogonal, determinant -1: it
// is never the identity, and its distance from it is bounded). ETHER+
// (V set) uses H+ = I - û û^T + v̂ v̂^T, which relaxes orthogonality (it is
// orthogonal only when v̂ = ±û) and starts at the identity with v = -u.
type ETHER struct {
	// U holds one vector per block as rows (blocks x b).
	U *mat.Dense
	// V holds ETHER+'s second vector per block (blocks x b); nil for ETHER.
	V *mat.Dense
}

// NewETHER wraps the rows of u (blocks x b) as one reflection per block;
// v, when non-nil (same shape), makes it ETHER+. O(n). Errors: bad or
// zero rows, shapes that differ.
func NewETHER(u, v *mat.Dense) (*ETHER, error) {
	if err := checkRows("ETHER vectors", u); err != nil {
		return nil, err
	}
	if v != nil {
		if err := checkRows("ETHER+ second vectors", v); err != nil {
			return nil, err
		}
		ur, uc := u.Dims()
		vr, vc := v.Dims()
		if ur != vr || uc != vc {
			return nil, chk.Errorf("ETHER+ vectors are %d x %d and %d x %d: want the same shape", ur, uc, vr, vc)
		}
	}
	return &ETHER{U: u, V: v}, nil
}

func checkRows(name string, u *mat.Dense) error {
	r, c, err := chk.Dense(name, u)
	if err != nil {
		return err
	}
	for i := 0; i < r; i++ {
		if norm(u.RawRowView(i)) == 0 {
			return chk.Errorf("%s: row %d (block %d of %d x %d) is zero", name, i, i, r, c)
		}
	}
	return nil
}

// InitETHER draws one Kaiming-uniform vector per block (bound
// 1/sqrt(b)) for a map of size n split in blocks diagonal blocks; plus
// adds ETHER+'s second vectors v = -u, so that ETHER+ starts at the
// identity. O(n). Errors: n not a multiple of blocks.
func InitETHER(n, blocks int, plus bool, seed uint64) (*ETHER, error) {
	if n < 1 || blocks < 1 || n%blocks != 0 {
		return nil, chk.Errorf("ETHER of size %d in %d blocks: the size must be a positive multiple of the block count", n, blocks)
	}
	b := n / blocks
	rng := rand.New(rand.NewPCG(seed, 0xe7e))
	bound := 1 / math.Sqrt(float64(b))
	u := mat.NewDense(blocks, b, nil)
	for i := range u.RawMatrix().Data {
		u.RawMatrix().Data[i] = (2*rng.Float64() - 1) * bound
	}
	e := &ETHER{U: u}
	if plus {
		e.V = mat.NewDense(blocks, b, nil)
		e.V.Scale(-1, u)
	}
	return e, nil
}

// Name returns "ether" or "ether+". O(1).
func (e *ETHER) Name() string {
	if e.V != nil {
		return "ether+"
	}
	return "ether"
}

// Dim returns n = blocks * b. O(1).
func (e *ETHER) Dim() int { r, c := e.U.Dims(); return r * c }

// Params returns n for ETHER, 2n for ETHER+. O(1).
func (e *ETHER) Params() int {
	if e.V != nil {
		return 2 * e.Dim()
	}
	return e.Dim()
}

// block returns the b x b transformation of block k.
func (e *ETHER) block(k int) *mat.Dense {
	_, b := e.U.Dims()
	u, _ := unitCopy("u", e.U.RawRowView(k))
	h := identity(b)
	if e.V == nil {
		h.RankOne(h, -2, mat.NewVecDense(b, u), mat.NewVecDense(b, u))
		return h
	}
	v, _ := unitCopy("v", e.V.RawRowView(k))
	h.RankOne(h, -1, mat.NewVecDense(b, u), mat.NewVecDense(b, u))
	h.RankOne(h, 1, mat.NewVecDense(b, v), mat.NewVecDense(b, v))
	return h
}

// Matrix returns the block-diagonal n x n map. O(n b).
func (e *ETHER) Matrix() *mat.Dense {
	blocks, b := e.U.Dims()
	m := mat.NewDense(e.Dim(), e.Dim(), nil)
	for k := 0; k < blocks; k++ {
		m.Slice(k*b, (k+1)*b, k*b, (k+1)*b).(*mat.Dense).Copy(e.block(k))
	}
	return m
}

// Apply returns W M block by block in O(out n b).
func (e *ETHER) Apply(w *mat.Dense) (*mat.Dense, error) {
	blocks, b := e.U.Dims()
	return applyBlocks(w, e.Dim(), b, blocks, e.block)
}

// applyBlocks returns W diag(B_0, ..., B_{k-1}) for b x b blocks.
func applyBlocks(w *mat.Dense, n, b, blocks int, block func(k int) *mat.Dense) (*mat.Dense, error) {
	m, err := checkWeight(w, n)
	if err != nil {
		return nil, err
	}
	out := mat.NewDense(m, n, nil)
	for k := 0; k < blocks; k++ {
		dst := out.Slice(0, m, k*b, (k+1)*b).(*mat.Dense)
		dst.Mul(w.Slice(0, m, k*b, (k+1)*b), block(k))
	}
	return out, nil
}
