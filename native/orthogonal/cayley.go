package orthogonal

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Cayley returns R = (I + S)(I - S)^-1 for a skew-symmetric S (b x b):
// an orthogonal matrix with determinant +1 (I - S is always invertible for
// a real skew S). O(b^3). Errors: a non-square, non-finite or non-skew S
// (|S + S^T| above 1e-12 times its largest entry).
func Cayley(s *mat.Dense) (*mat.Dense, error) {
	b, c, err := chk.Dense("generator", s)
	if err != nil {
		return nil, err
	}
	if b != c {
		return nil, chk.Errorf("generator is %d x %d: want a square matrix", b, c)
	}
	big := mat.Norm(s, math.Inf(1))
	for i := 0; i < b; i++ {
		for j := 0; j <= i; j++ {
			if math.Abs(s.At(i, j)+s.At(j, i)) > 1e-12*max(big, 1) {
				return nil, chk.Errorf("generator is not skew-symmetric: S(%d,%d) = %v, S(%d,%d) = %v", i, j, s.At(i, j), j, i, s.At(j, i))
			}
		}
	}
	r, _, err := cayley(s)
	return r, err
}

// cayley returns R and Q = (I - S)^-1 (needed by the gradient).
func cayley(s *mat.Dense) (r, q *mat.Dense, err error) {
	b, _ := s.Dims()
	var ims, ips mat.Dense
	ims.Sub(identity(b), s)
	ips.Add(identity(b), s)
	q = mat.NewDense(b, b, nil)
	if err := q.Inverse(&ims); err != nil {
		return nil, nil, chk.Errorf("I - S is singular (%v)", err)
	}
	r = mat.NewDense(b, b, nil)
	r.Mul(&ips, q)
	return r, q, nil
}

// OFT is orthogonal fine-tuning's block-diagonal map (Qiu et al. 2023):
// n = blocks * b inputs, each block rotated by the Cayley map of its own
// skew-symmetric generator S_k, parametrised by its b(b-1)/2 entries above
// the diagonal. All generators zero is the identity.
type OFT struct {
	// Block is the block size b.
	Block int
	// Skew holds the generators' upper-triangle entries, one block a row
	// (blocks x b(b-1)/2, row-major order of (i, j), i < j).
	Skew *mat.Dense
}

// NewOFT returns the identity OFT map of size n with blocks of size b
// (2 <= b <= n, n a multiple of b). O(n b).
func NewOFT(n, b int) (*OFT, error) {
	if b < 2 || n < b || n%b != 0 {
		return nil, chk.Errorf("OFT of size %d with blocks of %d: the block size must be >= 2 and divide the size", n, b)
	}
	return &OFT{Block: b, Skew: mat.NewDense(n/b, b*(b-1)/2, nil)}, nil
}

// Perturb sets every generator entry to scale times a standard normal
// draw (seeded): a random rotation at distance about scale from the
// identity. O(n b).
func (o *OFT) Perturb(scale float64, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x0f7))
	d := o.Skew.RawMatrix().Data
	for i := range d {
		d[i] = scale * rng.NormFloat64()
	}
}

// Name returns "oft". O(1).
func (o *OFT) Name() string { return "oft" }

// Blocks returns the number of diagonal blocks. O(1).
func (o *OFT) Blocks() int { r, _ := o.Skew.Dims(); return r }

// Dim returns n. O(1).
func (o *OFT) Dim() int { return o.Blocks() * o.Block }

// Params returns blocks * b(b-1)/2. O(1).
func (o *OFT) Params() int { r, c := o.Skew.Dims(); return r * c }

// Generator returns the skew-symmetric S_k of block k (b x b). O(b^2).
func (o *OFT) Generator(k int) *mat.Dense {
	b := o.Block
	s := mat.NewDense(b, b, nil)
	p := o.Skew.RawRowView(k)
	at := 0
	for i := 0; i < b; i++ {
		for j := i + 1; j < b; j++ {
			s.Set(i, j, p[at])
			s.Set(j, i, -p[at])
			at++
		}
	}
	return s
}

// BlockMatrix returns the rotation of block k, Cayley(S_k). O(b^3).
func (o *OFT) BlockMatrix(k int) *mat.Dense {
	r, _, err := cayley(o.Generator(k))
	if err != nil {
		panic(err) // I - S is invertible for every real skew S
	}
	return r
}

// Matrix returns the block-diagonal n x n rotation. O(n b^2).
func (o *OFT) Matrix() *mat.Dense {
	b := o.Block
	m := mat.NewDense(o.Dim(), o.Dim(), nil)
	for k := 0; k < o.Blocks(); k++ {
		m.Slice(k*b, (k+1)*b, k*b, (k+1)*b).(*mat.Dense).Copy(o.BlockMatrix(k))
	}
	return m
}

// Apply returns W R block by block in O(out n b + n b^2).
func (o *OFT) Apply(w *mat.Dense) (*mat.Dense, error) {
	return applyBlocks(w, o.Dim(), o.Block, o.Blocks(), o.BlockMatrix)
}

// Grad returns dL/dSkew (same layout as Skew) for a loss of W' = W R,
// given W (out x n) and G = dL/dW'. Per block, with Q = (I - S)^-1 and
// dR = (I + R) dS Q, dL/dS = (I + R)^T (W_k^T G_k) Q^T, and a generator
// entry p_ij (S_ij = p, S_ji = -p) gets M_ij - M_ji. O(out n b + n b^2).
// Errors: shapes that do not match.
func (o *OFT) Grad(w, g *mat.Dense) (*mat.Dense, error) {
	m, err := checkWeight(w, o.Dim())
	if err != nil {
		return nil, err
	}
	if err := checkGrad(w, g); err != nil {
		return nil, err
	}
	b := o.Block
	out := mat.NewDense(o.Blocks(), b*(b-1)/2, nil)
	var gr, t, mm mat.Dense
	for k := 0; k < o.Blocks(); k++ {
		r, q, _ := cayley(o.Generator(k))
		gr.Mul(w.Slice(0, m, k*b, (k+1)*b).T(), g.Slice(0, m, k*b, (k+1)*b))
		r.Add(r, identity(b))
		t.Mul(r.T(), &gr)
		mm.Mul(&t, q.T())
		p := out.RawRowView(k)
		at := 0
		for i := 0; i < b; i++ {
			for j := i + 1; j < b; j++ {
				p[at] = mm.At(i, j) - mm.At(j, i)
				at++
			}
		}
	}
	return out, nil
}
