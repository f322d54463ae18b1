package similarity

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/knn"
)

// pairFunc is the standalone function for each measure.
func pairFunc(o Options) func(x, y *mat.Dense) (float64, error) {
	switch o.Measure {
	case MeasureLinearCKA:
		return LinearCKA
	case MeasureDebiasedCKA:
		return DebiasedCKA
	case MeasureRBFCKA:
		return func(x, y *mat.Dense) (float64, error) { return RBFCKA(x, y, o.SigmaFactor) }
	case MeasureDebiasedRBFCKA:
		return func(x, y *mat.Dense) (float64, error) { return DebiasedRBFCKA(x, y, o.SigmaFactor) }
	case MeasureCCA:
		return CCA
	case MeasureSVCCA:
		return func(x, y *mat.Dense) (float64, error) { return SVCCA(x, y, o.Threshold) }
	case MeasurePWCCA:
		return PWCCA
	case MeasureProcrustes:
		return ProcrustesDistance
	case MeasureShapeAngular:
		return func(x, y *mat.Dense) (float64, error) { return ShapeDistance(x, y, o.Alpha) }
	case MeasureShapeEuclidean:
		return func(x, y *mat.Dense) (float64, error) { return ShapeDistanceEuclidean(x, y, o.Alpha) }
	case MeasureRSA:
		return func(x, y *mat.Dense) (float64, error) { return RSA(x, y, o.RDM, o.Correlation) }
	case MeasureMutualKNN:
		return func(x, y *mat.Dense) (float64, error) { return MutualKNN(x, y, o.K) }
	case MeasureKNNJaccard:
		return func(x, y *mat.Dense) (float64, error) { return KNNJaccard(x, y, o.K, o.Metric) }
	}
	panic("unknown measure")
}

// layers returns L representations of the same n stimuli with different
// widths, each a noisy nonlinear function of the previous one.
func layers(seed uint64, n int, widths []int) []*mat.Dense {
	rng := newRand(seed)
	out := []*mat.Dense{sample.Gaussian(rng, n, widths[0])}
	for _, w := range widths[1:] {
		prev := out[len(out)-1]
		_, pw := prev.Dims()
		var y mat.Dense
		y.Mul(prev, sample.Gaussian(rng, pw, w))
		r, c := y.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				y.Set(i, j, math.Tanh(0.5*y.At(i, j))+0.3*rng.NormFloat64())
			}
		}
		out = append(out, &y)
	}
	return out
}

// TestMatrixMatchesPairs: every entry of Matrix equals the standalone
// function on that pair (the per-layer preparation changes nothing), the
// self-matrix is symmetric with 1 (similarities) or 0 (distances) on the
// diagonal, and progress counts the pairs.
func TestMatrixMatchesPairs(t *testing.T) {
	tall := layers(21, 40, []int{6, 9, 5, 7})
	wide := layers(22, 12, []int{20, 15, 30}) // n < d: Gram path for linear CKA
	// layer 1 with column means 1e4 sd: centred copy in linear CKA's
	// preparation, raw data with mean corrections for the others
	mixed := layers(23, 40, []int{6, 9, 5})
	for i := 0; i < 40; i++ {
		for j := 0; j < 9; j++ {
			mixed[1].Set(i, j, mixed[1].At(i, j)+1e4)
		}
	}
	if p0, _ := newLinPrep(mixed[0], "0"); p0 == nil || p0.mean == nil {
		t.Fatal("layer 0 should be prepared uncentred (raw data, means)")
	}
	if p1, _ := newLinPrep(mixed[1], "1"); p1 == nil || p1.mean != nil {
		t.Fatal("layer 1 (large means) should be prepared as a centred copy")
	}
	opts := []Options{
		DefaultOptions(MeasureLinearCKA),
		DefaultOptions(MeasureDebiasedCKA),
		DefaultOptions(MeasureRBFCKA),
		{Measure: MeasureRBFCKA, SigmaFactor: 0.7},
		DefaultOptions(MeasureDebiasedRBFCKA),
		DefaultOptions(MeasureCCA),
		DefaultOptions(MeasureSVCCA),
		{Measure: MeasureSVCCA, Threshold: 0.8},
		DefaultOptions(MeasurePWCCA),
		DefaultOptions(MeasureProcrustes),
		DefaultOptions(MeasureShapeAngular),
		{Measure: MeasureShapeAngular, Alpha: 0.4},
		{Measure: MeasureShapeEuclidean, Alpha: 0.4},
		DefaultOptions(MeasureShapeEuclidean),
		{Measure: MeasureRSA, RDM: RDMCorrelation, Correlation: Spearman},
		{Measure: MeasureRSA},
		{Measure: MeasureMutualKNN, K: 4},
		{Measure: MeasureKNNJaccard, K: 4, Metric: knn.Cosine},
	}
	for _, o := range opts {
		for _, set := range []struct {
			name string
			xs   []*mat.Dense
		}{{"tall", tall}, {"wide", wide}, {"mixed", mixed}} {
			xs := set.xs
			if set.name == "wide" && (o.Measure == MeasureCCA || o.Measure == MeasurePWCCA) {
				if _, err := Matrix(xs, nil, o); err == nil {
					t.Errorf("%v on n < d: no error", o.Measure)
				}
				continue
			}
			name := fmt.Sprintf("%v %+v %s", o.Measure, o, set.name)
			f := pairFunc(o)
			ys := xs[1:]
			calls := 0
			o.Progress = func(done, total int) error {
				calls++
				if done != calls || total != len(xs)*len(ys) {
					t.Errorf("%s: progress (%d, %d) at call %d", name, done, total, calls)
				}
				return nil
			}
			m, err := Matrix(xs, ys, o)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if calls != len(xs)*len(ys) {
				t.Errorf("%s: %d progress calls, want %d", name, calls, len(xs)*len(ys))
			}
			for i := range xs {
				for j := range ys {
					w, err := f(xs[i], ys[j])
					if err != nil {
						t.Fatalf("%s (%d,%d): %v", name, i, j, err)
					}
					if g := m.At(i, j); relErr(g, w, 1e-2) > 1e-9 {
						t.Errorf("%s (%d,%d): Matrix %.15g, pair function %.15g", name, i, j, g, w)
					}
				}
			}
			o.Progress = nil
			s, err := Matrix(xs, nil, o)
			if err != nil {
				t.Errorf("%s self: %v", name, err)
				continue
			}
			diag := 1.0
			if o.Measure.IsDistance() {
				diag = 0
			}
			for i := range xs {
				if math.Abs(s.At(i, i)-diag) > 1e-6 {
					t.Errorf("%s: self entry (%d,%d) = %.12g, want %g", name, i, i, s.At(i, i), diag)
				}
				for j := range xs {
					if s.At(i, j) != s.At(j, i) {
						t.Errorf("%s: self matrix not symmetric at (%d,%d)", name, i, j)
					}
				}
				if i >= 1 {
					if relErr(s.At(i, 0), m.At(0, i-1), 1e-2) > 1e-9 {
						t.Errorf("%s: self matrix (%d,0) %.15g vs cross matrix %.15g", name, i, s.At(i, 0), m.At(0, i-1))
					}
				}
			}
		}
	}
}

func TestMatrixErrors(t *testing.T) {
	xs := layers(1, 20, []int{3, 4})
	if _, err := Matrix(nil, nil, DefaultOptions(MeasureLinearCKA)); !errors.Is(err, ErrEmpty) {
		t.Errorf("no layers: %v", err)
	}
	bad := append(xs, sample.Gaussian(newRand(2), 19, 3))
	if _, err := Matrix(bad, nil, DefaultOptions(MeasureLinearCKA)); err == nil {
		t.Error("row mismatch between layers: no error")
	}
	if _, err := Matrix(xs, nil, Options{Measure: Measure(99)}); err == nil {
		t.Error("unknown measure: no error")
	}
	stop := errors.New("stop")
	_, err := Matrix(xs, nil, Options{Measure: MeasureLinearCKA, Progress: func(int, int) error { return stop }})
	if !errors.Is(err, stop) {
		t.Errorf("progress error not returned: %v", err)
	}
}
