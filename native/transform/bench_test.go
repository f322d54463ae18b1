package transform

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func benchData(n, d int) *mat.Dense {
	rng := rand.New(rand.NewPCG(21, 64))
	x := mat.NewDense(n, d, nil)
	for i := range n {
		row := x.RawRowView(i)
		for j := range row {
			switch j % 3 {
			case 0:
				row[j] = math.Exp(rng.NormFloat64())
			case 1:
				row[j] = rng.NormFloat64()*2 + 1
			default:
				row[j] = 2 - math.Exp(0.7*rng.NormFloat64())
			}
		}
	}
	return x
}

// BenchmarkFitPower: go test -tags openblas -bench FitPower ./native/transform/
// (make bench-transform compares with scikit-learn).
func BenchmarkFitPower(b *testing.B) {
	x := benchData(20000, 6)
	for i := 0; i < b.N; i++ {
		if _, err := FitPower(x, PowerOptions{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKDEIntegral(b *testing.B) {
	x := benchData(20000, 6)
	for i := 0; i < b.N; i++ {
		if _, err := KDEIntegralTransform(x, KDEIntegralOptions{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQuantile(b *testing.B) {
	x := benchData(20000, 6)
	for i := 0; i < b.N; i++ {
		if _, err := QuantileTransform(x, QuantileOptions{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
