package latent

import (
	"fmt"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/dataset/glove"
	"github.com/subspace-kernel/subspace/native/dataset/mnist"
)

// TestStitchMNIST: two 784-64-10 MLPs trained on the 8,000 MNIST
// training images of the fixed split from different seeds (4 epochs).
// Stitching one's encoder to the other's head directly is near chance
// (< 0.3); through relative representations, Procrustes or the affine map
// fitted on 100, 300 or 1,000 random anchors it recovers at least 90% of
// the networks' own test accuracy. The table is logged (go test -v).
// Needs `make data`.
func TestStitchMNIST(t *testing.T) {
	set, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	sizes := []int{mnist.Features, 64, mnist.Classes}
	nets := trainNets(t, set.TrainImages, set.TrainLabels, 4, sizes, sizes)
	var table strings.Builder
	fmt.Fprintf(&table, "%8s  %-10s  %8s  %8s\n", "anchors", "method", "stitched", "own")
	for _, k := range []int{100, 300, 1000} {
		res, err := StitchMatrix(nets, set.TrainImages, set.TrainLabels, set.TestImages, set.TestLabels,
			StitchOptions{NumAnchors: k, HeadEpochs: 10, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range res.Summary() {
			fmt.Fprintf(&table, "%8d  %-10s  %8.3f  %8.3f\n", k, s.Method, s.Mean, s.OwnMean)
			switch {
			case s.Method == StitchDirect && s.Mean > 0.3:
				t.Errorf("%d anchors: direct stitching %.3f, expected near chance", k, s.Mean)
			case s.Method != StitchDirect && s.Mean < 0.9*s.OwnMean:
				t.Errorf("%d anchors: %s stitching %.3f recovers less than 90%% of the own accuracy %.3f", k, s.Method, s.Mean, s.OwnMean)
			}
		}
	}
	t.Logf("zero-shot stitching between two MNIST networks (test accuracy):\n%s", table.String())
}

// TestAlignGloVeHalves: the 10,000 most frequent GloVe words; the second
// space splits the 100 dimensions into two halves, rotates each by its own
// random rotation and adds Gaussian noise of standard deviation 0.2 (the
// coordinates' own is about 0.55). Orthogonal Procrustes fitted on 1% of
// the words (100 pairs) re-aligns the spaces: for the other 9,900 words
// the translated vector's nearest neighbour among the 9,900 targets is its
// own with probability above 0.9. Needs `make data`.
func TestAlignGloVeHalves(t *testing.T) {
	e, err := glove.Load(10000)
	if err != nil {
		t.Fatal(err)
	}
	g := e.Vectors.ToDense()
	n, d := g.Dims()
	h := d / 2
	q := mat.NewDense(d, d, nil)
	q.Slice(0, h, 0, h).(*mat.Dense).Copy(orthogonal(1, h))
	q.Slice(h, d, h, d).(*mat.Dense).Copy(orthogonal(2, h))
	b := affineMap(g, q, 1, nil)
	noise := gauss(4, n, d)
	noise.Scale(0.2, noise)
	b.Add(b, noise)
	known, _ := RandomAnchors(n, n/100, 3)
	rest := complement(n, known)
	tr, err := FitTranslator(rows(g, known), rows(b, known), TranslateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := tr.Transform(rows(g, rest))
	r, err := Retrieve(p, rows(b, rest), RetrievalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d known pairs, %d held-out words: top-1 %.4f, top-5 %.4f, MRR %.4f, fit residual %.3f",
		len(known), len(rest), r.Top1, r.TopK, r.MRR, tr.Residual)
	if r.Top1 <= 0.9 {
		t.Errorf("top-1 retrieval %.4f, want > 0.9", r.Top1)
	}
}

// complement returns the indices in [0, n) not in idx, increasing.
func complement(n int, idx []int) []int {
	in := make([]bool, n)
	for _, i := range idx {
		in[i] = true
	}
	var out []int
	for i := 0; i < n; i++ {
		if !in[i] {
			out = append(out, i)
		}
	}
	return out
}
