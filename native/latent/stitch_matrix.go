package latent

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/nn"
	"github.com/subspace-kernel/subspace/native/progress"
)

// defaultStitchMethods are the methods of a zero StitchOptions.
var defaultStitchMethods = []string{StitchDirect, StitchRelative, "procrustes", "affine"}

// stitchNet is what stitching needs of one network.
type stitchNet struct {
	net     *nn.MLP
	head    *nn.MLP
	test    *mat.Dense // encoder output on the test points
	anchors *mat.Dense // encoder output on the anchors
	relHead *nn.MLP    // head trained on relative representations
	relTest *mat.Dense // relative representation of the test points
}

// StitchMatrix measures zero-shot stitching between every pair of
// networks (trained on the same task, e.g. from different seeds or with
// different widths): for encoder i and head j, the test accuracy of net
// j's head applied to net i's hidden representation at opts.Layer,
// passed through each method — directly, through a Translator fitted on
// the anchors' two representations (Maiorca et al.), or as a relative
// representation read by a head trained on net j's relative
// representations of the training points (Moschella et al.; the head
// never sees net i). Networks must share the input width and number of
// classes. It returns an error for invalid data, labels, networks,
// anchors or methods. Cost: one forward pass per network over the
// training and test points, a relative head's training per network
// (HeadEpochs over the training points), and per pair and translation
// method a fit on the anchors, O(anchors w^2 + w^3) for width w, and a
// forward pass of the head over the test points.
func StitchMatrix(nets []*nn.MLP, xTrain *mat.Dense, yTrain []int, xTest *mat.Dense, yTest []int, opts StitchOptions) (*StitchResult, error) {
	if err := checkStitch(nets, xTrain, yTrain, xTest, yTest, opts.Layer); err != nil {
		return nil, err
	}
	methods := opts.Methods
	if methods == nil {
		methods = defaultStitchMethods
	}
	trans := make([]Method, len(methods))
	for m, name := range methods {
		if name == StitchDirect || name == StitchRelative {
			continue
		}
		var err error
		if trans[m], err = ParseMethod(name); err != nil {
			return nil, chk.Errorf("unknown stitching method %q (want direct, relative or a translation method)", name)
		}
	}
	res := &StitchResult{Methods: slices.Clone(methods)}
	var err error
	if res.Anchors, err = stitchAnchors(xTrain, opts); err != nil {
		return nil, err
	}
	sn, err := prepareNets(nets, xTrain, yTrain, xTest, yTest, res, slices.Contains(methods, StitchRelative), opts)
	if err != nil {
		return nil, err
	}
	k := len(nets)
	total, done := len(methods)*k*k, 0
	for m, name := range methods {
		acc := mat.NewDense(k, k, nil)
		for i := range sn {
			for j := range sn {
				v, err := stitchPair(sn[i], sn[j], name, trans[m], yTest, opts)
				if err != nil {
					return nil, err
				}
				acc.Set(i, j, v)
				done++
				if err := progress.Report(opts.Progress, done, total); err != nil {
					return nil, err
				}
			}
		}
		res.Accuracy = append(res.Accuracy, acc)
	}
	return res, nil
}

// checkStitch validates the networks and the data.
func checkStitch(nets []*nn.MLP, xTrain *mat.Dense, yTrain []int, xTest *mat.Dense, yTest []int, layer int) error {
	if len(nets) == 0 {
		return chk.Errorf("no networks to stitch")
	}
	for _, c := range []struct {
		name string
		x    *mat.Dense
		y    []int
	}{{"xTrain", xTrain, yTrain}, {"xTest", xTest, yTest}} {
		n, d, err := chk.Dense(c.name, c.x)
		if err != nil {
			return err
		}
		if len(c.y) != n {
			return chk.Errorf("%s has %d rows but there are %d labels", c.name, n, len(c.y))
		}
		if d != nets[0].Sizes[0] {
			return chk.Errorf("%s has %d columns but the networks take %d inputs", c.name, d, nets[0].Sizes[0])
		}
	}
	classes := nets[0].Sizes[len(nets[0].Sizes)-1]
	for i, net := range nets {
		if net == nil {
			return chk.Errorf("network %d is nil", i)
		}
		if net.Sizes[0] != nets[0].Sizes[0] || net.Sizes[len(net.Sizes)-1] != classes {
			return chk.Errorf("network %d maps %d inputs to %d classes, network 0 %d to %d", i, net.Sizes[0], net.Sizes[len(net.Sizes)-1], nets[0].Sizes[0], classes)
		}
		if _, err := stitchLayer(net, layer); err != nil {
			return chk.Errorf("network %d: %w", i, err)
		}
	}
	return nil
}

// stitchAnchors returns the anchors' row indices.
func stitchAnchors(xTrain *mat.Dense, opts StitchOptions) ([]int, error) {
	n, _ := xTrain.Dims()
	if opts.Anchors != nil {
		return opts.Anchors, checkIndices("Anchors", opts.Anchors, n)
	}
	k := opts.NumAnchors
	if k == 0 {
		k = min(300, n)
	}
	return RandomAnchors(n, k, opts.Seed)
}

// prepareNets encodes the data and anchors with every network, splits off
// the heads and, when asked, trains the relative heads.
func prepareNets(nets []*nn.MLP, xTrain *mat.Dense, yTrain []int, xTest *mat.Dense, yTest []int, res *StitchResult, relative bool, opts StitchOptions) ([]*stitchNet, error) {
	xa := rows(xTrain, res.Anchors)
	out := make([]*stitchNet, len(nets))
	for i, net := range nets {
		s := &stitchNet{net: net}
		var err error
		if s.head, err = Head(net, opts.Layer); err != nil {
			return nil, err
		}
		if s.test, err = Encode(net, xTest, opts.Layer); err != nil {
			return nil, err
		}
		if s.anchors, err = Encode(net, xa, opts.Layer); err != nil {
			return nil, err
		}
		own, err := net.Accuracy(xTest, yTest)
		if err != nil {
			return nil, err
		}
		res.Own = append(res.Own, own)
		if relative {
			if err := s.trainRelative(xTrain, yTrain, yTest, uint64(i), opts); err != nil {
				return nil, err
			}
			own, _ := s.relHead.Accuracy(s.relTest, yTest)
			res.RelativeOwn = append(res.RelativeOwn, own)
		}
		out[i] = s
	}
	return out, nil
}

// relativeOptions returns the relative options stitching uses.
func (o StitchOptions) relativeOptions() RelativeOptions {
	r := o.Relative
	if !o.RelativeExact {
		r.Centre = true
	}
	return r
}

// trainRelative fits the network's relative head on its own relative
// representation of the training points.
func (s *stitchNet) trainRelative(xTrain *mat.Dense, yTrain, yTest []int, i uint64, opts StitchOptions) error {
	rel, err := NewRelative(s.anchors, opts.relativeOptions())
	if err != nil {
		return err
	}
	enc, err := Encode(s.net, xTrain, opts.Layer)
	if err != nil {
		return err
	}
	rTrain, err := rel.Transform(enc)
	if err != nil {
		return err
	}
	if s.relTest, err = rel.Transform(s.test); err != nil {
		return err
	}
	k, _ := rel.Dims()
	sizes := []int{k}
	if opts.HeadHidden > 0 {
		sizes = append(sizes, opts.HeadHidden)
	}
	sizes = append(sizes, s.net.Sizes[len(s.net.Sizes)-1])
	if s.relHead, err = nn.NewMLP(sizes, nn.ReLU, opts.Seed+1000+i); err != nil {
		return err
	}
	epochs := opts.HeadEpochs
	if epochs == 0 {
		epochs = 20
	}
	_, err = s.relHead.Train(rTrain, yTrain, nn.TrainConfig{Epochs: epochs, Seed: opts.Seed + 2000 + i})
	return err
}

// stitchPair returns the accuracy of a's encoder with b's head by method.
func stitchPair(a, b *stitchNet, name string, m Method, yTest []int, opts StitchOptions) (float64, error) {
	switch name {
	case StitchDirect:
		if _, wa := a.test.Dims(); wa != b.head.Sizes[0] {
			return math.NaN(), nil
		}
		return b.head.Accuracy(a.test, yTest)
	case StitchRelative:
		return b.relHead.Accuracy(a.relTest, yTest)
	}
	to := opts.Translate
	to.Method = m
	if !opts.TranslateExact {
		to.Centre, to.Scale = true, true
	}
	t, err := FitTranslator(a.anchors, b.anchors, to)
	if err != nil {
		return 0, err
	}
	p, err := t.Transform(a.test)
	if err != nil {
		return 0, err
	}
	return b.head.Accuracy(p, yTest)
}
