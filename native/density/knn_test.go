package density

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// TestKNNDensityBruteForce checks the formula against k-th distances
// found by sorting all distances, for queries and for the data points
// themselves (self excluded, sample size n-1).
func TestKNNDensityBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const n, d, k = 150, 3, 4
	data := sample.Gaussian(rng, n, d)
	q := sample.Gaussian(rng, 20, d)
	kthBrute := func(x []float64, skip int) float64 {
		var ds []float64
		for j := 0; j < n; j++ {
			if j == skip {
				continue
			}
			ds = append(ds, mat.Norm(mat.NewVecDense(d, sub(x, data.RawRowView(j))), 2))
		}
		sort.Float64s(ds)
		return ds[k-1]
	}
	logV := math.Log(4.0 / 3 * math.Pi) // unit ball in 3-D
	if math.Abs(LogUnitBallVolume(3)-logV) > 1e-14 || math.Abs(LogUnitBallVolume(2)-math.Log(math.Pi)) > 1e-14 {
		t.Fatalf("unit ball volume: got %v, %v", LogUnitBallVolume(3), LogUnitBallVolume(2))
	}
	got, err := KNNLogDensity(data, q, k, KNNOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		r := kthBrute(q.RawRowView(i), -1)
		want := math.Log(k) - math.Log(n) - logV - d*math.Log(r)
		if !relClose(got[i], want, 1e-10) {
			t.Errorf("query %d: got %.12g, want %.12g", i, got[i], want)
		}
	}
	self, err := KNNLogDensitySelf(data, k, KNNOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range self {
		r := kthBrute(data.RawRowView(i), i)
		want := math.Log(k) - math.Log(n-1) - logV - d*math.Log(r)
		if !relClose(self[i], want, 1e-10) {
			t.Errorf("self %d: got %.12g, want %.12g", i, self[i], want)
		}
	}
}

func sub(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// TestKNNDensityUniform: for uniform data on the unit square (density 1),
// n V_d r_k^d is approximately Gamma(k, 1), so log p_hat at an interior
// point has mean log k - digamma(k) (0.0508 for k = 10) and standard
// deviation sqrt(trigamma(k)) = 0.324. The mean over 400 interior queries
// must be within 0.06 (about 4 standard errors) of 0.0508.
func TestKNNDensityUniform(t *testing.T) {
	const n, k, m = 20000, 10, 400
	rng := rand.New(rand.NewPCG(9, 10))
	data := mat.NewDense(n, 2, nil)
	for i := 0; i < n; i++ {
		data.Set(i, 0, rng.Float64())
		data.Set(i, 1, rng.Float64())
	}
	q := mat.NewDense(m, 2, nil)
	for i := 0; i < m; i++ {
		q.Set(i, 0, 0.1+0.8*rng.Float64())
		q.Set(i, 1, 0.1+0.8*rng.Float64())
	}
	got, err := KNNLogDensity(data, q, k, KNNOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var mean float64
	for _, v := range got {
		mean += v
	}
	mean /= m
	const want = 0.0508 // log(10) - digamma(10)
	if math.Abs(mean-want) > 0.06 {
		t.Errorf("mean log density %.4f, want %.4f +- 0.06", mean, want)
	}
	t.Logf("mean log density %.4f (expected %.4f)", mean, want)
}

func TestKNNDensityErrors(t *testing.T) {
	dup := mat.NewDense(4, 1, []float64{1, 1, 2, 3})
	cases := []struct {
		name string
		f    func() error
		want string
	}{
		{"k too big", func() error { _, err := KNNLogDensity(dup, dup, 4, KNNOptions{}); return err }, "k = 4"},
		{"self k too big", func() error { _, err := KNNLogDensitySelf(dup, 4, KNNOptions{}); return err }, "k = 4"},
		{"duplicate", func() error { _, err := KNNLogDensitySelf(dup, 1, KNNOptions{}); return err }, "point 0"},
		{"dims", func() error { _, err := KNNLogDensity(dup, mat.NewDense(1, 2, nil), 1, KNNOptions{}); return err }, "columns"},
		{"zero distance", func() error { _, err := KNNLogDensityFromDistances([]float64{1, 0}, 5, 2, 1); return err }, "point 1"},
	}
	for _, c := range cases {
		err := c.f()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
