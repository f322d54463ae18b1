package latent

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

// planted returns a mixture of well separated Gaussian clusters a (n x d),
// b = (s a Q + shift + noise) with its rows shuffled, and truth[i] = the
// row of b holding a's row i.
func planted(seed uint64, clusters, per, d int, noise float64) (a, b *mat.Dense, truth []int, q *mat.Dense) {
	n := clusters * per
	centres := gauss(seed, clusters, d)
	centres.Scale(4, centres)
	a = gauss(seed+1, n, d)
	for i := 0; i < n; i++ {
		row := a.RawRowView(i)
		for j, c := range centres.RawRowView(i % clusters) {
			row[j] += c
		}
	}
	q = orthogonal(seed+2, d)
	shift := make([]float64, d)
	for j := range shift {
		shift[j] = float64(j%4) - 1.5
	}
	mapped := affineMap(a, q, 1.7, shift)
	e := gauss(seed+3, n, d)
	e.Scale(noise, e)
	mapped.Add(mapped, e)
	perm := newRand(seed + 4).Perm(n)
	b = mat.NewDense(n, d, nil)
	truth = make([]int, n)
	for i, p := range perm {
		b.SetRow(p, mapped.RawRowView(i))
		truth[i] = p
	}
	return a, b, truth, q
}

// TestAlignUnpaired: on a planted problem (6 clusters in 16 dimensions,
// the second space a scaled, rotated, shifted, shuffled and noisy copy,
// 16 k-means centres a space so that clusters are split differently in
// the two) the unpaired alignment recovers at least 95% of the true pairs
// among its pseudo-pairs, with at least 90% of all points paired, and its
// translator finds the rotation (to 0.05 entrywise) and scale.
func TestAlignUnpaired(t *testing.T) {
	a, b, truth, q := planted(100, 6, 200, 16, 0.5)
	res, err := AlignUnpaired(a, b, UnpairedOptions{Clusters: 16, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	right, err := PairsRecovered(res.PairsA, res.PairsB, truth)
	if err != nil {
		t.Fatal(err)
	}
	n := len(truth)
	t.Logf("pseudo-pairs by round %v; %d of %d final pairs right (%d points)", res.History, right, len(res.PairsA), n)
	if float64(right) < 0.95*float64(len(res.PairsA)) || len(res.PairsA) < 9*n/10 {
		t.Errorf("%d right of %d pseudo-pairs for %d points", right, len(res.PairsA), n)
	}
	if e := maxAbsDiff(t, res.Translator.Rotation, q); e > 0.05 {
		t.Errorf("rotation off by %g", e)
	}
	if s := res.Translator.Scale; s < 1.65 || s > 1.75 {
		t.Errorf("scale %v, planted 1.7", s)
	}
}

// TestAlignUnpairedErrors: bad inputs are errors naming the argument.
func TestAlignUnpairedErrors(t *testing.T) {
	a := gauss(1, 30, 4)
	_, err := AlignUnpaired(a, gauss(2, 30, 5), UnpairedOptions{})
	wantErr(t, "width", err, "latent: XA has 4 columns but XB has 5: the unpaired alignment maps between spaces of one dimension")
	_, err = AlignUnpaired(a, gauss(2, 10, 4), UnpairedOptions{Clusters: 11})
	wantErr(t, "clusters", err, "latent: Clusters = 11 must be in [2, 10]: at least 2 centres and no more than points in either space")
	same := mat.NewDense(30, 4, nil)
	_, err = AlignUnpaired(a, same, UnpairedOptions{Clusters: 3})
	wantErr(t, "constant", err, "latent: XB (centred) row 0 has zero norm: its direction is undefined")
	_, err = PairsRecovered([]int{0, 1}, []int{1}, []int{0, 1})
	wantErr(t, "pairs", err, "latent: pairsA has 2 entries but pairsB has 1")
	_, err = PairsRecovered([]int{5}, []int{1}, []int{0, 1})
	wantErr(t, "truth", err, "latent: pairsA[0] = 5 is outside [0, 2)")
}

// TestAlignUnpairedNetworks: the hidden layers of two MLPs trained on the
// digits from different seeds, the second's rows shuffled, are aligned
// without any known pair: at least 90% of the training images are paired,
// at least 95% of those pairs with their own image.
func TestAlignUnpairedNetworks(t *testing.T) {
	xtr, ytr, _, _ := digitsData(t)
	nets := trainNets(t, xtr, ytr, 30, []int{64, 64, 10}, []int{64, 64, 10})
	ea, _ := Encode(nets[0], xtr, 0)
	eb, _ := Encode(nets[1], xtr, 0)
	n, d := eb.Dims()
	order := newRand(9).Perm(n)
	shuffled := mat.NewDense(n, d, nil)
	for i, p := range order {
		shuffled.SetRow(p, eb.RawRowView(i))
	}
	res, err := AlignUnpaired(ea, shuffled, UnpairedOptions{Clusters: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	right, _ := PairsRecovered(res.PairsA, res.PairsB, order)
	t.Logf("pseudo-pairs by round %v; %d of %d right (%d images)", res.History, right, len(res.PairsA), n)
	if len(res.PairsA) < 9*n/10 || float64(right) < 0.95*float64(len(res.PairsA)) {
		t.Errorf("%d right of %d pseudo-pairs for %d images", right, len(res.PairsA), n)
	}
}
