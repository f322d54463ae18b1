package density

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestTinyInputs runs the density and entropy estimators on empty, 1-, 2-
// and 3-row data: each returns an error or finite values, never panics.
func TestTinyInputs(t *testing.T) {
	in := map[string]*mat.Dense{"nil": nil, "zero-rows": {}}
	a := []float64{0, 0, 1, 1, 0, 2, 0, 3, 1}
	for n := 1; n <= 3; n++ {
		in[fmt.Sprintf("%d-rows", n)] = mat.NewDense(n, 3, a[:3*n])
	}
	one := func(v float64, err error) ([]float64, error) { return []float64{v}, err }
	estimators := map[string]func(x *mat.Dense) ([]float64, error){
		"KNNEntropy":        func(x *mat.Dense) ([]float64, error) { return one(KNNEntropy(x, KNNEntropyOptions{})) },
		"KNNLogDensitySelf": func(x *mat.Dense) ([]float64, error) { return KNNLogDensitySelf(x, 1, KNNOptions{}) },
		"KNNLogDensity":     func(x *mat.Dense) ([]float64, error) { return KNNLogDensity(x, x, 1, KNNOptions{}) },
		"KDE": func(x *mat.Dense) ([]float64, error) {
			k, err := NewKDE(x, KDEOptions{})
			if err != nil {
				return nil, err
			}
			return k.LogDensity(x)
		},
		"KDEIsotropic": func(x *mat.Dense) ([]float64, error) {
			k, err := NewKDE(x, KDEOptions{Isotropic: true})
			if err != nil {
				return nil, err
			}
			return k.LeaveOneOutLogDensity()
		},
	}
	for name, X := range in {
		for est, f := range estimators {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s on %s: panic: %v", est, name, r)
					}
				}()
				v, err := f(X)
				for _, x := range v {
					if err == nil && math.IsNaN(x) {
						t.Errorf("%s on %s: NaN without an error", est, name)
					}
				}
			}()
		}
	}
}
