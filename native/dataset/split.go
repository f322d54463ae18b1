package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Split divides labelled rows into a training and a test set, stratified:
// within each label, a seeded shuffle puts round(testFraction * count) rows
// into the test set, so every class keeps its proportion. Rows keep their
// shuffled order (train and test are each shuffled). The same seed gives
// the same split. O(n d) time and memory.
func Split(x mat.Matrix, y []int, testFraction float64, seed uint64) (xTrain *mat.Dense, yTrain []int, xTest *mat.Dense, yTest []int, err error) {
	n, d := x.Dims()
	if n != len(y) {
		return nil, nil, nil, nil, fmt.Errorf("split: %d rows but %d labels", n, len(y))
	}
	if !(testFraction > 0 && testFraction < 1) {
		return nil, nil, nil, nil, fmt.Errorf("split: testFraction = %v, want 0 < f < 1", testFraction)
	}
	rng := rand.New(rand.NewPCG(seed, 0xd1617))
	byLabel := map[int][]int{}
	for i, l := range y {
		byLabel[l] = append(byLabel[l], i)
	}
	labels := make([]int, 0, len(byLabel))
	for l := range byLabel {
		labels = append(labels, l)
	}
	sort.Ints(labels)
	var tr, te []int
	for _, l := range labels {
		idx := byLabel[l]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		k := int(math.Round(testFraction * float64(len(idx))))
		te = append(te, idx[:k]...)
		tr = append(tr, idx[k:]...)
	}
	if len(tr) == 0 || len(te) == 0 {
		return nil, nil, nil, nil, fmt.Errorf("split: %d rows give %d training and %d test rows", n, len(tr), len(te))
	}
	rng.Shuffle(len(tr), func(i, j int) { tr[i], tr[j] = tr[j], tr[i] })
	rng.Shuffle(len(te), func(i, j int) { te[i], te[j] = te[j], te[i] })
	take := func(idx []int) (*mat.Dense, []int) {
		m := mat.NewDense(len(idx), d, nil)
		lab := make([]int, len(idx))
		for k, i := range idx {
			mat.Row(m.RawRowView(k), i, x)
			lab[k] = y[i]
		}
		return m, lab
	}
	xTrain, yTrain = take(tr)
	xTest, yTest = take(te)
	return xTrain, yTrain, xTest, yTest, nil
}
