package nn

import (
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/digits"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// digitsSplit is the deterministic split the tests use: pixels scaled to
// [0, 1], 25% stratified test set with seed 1.
func digitsSplit(t *testing.T) (*mat.Dense, []int, *mat.Dense, []int) {
	t.Helper()
	x, y, err := digits.Load()
	if err != nil {
		t.Fatal(err)
	}
	x.Scale(1.0/16, x)
	xtr, ytr, xte, yte, err := dataset.Split(x, y, 0.25, 1)
	if err != nil {
		t.Fatal(err)
	}
	return xtr, ytr, xte, yte
}

// TestGradient compares backpropagation with central finite differences of
// the loss for every activation, on every parameter of a small network.
func TestGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := sample.Gaussian(rng, 7, 5)
	y := []int{0, 1, 2, 3, 0, 1, 2}
	for _, act := range []string{ReLU, Tanh, GELU} {
		m, err := NewMLP([]int{5, 6, 4, 4}, act, 3)
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.b {
			for j := range m.b[i] {
				m.b[i][j] = 0.1 * rng.NormFloat64() // non-zero biases, ReLU kinks unlikely at the data
			}
		}
		m.gradient(x, y)
		g := append([]float64(nil), m.grad...)
		worst := 0.0
		for k := range m.params {
			h := 1e-5
			old := m.params[k]
			m.params[k] = old + h
			lp, _ := m.Loss(x, y)
			m.params[k] = old - h
			lm, _ := m.Loss(x, y)
			m.params[k] = old
			fd := (lp - lm) / (2 * h)
			worst = math.Max(worst, math.Abs(fd-g[k])/math.Max(1e-3, math.Abs(fd)+math.Abs(g[k])))
		}
		t.Logf("%s: worst relative gradient error %.2e over %d parameters", act, worst, len(g))
		if worst > 1e-5 {
			t.Errorf("%s: gradient differs from finite differences by %.2e", act, worst)
		}
	}
}

// TestActivations checks that layer outputs are what the definition says:
// h1 = relu(x W0^T + b0), and the last element equals Logits.
func TestActivations(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	m, _ := NewMLP([]int{3, 4, 2}, ReLU, 5)
	x := sample.Gaussian(rng, 6, 3)
	acts, err := m.Activations(x)
	if err != nil || len(acts) != 2 {
		t.Fatalf("%d activations, %v", len(acts), err)
	}
	w, _ := m.Param("layers.0.weight")
	b, _ := m.Param("layers.0.bias")
	for i := 0; i < 6; i++ {
		for j := 0; j < 4; j++ {
			s := b.At(0, j)
			for k := 0; k < 3; k++ {
				s += x.At(i, k) * w.At(j, k)
			}
			if want := math.Max(0, s); math.Abs(acts[0].At(i, j)-want) > 1e-12 {
				t.Fatalf("h1(%d,%d) = %v, want %v", i, j, acts[0].At(i, j), want)
			}
		}
	}
	lg, _ := m.Logits(x)
	if !mat.EqualApprox(lg, acts[1], 1e-12) {
		t.Fatal("last activation differs from Logits")
	}
	if _, err := m.Activations(sample.Gaussian(rng, 2, 4)); err == nil || !strings.Contains(err.Error(), "columns") {
		t.Fatalf("wrong width: %v", err)
	}
}

// TestDigitsAccuracy trains the 64-128-64-10 MLP on the bundled digits with
// Adam and with SGD + momentum and requires >= 95% test accuracy on the
// seeded split.
func TestDigitsAccuracy(t *testing.T) {
	xtr, ytr, xte, yte := digitsSplit(t)
	for _, cfg := range []TrainConfig{
		{Epochs: 30, Optimizer: Adam, Seed: 1},
		{Epochs: 30, Optimizer: SGD, LearningRate: 0.05, Momentum: 0.9, Seed: 1},
	} {
		m, err := NewMLP([]int{64, 128, 64, 10}, ReLU, 1)
		if err != nil {
			t.Fatal(err)
		}
		h, err := m.Train(xtr, ytr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		acc, _ := m.Accuracy(xte, yte)
		t.Logf("%s: %d parameters, final loss %.4f, test accuracy %.4f", cfg.Optimizer, m.NumParams(), h.Loss[len(h.Loss)-1], acc)
		if acc < 0.95 {
			t.Errorf("%s: test accuracy %.4f < 0.95", cfg.Optimizer, acc)
		}
		if h.Loss[len(h.Loss)-1] > h.Loss[0]/5 {
			t.Errorf("%s: loss only went from %v to %v", cfg.Optimizer, h.Loss[0], h.Loss[len(h.Loss)-1])
		}
	}
}

// TestSaveLoad saves parameters as safetensors and loads them back: exact
// in float64, within float32 rounding otherwise, with the same predictions.
func TestSaveLoad(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	m, _ := NewMLP([]int{8, 5, 3}, Tanh, 9)
	x := sample.Gaussian(rng, 20, 8)
	dir := t.TempDir()
	p := filepath.Join(dir, "m.safetensors")
	if err := m.Save(p, dataset.Float64); err != nil {
		t.Fatal(err)
	}
	back, err := LoadMLP(p)
	if err != nil {
		t.Fatal(err)
	}
	if back.Activation != Tanh || len(back.Sizes) != 3 {
		t.Fatalf("loaded %v %v", back.Sizes, back.Activation)
	}
	for i, v := range m.ParamVector() {
		if back.params[i] != v {
			t.Fatalf("parameter %d: %v vs %v", i, back.params[i], v)
		}
	}
	st, _ := dataset.OpenSafetensors(p)
	info, _ := st.Info("layers.0.bias")
	st.Close()
	if len(info.Shape) != 1 || info.Shape[0] != 5 {
		t.Fatalf("bias stored with shape %v", info.Shape)
	}
	p32 := filepath.Join(dir, "m32.safetensors")
	m.Save(p32, dataset.Float32)
	b32, _ := LoadMLP(p32)
	l1, _ := m.Logits(x)
	l2, _ := b32.Logits(x)
	if !mat.EqualApprox(l1, l2, 1e-5) {
		t.Fatal("float32 round trip changed the logits")
	}
	// SetParam / Param with shape checks.
	w := mat.NewDense(5, 8, nil)
	if err := m.SetParam("layers.0.weight", w); err != nil {
		t.Fatal(err)
	}
	if err := m.SetParam("layers.0.weight", mat.NewDense(8, 5, nil)); err == nil {
		t.Fatal("transposed weight accepted")
	}
	if _, err := m.Param("layers.7.weight"); err == nil {
		t.Fatal("missing layer accepted")
	}
}

// TestProjection checks unit columns and the adjoint identity
// <P z, g> = <z, P^T g> for dense and sparse projections, and the sparse
// density.
func TestProjection(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	D, d := 2000, 30
	dense, err := NewDenseProjection(D, d, 1)
	if err != nil {
		t.Fatal(err)
	}
	sparse, err := NewSparseProjection(D, d, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := float64(D*d) / math.Sqrt(float64(D))
	if nz := float64(sparse.NonZeros()); math.Abs(nz-want) > 5*math.Sqrt(want) {
		t.Fatalf("sparse projection has %v non-zeros, expected about %v", nz, want)
	}
	for _, p := range []*Projection{dense, sparse} {
		z := make([]float64, d)
		g := make([]float64, D)
		for i := range z {
			z[i] = rng.NormFloat64()
		}
		for i := range g {
			g[i] = rng.NormFloat64()
		}
		pz := make([]float64, D)
		ptg := make([]float64, d)
		p.Apply(z, pz)
		p.ApplyT(g, ptg)
		if a, b := mat.Dot(mat.NewVecDense(D, pz), mat.NewVecDense(D, g)), mat.Dot(mat.NewVecDense(d, z), mat.NewVecDense(d, ptg)); math.Abs(a-b) > 1e-9*math.Abs(a) {
			t.Fatalf("sparse=%v: <Pz,g> = %v, <z,P^T g> = %v", p.Sparse(), a, b)
		}
		for c := 0; c < d; c++ {
			e := make([]float64, d)
			e[c] = 1
			p.Apply(e, pz)
			if n := mat.Norm(mat.NewVecDense(D, pz), 2); math.Abs(n-1) > 1e-12 {
				t.Fatalf("sparse=%v: column %d has norm %v", p.Sparse(), c, n)
			}
		}
	}
	if err := dense.Apply(make([]float64, 3), make([]float64, D)); err == nil {
		t.Fatal("wrong length accepted")
	}
}

// TestIntrinsicDimension runs a small d_int90 sweep on the digits with a
// sparse projection: d_int90 must be found and be below a tenth of the
// parameter count, and accuracy must rise with d (rank correlation >= 0.8,
// last point well above the first).
func TestIntrinsicDimension(t *testing.T) {
	xtr, ytr, xte, yte := digitsSplit(t)
	res, err := IntrinsicDimension(xtr, ytr, xte, yte, SweepConfig{
		Sizes: []int{64, 128, 64, 10}, Activation: ReLU, Seed: 1,
		Dims: []int{10, 40, 160, 640}, Sparse: true,
		Full:     TrainConfig{Epochs: 30, Seed: 1},
		Subspace: TrainConfig{Epochs: 20, BatchSize: 64, LearningRate: 0.03, Seed: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("D = %d, full accuracy %.4f, threshold %.4f, curve %v -> %v, d_int90 = %d",
		res.NumParams, res.FullAccuracy, res.Threshold, res.Dims, res.Accuracy, res.DInt)
	if res.DInt == 0 || res.DInt >= res.NumParams/10 {
		t.Errorf("d_int90 = %d, want found and < %d", res.DInt, res.NumParams/10)
	}
	if rho := spearman(res.Dims, res.Accuracy); rho < 0.8 {
		t.Errorf("accuracy does not rise with d: rank correlation %.2f", rho)
	}
	if res.Accuracy[len(res.Accuracy)-1] < res.Accuracy[0]+0.4 {
		t.Errorf("accuracy went from %v to only %v", res.Accuracy[0], res.Accuracy[len(res.Accuracy)-1])
	}
}

func spearman(d []int, a []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(i, j int) bool { return v[idx[i]] < v[idx[j]] })
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	df := make([]float64, len(d))
	for i, v := range d {
		df[i] = float64(v)
	}
	ra, rb := rank(df), rank(a)
	n := float64(len(d))
	s := 0.0
	for i := range ra {
		s += (ra[i] - rb[i]) * (ra[i] - rb[i])
	}
	return 1 - 6*s/(n*(n*n-1))
}

// TestErrors checks argument validation and that a progress callback can
// stop training.
func TestErrors(t *testing.T) {
	if _, err := NewMLP([]int{3}, ReLU, 1); err == nil {
		t.Error("one size accepted")
	}
	if _, err := NewMLP([]int{3, 2}, "sigmoid", 1); err == nil {
		t.Error("unknown activation accepted")
	}
	m, _ := NewMLP([]int{2, 3, 2}, ReLU, 1)
	x := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})
	if _, err := m.Train(x, []int{0, 1, 2}, TrainConfig{}); err == nil || !strings.Contains(err.Error(), "label 2") {
		t.Errorf("label out of range: %v", err)
	}
	x.Set(1, 1, math.NaN())
	if _, err := m.Train(x, []int{0, 1, 0}, TrainConfig{}); err == nil || !strings.Contains(err.Error(), "(1, 1)") {
		t.Errorf("NaN input: %v", err)
	}
	x.Set(1, 1, 0)
	if _, err := m.Train(x, []int{0, 1, 0}, TrainConfig{Optimizer: "lbfgs"}); err == nil {
		t.Error("unknown optimizer accepted")
	}
	stop := errors.New("stop")
	h, err := m.Train(x, []int{0, 1, 0}, TrainConfig{Epochs: 10, Progress: func(done, total int) error {
		if done == 3 {
			return stop
		}
		return nil
	}})
	if !errors.Is(err, stop) || len(h.Loss) != 3 {
		t.Errorf("progress stop: err %v after %d epochs", err, len(h.Loss))
	}
	p, _ := NewSparseProjection(10, 2, 0, 1)
	if _, _, err := m.TrainSubspace(x, []int{0, 1, 0}, p, TrainConfig{}); err == nil {
		t.Error("projection of the wrong size accepted")
	}
}
