package similarity

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// tinyPairs are degenerate pairs of representations: no rows, and 1, 2, 3
// rows of 3 and 2 columns.
func tinyPairs() map[string][2]*mat.Dense {
	out := map[string][2]*mat.Dense{"nil": {nil, nil}, "zero-rows": {{}, {}}}
	a := []float64{0, 0, 1, 1, 0, 2, 0, 3, 1}
	b := []float64{1, 2, 0, 1, 5, 3}
	for n := 1; n <= 3; n++ {
		out[fmt.Sprintf("%d-rows", n)] = [2]*mat.Dense{mat.NewDense(n, 3, a[:3*n]), mat.NewDense(n, 2, b[:2*n])}
	}
	return out
}

// TestTinyInputs calls every similarity measure on empty, 1-, 2- and 3-row
// representations: each returns an error or a finite value, never panics.
func TestTinyInputs(t *testing.T) {
	measures := map[string]func(x, y *mat.Dense) (float64, error){
		"LinearCKA":   LinearCKA,
		"DebiasedCKA": DebiasedCKA,
		"RBFCKA":      func(x, y *mat.Dense) (float64, error) { return RBFCKA(x, y, 0.8) },
		"DebiasedRBF": func(x, y *mat.Dense) (float64, error) { return DebiasedRBFCKA(x, y, 0.8) },
		"Minibatch":   func(x, y *mat.Dense) (float64, error) { return MinibatchLinearCKA(x, y, 2, nil) },
		"CCA":         CCA,
		"SVCCA":       func(x, y *mat.Dense) (float64, error) { return SVCCA(x, y, 0.99) },
		"PWCCA":       PWCCA,
		"Procrustes":  ProcrustesDistance,
		"Shape":       func(x, y *mat.Dense) (float64, error) { return ShapeDistance(x, y, 0.5) },
		"ShapeEucl":   func(x, y *mat.Dense) (float64, error) { return ShapeDistanceEuclidean(x, y, 0.5) },
		"MutualKNN":   func(x, y *mat.Dense) (float64, error) { return MutualKNN(x, y, 1) },
		"KNNJaccard":  func(x, y *mat.Dense) (float64, error) { return KNNJaccard(x, y, 1, 0) },
		"RSA":         func(x, y *mat.Dense) (float64, error) { return RSA(x, y, RDMEuclidean, Pearson) },
		"CanonCorr": func(x, y *mat.Dense) (float64, error) {
			c, err := CanonicalCorrelations(x, y)
			if err != nil || len(c) == 0 {
				return 0, err
			}
			return c[0], nil
		},
		"Matrix": func(x, y *mat.Dense) (float64, error) {
			m, err := Matrix([]*mat.Dense{x}, []*mat.Dense{y}, DefaultOptions(0))
			if err != nil {
				return 0, err
			}
			return m.At(0, 0), nil
		},
	}
	for in, p := range tinyPairs() {
		for name, f := range measures {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s on %s: panic: %v", name, in, r)
					}
				}()
				v, err := f(p[0], p[1])
				if err == nil && math.IsInf(v, 0) {
					t.Errorf("%s on %s: %v without an error", name, in, v)
				}
			}()
		}
	}
}
