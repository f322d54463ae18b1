package intrinsic

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// tinyInputs are the degenerate data sets every estimator must answer with
// an error or a valid result: no rows (nil and a zero-row matrix), and 1, 2
// and 3 distinct points in 3 dimensions.
func tinyInputs() map[string]*mat.Dense {
	rows := [][]float64{{0, 0, 1}, {1, 0, 2}, {0, 3, 1}}
	in := map[string]*mat.Dense{"nil": nil, "zero-rows": {}}
	for n := 1; n <= 3; n++ {
		m := mat.NewDense(n, 3, nil)
		for i := range n {
			m.SetRow(i, rows[i])
		}
		in[fmt.Sprintf("%d-rows", n)] = m
	}
	return in
}

// fitNoPanic runs f, turning a panic into a test failure.
func fitNoPanic(t *testing.T, name string, f func() (*Estimate, error)) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic: %v", name, r)
		}
	}()
	est, err := f()
	switch {
	case err != nil:
		if err.Error() == "" {
			t.Errorf("%s: empty error", name)
		}
	case est == nil:
		t.Errorf("%s: nil estimate and nil error", name)
	case math.IsNaN(est.Dim) || math.IsInf(est.Dim, 0) || est.Dim < 0:
		t.Errorf("%s: invalid dimension %v without an error", name, est.Dim)
	}
}

// TestTinyInputs fits every estimator of the package (DANCo included, with
// and without precomputed neighbours, pointwise variants and GRIDE's
// scales) on empty, 1-, 2- and 3-row data: each returns a clear error or a
// valid estimate, never panics.
func TestTinyInputs(t *testing.T) {
	for name, X := range tinyInputs() {
		for _, e := range Defaults(Common{}, true) {
			fitNoPanic(t, fmt.Sprintf("%T on %s", e, name), func() (*Estimate, error) { return e.Fit(X, nil) })
		}
		var nn *knn.Result
		if X != nil {
			if r, _ := X.Dims(); r >= 2 {
				nn, _ = knn.SearchSelf(X, knn.Options{K: r - 1, ExcludeSelf: true})
			}
		}
		if nn != nil {
			for _, e := range Defaults(Common{}, true) {
				fitNoPanic(t, fmt.Sprintf("%T on %s with neighbours", e, name), func() (*Estimate, error) { return e.Fit(X, nn) })
			}
		}
		fitNoPanic(t, "TwoNN.FitPointwise on "+name, func() (*Estimate, error) { return NewTwoNN().FitPointwise(X, nil, 2) })
		fitNoPanic(t, "LPCA.FitPointwise on "+name, func() (*Estimate, error) { return NewLPCA().FitPointwise(X, nil, 2) })
		fitNoPanic(t, "GRIDE.FitScales on "+name, func() (*Estimate, error) {
			sc, _, err := NewGRIDE().FitScales(X, nil)
			if err != nil {
				return nil, err
			}
			if len(sc) == 0 {
				return nil, fmt.Errorf("no scales and no error")
			}
			return &Estimate{Dim: sc[len(sc)-1].Dim}, nil
		})
		fitNoPanic(t, "FisherS.FitAlphas on "+name, func() (*Estimate, error) {
			if _, err := NewFisherS().FitAlphas(X); err != nil {
				return nil, err
			}
			return &Estimate{}, nil
		})
		fitNoPanic(t, "FitAll on "+name, func() (*Estimate, error) {
			r, err := FitAll(X, Common{}, true, nil)
			if err != nil {
				return nil, err
			}
			return r[0], nil
		})
		fitNoPanic(t, "Bootstrap on "+name, func() (*Estimate, error) {
			if _, err := Bootstrap(X, NewTwoNN(), 5, 0.9, 1); err != nil {
				return nil, err
			}
			return &Estimate{}, nil
		})
	}
}
