package latent

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/dataset/digits"
	"github.com/subspace-kernel/subspace/native/nn"
)

// digitsData is the bundled digits, pixels in [0, 1], 25% test split.
func digitsData(t *testing.T) (*mat.Dense, []int, *mat.Dense, []int) {
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

// trainNets trains one MLP per size list, each from its own seed.
func trainNets(t *testing.T, xtr *mat.Dense, ytr []int, epochs int, sizes ...[]int) []*nn.MLP {
	t.Helper()
	var nets []*nn.MLP
	for i, s := range sizes {
		m, err := nn.NewMLP(s, nn.ReLU, uint64(10+i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Train(xtr, ytr, nn.TrainConfig{Epochs: epochs, Seed: uint64(i)}); err != nil {
			t.Fatal(err)
		}
		nets = append(nets, m)
	}
	return nets
}

// TestEncodeHead: the head applied to the encoding gives the network's
// logits exactly, at every hidden layer.
func TestEncodeHead(t *testing.T) {
	net, _ := nn.NewMLP([]int{5, 7, 6, 3}, nn.Tanh, 1)
	x := gauss(2, 9, 5)
	want, _ := net.Logits(x)
	for _, l := range []int{0, 1, 2} {
		enc, err := Encode(net, x, l)
		if err != nil {
			t.Fatal(err)
		}
		h, err := Head(net, l)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := h.Logits(enc)
		if !mat.Equal(got, want) {
			t.Errorf("layer %d: head(encode(x)) differs from the logits", l)
		}
	}
	_, err := Encode(net, x, 3)
	wantErr(t, "layer", err, "latent: Layer = 3 must be in [1, 2]: a hidden layer: encoder = layers before it, head = it and those after")
}

// TestStitchDigits: three MLPs trained on the bundled digits from
// different seeds (one of another width). Feeding one's hidden layer to
// another's head directly is near chance; through a relative
// representation or a translation fitted on 300 anchors it recovers at
// least 90% of the networks' own accuracy. The diagonal of the
// translation matrices is the networks' own accuracy (to 2 points).
func TestStitchDigits(t *testing.T) {
	xtr, ytr, xte, yte := digitsData(t)
	nets := trainNets(t, xtr, ytr, 30, []int{64, 64, 10}, []int{64, 64, 10}, []int{64, 48, 10})
	res, err := StitchMatrix(nets, xtr, ytr, xte, yte, StitchOptions{Methods: []string{"direct", "relative", "procrustes", "affine", "cca"}})
	if err != nil {
		t.Fatal(err)
	}
	own := (res.Own[0] + res.Own[1] + res.Own[2]) / 3
	for _, row := range res.Summary() {
		if mean, _ := res.OffDiagonalMean(row.Method); row.Anchors != 300 || math.Abs(row.OwnMean-own) > 1e-15 ||
			row.Mean != mean || row.Min > row.Mean || row.Max < row.Mean {
			t.Errorf("summary row %+v", row)
		}
	}
	t.Logf("own accuracy %.3f, relative heads on their own encoder %.3f", res.Own, res.RelativeOwn)
	for _, m := range res.Methods {
		v, _ := res.OffDiagonalMean(m)
		acc, _ := res.Matrix(m)
		t.Logf("%-10s off-diagonal %.3f\n%.3f", m, v, mat.Formatted(acc, mat.Squeeze()))
		switch m {
		case StitchDirect:
			if v > 0.35 {
				t.Errorf("direct stitching %.3f: expected near chance (0.1)", v)
			}
			if !math.IsNaN(acc.At(0, 2)) {
				t.Errorf("direct stitching between widths 64 and 48 gave %v, want NaN", acc.At(0, 2))
			}
		default:
			if v < 0.9*own {
				t.Errorf("%s stitching %.3f recovers less than 90%% of the own accuracy %.3f", m, v, own)
			}
		}
		if m != StitchRelative {
			for i := range nets {
				if math.Abs(acc.At(i, i)-res.Own[i]) > 0.02 {
					t.Errorf("%s: network %d with itself %.3f, own %.3f", m, i, acc.At(i, i), res.Own[i])
				}
			}
		}
	}
}

// TestStitchErrors: bad networks, data and methods are errors.
func TestStitchErrors(t *testing.T) {
	x := gauss(1, 20, 4)
	y := make([]int, 20)
	a, _ := nn.NewMLP([]int{4, 5, 3}, nn.ReLU, 1)
	b, _ := nn.NewMLP([]int{4, 5, 2}, nn.ReLU, 1)
	run := func(nets []*nn.MLP, y []int, o StitchOptions) error {
		_, err := StitchMatrix(nets, x, y, x, y, o)
		return err
	}
	wantErr(t, "classes", run([]*nn.MLP{a, b}, y, StitchOptions{}), "latent: network 1 maps 4 inputs to 2 classes, network 0 4 to 3")
	wantErr(t, "labels", run([]*nn.MLP{a}, y[:5], StitchOptions{}), "latent: xTrain has 20 rows but there are 5 labels")
	wantErr(t, "method", run([]*nn.MLP{a}, y, StitchOptions{Methods: []string{"magic"}}),
		"latent: unknown stitching method \"magic\" (want direct, relative or a translation method)")
	wantErr(t, "anchors", run([]*nn.MLP{a}, y, StitchOptions{Anchors: []int{3, 20}}), "latent: Anchors[1] = 20 is outside [0, 20)")
	wantErr(t, "affine anchors", run([]*nn.MLP{a, a}, y, StitchOptions{NumAnchors: 4, Methods: []string{"affine"}}),
		"latent: affine translation needs at least dx + 1 (the map and its bias) = 6 pairs (anchors), X and Y have 4: use more anchors, or Ridge or Procrustes")
	wantErr(t, "none", run(nil, y, StitchOptions{}), "latent: no networks to stitch")
}
