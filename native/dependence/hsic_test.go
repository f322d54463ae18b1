package dependence

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	draw "github.com/subspace-kernel/subspace/native/internal/sample"
)

// TestHSICStatistic compares the statistic with the explicit matrix
// formula trace(K H L H) / n^2 for given kernel widths.
func TestHSICStatistic(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	n := 30
	x, y := draw.Gaussian(rng, n, 2), draw.Gaussian(rng, n, 3)
	const sx, sy = 0.8, 1.3
	testHSICStatistic(t, x, y, sx, sy)
	// wide y: kernel distances through BLAS
	testHSICStatistic(t, x, draw.Gaussian(rng, n, 50), sx, 10)
}

func testHSICStatistic(t *testing.T, x, y *mat.Dense, sx, sy float64) {
	n, _ := x.Dims()
	r, err := HSIC(x, y, HSICOptions{SigmaX: sx, SigmaY: sy})
	if err != nil {
		t.Fatal(err)
	}
	gram := func(m *mat.Dense, s float64) *mat.Dense {
		g := mat.NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				var d mat.VecDense
				d.SubVec(m.RowView(i), m.RowView(j))
				g.Set(i, j, math.Exp(-mat.Dot(&d, &d)/(2*s*s)))
			}
		}
		return g
	}
	h := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			h.Set(i, j, -1/float64(n))
		}
		h.Set(i, i, 1-1/float64(n))
	}
	var p mat.Dense
	p.Product(gram(x, sx), h, gram(y, sy), h)
	want := mat.Trace(&p) / float64(n*n)
	if math.Abs(r.Statistic-want) > 1e-12*math.Abs(want) {
		t.Errorf("HSIC %.15g, want %.15g", r.Statistic, want)
	}
	if !math.IsNaN(r.PValue) {
		t.Errorf("p-value %v without permutations, want NaN", r.PValue)
	}
}

// TestHSICPermutation: a non-monotone dependence (y = x^2 + noise, where
// Pearson correlation is ~0) gives p < 0.01; independent samples give a
// p-value that is not small (> 0.05 at this seed); results are
// reproducible and do not depend on the worker count.
func TestHSICPermutation(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := 200
	x := draw.Gaussian(rng, n, 1)
	y := mat.NewDense(n, 1, nil)
	z := draw.Gaussian(rng, n, 1)
	for i := 0; i < n; i++ {
		y.Set(i, 0, x.At(i, 0)*x.At(i, 0)+0.3*rng.NormFloat64())
	}
	dep, err := HSIC(x, y, HSICOptions{Permutations: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ind, err := HSIC(x, z, HSICOptions{Permutations: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ind1, err := HSIC(x, z, HSICOptions{Permutations: 300, Seed: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dependent: HSIC %.5f p %.4f; independent: HSIC %.5f p %.4f (sigmas %.3f %.3f)", dep.Statistic, dep.PValue, ind.Statistic, ind.PValue, ind.SigmaX, ind.SigmaY)
	if dep.PValue >= 0.01 {
		t.Errorf("dependent data: p = %v, want < 0.01", dep.PValue)
	}
	if ind.PValue <= 0.05 {
		t.Errorf("independent data: p = %v, want > 0.05", ind.PValue)
	}
	if *ind != *ind1 {
		t.Errorf("result depends on workers: %+v vs %+v", ind, ind1)
	}
}

// TestRankFeatures: the target depends on columns 2 (strongly) and 0
// (weakly); column 1 is noise.
func TestRankFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	n := 500
	x := draw.Gaussian(rng, n, 3)
	tg := mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		tg.Set(i, 0, math.Abs(x.At(i, 2))*3+0.5*x.At(i, 0)+0.2*rng.NormFloat64())
	}
	r, err := RankFeatures(x, tg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r[0].Feature != 2 || r[1].Feature != 0 || r[2].Feature != 1 {
		t.Fatalf("ranking %+v, want features 2, 0, 1", r)
	}
	for _, f := range r {
		want, _ := DistanceCorrelation(x.Slice(0, n, f.Feature, f.Feature+1).(*mat.Dense), tg, Options{Method: Naive})
		if math.Abs(f.DCor-want) > 1e-9 {
			t.Errorf("feature %d: %v, naive %v", f.Feature, f.DCor, want)
		}
	}
}
