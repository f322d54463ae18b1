package dataset

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSplit checks sizes, stratification, disjointness and determinism.
func TestSplit(t *testing.T) {
	n := 103
	x := mat.NewDense(n, 2, nil)
	y := make([]int, n)
	for i := 0; i < n; i++ {
		x.Set(i, 0, float64(i))
		y[i] = i % 3 // classes of 35, 34, 34 rows
	}
	xtr, ytr, xte, yte, err := Split(x, y, 0.2, 9)
	if err != nil {
		t.Fatal(err)
	}
	if len(yte) != 7+7+7 || len(ytr) != n-21 {
		t.Fatalf("sizes %d/%d", len(ytr), len(yte))
	}
	seen := map[float64]bool{}
	count := map[int]int{}
	for i, l := range yte {
		count[l]++
		seen[xte.At(i, 0)] = true
		if int(xte.At(i, 0))%3 != l {
			t.Fatal("row and label separated")
		}
	}
	for i := range ytr {
		if seen[xtr.At(i, 0)] {
			t.Fatalf("row %v in both sets", xtr.At(i, 0))
		}
	}
	if count[0] != 7 || count[1] != 7 || count[2] != 7 {
		t.Fatalf("test classes %v", count)
	}
	_, _, xte2, _, _ := Split(x, y, 0.2, 9)
	if !mat.Equal(xte, xte2) {
		t.Fatal("same seed, different split")
	}
	if _, _, _, _, err := Split(x, y[:5], 0.2, 1); err == nil {
		t.Fatal("label count mismatch accepted")
	}
}
