package lowrank

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
)

// Split method names (Split.Method).
const (
	LoRA   = "lora"
	PiSSA  = "pissa"
	MiLoRA = "milora"
	OLoRA  = "olora"
)

// Split is a weight W (out x in) written as a frozen residual plus a
// trainable low-rank product: W = Residual + Scaling * B A, with B
// (out x r) and A (r x in) the adapter that fine-tuning updates.
type Split struct {
	// Method is LoRA, PiSSA, MiLoRA or OLoRA.
	Method string
	// B is out x r, A is r x in.
	B, A *mat.Dense
	// Residual is the frozen part, out x in.
	Residual *mat.Dense
	// Scaling multiplies B A (Alpha / r, or Alpha / sqrt(r) with rsLoRA).
	Scaling float64
	// Rank is r.
	Rank int
}

// SplitOptions configures the splits. The zero value gives Scaling 1, the
// exact SVD and seed 0.
type SplitOptions struct {
	// Alpha is LoRA's scaling numerator: Scaling = Alpha / r (0 = r, so
	// Scaling = 1).
	Alpha float64
	// RSLoRA uses Scaling = Alpha / sqrt(r) (rank-stabilised LoRA).
	RSLoRA bool
	// SVD selects the exact or randomized SVD for PiSSA (MiLoRA needs the
	// exact one).
	SVD SVDOptions
	// Seed draws LoRA's Kaiming-uniform A.
	Seed uint64
}

func (o SplitOptions) scaling(r int) float64 {
	a := o.Alpha
	if a == 0 {
		a = float64(r)
	}
	if o.RSLoRA {
		return a / math.Sqrt(float64(r))
	}
	return a / float64(r)
}

// prepare validates w and r and returns the dimensions and scaling.
func prepare(w *mat.Dense, r int, o SplitOptions) (m, n int, s float64, err error) {
	if m, n, err = chk.Dense("weight", w); err != nil {
		return 0, 0, 0, err
	}
	if err = checkRank(r, m, n); err != nil {
		return 0, 0, 0, err
	}
	s = o.scaling(r)
	if !(s > 0) || math.IsInf(s, 0) {
		return 0, 0, 0, chk.Errorf("scaling Alpha/r = %v must be finite and > 0 (Alpha = %v)", s, o.Alpha)
	}
	return m, n, s, nil
}

// finish sets Residual = W - Scaling * B A.
func finish(method string, w, b, a *mat.Dense, s float64, r int) *Split {
	m, n := w.Dims()
	res := mat.NewDense(m, n, nil)
	res.Mul(b, a)
	res.Scale(-s, res)
	res.Add(w, res)
	return &Split{Method: method, B: b, A: a, Residual: res, Scaling: s, Rank: r}
}

// NewLoRA returns LoRA's initialisation (Hu et al. 2021, PEFT's default):
// A (r x in) drawn Kaiming-uniform with a = sqrt(5), i.e. uniform on
// [-1/sqrt(in), 1/sqrt(in)], B = 0, Residual = W, so the adapted weight
// starts at W. O(out in + r in). Errors: bad weight, r outside
// [1, min(out, in)].
func NewLoRA(w *mat.Dense, r int, opts SplitOptions) (*Split, error) {
	m, n, s, err := prepare(w, r, opts)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x10ba))
	bound := 1 / math.Sqrt(float64(n))
	a := mat.NewDense(r, n, nil)
	raw := a.RawMatrix().Data
	for i := range raw {
		raw[i] = (2*rng.Float64() - 1) * bound
	}
	return &Split{Method: LoRA, B: mat.NewDense(m, r, nil), A: a, Residual: mat.DenseCopyOf(w), Scaling: s, Rank: r}, nil
}

// NewPiSSA returns PiSSA's initialisation (Meng et al. 2024): with
// W = U S V^T and S' = S_r / Scaling for the r leading triplets,
// B = U_r sqrt(S'), A = sqrt(S') V_r^T and Residual = W - Scaling B A, so
// Residual + Scaling B A = W up to rounding and ||Residual||_F^2 is the sum
// of the discarded squared singular values (the Eckart-Young optimum).
// Cost: the SVD of opts.SVD (exact O(out in min) or randomized). Errors:
// bad weight, r out of range.
func NewPiSSA(w *mat.Dense, r int, opts SplitOptions) (*Split, error) {
	_, _, s, err := prepare(w, r, opts)
	if err != nil {
		return nil, err
	}
	f, err := TruncatedSVD(w, r, opts.SVD)
	if err != nil {
		return nil, err
	}
	b, a := balanced(f, s)
	return finish(PiSSA, w, b, a, s, r), nil
}

// NewMiLoRA returns MiLoRA's initialisation (Wang et al. 2024): as PiSSA
// but with the r smallest singular triplets (the minor components), so the
// residual keeps the principal part of W. It always uses the exact SVD (a
// randomized SVD finds leading triplets only). O(out in min(out, in)).
// Errors: bad weight, r out of range, opts.SVD.Randomized set.
func NewMiLoRA(w *mat.Dense, r int, opts SplitOptions) (*Split, error) {
	m, n, s, err := prepare(w, r, opts)
	if err != nil {
		return nil, err
	}
	if opts.SVD.Randomized {
		return nil, chk.Errorf("MiLoRA needs the r smallest singular triplets, which a randomized SVD does not compute: use the exact SVD")
	}
	full, err := thinSVD(w)
	if err != nil {
		return nil, err
	}
	k := min(m, n)
	b, a := balanced(full.keep(k-r, k), s)
	return finish(MiLoRA, w, b, a, s, r), nil
}

// balanced returns B = U sqrt(S/s) and A = sqrt(S/s) V^T.
func balanced(f *SVD, s float64) (b, a *mat.Dense) {
	m, r := f.U.Dims()
	n, _ := f.V.Dims()
	b = mat.NewDense(m, r, nil)
	a = mat.NewDense(r, n, nil)
	for j, sv := range f.S {
		g := math.Sqrt(sv / s)
		for i := 0; i < m; i++ {
			b.Set(i, j, f.U.At(i, j)*g)
		}
		for i := 0; i < n; i++ {
			a.Set(j, i, f.V.At(i, j)*g)
		}
	}
	return b, a
}

// NewOLoRA returns OLoRA's initialisation (Büyükakyüz 2024, PEFT's
// olora_init): the thin QR decomposition W = Q R gives B = Q[:, :r]
// (orthonormal columns) and A = R[:r, :], and Residual = W - Scaling B A
// (exact up to rounding). O(out in min(out, in)). Errors: bad weight, r out
// of range.
func NewOLoRA(w *mat.Dense, r int, opts SplitOptions) (*Split, error) {
	m, n, s, err := prepare(w, r, opts)
	if err != nil {
		return nil, err
	}
	q, rr := linalg.ThinQR(w)
	b := mat.NewDense(m, r, nil)
	b.Copy(q.Slice(0, m, 0, r))
	a := mat.NewDense(r, n, nil)
	a.Copy(rr.Slice(0, r, 0, n))
	return finish(OLoRA, w, b, a, s, r), nil
}

// NewSplit dispatches on method (LoRA, PiSSA, MiLoRA or OLoRA); it costs
// what that method's constructor costs.
func NewSplit(method string, w *mat.Dense, r int, opts SplitOptions) (*Split, error) {
	switch method {
	case LoRA:
		return NewLoRA(w, r, opts)
	case PiSSA:
		return NewPiSSA(w, r, opts)
	case MiLoRA:
		return NewMiLoRA(w, r, opts)
	case OLoRA:
		return NewOLoRA(w, r, opts)
	}
	return nil, chk.Errorf("unknown split method %q (want lora, pissa, milora or olora)", method)
}

// Delta returns Scaling * B A (out x in). O(out in r).
func (s *Split) Delta() *mat.Dense {
	var d mat.Dense
	d.Mul(s.B, s.A)
	d.Scale(s.Scaling, &d)
	return &d
}

// Weight returns Residual + Scaling * B A, the adapted weight. O(out in r).
func (s *Split) Weight() *mat.Dense {
	d := s.Delta()
	d.Add(s.Residual, d)
	return d
}

// Params returns the adapter's trainable parameter count r (out + in).
// O(1).
func (s *Split) Params() int {
	m, _ := s.B.Dims()
	_, n := s.A.Dims()
	return s.Rank * (m + n)
}
