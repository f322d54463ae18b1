package latent

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/nn"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Stitching methods, as named in StitchOptions.Methods and
// StitchResult.Methods.
const (
	// StitchDirect feeds encoder A's output to head B as it is (needs equal
	// widths): the baseline that fails.
	StitchDirect = "direct"
	// StitchRelative feeds A's relative representation to a head trained on
	// B's relative representation (with each network's own anchors).
	StitchRelative = "relative"
)

// Encode returns the representation of the rows of x after the first
// layer layers of net (after their activation): net.Activations(x)
// [layer-1], the input of layer number layer. layer 0 means the last
// hidden layer (net.Layers() - 1). It returns an error unless
// 1 <= layer <= net.Layers() - 1. O(n * parameters of those layers).
func Encode(net *nn.MLP, x mat.Matrix, layer int) (*mat.Dense, error) {
	layer, err := stitchLayer(net, layer)
	if err != nil {
		return nil, err
	}
	acts, err := net.Activations(x)
	if err != nil {
		return nil, err
	}
	return acts[layer-1], nil
}

// Head returns a new network made of a copy of net's layers from number
// layer on (0: the last layer alone): it maps Encode's output to net's
// logits, so that Head(net, l).Logits(Encode(net, x, l)) = net.Logits(x).
// O(parameters of those layers).
func Head(net *nn.MLP, layer int) (*nn.MLP, error) {
	layer, err := stitchLayer(net, layer)
	if err != nil {
		return nil, err
	}
	h, err := nn.NewMLP(net.Sizes[layer:], net.Activation, 0)
	if err != nil {
		return nil, err
	}
	for l := layer; l < net.Layers(); l++ {
		for _, kind := range []string{"weight", "bias"} {
			p, err := net.Param(fmt.Sprintf("layers.%d.%s", l, kind))
			if err == nil {
				err = h.SetParam(fmt.Sprintf("layers.%d.%s", l-layer, kind), p)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return h, nil
}

// stitchLayer validates the stitching layer (0: the last hidden layer).
func stitchLayer(net *nn.MLP, layer int) (int, error) {
	if net == nil {
		return 0, chk.Errorf("network is nil")
	}
	if net.Layers() < 2 {
		return 0, chk.Errorf("a network of %d layer has no hidden representation to stitch at", net.Layers())
	}
	if layer == 0 {
		layer = net.Layers() - 1
	}
	if err := chk.K("Layer", layer, 1, net.Layers()-1, "a hidden layer: encoder = layers before it, head = it and those after"); err != nil {
		return 0, err
	}
	return layer, nil
}

// StitchOptions configures StitchMatrix. The zero value stitches at the
// last hidden layer with 300 random anchors by the direct, relative,
// Procrustes and affine methods.
type StitchOptions struct {
	// Layer is the stitching layer (see Encode; 0: the last hidden layer).
	Layer int
	// Anchors are row indices into the training data shared by every
	// network (nil: NumAnchors drawn at random with Seed).
	Anchors []int
	// NumAnchors is the number of random anchors when Anchors is nil
	// (0: 300, at most the training rows).
	NumAnchors int
	// Methods lists the methods: StitchDirect, StitchRelative, or a
	// translation method name ("procrustes", "affine", "lstsq", "ridge",
	// "cca"). nil: direct, relative, procrustes, affine.
	Methods []string
	// Translate holds the options of the translation methods (its Method
	// is set per method). The zero value: Procrustes with centring and
	// isotropic scale (the zero Centre and Scale are turned on unless
	// TranslateExact is set).
	Translate TranslateOptions
	// TranslateExact uses Translate as given (no default centring/scale).
	TranslateExact bool
	// Relative holds the options of the relative representations (zero
	// value: cosine, centred on the anchors' mean).
	Relative RelativeOptions
	// RelativeExact uses Relative as given (no default centring).
	RelativeExact bool
	// HeadEpochs is the number of epochs of the relative heads (0: 20);
	// HeadHidden, when > 0, gives them a hidden ReLU layer of that width.
	HeadEpochs, HeadHidden int
	// Seed seeds the anchors and the relative heads.
	Seed uint64
	// Progress is called after each (encoder, head) pair with the number
	// done and the total; an error it returns stops the computation.
	Progress progress.Func
}

// StitchResult holds the zero-shot stitching accuracies.
type StitchResult struct {
	// Methods lists the methods, in the order of Accuracy.
	Methods []string
	// Accuracy[m] is a networks x networks matrix: entry (i, j) is the
	// test accuracy of network i's encoder followed by network j's head
	// through method m (NaN for direct stitching between unequal widths).
	// The diagonal is each network with itself.
	Accuracy []*mat.Dense
	// Own is each network's own test accuracy.
	Own []float64
	// RelativeOwn is the accuracy of each network's relative head on its
	// own encoder (nil without the relative method).
	RelativeOwn []float64
	// Anchors are the training rows used as anchors.
	Anchors []int
}

// Matrix returns the accuracy matrix of a method, or an error naming the
// methods there are. O(1).
func (r *StitchResult) Matrix(method string) (*mat.Dense, error) {
	for i, m := range r.Methods {
		if m == method {
			return r.Accuracy[i], nil
		}
	}
	return nil, chk.Errorf("no stitching method %q in the result (have %v)", method, r.Methods)
}

// OffDiagonalMean returns the mean accuracy of a method over pairs of
// different networks (NaN entries skipped): the zero-shot stitching
// score. O(networks^2).
func (r *StitchResult) OffDiagonalMean(method string) (float64, error) {
	m, err := r.Matrix(method)
	if err != nil {
		return 0, err
	}
	k, _ := m.Dims()
	var s float64
	c := 0
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			if v := m.At(i, j); i != j && !math.IsNaN(v) {
				s += v
				c++
			}
		}
	}
	if c == 0 {
		return math.NaN(), nil
	}
	return s / float64(c), nil
}

// StitchSummary is one row of StitchResult.Summary.
type StitchSummary struct {
	// Method is the stitching method.
	Method string
	// Anchors is the number of anchors used.
	Anchors int
	// Mean, Min and Max are over pairs of different networks (NaN
	// entries skipped).
	Mean, Min, Max float64
	// OwnMean is the networks' mean own accuracy, for comparison.
	OwnMean float64
}

// Summary returns one row per method: the off-diagonal mean, minimum and
// maximum accuracy next to the networks' own mean accuracy; a notebook
// displays the slice as a table. O(methods networks^2).
func (r *StitchResult) Summary() []StitchSummary {
	var own float64
	for _, v := range r.Own {
		own += v
	}
	own /= float64(len(r.Own))
	out := make([]StitchSummary, len(r.Methods))
	for m, name := range r.Methods {
		s := StitchSummary{Method: name, Anchors: len(r.Anchors), OwnMean: own, Min: math.Inf(1), Max: math.Inf(-1)}
		s.Mean, _ = r.OffDiagonalMean(name)
		k, _ := r.Accuracy[m].Dims()
		for i := 0; i < k; i++ {
			for j := 0; j < k; j++ {
				if v := r.Accuracy[m].At(i, j); i != j && !math.IsNaN(v) {
					s.Min, s.Max = math.Min(s.Min, v), math.Max(s.Max, v)
				}
			}
		}
		if math.IsInf(s.Min, 1) {
			s.Min, s.Max = math.NaN(), math.NaN()
		}
		out[m] = s
	}
	return out
}
