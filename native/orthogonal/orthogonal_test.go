package orthogonal

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func maxAbsDiff(a, b mat.Matrix) float64 {
	r, c := a.Dims()
	var d float64
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d = max(d, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return d
}

// checkMap verifies that Apply agrees with multiplying by Matrix.
func checkMap(t *testing.T, m Map, w *mat.Dense) {
	t.Helper()
	got, err := m.Apply(w)
	if err != nil {
		t.Fatal(err)
	}
	var want mat.Dense
	want.Mul(w, m.Matrix())
	if d := maxAbsDiff(got, &want); d > 1e-12 {
		t.Errorf("%s: Apply differs from W M by %.2g", m.Name(), d)
	}
}

// TestReflectionChains: a chain of k random reflections is orthogonal
// (||M^T M - I||_F <= 1e-13) with determinant (-1)^k, for k = 1..6; one
// reflection is symmetric and sends u to -u; PEFT's product formula (W =
// W - 2 W u u^T per reflection), run with numpy in the same test, gives
// the same matrix.
func TestReflectionChains(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 4))
	const n = 12
	for k := 1; k <= 6; k++ {
		h, err := NewHRA(sample.Gaussian(rng, n, k))
		if err != nil {
			t.Fatal(err)
		}
		m := h.Matrix()
		if e := OrthogonalityError(m); e > 1e-13 {
			t.Errorf("%d reflections: orthogonality error %.2g", k, e)
		}
		if d := mat.Det(m); math.Abs(d-math.Pow(-1, float64(k))) > 1e-12 {
			t.Errorf("%d reflections: determinant %v, want %v", k, d, math.Pow(-1, float64(k)))
		}
		if h.Params() != n*k {
			t.Errorf("%d reflections: %d parameters", k, h.Params())
		}
		checkMap(t, h, sample.Gaussian(rng, 5, n))
		var ref [][]float64
		pyref.JSON(t, `
import sys, json
import numpy as np
u = np.load(sys.argv[1])
u = u / np.linalg.norm(u, axis=0)
w = np.eye(u.shape[0])
for i in range(u.shape[1]):
    w = w - 2 * w @ u[:, i:i+1] @ u[:, i:i+1].T
json.dump(w.tolist(), sys.stdout)
`, nil, &ref, pyref.WriteNPY(t, h.U))
		if d := maxAbsDiff(m, rows(ref)); d > 1e-13 {
			t.Errorf("%d reflections differ from PEFT's product by %.2g", k, d)
		}
	}
	u := []float64{1, -2, 0.5}
	r, _ := Reflection(u)
	if !mat.EqualApprox(r, r.T(), 0) {
		t.Errorf("reflection not symmetric")
	}
	var hu mat.VecDense
	hu.MulVec(r, mat.NewVecDense(3, u))
	for i, v := range u {
		if math.Abs(hu.AtVec(i)+v) > 1e-15 {
			t.Errorf("H u = %v, want -u", hu.RawVector().Data)
		}
	}
}

func rows(r [][]float64) *mat.Dense {
	m := mat.NewDense(len(r), len(r[0]), nil)
	for i, row := range r {
		m.SetRow(i, row)
	}
	return m
}

// TestHRAInitAndRegularizer: PEFT's symmetric start is the identity; the
// regulariser is 0 for orthonormal vectors and 2 cos^2(theta) for two
// vectors at angle theta (any lengths).
func TestHRAInitAndRegularizer(t *testing.T) {
	h, err := InitHRA(10, 4, true, 3)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDiff(h.Matrix(), identity(10)); d > 1e-15 {
		t.Errorf("symmetric start differs from I by %.2g", d)
	}
	if _, err := InitHRA(10, 3, true, 3); err == nil {
		t.Errorf("identity start with odd r accepted")
	}
	rnd, _ := InitHRA(10, 3, false, 3)
	for _, v := range rnd.U.RawMatrix().Data {
		if math.Abs(v) > 1/math.Sqrt(3) {
			t.Fatalf("entry %v beyond the Kaiming bound", v)
		}
	}
	orth, _ := NewHRA(identity(5).Slice(0, 5, 0, 3).(*mat.Dense))
	if g := orth.Regularizer(); g != 0 {
		t.Errorf("orthonormal vectors: regulariser %v", g)
	}
	theta := 0.3
	two, _ := NewHRA(mat.NewDense(2, 2, []float64{3, 2 * math.Cos(theta), 0, 2 * math.Sin(theta)}))
	if g, want := two.Regularizer(), 2*math.Cos(theta)*math.Cos(theta); math.Abs(g-want) > 1e-15 {
		t.Errorf("two vectors at %v rad: regulariser %v, want %v", theta, g, want)
	}
}

// numGrad returns the central-difference gradient of f at the entries of p.
func numGrad(p *mat.Dense, f func() float64) *mat.Dense {
	r, c := p.Dims()
	g := mat.NewDense(r, c, nil)
	const h = 1e-6
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := p.At(i, j)
			p.Set(i, j, v+h)
			up := f()
			p.Set(i, j, v-h)
			down := f()
			p.Set(i, j, v)
			g.Set(i, j, (up-down)/(2*h))
		}
	}
	return g
}

// TestGradients: for the loss L = sum(C .* W M) + (W M)(0,0)^2 / 2 (a
// fixed random C), HRA's and OFT's analytic gradients and the HRA
// regulariser's gradient match central differences to 1e-7 relative.
func TestGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 1))
	w := sample.Gaussian(rng, 6, 8)
	c := sample.Gaussian(rng, 6, 8)
	loss := func(m Map) (float64, *mat.Dense) {
		x, _ := m.Apply(w)
		var l float64
		for i, v := range x.RawMatrix().Data {
			l += c.RawMatrix().Data[i] * v
		}
		l += x.At(0, 0) * x.At(0, 0) / 2
		g := mat.DenseCopyOf(c)
		g.Set(0, 0, g.At(0, 0)+x.At(0, 0))
		return l, g
	}
	h, _ := NewHRA(sample.Gaussian(rng, 8, 3))
	_, g := loss(h)
	got, err := h.Grad(w, g)
	if err != nil {
		t.Fatal(err)
	}
	want := numGrad(h.U, func() float64 { l, _ := loss(h); return l })
	closeRel(t, "HRA", got, want, 1e-7)
	closeRel(t, "HRA regulariser", h.RegularizerGrad(), numGrad(h.U, h.Regularizer), 1e-7)

	o, _ := NewOFT(8, 4)
	o.Perturb(0.4, 2)
	_, g = loss(o)
	got, err = o.Grad(w, g)
	if err != nil {
		t.Fatal(err)
	}
	want = numGrad(o.Skew, func() float64 { l, _ := loss(o); return l })
	closeRel(t, "OFT", got, want, 1e-7)
}

func closeRel(t *testing.T, name string, got, want *mat.Dense, tol float64) {
	t.Helper()
	scale := mat.Norm(want, math.Inf(1))
	if d := maxAbsDiff(got, want); d > tol*max(scale, 1) {
		t.Errorf("%s gradient differs from finite differences by %.2g (scale %.2g)", name, d, scale)
	}
}

// TestCayleyAndOFT: Cayley maps of random skew generators are orthogonal
// with determinant +1 and equal (I + S) inv(I - S) computed by numpy in
// the same run; OFT's matrix is block diagonal with those blocks, the
// identity at zero generators, and counts blocks * b(b-1)/2 parameters.
func TestCayleyAndOFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	a := sample.Gaussian(rng, 5, 5)
	s := mat.NewDense(5, 5, nil)
	s.Sub(a, a.T())
	r, err := Cayley(s)
	if err != nil {
		t.Fatal(err)
	}
	var ref [][]float64
	pyref.JSON(t, `
import sys, json
import numpy as np
s = np.load(sys.argv[1])
i = np.eye(s.shape[0])
json.dump(((i + s) @ np.linalg.inv(i - s)).tolist(), sys.stdout)
`, nil, &ref, pyref.WriteNPY(t, s))
	if d := maxAbsDiff(r, rows(ref)); d > 1e-13 {
		t.Errorf("Cayley differs from numpy by %.2g", d)
	}
	if e, d := OrthogonalityError(r), mat.Det(r); e > 1e-13 || math.Abs(d-1) > 1e-12 {
		t.Errorf("Cayley: orthogonality error %.2g, determinant %v", e, d)
	}
	if _, err := Cayley(a); err == nil || !strings.Contains(err.Error(), "not skew-symmetric") {
		t.Errorf("non-skew generator: %v", err)
	}
	o, _ := NewOFT(12, 4)
	if d := maxAbsDiff(o.Matrix(), identity(12)); d != 0 {
		t.Errorf("zero generators: differs from I by %v", d)
	}
	o.Perturb(1, 5)
	m := o.Matrix()
	if e, d := OrthogonalityError(m), mat.Det(m); e > 1e-13 || math.Abs(d-1) > 1e-12 {
		t.Errorf("OFT: orthogonality error %.2g, determinant %v", e, d)
	}
	for i := 0; i < 12; i++ {
		for j := 0; j < 12; j++ {
			if i/4 != j/4 && m.At(i, j) != 0 {
				t.Fatalf("OFT entry (%d, %d) outside the diagonal blocks is %v", i, j, m.At(i, j))
			}
		}
	}
	if o.Params() != 3*6 || o.Blocks() != 3 {
		t.Errorf("OFT 12 / 4: %d parameters in %d blocks, want 18 in 3", o.Params(), o.Blocks())
	}
	checkMap(t, o, sample.Gaussian(rng, 3, 12))
}

// TestBOFT: one butterfly factor is plain OFT; log2(2n/b) factors give an
// orthogonal map with determinant 1 and no zero entry (every input mixed
// with every other), each factor's order is a permutation, and Apply
// agrees with the matrix.
func TestBOFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	one, err := NewBOFT(16, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	one.Perturb(0.5, 7)
	plain, _ := NewOFT(16, 4)
	plain.Skew.Copy(one.Factors[0].Skew)
	if d := maxAbsDiff(one.Matrix(), plain.Matrix()); d != 0 {
		t.Errorf("one factor differs from OFT by %v", d)
	}
	full, err := NewBOFT(16, 4, 3) // 16 / 2 = 8 chunks = 2^3
	if err != nil {
		t.Fatal(err)
	}
	full.Perturb(0.5, 8)
	m := full.Matrix()
	if e, d := OrthogonalityError(m), mat.Det(m); e > 1e-13 || math.Abs(d-1) > 1e-12 {
		t.Errorf("BOFT: orthogonality error %.2g, determinant %v", e, d)
	}
	for i, v := range m.RawMatrix().Data {
		if v == 0 {
			t.Fatalf("BOFT with 3 factors has a zero entry at %d: inputs not fully mixed", i)
		}
	}
	for i := range full.Factors {
		seen := make([]bool, 16)
		for _, c := range full.Perm(i) {
			seen[c] = true
		}
		for c, ok := range seen {
			if !ok {
				t.Fatalf("factor %d misses coordinate %d", i, c)
			}
		}
	}
	if full.Params() != 3*16*3/2 {
		t.Errorf("BOFT params %d, want %d", full.Params(), 3*16*3/2)
	}
	checkMap(t, full, sample.Gaussian(rng, 4, 16))
	if _, err := NewBOFT(16, 4, 4); err == nil {
		t.Errorf("4 factors on 8 chunks accepted")
	}
}

// TestETHERAndProjector: ETHER is orthogonal with determinant
// (-1)^blocks; ETHER+ starts at the identity (v = -u), is not orthogonal
// once v moves, and is the identity when v = u; the low-rank projector is
// an orthogonal involution with determinant (-1)^r equal to the chain of
// reflections along its orthonormal basis.
func TestETHERAndProjector(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	e, err := InitETHER(12, 3, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := e.Matrix()
	if o, d := OrthogonalityError(m), mat.Det(m); o > 1e-14 || math.Abs(d+1) > 1e-12 {
		t.Errorf("ETHER: orthogonality error %.2g, determinant %v (want -1 for 3 blocks)", o, d)
	}
	checkMap(t, e, sample.Gaussian(rng, 3, 12))
	plus, _ := InitETHER(12, 3, true, 1)
	if d := maxAbsDiff(plus.Matrix(), identity(12)); d > 1e-15 || plus.Params() != 24 || plus.Name() != "ether+" {
		t.Errorf("ETHER+ start differs from I by %v (params %d)", d, plus.Params())
	}
	plus.V = sample.Gaussian(rng, 3, 4)
	if o := OrthogonalityError(plus.Matrix()); o < 1e-3 {
		t.Errorf("perturbed ETHER+ has orthogonality error %v, expected visibly > 0", o)
	}
	same, _ := NewETHER(e.U, e.U)
	if d := maxAbsDiff(same.Matrix(), identity(12)); d > 1e-15 {
		t.Errorf("ETHER+ with v = u differs from I by %v", d)
	}
	checkMap(t, plus, sample.Gaussian(rng, 3, 12))

	u := sample.Gaussian(rng, 9, 3)
	p, err := NewProjector(u)
	if err != nil {
		t.Fatal(err)
	}
	pm := p.Matrix()
	var sq mat.Dense
	sq.Mul(pm, pm)
	if d := maxAbsDiff(&sq, identity(9)); d > 1e-14 || math.Abs(mat.Det(pm)+1) > 1e-12 {
		t.Errorf("projector: M^2 differs from I by %v, determinant %v", d, mat.Det(pm))
	}
	chain, _ := NewHRA(p.Q)
	if d := maxAbsDiff(chain.Matrix(), pm); d > 1e-14 {
		t.Errorf("projector differs from the chain along Q by %v", d)
	}
	checkMap(t, p, sample.Gaussian(rng, 3, 9))
}

const numpyEnergy = `
import sys, json
import numpy as np
w = np.load(sys.argv[1])
u = w / np.linalg.norm(w, axis=1, keepdims=True)
d = np.linalg.norm(u[:, None, :] - u[None, :, :], axis=2)
np.fill_diagonal(d, np.inf)
json.dump(float(np.sum(1 / d)), sys.stdout)
`

// TestAnalyze: the hyperspherical energy matches numpy's pairwise
// distances in the same run; HRA, OFT, BOFT, ETHER and the projector leave
// it unchanged (relative 1e-10) while a perturbed ETHER+ and a LoRA-style
// additive change move it; parameter counts sit next to LoRA's.
func TestAnalyze(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	w := sample.Gaussian(rng, 10, 16)
	var ref float64
	pyref.JSON(t, numpyEnergy, nil, &ref, pyref.WriteNPY(t, w))
	he, err := HypersphericalEnergy(w)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(he-ref) > 1e-12*ref {
		t.Errorf("hyperspherical energy %.15g, numpy %.15g", he, ref)
	}
	h, _ := NewHRA(sample.Gaussian(rng, 16, 4))
	o, _ := NewOFT(16, 4)
	o.Perturb(1, 1)
	b, _ := NewBOFT(16, 4, 2)
	b.Perturb(1, 2)
	e, _ := InitETHER(16, 4, false, 3)
	p, _ := NewProjector(sample.Gaussian(rng, 16, 2))
	for _, m := range []Map{h, o, b, e, p} {
		rep, err := Analyze(w, m, 4)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(rep.EnergyChange) > 1e-10*rep.Energy || rep.OrthogonalityError > 1e-12 || math.Abs(math.Abs(rep.Determinant)-1) > 1e-10 {
			t.Errorf("%s: %+v", m.Name(), *rep)
		}
		if rep.LoRAParams != 4*(10+16) || rep.Params != m.Params() || rep.Change <= 0 {
			t.Errorf("%s: params %d vs LoRA %d, change %v", m.Name(), rep.Params, rep.LoRAParams, rep.Change)
		}
	}
	plus, _ := InitETHER(16, 4, true, 3)
	plus.V = sample.Gaussian(rng, 4, 4)
	rep, _ := Analyze(w, plus, 4)
	if math.Abs(rep.EnergyChange) < 1e-6*rep.Energy {
		t.Errorf("ETHER+ left the energy unchanged: %+v", *rep)
	}
}

// TestBadInput: errors name the shapes and the offending entries.
func TestBadInput(t *testing.T) {
	w := mat.NewDense(3, 4, nil)
	w.Set(0, 0, 1)
	h, _ := NewHRA(mat.NewDense(5, 1, []float64{1, 0, 0, 0, 0}))
	nan := mat.NewDense(2, 2, []float64{1, math.NaN(), 0, 1})
	zeroRow := mat.NewDense(2, 4, []float64{1, 0, 0, 0, 0, 0, 0, 0})
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"width", func() error { _, err := h.Apply(w); return err }(), "weight is 3 x 4 but the map acts on 5 inputs"},
		{"zero vector", func() error { _, err := NewHRA(mat.NewDense(3, 2, []float64{1, 0, 0, 0, 0, 0})); return err }(), "reflection vector 1"},
		{"zero reflection", func() error { _, err := Reflection([]float64{0, 0}); return err }(), "vector is zero"},
		{"NaN", func() error { _, err := NewHRA(nan); return err }(), "NaN"},
		{"OFT block", func() error { _, err := NewOFT(10, 4); return err }(), "OFT of size 10 with blocks of 4"},
		{"ETHER blocks", func() error { _, err := InitETHER(10, 3, false, 0); return err }(), "ETHER of size 10 in 3 blocks"},
		{"BOFT odd block", func() error { _, err := NewBOFT(12, 3, 1); return err }(), "even block"},
		{"projector rank", func() error {
			_, err := NewProjector(mat.NewDense(3, 2, []float64{1, 2, 2, 4, 3, 6}))
			return err
		}(), "rank deficient"},
		{"projector width", func() error { _, err := NewProjector(mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})); return err }(), "at most 2 directions"},
		{"zero neuron", func() error { _, err := HypersphericalEnergy(zeroRow); return err }(), "weight row 1"},
		{"gradient shape", func() error { _, err := h.Grad(mat.NewDense(2, 5, nil), mat.NewDense(3, 5, nil)); return err }(), "gradient is 3 x 5 but the weight is 2 x 5"},
		{"nil map", func() error { _, err := Analyze(w, nil, 1); return err }(), "map is nil"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to mention %q", c.name, c.err, c.want)
		}
	}
}
