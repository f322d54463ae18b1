package geometry

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/digits"
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

// TestCollapseTraining trains an MLP with three hidden ReLU layers (SGD,
// momentum, weight decay) and measures neural collapse on the training
// set after 1, 5, 20 and 100 epochs. At the end NC1 falls from the first
// to the last hidden layer and the ETF distance shrinks with depth; over
// training both fall at the last hidden layer (at initialisation the last
// layer is the farthest from an ETF). The table is logged.
func TestCollapseTraining(t *testing.T) {
	x, y, _, _ := digitsSplit(t)
	net, err := nn.NewMLP([]int{64, 128, 128, 128, 10}, nn.ReLU, 1)
	if err != nil {
		t.Fatal(err)
	}
	snapshots := map[int][]*Collapse{1: nil, 5: nil, 20: nil, 100: nil}
	cfg := nn.TrainConfig{Epochs: 100, BatchSize: 64, Optimizer: nn.SGD, LearningRate: 0.1, Momentum: 0.9, WeightDecay: 1e-3, Seed: 1,
		Progress: func(done, _ int) error {
			if _, ok := snapshots[done]; !ok {
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
	for _, e := range []int{1, 5, 20, 100} {
		for l, c := range snapshots[e] {
			t.Log(fmt.Sprintf("%5d %5d %8.3f %9.3f %8.3f %9.3f %10.3f %7.3f %7.3f",
				e, l+1, c.NC1, c.ETFDistance, c.CosineDeviation, c.EquinormCV, c.OrthoCosine, c.NC3, c.NC4))
		}
	}
	first, last := snapshots[1], snapshots[100]
	if !(last[0].NC1 > last[1].NC1 && last[1].NC1 > last[2].NC1) {
		t.Errorf("after training NC1 does not fall with depth: %.3f %.3f %.3f", last[0].NC1, last[1].NC1, last[2].NC1)
	}
	if !(last[2].ETFDistance < last[0].ETFDistance) {
		t.Errorf("after training the ETF distance does not shrink with depth: %.3f -> %.3f", last[0].ETFDistance, last[2].ETFDistance)
	}
	if !(last[2].NC1 < first[2].NC1/2 && last[2].ETFDistance < first[2].ETFDistance) {
		t.Errorf("last hidden layer: NC1 %.3f -> %.3f, ETF distance %.3f -> %.3f over training",
			first[2].NC1, last[2].NC1, first[2].ETFDistance, last[2].ETFDistance)
	}
}
