package orthogonal

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Reflection returns the Householder reflection H = I - 2 u u^T / ||u||^2
// (n x n, symmetric, orthogonal, determinant -1, H u = -u). O(n^2).
// Errors: empty, non-finite or zero u.
func Reflection(u []float64) (*mat.Dense, error) {
	n, err := unitCopy("vector", u)
	if err != nil {
		return nil, err
	}
	h := identity(len(u))
	for i := range n {
		row := h.RawRowView(i)
		for j := range n {
			row[j] -= 2 * n[i] * n[j]
		}
	}
	return h, nil
}

// unitCopy returns u / ||u||.
func unitCopy(name string, u []float64) ([]float64, error) {
	if len(u) == 0 {
		return nil, chk.Errorf("%s is empty", name)
	}
	if err := chk.Finite(name, u, len(u)); err != nil {
		return nil, err
	}
	nrm := norm(u)
	if nrm == 0 {
		return nil, chk.Errorf("%s is zero: a reflection needs a non-zero normal", name)
	}
	out := make([]float64, len(u))
	for i, v := range u {
		out[i] = v / nrm
	}
	return out, nil
}

func norm(u []float64) float64 {
	var s float64
	for _, v := range u {
		s += v * v
	}
	return math.Sqrt(s)
}

// HRA is a chain of r Householder reflections (Householder reflection
// adaptation, Yuan et al. 2024): M = H_1 H_2 ... H_r with
// H_i = I - 2 u_i u_i^T / ||u_i||^2, orthogonal with determinant (-1)^r.
type HRA struct {
	// U holds the reflection vectors u_i as columns (n x r, any length but
	// non-zero).
	U *mat.Dense
}

// NewHRA wraps the columns of u (n x r) as a reflection chain. O(n r).
// Errors: nil, empty or non-finite u, a zero column.
func NewHRA(u *mat.Dense) (*HRA, error) {
	n, r, err := chk.Dense("reflection vectors", u)
	if err != nil {
		return nil, err
	}
	for j := 0; j < r; j++ {
		if norm(mat.Col(nil, j, u)) == 0 {
			return nil, chk.Errorf("reflection vector %d (column %d of %d x %d) is zero", j, j, n, r)
		}
	}
	return &HRA{U: u}, nil
}

// InitHRA draws r reflection vectors of length n Kaiming-uniform (bound
// 1/sqrt(r), PEFT's kaiming_uniform_ with a = sqrt(5) on an n x r tensor).
// With identity set and r even it repeats each drawn vector twice
// (PEFT's symmetric initialisation), so H_{2k-1} H_{2k} = I and the chain
// starts as the identity; identity with r odd is an error. O(n r).
func InitHRA(n, r int, identity bool, seed uint64) (*HRA, error) {
	if n < 1 || r < 1 {
		return nil, chk.Errorf("HRA of %d reflections of length %d: both must be >= 1", r, n)
	}
	if identity && r%2 != 0 {
		return nil, chk.Errorf("an identity HRA start repeats vectors in pairs: r = %d must be even", r)
	}
	rng := rand.New(rand.NewPCG(seed, 0x4a5))
	bound := 1 / math.Sqrt(float64(r))
	u := mat.NewDense(n, r, nil)
	for j := 0; j < r; j++ {
		if identity && j%2 == 1 {
			u.SetCol(j, mat.Col(nil, j-1, u))
			continue
		}
		for i := 0; i < n; i++ {
			u.Set(i, j, (2*rng.Float64()-1)*bound)
		}
	}
	return &HRA{U: u}, nil
}

// Name returns "hra". O(1).
func (h *HRA) Name() string { return "hra" }

// Dim returns n. O(1).
func (h *HRA) Dim() int { n, _ := h.U.Dims(); return n }

// Params returns n r. O(1).
func (h *HRA) Params() int { n, r := h.U.Dims(); return n * r }

// units returns the normalised vectors as columns and the norms.
func (h *HRA) units() (*mat.Dense, []float64) {
	n, r := h.U.Dims()
	q := mat.NewDense(n, r, nil)
	norms := make([]float64, r)
	for j := 0; j < r; j++ {
		col := mat.Col(nil, j, h.U)
		norms[j] = norm(col)
		for i, v := range col {
			q.Set(i, j, v/norms[j])
		}
	}
	return q, norms
}

// Matrix returns H_1 ... H_r (n x n). O(r n^2).
func (h *HRA) Matrix() *mat.Dense {
	m, _ := h.Apply(identity(h.Dim()))
	return m
}

// Apply returns W H_1 ... H_r for W (out x n) in O(r out n), applying one
// rank-one update per reflection. Errors: a weight of the wrong width.
func (h *HRA) Apply(w *mat.Dense) (*mat.Dense, error) {
	if _, err := checkWeight(w, h.Dim()); err != nil {
		return nil, err
	}
	q, _ := h.units()
	x := mat.DenseCopyOf(w)
	_, r := q.Dims()
	for i := 0; i < r; i++ {
		reflectRight(x, q.ColView(i))
	}
	return x, nil
}

// reflectRight sets x = x (I - 2 n n^T) for a unit n: x -= 2 (x n) n^T.
func reflectRight(x *mat.Dense, n mat.Vector) {
	m, _ := x.Dims()
	xn := mat.NewVecDense(m, nil)
	xn.MulVec(x, n)
	x.RankOne(x, -2, xn, n)
}

// Regularizer returns ||I - Û^T Û||_F^2 over the normalised vectors Û
// (HRA's orthogonality regulariser, added to the loss times lambda): 0 when
// the u_i are mutually orthogonal. O(n r^2).
func (h *HRA) Regularizer() float64 {
	q, _ := h.units()
	_, r := q.Dims()
	var g mat.Dense
	g.Mul(q.T(), q)
	g.Sub(identity(r), &g)
	f := mat.Norm(&g, 2)
	return f * f
}

// RegularizerGrad returns the gradient of Regularizer with respect to U
// (n x r): with G = Û^T Û, d/dÛ = -4 Û (I - G), taken through the
// normalisation u_i / ||u_i||. O(n r^2).
func (h *HRA) RegularizerGrad() *mat.Dense {
	q, norms := h.units()
	_, r := q.Dims()
	var g, d mat.Dense
	g.Mul(q.T(), q)
	g.Sub(identity(r), &g)
	d.Mul(q, &g)
	d.Scale(-4, &d)
	return throughNormalisation(q, &d, norms)
}

// throughNormalisation maps d/dn_j (columns of d) to d/du_j =
// (I - n_j n_j^T) d/dn_j / ||u_j|| (in place, returned).
func throughNormalisation(q, d *mat.Dense, norms []float64) *mat.Dense {
	n, r := q.Dims()
	for j := 0; j < r; j++ {
		var dot float64
		for i := 0; i < n; i++ {
			dot += q.At(i, j) * d.At(i, j)
		}
		for i := 0; i < n; i++ {
			d.Set(i, j, (d.At(i, j)-q.At(i, j)*dot)/norms[j])
		}
	}
	return d
}

// Grad returns dL/dU (n x r) for a loss L of W' = W H_1 ... H_r, given the
// weight W (out x n) and G = dL/dW' (out x n). It walks the chain backwards
// (each H_i is its own inverse, so no intermediate product is stored):
// O(r out n) time, O(out n) memory. Errors: shapes that do not match.
func (h *HRA) Grad(w, g *mat.Dense) (*mat.Dense, error) {
	x, err := h.Apply(w)
	if err != nil {
		return nil, err
	}
	if err := checkGrad(w, g); err != nil {
		return nil, err
	}
	q, norms := h.units()
	m, n := w.Dims()
	_, r := q.Dims()
	gi := mat.DenseCopyOf(g)
	d := mat.NewDense(n, r, nil)
	a := mat.NewVecDense(m, nil)
	b := mat.NewVecDense(m, nil)
	dn := mat.NewVecDense(n, nil)
	tmp := mat.NewVecDense(n, nil)
	for i := r - 1; i >= 0; i-- {
		ni := q.ColView(i)
		reflectRight(x, ni) // x is now W H_1 ... H_{i-1}
		a.MulVec(x, ni)
		b.MulVec(gi, ni)
		dn.MulVec(x.T(), b)
		tmp.MulVec(gi.T(), a)
		dn.AddVec(dn, tmp)
		dn.ScaleVec(-2, dn)
		d.SetCol(i, dn.RawVector().Data)
		gi.RankOne(gi, -2, b, ni) // G_{i-1} = G_i H_i
	}
	return throughNormalisation(q, d, norms), nil
}
