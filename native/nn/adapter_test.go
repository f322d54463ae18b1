package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset/mnist"
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/lowrank"
)

var adapterKinds = []AdapterConfig{
	{Kind: AdapterLoRA, Rank: 2, Alpha: 4},
	{Kind: AdapterPiSSA, Rank: 2},
	{Kind: AdapterMiLoRA, Rank: 2},
	{Kind: AdapterOLoRA, Rank: 2},
	{Kind: AdapterHRA, Rank: 2, Lambda: 0.3},
	{Kind: AdapterOFT, Block: 2},
}

// TestAdapterGradients: for every kind, the adapter's gradient (through
// the low-rank product, the reflection chain with its regulariser, or the
// Cayley blocks) matches central finite differences of the loss with
// respect to the adapter's parameters, at a perturbed point where none is
// zero.
func TestAdapterGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	x := sample.Gaussian(rng, 9, 6)
	y := []int{0, 1, 2, 3, 0, 1, 2, 3, 0}
	for _, cfg := range adapterKinds {
		m, _ := NewMLP([]int{6, 8, 4, 4}, Tanh, 2)
		a, err := m.Adapt(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a.theta {
			a.theta[i] += 0.2 * rng.NormFloat64()
		}
		a.refresh()
		loss := func() float64 {
			a.refresh()
			l, _ := a.net.Loss(x, y)
			for _, la := range a.layers {
				if la.hra != nil {
					l += cfg.Lambda * la.hra.Regularizer()
				}
			}
			return l
		}
		a.net.gradient(x, y)
		a.backward()
		got := append([]float64(nil), a.grad...)
		worst := 0.0
		for k := range a.theta {
			old := a.theta[k]
			a.theta[k] = old + 1e-6
			up := loss()
			a.theta[k] = old - 1e-6
			down := loss()
			a.theta[k] = old
			fd := (up - down) / 2e-6
			worst = math.Max(worst, math.Abs(fd-got[k])/math.Max(1e-4, math.Abs(fd)+math.Abs(got[k])))
		}
		if worst > 1e-5 {
			t.Errorf("%s: adapter gradient differs from finite differences by %.2e (relative)", cfg.Kind, worst)
		}
	}
}

// TestAdapterStartsAtBase: every kind starts as the base network (logits
// equal to 1e-10), counts its trainable parameters as documented (LoRA
// family r (out + in) per layer, HRA in r, OFT in (b - 1) / 2), and
// leaves the base network untouched.
func TestAdapterStartsAtBase(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	x := sample.Gaussian(rng, 20, 8)
	m, _ := NewMLP([]int{8, 12, 6, 4}, ReLU, 3)
	before := m.ParamVector()
	want, _ := m.Logits(x)
	for _, cfg := range adapterKinds {
		a, err := m.Adapt(cfg)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := a.Network().Logits(x)
		if d := maxDiff(got, want); d > 1e-10 {
			t.Errorf("%s: starts %.2g away from the base network", cfg.Kind, d)
		}
		var params int
		for l := 0; l < 3; l++ {
			in, out := m.Sizes[l], m.Sizes[l+1]
			switch cfg.Kind {
			case AdapterHRA:
				params += in * cfg.Rank
			case AdapterOFT:
				params += in * (cfg.Block - 1) / 2
			default:
				params += cfg.Rank * (in + out)
			}
		}
		if a.Trainable() != params || a.Kind() != cfg.Kind {
			t.Errorf("%s: %d trainable parameters, want %d", cfg.Kind, a.Trainable(), params)
		}
	}
	if !slices.Equal(before, m.ParamVector()) {
		t.Errorf("Adapt modified the base network")
	}
}

func maxDiff(a, b mat.Matrix) float64 {
	r, c := a.Dims()
	var d float64
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d = math.Max(d, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return d
}

// splitDigits returns the digits train/test split restricted to labels
// in [lo, hi].
func splitDigits(x *mat.Dense, y []int, lo, hi int) (*mat.Dense, []int) {
	var rows []int
	for i, v := range y {
		if v >= lo && v <= hi {
			rows = append(rows, i)
		}
	}
	_, c := x.Dims()
	out := mat.NewDense(len(rows), c, nil)
	ys := make([]int, len(rows))
	for k, i := range rows {
		out.SetRow(k, x.RawRowView(i))
		ys[k] = y[i]
	}
	return out, ys
}

// TestAdaptersOnDigits: an MLP 64-64-32-10 pre-trained on digits 0-4 and
// fine-tuned on 5-9 with each adapter at equal rank 4 (HRA 4 reflections,
// OFT blocks of 16): every adapter takes the held-out 5-9 accuracy from
// near 0 to above 0.7, LoRA, PiSSA and MiLoRA give different curves, only
// the adapter moves (biases fixed, the LoRA-family weights stay the
// initial residual plus a product of rank <= 4, HRA and OFT keep every
// neuron's norm), and the accuracies after each epoch are logged.
func TestAdaptersOnDigits(t *testing.T) {
	xtr, ytr, xte, yte := digitsSplit(t)
	xa, ya := splitDigits(xtr, ytr, 0, 4)
	xb, yb := splitDigits(xtr, ytr, 5, 9)
	xbt, ybt := splitDigits(xte, yte, 5, 9)
	xat, yat := splitDigits(xte, yte, 0, 4)
	base, _ := NewMLP([]int{64, 64, 32, 10}, ReLU, 11)
	if _, err := base.Train(xa, ya, TrainConfig{Epochs: 40, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	accA, _ := base.Accuracy(xat, yat)
	accB, _ := base.Accuracy(xbt, ybt)
	t.Logf("pre-trained on 0-4: accuracy %.3f on 0-4, %.3f on 5-9", accA, accB)
	if accA < 0.95 || accB > 0.05 {
		t.Fatalf("pre-training: %.3f on 0-4, %.3f on 5-9", accA, accB)
	}
	curves := map[string][]float64{}
	for _, cfg := range []AdapterConfig{
		{Kind: AdapterLoRA, Rank: 4, Seed: 1}, {Kind: AdapterPiSSA, Rank: 4}, {Kind: AdapterMiLoRA, Rank: 4},
		{Kind: AdapterOLoRA, Rank: 4}, {Kind: AdapterHRA, Rank: 4, Seed: 1}, {Kind: AdapterOFT, Block: 16},
	} {
		a, err := base.Adapt(cfg)
		if err != nil {
			t.Fatal(err)
		}
		h, err := a.Train(xb, yb, TrainConfig{Epochs: 8, LearningRate: 1e-2, Seed: 2, ValX: xbt, ValY: ybt})
		if err != nil {
			t.Fatal(err)
		}
		curves[cfg.Kind] = h.ValAccuracy
		forget, _ := a.Accuracy(xat, yat)
		t.Logf("%-6s %5d params: 5-9 accuracy by epoch %.3f; 0-4 after: %.3f", cfg.Kind, a.Trainable(), h.ValAccuracy, forget)
		if last := h.ValAccuracy[len(h.ValAccuracy)-1]; last < 0.7 {
			t.Errorf("%s: 5-9 accuracy %.3f after fine-tuning", cfg.Kind, last)
		}
		checkFrozen(t, base, a)
	}
	for _, p := range [][2]string{{AdapterLoRA, AdapterPiSSA}, {AdapterLoRA, AdapterMiLoRA}, {AdapterPiSSA, AdapterMiLoRA}} {
		if slices.Equal(curves[p[0]], curves[p[1]]) {
			t.Errorf("%s and %s gave the same curve %v", p[0], p[1], curves[p[0]])
		}
	}
}

// checkFrozen verifies that fine-tuning moved only the adapter.
func checkFrozen(t *testing.T, base *MLP, a *Adapted) {
	t.Helper()
	net := a.Network()
	for l := range base.w {
		if !slices.Equal(base.b[l], net.b[l]) {
			t.Errorf("%s: bias %d changed", a.Kind(), l)
		}
		switch a.Kind() {
		case AdapterHRA, AdapterOFT:
			for i := 0; i < base.w[l].RawMatrix().Rows; i++ {
				n0 := mat.Norm(base.w[l].RowView(i), 2)
				n1 := mat.Norm(net.w[l].RowView(i), 2)
				if math.Abs(n0-n1) > 1e-10*n0 {
					t.Fatalf("%s: layer %d neuron %d norm %v -> %v", a.Kind(), l, i, n0, n1)
				}
			}
		default:
			// W = residual + s B A with the residual of the initial split
			// unchanged: W - residual has rank <= 4.
			sp0, _ := lowrank.NewSplit(a.Kind(), base.w[l], 4, lowrank.SplitOptions{Seed: uint64(l) + 1})
			var d mat.Dense
			d.Sub(net.w[l], sp0.Residual)
			sp, err := lowrank.NewSpectrum(&d)
			if err != nil {
				t.Fatal(err)
			}
			if len(sp.Values) > 4 && sp.Values[4] > 1e-10*sp.Values[0] {
				t.Errorf("%s: layer %d: W - residual has singular values %v beyond rank 4", a.Kind(), l, sp.Values[:6])
			}
		}
	}
}

// TestAdapterErrors: unknown kinds, odd HRA ranks, OFT blocks that do not
// divide a layer, ranks beyond min(out, in) and bad layers are refused
// with the layer named.
func TestAdapterErrors(t *testing.T) {
	m, _ := NewMLP([]int{6, 9, 4}, ReLU, 1)
	for _, c := range []struct {
		cfg  AdapterConfig
		want string
	}{
		{AdapterConfig{Kind: "dora", Rank: 2}, `unknown adapter kind "dora"`},
		{AdapterConfig{Kind: AdapterHRA, Rank: 3}, "layer 0: orthogonal: an identity HRA start"},
		{AdapterConfig{Kind: AdapterOFT, Block: 4}, "layer 0 (6 inputs)"},
		{AdapterConfig{Kind: AdapterOFT}, "layer 0 (6 inputs)"},
		{AdapterConfig{Kind: AdapterPiSSA, Rank: 5}, "layer 1: lowrank: rank r = 5 must be in [1, 4]"},
		{AdapterConfig{Kind: AdapterLoRA, Rank: 1, Layers: []int{2}}, "adapter layers [2]"},
	} {
		_, err := m.Adapt(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.cfg, err, c.want)
		}
	}
}

// TestAdaptersOnMNIST: an MLP 784-128-64-10 pre-trained on the MNIST
// digits 0-4 (fixed split, 5 epochs) is fine-tuned on 5-9 with LoRA, PiSSA
// and MiLoRA adapters of equal rank 4 (4,712 parameters each) for two
// epochs: the three training curves differ, each reaches >= 0.8 held-out
// accuracy on 5-9 (from 0 before), and the accuracy after every epoch is
// logged.
func TestAdaptersOnMNIST(t *testing.T) {
	s, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	xa, ya := splitDigits(s.TrainImages, s.TrainLabels, 0, 4)
	xb, yb := splitDigits(s.TrainImages, s.TrainLabels, 5, 9)
	xbt, ybt := splitDigits(s.TestImages, s.TestLabels, 5, 9)
	base, _ := NewMLP([]int{mnist.Features, 128, 64, mnist.Classes}, ReLU, 11)
	if _, err := base.Train(xa, ya, TrainConfig{Epochs: 5, BatchSize: 64, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if acc, _ := base.Accuracy(xbt, ybt); acc != 0 {
		t.Fatalf("pre-trained on 0-4, accuracy %.3f on 5-9", acc)
	}
	curves := map[string][]float64{}
	for _, kind := range []string{AdapterLoRA, AdapterPiSSA, AdapterMiLoRA} {
		a, err := base.Adapt(AdapterConfig{Kind: kind, Rank: 4, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		h, err := a.Train(xb, yb, TrainConfig{Epochs: 2, BatchSize: 64, LearningRate: 1e-2, Seed: 2, ValX: xbt, ValY: ybt})
		if err != nil {
			t.Fatal(err)
		}
		curves[kind] = h.ValAccuracy
		t.Logf("%-6s rank 4 (%d parameters): 5-9 accuracy after epochs 1, 2 (%d steps each): %.3f", kind, a.Trainable(), (len(yb)+63)/64, h.ValAccuracy)
		if h.ValAccuracy[1] < 0.8 {
			t.Errorf("%s: accuracy %.3f after two epochs", kind, h.ValAccuracy[1])
		}
	}
	for _, p := range [][2]string{{AdapterLoRA, AdapterPiSSA}, {AdapterLoRA, AdapterMiLoRA}, {AdapterPiSSA, AdapterMiLoRA}} {
		if slices.Equal(curves[p[0]], curves[p[1]]) {
			t.Errorf("%s and %s gave the same curve %v", p[0], p[1], curves[p[0]])
		}
	}
}
