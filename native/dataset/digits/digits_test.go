package digits

import (
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// TestMatchesSklearn compares the embedded data with
// sklearn.datasets.load_digits run in this test: shape, class counts,
// pixel sums per image and every label.
func TestMatchesSklearn(t *testing.T) {
	x, y, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if r, c := x.Dims(); r != 1797 || c != 64 || len(y) != 1797 {
		t.Fatalf("shape %dx%d, %d labels", r, c, len(y))
	}
	const script = `
import json
from sklearn.datasets import load_digits
d = load_digits()
print(json.dumps({"sums": d.data.sum(axis=1).tolist(), "labels": d.target.tolist(), "px": d.data[1000].tolist()}))
`
	var ref struct {
		Sums   []float64
		Labels []int
		Px     []float64
	}
	pyref.JSON(t, script, nil, &ref)
	for i := range y {
		s := 0.0
		for j := 0; j < 64; j++ {
			v := x.At(i, j)
			if v < 0 || v > 16 {
				t.Fatalf("pixel (%d,%d) = %v outside 0..16", i, j, v)
			}
			s += v
		}
		if s != ref.Sums[i] || y[i] != ref.Labels[i] {
			t.Fatalf("image %d: sum %v label %d, sklearn %v %d", i, s, y[i], ref.Sums[i], ref.Labels[i])
		}
	}
	im, err := Image(x, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range ref.Px {
		if im.At(k/8, k%8) != v {
			t.Fatalf("image 1000 pixel %d = %v, sklearn %v", k, im.At(k/8, k%8), v)
		}
	}
	if _, err := Image(x, 1797); err == nil {
		t.Fatal("image 1797 accepted")
	}
}
