package geometry

import (
	"fmt"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/digits"
	"github.com/subspace-kernel/subspace/native/dataset/mnist"
	"github.com/subspace-kernel/subspace/native/nn"
)

// digitsSplit returns the real data the tests use: the bundled digits,
// pixels in [0, 1], split 75/25 (stratified, seed 1).
func digitsSplit(t *testing.T) (xtr *mat.Dense, ytr []int, xte *mat.Dense, yte []int) {
	t.Helper()
	x, y, err := digits.Load()
	if err != nil {
		t.Fatal(err)
	}
	x.Scale(1.0/16, x)
	xtr, ytr, xte, yte, err = dataset.Split(x, y, 0.25, 1)
	if err != nil {
		t.Fatal(err)
	}
	return xtr, ytr, xte, yte
}

// TestCollapseTraining trains an MLP 784-64-64-64-10 on the MNIST
// training split (8,000 images; SGD with momentum and weight decay) and
// measures neural collapse on it at initialisation and after 1, 3, 10 and
// 20 epochs. Once trained, NC1 falls from the first to the last hidden
// layer and the last is closer to a simplex ETF than the first; from
// initialisation to the end of training NC1, the ETF distance and NC4 fall
// at the last hidden layer. The table is logged.
func TestCollapseTraining(t *testing.T) {
	set, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	x, y := set.TrainImages, set.TrainLabels
	net, err := nn.NewMLP([]int{mnist.Features, 64, 64, 64, mnist.Classes}, nn.ReLU, 1)
	if err != nil {
		t.Fatal(err)
	}
	epochs := []int{0, 1, 3, 10, 20}
	snapshots := map[int][]*Collapse{}
	if snapshots[0], err = CollapseMLP(net, x, y); err != nil {
		t.Fatal(err)
	}
	cfg := nn.TrainConfig{Epochs: 20, BatchSize: 64, Optimizer: nn.SGD, LearningRate: 0.1, Momentum: 0.9, WeightDecay: 1e-3, Seed: 1,
		Progress: func(done, _ int) error {
			if !slices.Contains(epochs, done) {
				return nil
			}
			cs, err := CollapseMLP(net, x, y)
			snapshots[done] = cs
			return err
		}}
	if _, err := net.Train(x, y, cfg); err != nil {
		t.Fatal(err)
	}
	t.Log("epoch layer      NC1   ETF dist  cos dev  equinorm  ortho cos     NC3     NC4")
	for _, e := range epochs {
		for l, c := range snapshots[e] {
			t.Log(fmt.Sprintf("%5d %5d %8.3f %9.3f %8.3f %9.3f %10.3f %7.3f %7.3f",
				e, l+1, c.NC1, c.ETFDistance, c.CosineDeviation, c.EquinormCV, c.OrthoCosine, c.NC3, c.NC4))
		}
	}
	for _, e := range epochs[1:] {
		s := snapshots[e]
		if !(s[0].NC1 > s[1].NC1 && s[1].NC1 > s[2].NC1) || !(s[2].ETFDistance < s[0].ETFDistance) {
			t.Errorf("epoch %d: NC1 %.3f %.3f %.3f, ETF distance %.3f .. %.3f: not falling with depth",
				e, s[0].NC1, s[1].NC1, s[2].NC1, s[0].ETFDistance, s[2].ETFDistance)
		}
	}
	first, last := snapshots[0][2], snapshots[20][2]
	if !(last.NC1 < first.NC1/2 && last.ETFDistance < first.ETFDistance && last.NC4 < first.NC4/2) {
		t.Errorf("last hidden layer over training: NC1 %.3f -> %.3f, ETF distance %.3f -> %.3f, NC4 %.3f -> %.3f",
			first.NC1, last.NC1, first.ETFDistance, last.ETFDistance, first.NC4, last.NC4)
	}
}
