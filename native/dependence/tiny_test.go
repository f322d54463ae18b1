package dependence

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestTinyInputs runs the dependence measures on empty, 1-, 2- and 3-row
// data: each returns an error or a value, never panics.
func TestTinyInputs(t *testing.T) {
	in := map[string][2]*mat.Dense{"nil": {nil, nil}, "zero-rows": {{}, {}}}
	a := []float64{0, 0, 1, 1, 0, 2, 0, 3, 1}
	b := []float64{1, 2, 0}
	for n := 1; n <= 3; n++ {
		in[fmt.Sprintf("%d-rows", n)] = [2]*mat.Dense{mat.NewDense(n, 3, a[:3*n]), mat.NewDense(n, 1, b[:n])}
	}
	measures := map[string]func(x, y *mat.Dense) error{
		"DistanceCorrelation": func(x, y *mat.Dense) error { _, err := DistanceCorrelation(x, y, Options{}); return err },
		"DistanceCovariance":  func(x, y *mat.Dense) error { _, err := DistanceCovariance(x, y, Options{}); return err },
		"dcor naive":          func(x, y *mat.Dense) error { _, err := DistanceCorrelation(x, y, Options{Method: Naive}); return err },
		"dcor fast":           func(x, y *mat.Dense) error { _, err := DistanceCorrelation(y, y, Options{Method: Fast}); return err },
		"UDistanceCovariance": func(x, y *mat.Dense) error { _, err := UDistanceCovarianceSqr(x, y, Options{}); return err },
		"UDistanceCorrelation": func(x, y *mat.Dense) error {
			_, err := UDistanceCorrelationSqr(x, y, Options{})
			return err
		},
		"DistanceStats": func(x, y *mat.Dense) error { _, err := DistanceStats(x, y, Options{}); return err },
		"HSIC":          func(x, y *mat.Dense) error { _, err := HSIC(x, y, HSICOptions{Permutations: 5}); return err },
		"RankFeatures":  func(x, y *mat.Dense) error { _, err := RankFeatures(x, y, Options{}); return err },
		"SelectFeatures": func(x, y *mat.Dense) error {
			_, err := SelectFeatures(x, y, 1, Options{})
			return err
		},
	}
	for name, p := range in {
		for m, f := range measures {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s on %s: panic: %v", m, name, r)
					}
				}()
				f(p[0], p[1])
			}()
		}
	}
}
