// Package nn trains small multilayer perceptrons natively (dense layers,
// ReLU/tanh/GELU, softmax cross-entropy, SGD with momentum or Adam,
// seeded minibatches) and exposes what representation analysis needs: the
// activations of every layer for a batch, and the parameters as named
// matrices that save to and load from .safetensors. It also trains in a
// random subspace of the parameters (Li et al. 2018, "Measuring the
// intrinsic dimension of objective landscapes") and sweeps the subspace
// dimension to find d_int90.
//
// Matrix products go through gonum's BLAS (OpenBLAS when built with the
// openblas tag). All parameters live in one flat []float64, which makes the
// subspace reparametrisation theta = theta0 + P z a matrix-vector product.
// Layer l maps its input h (n x in) to h W_l^T + b_l with W_l of shape
// out x in (PyTorch's nn.Linear convention); every layer but the last is
// followed by the activation.
package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/dataset"
)

// Activation names.
const (
	ReLU = "relu"
	Tanh = "tanh"
	GELU = "gelu"
)

// MLP is a multilayer perceptron with Sizes[0] inputs and Sizes[len-1]
// outputs (class logits).
type MLP struct {
	// Sizes lists the layer widths, input first, e.g. [64 128 64 10].
	Sizes []int
	// Activation is ReLU, Tanh or GELU (exact, with erf).
	Activation string

	params []float64    // all weights and biases, layer by layer
	w      []*mat.Dense // views into params: out x in
	b      [][]float64  // views into params
	grad   []float64    // gradient, same layout
	gw     []*mat.Dense
	gb     [][]float64
}

// NewMLP returns a network with Kaiming-normal weights (std sqrt(2/in) for
// ReLU and GELU, Xavier sqrt(1/in) for tanh) and zero biases, drawn from
// seed. It needs at least two sizes, all >= 1.
func NewMLP(sizes []int, activation string, seed uint64) (*MLP, error) {
	if len(sizes) < 2 {
		return nil, fmt.Errorf("nn: sizes %v: need an input and an output size", sizes)
	}
	for i, s := range sizes {
		if s < 1 {
			return nil, fmt.Errorf("nn: sizes %v: size %d is %d, want >= 1", sizes, i, s)
		}
	}
	gain := 2.0
	switch activation {
	case ReLU, GELU:
	case Tanh:
		gain = 1
	default:
		return nil, fmt.Errorf("nn: unknown activation %q (want relu, tanh or gelu)", activation)
	}
	m := newShell(sizes, activation)
	rng := rand.New(rand.NewPCG(seed, 0x6e6e))
	for l, w := range m.w {
		std := math.Sqrt(gain / float64(sizes[l]))
		raw := w.RawMatrix().Data
		for i := range raw {
			raw[i] = rng.NormFloat64() * std
		}
	}
	return m, nil
}

// newShell allocates the flat storage and the views.
func newShell(sizes []int, activation string) *MLP {
	m := &MLP{Sizes: append([]int(nil), sizes...), Activation: activation}
	n := 0
	for l := 1; l < len(sizes); l++ {
		n += sizes[l]*sizes[l-1] + sizes[l]
	}
	m.params = make([]float64, n)
	m.grad = make([]float64, n)
	off := 0
	for l := 1; l < len(sizes); l++ {
		in, out := sizes[l-1], sizes[l]
		m.w = append(m.w, mat.NewDense(out, in, m.params[off:off+out*in]))
		m.gw = append(m.gw, mat.NewDense(out, in, m.grad[off:off+out*in]))
		off += out * in
		m.b = append(m.b, m.params[off:off+out])
		m.gb = append(m.gb, m.grad[off:off+out])
		off += out
	}
	return m
}

// NumParams returns the number of weights and biases.
func (m *MLP) NumParams() int { return len(m.params) }

// Layers returns the number of dense layers (len(Sizes)-1).
func (m *MLP) Layers() int { return len(m.w) }

// ParamNames lists the parameter names in storage order:
// "layers.0.weight", "layers.0.bias", "layers.1.weight", ...
func (m *MLP) ParamNames() []string {
	var out []string
	for l := range m.w {
		out = append(out, fmt.Sprintf("layers.%d.weight", l), fmt.Sprintf("layers.%d.bias", l))
	}
	return out
}

// Param returns a copy of a parameter: a weight as an out x in matrix, a
// bias as a 1 x out matrix. O(size).
func (m *MLP) Param(name string) (*mat.Dense, error) {
	l, isW, err := m.parseName(name)
	if err != nil {
		return nil, err
	}
	if isW {
		return mat.DenseCopyOf(m.w[l]), nil
	}
	return mat.NewDense(1, len(m.b[l]), append([]float64(nil), m.b[l]...)), nil
}

// SetParam replaces a parameter with v (same shape as Param returns; a
// bias may also be given as out x 1). O(size).
func (m *MLP) SetParam(name string, v mat.Matrix) error {
	l, isW, err := m.parseName(name)
	if err != nil {
		return err
	}
	r, c := v.Dims()
	if isW {
		wr, wc := m.w[l].Dims()
		if r != wr || c != wc {
			return fmt.Errorf("nn: %s is %dx%d, got %dx%d", name, wr, wc, r, c)
		}
		m.w[l].Copy(v)
		return nil
	}
	n := len(m.b[l])
	switch {
	case r == 1 && c == n:
		mat.Row(m.b[l], 0, v)
	case c == 1 && r == n:
		mat.Col(m.b[l], 0, v)
	default:
		return fmt.Errorf("nn: %s has %d elements, got %dx%d", name, n, r, c)
	}
	return nil
}

// Params returns copies of all parameters by name (see Param).
func (m *MLP) Params() map[string]*mat.Dense {
	out := map[string]*mat.Dense{}
	for _, name := range m.ParamNames() {
		out[name], _ = m.Param(name)
	}
	return out
}

// ParamVector returns a copy of all parameters as one vector, in the order
// of ParamNames (weights row-major). O(NumParams).
func (m *MLP) ParamVector() []float64 { return append([]float64(nil), m.params...) }

// SetParamVector sets all parameters from a vector laid out as ParamVector.
func (m *MLP) SetParamVector(v []float64) error {
	if len(v) != len(m.params) {
		return fmt.Errorf("nn: parameter vector has %d elements, the network %d", len(v), len(m.params))
	}
	copy(m.params, v)
	return nil
}

// Clone returns an independent copy of the network.
func (m *MLP) Clone() *MLP {
	c := newShell(m.Sizes, m.Activation)
	copy(c.params, m.params)
	return c
}

func (m *MLP) parseName(name string) (int, bool, error) {
	var l int
	var kind string
	rest, ok := strings.CutPrefix(name, "layers.")
	if ok {
		i := strings.IndexByte(rest, '.')
		if i > 0 {
			var err error
			l, err = strconv.Atoi(rest[:i])
			kind = rest[i+1:]
			ok = err == nil && l >= 0 && l < len(m.w) && (kind == "weight" || kind == "bias")
		} else {
			ok = false
		}
	}
	if !ok {
		return 0, false, fmt.Errorf("nn: no parameter %q (have %v)", name, m.ParamNames())
	}
	return l, kind == "weight", nil
}

func (m *MLP) checkInput(x mat.Matrix) error {
	r, c := x.Dims()
	if c != m.Sizes[0] {
		return fmt.Errorf("nn: input has %d columns, the network takes %d", c, m.Sizes[0])
	}
	if r == 0 {
		return fmt.Errorf("nn: empty input")
	}
	return nil
}

func (m *MLP) activate(z *mat.Dense) {
	raw := z.RawMatrix().Data
	switch m.Activation {
	case ReLU:
		for i, v := range raw {
			if v < 0 {
				raw[i] = 0
			}
		}
	case Tanh:
		for i, v := range raw {
			raw[i] = math.Tanh(v)
		}
	case GELU:
		for i, v := range raw {
			raw[i] = 0.5 * v * (1 + math.Erf(v/math.Sqrt2))
		}
	}
}

// derivative multiplies d in place by the activation's derivative at the
// pre-activation z (given h = f(z) too, which tanh uses).
func (m *MLP) derivative(d, z, h *mat.Dense) {
	dd := d.RawMatrix().Data
	zz := z.RawMatrix().Data
	switch m.Activation {
	case ReLU:
		for i, v := range zz {
			if v <= 0 {
				dd[i] = 0
			}
		}
	case Tanh:
		hh := h.RawMatrix().Data
		for i, v := range hh {
			dd[i] *= 1 - v*v
		}
	case GELU:
		for i, v := range zz {
			cdf := 0.5 * (1 + math.Erf(v/math.Sqrt2))
			pdf := math.Exp(-0.5*v*v) / math.Sqrt(2*math.Pi)
			dd[i] *= cdf + v*pdf
		}
	}
}

// forward returns pre-activations z[l] and outputs h[l] of every layer
// (h[last] = z[last] = logits).
func (m *MLP) forward(x mat.Matrix) (zs, hs []*mat.Dense) {
	n, _ := x.Dims()
	in := x
	for l, w := range m.w {
		out := m.Sizes[l+1]
		z := mat.NewDense(n, out, nil)
		z.Mul(in, w.T())
		raw := z.RawMatrix().Data
		b := m.b[l]
		for i := 0; i < n; i++ {
			row := raw[i*out : (i+1)*out]
			for j := range row {
				row[j] += b[j]
			}
		}
		zs = append(zs, z)
		if l == len(m.w)-1 {
			hs = append(hs, z)
			break
		}
		h := mat.DenseCopyOf(z)
		m.activate(h)
		hs = append(hs, h)
		in = h
	}
	return zs, hs
}

// Logits returns the network's outputs (n x classes) for the rows of x.
// O(n * NumParams).
func (m *MLP) Logits(x mat.Matrix) (*mat.Dense, error) {
	if err := m.checkInput(x); err != nil {
		return nil, err
	}
	_, hs := m.forward(x)
	return hs[len(hs)-1], nil
}

// Activations returns every layer's output for the rows of x: element l is
// the n x Sizes[l+1] output of layer l after its activation (the last one
// is the logits). These are the representations the estimators analyse.
// O(n * NumParams).
func (m *MLP) Activations(x mat.Matrix) ([]*mat.Dense, error) {
	if err := m.checkInput(x); err != nil {
		return nil, err
	}
	_, hs := m.forward(x)
	return hs, nil
}

// PreActivations returns every layer's output before its activation.
func (m *MLP) PreActivations(x mat.Matrix) ([]*mat.Dense, error) {
	if err := m.checkInput(x); err != nil {
		return nil, err
	}
	zs, _ := m.forward(x)
	return zs, nil
}

// Predict returns the arg-max class of every row of x.
func (m *MLP) Predict(x mat.Matrix) ([]int, error) {
	lg, err := m.Logits(x)
	if err != nil {
		return nil, err
	}
	n, k := lg.Dims()
	out := make([]int, n)
	for i := 0; i < n; i++ {
		row := lg.RawRowView(i)
		best := 0
		for j := 1; j < k; j++ {
			if row[j] > row[best] {
				best = j
			}
		}
		out[i] = best
	}
	return out, nil
}

// Accuracy returns the fraction of rows of x whose predicted class is y.
func (m *MLP) Accuracy(x mat.Matrix, y []int) (float64, error) {
	p, err := m.Predict(x)
	if err != nil {
		return 0, err
	}
	if len(p) != len(y) {
		return 0, fmt.Errorf("nn: %d rows but %d labels", len(p), len(y))
	}
	ok := 0
	for i := range p {
		if p[i] == y[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(y)), nil
}

// Loss returns the mean softmax cross-entropy of the network on (x, y).
func (m *MLP) Loss(x mat.Matrix, y []int) (float64, error) {
	if err := m.checkInput(x); err != nil {
		return 0, err
	}
	if err := m.checkLabels(x, y); err != nil {
		return 0, err
	}
	_, hs := m.forward(x)
	loss, _ := softmaxCE(hs[len(hs)-1], y, false)
	return loss, nil
}

func (m *MLP) checkLabels(x mat.Matrix, y []int) error {
	n, _ := x.Dims()
	if n != len(y) {
		return fmt.Errorf("nn: %d rows but %d labels", n, len(y))
	}
	k := m.Sizes[len(m.Sizes)-1]
	for i, v := range y {
		if v < 0 || v >= k {
			return fmt.Errorf("nn: label %d of row %d outside 0..%d", v, i, k-1)
		}
	}
	return nil
}

// softmaxCE returns the mean cross-entropy and, when grad is set, replaces
// the logits by d loss / d logits = (softmax - onehot) / n.
func softmaxCE(logits *mat.Dense, y []int, grad bool) (float64, *mat.Dense) {
	n, k := logits.Dims()
	d := logits
	if !grad {
		d = mat.DenseCopyOf(logits)
	}
	loss := 0.0
	for i := 0; i < n; i++ {
		row := d.RawRowView(i)
		mx := row[0]
		for _, v := range row[1:] {
			mx = math.Max(mx, v)
		}
		s := 0.0
		for j := range row {
			row[j] = math.Exp(row[j] - mx)
			s += row[j]
		}
		loss -= math.Log(row[y[i]] / s)
		for j := range row {
			row[j] /= s * float64(n)
		}
		row[y[i]] -= 1 / float64(n)
	}
	_ = k
	return loss / float64(n), d
}

// gradient computes the mean loss on the batch and fills m.grad. O(n P).
func (m *MLP) gradient(x mat.Matrix, y []int) float64 {
	zs, hs := m.forward(x)
	L := len(m.w)
	loss, d := softmaxCE(hs[L-1], y, true)
	for l := L - 1; l >= 0; l-- {
		var in mat.Matrix = x
		if l > 0 {
			in = hs[l-1]
		}
		m.gw[l].Mul(d.T(), in)
		gb := m.gb[l]
		for j := range gb {
			gb[j] = 0
		}
		n, out := d.Dims()
		raw := d.RawMatrix().Data
		for i := 0; i < n; i++ {
			row := raw[i*out : (i+1)*out]
			for j, v := range row {
				gb[j] += v
			}
		}
		if l > 0 {
			var prev mat.Dense
			prev.Mul(d, m.w[l])
			m.derivative(&prev, zs[l-1], hs[l-1])
			d = &prev
		}
	}
	return loss
}

// Save writes the parameters to a .safetensors file as tensors named by
// ParamNames (weights out x in, biases 1-D), in dtype (dataset.Float64 for
// an exact round trip, or Float32, Float16, BFloat16), with the sizes and
// activation in the metadata so that LoadMLP can rebuild the network.
func (m *MLP) Save(path, dtype string) error {
	w := dataset.NewSafetensorsWriter()
	for l := range m.w {
		a := dataset.FromDense(m.w[l])
		b, _ := dataset.FromFloat64s(m.b[l])
		for i, t := range []*dataset.Array{a, b} {
			if dtype != dataset.Float64 {
				var err error
				if t, err = t.Convert(dtype); err != nil {
					return fmt.Errorf("nn: save %s: %w", path, err)
				}
			}
			if err := w.Add(m.ParamNames()[2*l+i], t); err != nil {
				return fmt.Errorf("nn: save %s: %w", path, err)
			}
		}
	}
	sz := make([]string, len(m.Sizes))
	for i, s := range m.Sizes {
		sz[i] = strconv.Itoa(s)
	}
	w.SetMetadata("subspace.nn.sizes", strings.Join(sz, ","))
	w.SetMetadata("subspace.nn.activation", m.Activation)
	return w.Write(path)
}

// LoadMLP rebuilds a network saved with Save, checking every tensor's
// shape against the sizes in the metadata.
func LoadMLP(path string) (*MLP, error) {
	st, err := dataset.OpenSafetensors(path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	md := st.Metadata()
	var sizes []int
	for _, s := range strings.Split(md["subspace.nn.sizes"], ",") {
		v, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("nn: %s: metadata subspace.nn.sizes = %q is not a list of sizes", path, md["subspace.nn.sizes"])
		}
		sizes = append(sizes, v)
	}
	m, err := NewMLP(sizes, md["subspace.nn.activation"], 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, name := range m.ParamNames() {
		a, err := st.Array(name)
		if err != nil {
			return nil, err
		}
		v, err := a.Float64s()
		if err != nil {
			return nil, fmt.Errorf("nn: %s: %s: %w", path, name, err)
		}
		l, isW, _ := m.parseName(name)
		if isW {
			r, c := m.w[l].Dims()
			if len(a.Shape) != 2 || a.Shape[0] != r || a.Shape[1] != c {
				return nil, fmt.Errorf("nn: %s: %s has shape %v, want [%d %d]", path, name, a.Shape, r, c)
			}
			copy(m.w[l].RawMatrix().Data, v)
		} else {
			if len(v) != len(m.b[l]) {
				return nil, fmt.Errorf("nn: %s: %s has shape %v, want [%d]", path, name, a.Shape, len(m.b[l]))
			}
			copy(m.b[l], v)
		}
	}
	return m, nil
}
