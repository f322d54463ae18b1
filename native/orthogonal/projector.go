package orthogonal

import (
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
)

// Projector is the low-rank Householder map M = I - 2 Q Q^T for an
// orthonormal basis Q (n x r) of a subspace: the generalised reflection
// that negates the subspace and fixes its orthogonal complement. It is
// symmetric, orthogonal, an involution, has determinant (-1)^r, and equals
// the chain of r reflections along any orthonormal basis of the subspace
// (HRA with Gram-Schmidt, PEFT's apply_GS).
type Projector struct {
	// Q is an orthonormal basis of the reflected subspace (n x r).
	Q *mat.Dense
	// params is the count of the vectors it was built from (n r).
	params int
}

// NewProjector orthonormalises the columns of u (n x r, r <= n, full
// column rank) by thin QR and returns I - 2 Q Q^T. O(n r^2). Errors: nil,
// empty or non-finite u, r > n, rank-deficient u.
func NewProjector(u *mat.Dense) (*Projector, error) {
	n, r, err := chk.Dense("subspace basis", u)
	if err != nil {
		return nil, err
	}
	if r > n {
		return nil, chk.Errorf("subspace basis is %d x %d: at most %d directions fit in %d dimensions", n, r, n, n)
	}
	q, rr := linalg.ThinQR(u)
	var big float64
	for i := 0; i < r; i++ {
		big = max(big, abs(rr.At(i, i)))
	}
	for i := 0; i < r; i++ {
		if abs(rr.At(i, i)) <= 1e-12*big {
			return nil, chk.Errorf("subspace basis (%d x %d) is rank deficient: column %d depends on the previous ones", n, r, i)
		}
	}
	return &Projector{Q: q, params: n * r}, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// Name returns "projector". O(1).
func (p *Projector) Name() string { return "projector" }

// Dim returns n. O(1).
func (p *Projector) Dim() int { n, _ := p.Q.Dims(); return n }

// Params returns n r (the vectors that span the subspace). O(1).
func (p *Projector) Params() int { return p.params }

// Matrix returns I - 2 Q Q^T. O(n^2 r).
func (p *Projector) Matrix() *mat.Dense {
	n := p.Dim()
	m := mat.NewDense(n, n, nil)
	m.Mul(p.Q, p.Q.T())
	m.Scale(-2, m)
	m.Add(identity(n), m)
	return m
}

// Apply returns W - 2 (W Q) Q^T in O(out n r).
func (p *Projector) Apply(w *mat.Dense) (*mat.Dense, error) {
	m, err := checkWeight(w, p.Dim())
	if err != nil {
		return nil, err
	}
	_, r := p.Q.Dims()
	wq := mat.NewDense(m, r, nil)
	wq.Mul(w, p.Q)
	out := mat.DenseCopyOf(w)
	var d mat.Dense
	d.Mul(wq, p.Q.T())
	d.Scale(-2, &d)
	out.Add(out, &d)
	return out, nil
}
