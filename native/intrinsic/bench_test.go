package intrinsic

import (
	"testing"

	"github.com/subspace-kernel/subspace/native/synthetic"
)

// BenchmarkSmall fits TwoNN and MLE on 2,500 points of scikit-dimension's
// benchmark manifolds (the shapes intrinsic-dimension work uses): the
// per-call costs of the small-n path. Profile with
// go test -run '^$' -bench Small -cpuprofile cpu.out.
func BenchmarkSmall(b *testing.B) {
	for _, name := range []string{"M4_Nonlinear", "M1_Sphere", "M9_Affine"} {
		X, err := synthetic.Benchmark(name, 2500, 0, 1)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("TwoNN/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := NewTwoNN().Fit(X, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("MLE/"+name, func(b *testing.B) {
			for b.Loop() {
				if _, err := NewMLE().Fit(X, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
