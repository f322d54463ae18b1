package geometry

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/nn"
)

// CollapseMLP returns the neural collapse measures of every hidden layer
// of net (the outputs after the activation, element l for layer l+1) on
// the samples x with labels. NC4 compares the network's own predictions
// with the nearest class mean of each layer; NC3 is measured on the last
// hidden layer, which the output layer's weights read (it is NaN for the
// others). Cost: one forward pass plus one NeuralCollapse per hidden layer.
func CollapseMLP(net *nn.MLP, x *mat.Dense, labels []int) ([]*Collapse, error) {
	if net == nil {
		return nil, chk.Errorf("net is nil")
	}
	if net.Layers() < 2 {
		return nil, chk.Errorf("the network has %d layer: no hidden layer to measure", net.Layers())
	}
	acts, err := net.Activations(x)
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	pred, err := net.Predict(x)
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	last := net.Layers() - 1
	w, err := net.Param(fmt.Sprintf("layers.%d.weight", last))
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	b, err := net.Param(fmt.Sprintf("layers.%d.bias", last))
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	out := make([]*Collapse, last)
	for l := 0; l < last; l++ {
		opts := CollapseOptions{Predictions: pred}
		if l == last-1 {
			opts.Classifier, opts.Bias = w, b.RawRowView(0)
		}
		if out[l], err = NeuralCollapse(acts[l], labels, opts); err != nil {
			return nil, fmt.Errorf("layer %d: %w", l+1, err)
		}
	}
	return out, nil
}
