package intrinsic

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

// TestAnalytic fits every estimator on uniform samples of known dimension
// d (a d-sphere and a d-cube, randomly rotated into 12 dimensions, 2000
// points) and requires |estimate - d| <= tol * d, with tol stated per
// estimator: the bias of each estimator at this size (curvature and
// boundary effects, finite k) is what the tolerance allows.
func TestAnalytic(t *testing.T) {
	type fit func(X *mat.Dense, nn *knn.Result) (float64, error)
	pointwise := func(f func(X *mat.Dense, nn *knn.Result) (*Estimate, error)) fit {
		return func(X *mat.Dense, nn *knn.Result) (float64, error) {
			e, err := f(X, nn)
			if err != nil {
				return 0, err
			}
			return e.Dim, nil
		}
	}
	cases := []struct {
		name string
		tol  float64
		fit  fit
	}{
		{"TwoNN", 0.10, est(NewTwoNN())},
		{"TwoNN.ML", 0.10, est(&TwoNN{ML: true})},
		{"MLE", 0.12, est(NewMLE())},
		{"MOM", 0.15, est(NewMOM())},
		{"TLE", 0.12, est(NewTLE())},
		{"MADA", 0.12, est(NewMADA())},
		{"MiND_ML", 0.10, est(NewMiNDML())},
		{"CorrInt", 0.15, est(NewCorrInt())},
		{"GRIDE", 0.20, est(NewGRIDE())},
		{"ESS", 0.10, est(NewESS())},
		// FisherS whitens the principal components: like global PCA it
		// sees the linear span, d+1 for a d-sphere (skdim gives 11.0 on the
		// 10-sphere anchor).
		{"FisherS", 0.10, est(NewFisherS())},
		{"DANCo", 0.15, est(NewDANCo())},
		{"lPCA.pointwise", 0, pointwise(func(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
			return NewLPCA().FitPointwise(X, nn, 100)
		})},
		{"TwoNN.pointwise", 0.15, pointwise(func(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
			return NewTwoNN().FitPointwise(X, nn, 100)
		})},
	}
	for _, d := range []int{2, 5} {
		sphere, err := synthetic.Sphere(2000, d, synthetic.Embed{Ambient: 12, Rotate: true, Seed: uint64(d)})
		if err != nil {
			t.Fatal(err)
		}
		cube, err := synthetic.Cube(2000, d, synthetic.Embed{Ambient: 12, Rotate: true, Seed: uint64(d)})
		if err != nil {
			t.Fatal(err)
		}
		for _, ds := range []struct {
			name string
			X    *mat.Dense
		}{{"sphere", sphere}, {"cube", cube}} {
			nn, err := knn.SearchSelf(ds.X, knn.Options{K: 100, ExcludeSelf: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cases {
				got, err := c.fit(ds.X, nn)
				if err != nil {
					t.Fatalf("%s d=%d %s: %v", ds.name, d, c.name, err)
				}
				want := d
				if c.name == "FisherS" && ds.name == "sphere" {
					want = d + 1
				}
				t.Logf("%s d=%d %-16s %.3f", ds.name, d, c.name, got)
				if math.Abs(got-float64(want)) > c.tol*float64(want) {
					t.Errorf("%s d=%d %s: %.4f, want %d within %.0f%%", ds.name, d, c.name, got, want, 100*c.tol)
				}
			}
			// Global lPCA sees the linear span: d+1 for the sphere, d for the cube.
			want := d
			if ds.name == "sphere" {
				want = d + 1
			}
			if e, err := NewLPCA().Fit(ds.X, nil); err != nil || e.Dim != float64(want) {
				t.Errorf("%s d=%d lPCA: %v %v, want %d", ds.name, d, e, err, want)
			}
		}
	}
}

// TestLPCAVersions checks each criterion on a spectrum whose answer is
// worked out by hand.
func TestLPCAVersions(t *testing.T) {
	ev := []float64{10, 8, 6, 0.3, 0.2, 0.1}
	// sum 24.6; FO: > 0.5 -> 3. maxgap: ratios 1.25 1.33 20 1.5 2 -> 3.
	// ratio: cumulative fractions 0.41.. never below 0.05 -> 1.
	// PR: 24.6^2 / 200.14 = 3.02 -> 3. Kaiser: mean 4.1 -> 3 above -> 4.
	// broken stick (m = 6): bs = [0.408, 0.242, 0.158, 0.103, 0.061, 0.028],
	// fractions [0.407, 0.325, 0.244, 0.012, ...]: first bs > fraction at 1.
	// Fan: cumulative fraction > 0.95 first at index 2 (24/24.6); sigma =
	// mean(6, 0.3, 0.2, 0.1) = 1.65; shifted [8.35 6.35 4.35 -1.35 -1.45
	// -1.55] has no gap above 10, its cumulative fraction (sum 14.7) exceeds
	// 0.8 at index 1 -> 2.
	want := map[PCAVersion]int{FO: 3, MaxGap: 3, Ratio: 1, ParticipationRatio: 3, Kaiser: 4, BrokenStick: 1, Fan: 2}
	for v, w := range want {
		e := NewLPCA()
		e.Version = v
		got, err := e.FromSpectrum(append([]float64(nil), ev...))
		if err != nil || got != w {
			t.Errorf("%v: %d %v, want %d", v, got, err, w)
		}
	}
}

// TestDuplicates checks that duplicate rows are reported with their count,
// that Dedup removes them and gives the estimate of the distinct rows, and
// that precomputed neighbours with zero distances are refused.
func TestDuplicates(t *testing.T) {
	X, _ := synthetic.Cube(500, 3, synthetic.Embed{Seed: 9})
	withDup := mat.NewDense(507, 3, nil)
	withDup.Slice(0, 500, 0, 3).(*mat.Dense).Copy(X)
	for i := range 7 {
		withDup.SetRow(500+i, X.RawRowView(10*i))
	}
	for _, e := range []Estimator{NewTwoNN(), NewMLE(), NewMADA(), NewMiNDML(), NewGRIDE(), NewTLE(), NewMOM(), NewCorrInt(), NewESS()} {
		_, err := e.Fit(withDup, nil)
		if err == nil || !strings.Contains(err.Error(), "7 duplicate rows") || !strings.Contains(err.Error(), "Dedup") {
			t.Errorf("%T: error %v, want a report of 7 duplicate rows", e, err)
		}
	}
	clean, err := NewMLE().Fit(X, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := NewMLE()
	e.Dedup = true
	dd, err := e.Fit(withDup, nil)
	if err != nil {
		t.Fatal(err)
	}
	if dd.Dim != clean.Dim || dd.Duplicates != 7 || dd.N != 500 {
		t.Errorf("dedup: dim %v (clean %v), duplicates %d, n %d", dd.Dim, clean.Dim, dd.Duplicates, dd.N)
	}
	nn, _ := knn.SearchSelf(withDup, knn.Options{K: 20, ExcludeSelf: true})
	if _, err := NewTwoNN().Fit(withDup, nn); err == nil || !strings.Contains(err.Error(), "14 duplicate rows") {
		// 7 pairs: both members of each pair have a neighbour at distance 0.
		t.Errorf("precomputed neighbours with duplicates: %v", err)
	}
	if first, n := Duplicates(withDup); n != 7 || first[503] != 30 {
		t.Errorf("Duplicates: %d, first[503] = %d", n, first[503])
	}
}

func TestErrors(t *testing.T) {
	X, _ := synthetic.Cube(50, 3, synthetic.Embed{Seed: 1})
	bad := mat.DenseCopyOf(X)
	bad.Set(4, 1, math.Inf(1))
	nn, _ := knn.SearchSelf(X, knn.Options{K: 5, ExcludeSelf: true})
	for name, f := range map[string]func() error{
		"inf":       func() error { _, err := NewTwoNN().Fit(bad, nil); return err },
		"small":     func() error { _, err := NewMLE().Fit(X.Slice(0, 10, 0, 3).(*mat.Dense), nil); return err },
		"k":         func() error { _, err := NewMLE().Fit(X, nn); return err },
		"discard":   func() error { e := NewTwoNN(); e.DiscardFraction = 1; _, err := e.Fit(X, nil); return err },
		"mle k":     func() error { e := NewMLE(); e.K = 1; _, err := e.Fit(X, nil); return err },
		"comb":      func() error { e := NewMLE(); e.K = 4; e.Comb = 9; _, err := e.Fit(X, nn); return err },
		"corrint":   func() error { e := NewCorrInt(); e.K1 = 20; _, err := e.Fit(X, nil); return err },
		"empty":     func() error { _, err := NewLPCA().Fit(&mat.Dense{}, nil); return err },
		"nil":       func() error { _, err := NewTLE().Fit(nil, nil); return err },
		"gride":     func() error { e := NewGRIDE(); e.D0 = 0; _, err := e.Fit(X, nil); return err },
		"dedup+nn":  func() error { e := NewTwoNN(); e.Dedup = true; _, err := e.Fit(X, nn); return err },
		"nn rows":   func() error { _, err := NewTwoNN().Fit(X.Slice(0, 40, 0, 3).(*mat.Dense), nn); return err },
		"bootstrap": func() error { _, err := Bootstrap(X, NewTwoNN(), 1, 0.9, 0); return err },
		"level":     func() error { _, err := Bootstrap(X, NewTwoNN(), 10, 1, 0); return err },
	} {
		if err := f(); err == nil || !strings.HasPrefix(err.Error(), "intrinsic: ") && !strings.HasPrefix(err.Error(), "knn: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

// TestBootstrap checks determinism under a seed, that the interval is
// ordered around the bulk of the replicates, and that it covers the true
// dimension of a 3-cube for TwoNN.
func TestBootstrap(t *testing.T) {
	X, _ := synthetic.Cube(800, 3, synthetic.Embed{Ambient: 6, Rotate: true, Seed: 4})
	a, err := Bootstrap(X, NewTwoNN(), 40, 0.95, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Bootstrap(X, NewTwoNN(), 40, 0.95, 1)
	if a.Lo != b.Lo || a.Hi != b.Hi {
		t.Error("bootstrap not deterministic under a seed")
	}
	if !(a.Lo < a.Hi) || a.Lo > 3 || a.Hi < 3 || len(a.Replicates) != 40 {
		t.Errorf("interval [%v, %v] around %v should cover 3", a.Lo, a.Hi, a.Estimate)
	}
	t.Logf("TwoNN %.3f, 95%% interval [%.3f, %.3f]", a.Estimate, a.Lo, a.Hi)
}

// TestGRIDEScales checks the scale structure, that the error shrinks with
// the scale as the Fisher information grows, and that a 3-sphere (no
// boundary to bias the large scales) gives about 3 at every scale.
func TestGRIDEScales(t *testing.T) {
	X, _ := synthetic.Sphere(1000, 3, synthetic.Embed{Ambient: 6, Rotate: true, Seed: 2})
	sc, _, err := NewGRIDE().FitScales(X, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc) != 6 || sc[0].N1 != 1 || sc[5].N2 != 64 {
		t.Fatalf("scales %+v", sc)
	}
	for i, s := range sc {
		t.Logf("n1=%d n2=%d dim %.3f +- %.3f radius %.3f", s.N1, s.N2, s.Dim, s.StdErr, s.Radius)
		if i > 0 && !(s.StdErr < sc[i-1].StdErr && s.Radius > sc[i-1].Radius) {
			t.Errorf("scale %d: error %v radius %v not monotone", i, s.StdErr, s.Radius)
		}
		if math.Abs(s.Dim-3) > 0.3 {
			t.Errorf("scale %d: dim %v, want about 3", i, s.Dim)
		}
	}
}

// TestFitAll checks that the shared-search convenience gives each
// estimator's own result, and that Dedup applies once to all.
func TestFitAll(t *testing.T) {
	X, _ := synthetic.Sphere(600, 3, synthetic.Embed{Ambient: 6, Rotate: true, Seed: 8})
	all, err := FitAll(X, Common{}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	es := Defaults(Common{}, false)
	if len(all) != len(es) || len(all) != 11 {
		t.Fatalf("%d results for %d estimators", len(all), len(es))
	}
	for i, e := range es {
		own, err := e.Fit(X, nil)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(own.Dim-all[i].Dim) > 1e-12*own.Dim || own.Method != all[i].Method {
			t.Errorf("%s: shared search %v, own %v", own.Method, all[i].Dim, own.Dim)
		}
	}
	dup := mat.NewDense(601, 6, nil)
	dup.Slice(0, 600, 0, 6).(*mat.Dense).Copy(X)
	dup.SetRow(600, X.RawRowView(5))
	if _, err := FitAll(dup, Common{}, false, nil); err == nil || !strings.Contains(err.Error(), "1 duplicate rows") {
		t.Errorf("duplicates: %v", err)
	}
	dd, err := FitAll(dup, Common{Dedup: true}, false, []Estimator{NewMLE()})
	if err != nil || dd[0].Dim != all[1].Dim || dd[0].Duplicates != 1 {
		t.Errorf("dedup: %v %v", dd, err)
	}
}
