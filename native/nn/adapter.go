package nn

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/lowrank"
	"github.com/subspace-kernel/subspace/native/orthogonal"
)

// Adapter kinds (AdapterConfig.Kind).
const (
	AdapterLoRA   = lowrank.LoRA
	AdapterPiSSA  = lowrank.PiSSA
	AdapterMiLoRA = lowrank.MiLoRA
	AdapterOLoRA  = lowrank.OLoRA
	AdapterHRA    = "hra"
	AdapterOFT    = "oft"
)

// AdapterConfig describes a parameter-efficient adapter of an MLP.
type AdapterConfig struct {
	// Kind is AdapterLoRA, AdapterPiSSA, AdapterMiLoRA, AdapterOLoRA (a
	// low-rank product added to a frozen residual, see native/lowrank),
	// AdapterHRA (a chain of Rank Householder reflections of the inputs)
	// or AdapterOFT (block-diagonal Cayley rotations of the inputs, see
	// native/orthogonal).
	Kind string
	// Rank is r for the LoRA family and the number of reflections for HRA
	// (even: the chain starts at the identity, reflections in equal pairs).
	Rank int
	// Block is OFT's block size (0 = the largest of 16, 8, 4, 2 dividing
	// every adapted layer's input width).
	Block int
	// Alpha is the LoRA family's scaling numerator (0 = Rank: scaling 1).
	Alpha float64
	// Lambda weighs HRA's orthogonality regulariser in the gradient.
	Lambda float64
	// Layers lists the dense layers to adapt (nil = all); the others, and
	// every bias, stay frozen.
	Layers []int
	// SVD selects PiSSA's exact or randomized SVD.
	SVD lowrank.SVDOptions
	// Seed draws LoRA's A and HRA's vectors (plus the layer index).
	Seed uint64
}

// layerAdapter is the adapter of one layer: its frozen matrix and views of
// its parameters and gradient in the flat vectors.
type layerAdapter struct {
	l      int
	frozen *mat.Dense // residual (LoRA family) or original weight (HRA, OFT)
	a, b   *mat.Dense // LoRA family: A (r x in), B (out x r)
	ga, gb *mat.Dense
	scale  float64
	hra    *orthogonal.HRA
	oft    *orthogonal.OFT
	gv     *mat.Dense // HRA's dU or OFT's dSkew
}

// Adapted is an MLP with an adapter: only the adapter's parameters train,
// the network's own weights (or the residuals left by the split) and its
// biases stay frozen.
type Adapted struct {
	cfg    AdapterConfig
	net    *MLP // holds the effective weights
	layers []*layerAdapter
	theta  []float64
	grad   []float64
}

// Adapt returns m with an adapter (m itself is not modified). The adapted
// network computes what m computes, up to rounding: LoRA's B is 0, the
// residuals of PiSSA, MiLoRA and OLoRA make up W, HRA starts at the
// identity (reflections in equal pairs) and OFT at zero generators. Cost:
// a split per layer (an SVD for PiSSA and MiLoRA, a QR for OLoRA).
// Errors: unknown kind, bad rank or block (named with the layer), layers
// out of range.
func (m *MLP) Adapt(cfg AdapterConfig) (*Adapted, error) {
	layers := cfg.Layers
	if layers == nil {
		for l := range m.w {
			layers = append(layers, l)
		}
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("nn: no layers to adapt")
	}
	seen := map[int]bool{}
	for _, l := range layers {
		if l < 0 || l >= len(m.w) || seen[l] {
			return nil, fmt.Errorf("nn: adapter layers %v: each must be a distinct layer in 0..%d", layers, len(m.w)-1)
		}
		seen[l] = true
	}
	if cfg.Kind == AdapterOFT && cfg.Block == 0 {
		cfg.Block = defaultBlock(m, layers)
	}
	a := &Adapted{cfg: cfg, net: m.Clone()}
	var sizes []int
	for _, l := range layers {
		la, n, err := a.newLayer(l)
		if err != nil {
			return nil, err
		}
		a.layers = append(a.layers, la)
		sizes = append(sizes, n)
	}
	a.allocate(sizes)
	a.refresh()
	return a, nil
}

// defaultBlock is the largest of 16, 8, 4, 2 dividing every input width.
func defaultBlock(m *MLP, layers []int) int {
	for _, b := range []int{16, 8, 4, 2} {
		ok := true
		for _, l := range layers {
			ok = ok && m.Sizes[l]%b == 0
		}
		if ok {
			return b
		}
	}
	return 0
}

// newLayer builds layer l's adapter with its initial parameters held in
// temporary matrices; it returns the parameter count.
func (a *Adapted) newLayer(l int) (*layerAdapter, int, error) {
	cfg := a.cfg
	w := mat.DenseCopyOf(a.net.w[l])
	la := &layerAdapter{l: l}
	switch cfg.Kind {
	case AdapterLoRA, AdapterPiSSA, AdapterMiLoRA, AdapterOLoRA:
		sp, err := lowrank.NewSplit(cfg.Kind, w, cfg.Rank, lowrank.SplitOptions{Alpha: cfg.Alpha, SVD: cfg.SVD, Seed: cfg.Seed + uint64(l)})
		if err != nil {
			return nil, 0, fmt.Errorf("nn: layer %d: %w", l, err)
		}
		la.frozen, la.a, la.b, la.scale = sp.Residual, sp.A, sp.B, sp.Scaling
		return la, sp.Params(), nil
	case AdapterHRA:
		h, err := orthogonal.InitHRA(a.net.Sizes[l], cfg.Rank, true, cfg.Seed+uint64(l))
		if err != nil {
			return nil, 0, fmt.Errorf("nn: layer %d: %w", l, err)
		}
		la.frozen, la.hra = w, h
		return la, h.Params(), nil
	case AdapterOFT:
		o, err := orthogonal.NewOFT(a.net.Sizes[l], cfg.Block)
		if err != nil {
			return nil, 0, fmt.Errorf("nn: layer %d (%d inputs): %w", l, a.net.Sizes[l], err)
		}
		la.frozen, la.oft = w, o
		return la, o.Params(), nil
	}
	return nil, 0, fmt.Errorf("nn: unknown adapter kind %q (want lora, pissa, milora, olora, hra or oft)", cfg.Kind)
}

// allocate moves every layer's parameters into one flat vector (and its
// gradient) and re-points the matrices at views of it.
func (a *Adapted) allocate(sizes []int) {
	total := 0
	for _, n := range sizes {
		total += n
	}
	a.theta = make([]float64, total)
	a.grad = make([]float64, total)
	off := 0
	view := func(src *mat.Dense) (*mat.Dense, *mat.Dense) {
		r, c := src.Dims()
		v := mat.NewDense(r, c, a.theta[off:off+r*c])
		v.Copy(src)
		g := mat.NewDense(r, c, a.grad[off:off+r*c])
		off += r * c
		return v, g
	}
	for _, la := range a.layers {
		switch {
		case la.hra != nil:
			la.hra.U, la.gv = view(la.hra.U)
		case la.oft != nil:
			la.oft.Skew, la.gv = view(la.oft.Skew)
		default:
			la.a, la.ga = view(la.a)
			la.b, la.gb = view(la.b)
		}
	}
}

// refresh writes the effective weights of the adapted layers into the
// working network.
func (a *Adapted) refresh() {
	for _, la := range a.layers {
		w := a.net.w[la.l]
		switch {
		case la.hra != nil:
			x, _ := la.hra.Apply(la.frozen)
			w.Copy(x)
		case la.oft != nil:
			x, _ := la.oft.Apply(la.frozen)
			w.Copy(x)
		default:
			w.Mul(la.b, la.a)
			w.Scale(la.scale, w)
			w.Add(w, la.frozen)
		}
	}
}

// backward maps the working network's weight gradients to the adapter's.
func (a *Adapted) backward() {
	for _, la := range a.layers {
		g := a.net.gw[la.l]
		switch {
		case la.hra != nil:
			d, _ := la.hra.Grad(la.frozen, g)
			if a.cfg.Lambda != 0 {
				r := la.hra.RegularizerGrad()
				d.Add(d, scaled(a.cfg.Lambda, r))
			}
			la.gv.Copy(d)
		case la.oft != nil:
			d, _ := la.oft.Grad(la.frozen, g)
			la.gv.Copy(d)
		default:
			la.gb.Mul(g, la.a.T())
			la.gb.Scale(la.scale, la.gb)
			la.ga.Mul(la.b.T(), g)
			la.ga.Scale(la.scale, la.ga)
		}
	}
}

func scaled(s float64, m *mat.Dense) *mat.Dense {
	m.Scale(s, m)
	return m
}

// Train fine-tunes the adapter on (x, y) with the optimizer of cfg; only
// the adapter's parameters move. Each step costs a normal gradient plus
// the adapter's forward and backward maps (O(out in r) per layer for the
// LoRA family and HRA, O(out in b) for OFT). History.Loss is the
// cross-entropy (without HRA's regulariser).
func (a *Adapted) Train(x *mat.Dense, y []int, cfg TrainConfig) (*History, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := a.net.checkData(x, y); err != nil {
		return nil, err
	}
	opt := newOptimizer(cfg, len(a.theta))
	return a.net.epochs(x, y, cfg, func(xb *mat.Dense, yb []int) float64 {
		loss := a.net.gradient(xb, yb)
		a.backward()
		opt.step(a.theta, a.grad)
		a.refresh()
		return loss
	})
}

// Network returns a copy of the adapted network with the adapter merged
// into its weights (an ordinary MLP). O(NumParams).
func (a *Adapted) Network() *MLP { return a.net.Clone() }

// Accuracy returns the adapted network's accuracy on (x, y).
// O(n * NumParams).
func (a *Adapted) Accuracy(x mat.Matrix, y []int) (float64, error) { return a.net.Accuracy(x, y) }

// Trainable returns the number of trainable adapter parameters. O(1).
func (a *Adapted) Trainable() int { return len(a.theta) }

// Kind returns the adapter's kind. O(1).
func (a *Adapted) Kind() string { return a.cfg.Kind }
