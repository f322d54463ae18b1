package knn

import (
	"math/rand/v2"
	"testing"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// BenchmarkSearchSelf measures a 10000 x 128 self search with K = 20 (the
// make bench target runs the full comparison against scikit-learn).
func BenchmarkSearchSelf(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := sample.Gaussian(rng, 10000, 128)
	b.Run("float64", func(b *testing.B) {
		for b.Loop() {
			if _, err := SearchSelf(x, Options{K: 20, ExcludeSelf: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	x32 := mat32.FromDense(x)
	b.Run("float32", func(b *testing.B) {
		for b.Loop() {
			if _, err := SearchSelf32(x32, Options{K: 20, ExcludeSelf: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
