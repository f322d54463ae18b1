package subspace

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func col(v ...float64) *mat.Dense { return mat.NewDense(len(v), 1, v) }

// One-dimensional reference 1..9, where every depth has a closed form.
func TestDepth1D(t *testing.T) {
	ref := col(1, 2, 3, 4, 5, 6, 7, 8, 9)
	x := col(5, 2.5, 8, 3, 20)
	opts := DepthOptions{Directions: 4, Seed: 1}
	sp, err := SpatialDepth(x, ref, opts)
	if err != nil {
		t.Fatal(err)
	}
	// 1 - |#below - #above| / 9 (a coincident point counts for neither)
	wantSp := []float64{1, 1 - 5.0/9, 1 - 6.0/9, 1 - 4.0/9, 0}
	hs, _ := HalfspaceDepth(x, ref, opts)
	wantHs := []float64{5.0 / 9, 2.0 / 9, 2.0 / 9, 3.0 / 9, 0}
	pd, _ := ProjectionDepth(x, ref, opts)
	// median 5, MAD 2: 1 / (1 + |x - 5| / 2)
	wantPd := []float64{1, 1 / (1 + 1.25), 1 / (1 + 1.5), 1 / (1 + 1.0), 1 / (1 + 7.5)}
	md, _ := MahalanobisDepth(x, ref)
	// variance of 1..9 (ddof 1) = 7.5
	wantMd := []float64{1, 1 / (1 + 6.25/7.5), 1 / (1 + 9/7.5), 1 / (1 + 4/7.5), 1 / (1 + 225/7.5)}
	for i := range wantSp {
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"spatial", sp[i], wantSp[i]}, {"halfspace", hs[i], wantHs[i]}, {"projection", pd[i], wantPd[i]}, {"mahalanobis", md[i], wantMd[i]}} {
			if math.Abs(c.got-c.want) > 1e-12 {
				t.Errorf("%s depth of %v: got %.15g, want %.15g", c.name, x.At(i, 0), c.got, c.want)
			}
		}
	}
}

// TestSpatialDepthBruteForce compares the blocked BLAS computation with
// the definition in 5-D, with queries that coincide with reference points.
func TestSpatialDepthBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	ref := sample.Gaussian(rng, 1500, 5)
	x := sample.Gaussian(rng, 300, 5)
	x.SetRow(3, ref.RawRowView(10))
	got, err := SpatialDepth(x, ref, DepthOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i += 7 {
		v := make([]float64, 5)
		for j := 0; j < 1500; j++ {
			var nr float64
			diff := make([]float64, 5)
			for k := range diff {
				diff[k] = x.At(i, k) - ref.At(j, k)
				nr += diff[k] * diff[k]
			}
			if nr == 0 {
				continue
			}
			for k := range v {
				v[k] += diff[k] / math.Sqrt(nr)
			}
		}
		want := 1 - mat.Norm(mat.NewVecDense(5, v), 2)/1500
		if math.Abs(got[i]-want) > 1e-10 {
			t.Errorf("query %d: %.15g, want %.15g", i, got[i], want)
		}
	}
}

// Mahalanobis depth of the mean is 1; halfspace depth of the centre of a
// symmetric 2-D sample is close to 1/2 and random-direction halfspace
// depth is never below the exact depth (computed over a fine grid of
// directions for 2-D).
func TestDepthProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	ref := sample.Gaussian(rng, 500, 3)
	mean := mat.NewDense(1, 3, colMeans(ref))
	md, err := MahalanobisDepth(mean, ref)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(md[0]-1) > 1e-15 {
		t.Errorf("Mahalanobis depth of the mean: %v, want 1", md[0])
	}
	ref2 := sample.Gaussian(rng, 400, 2)
	x := sample.Gaussian(rng, 30, 2)
	approx, _ := HalfspaceDepth(x, ref2, DepthOptions{Directions: 50, Seed: 3})
	fine := make([]float64, 30)
	for i := range fine {
		fine[i] = math.Inf(1)
	}
	for a := 0; a < 20000; a++ {
		th := 2 * math.Pi * float64(a) / 20000
		c, s := math.Cos(th), math.Sin(th)
		for i := 0; i < 30; i++ {
			p := c*x.At(i, 0) + s*x.At(i, 1)
			cnt := 0
			for j := 0; j < 400; j++ {
				if c*ref2.At(j, 0)+s*ref2.At(j, 1) >= p {
					cnt++
				}
			}
			fine[i] = math.Min(fine[i], float64(cnt)/400)
		}
	}
	for i := range fine {
		if approx[i] < fine[i]-1e-12 {
			t.Errorf("point %d: random-direction depth %v below the exact %v", i, approx[i], fine[i])
		}
		if approx[i]-fine[i] > 0.03 {
			t.Errorf("point %d: 50 directions give %v, exact %v", i, approx[i], fine[i])
		}
	}
	c, _ := HalfspaceDepth(mat.NewDense(1, 2, nil), ref2, DepthOptions{Seed: 3})
	// the minimum over directions of the fraction on one side fluctuates
	// by about 2.5 standard deviations (0.06 at n = 400) below 1/2
	if math.Abs(c[0]-0.5) > 0.1 {
		t.Errorf("halfspace depth of the centre: %v, want 0.5 +- 0.1", c[0])
	}
	if _, err := MahalanobisDepth(mean, sample.Gaussian(rng, 3, 3)); err == nil || !strings.Contains(err.Error(), "singular") {
		t.Errorf("n <= d: %v", err)
	}
	if _, err := SpatialDepth(sample.Gaussian(rng, 2, 3), sample.Gaussian(rng, 5, 4), DepthOptions{}); err == nil || !strings.Contains(err.Error(), "columns") {
		t.Errorf("column mismatch: %v", err)
	}
}

const mwScript = `
import json, sys
from scipy.stats import mannwhitneyu
inp = json.load(sys.stdin)
out = []
for a, b in inp:
    r = mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    out.append([float(r.statistic), float(r.pvalue)])
print(json.dumps(out))
`

// TestRankTest: p-value not small for two samples of one Gaussian, tiny
// for a shifted one (all seeded, several depths), and U, p equal to
// scipy's mannwhitneyu on the same depths.
func TestRankTest(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	const d = 8
	x := sample.Gaussian(rng, 400, d)
	same := sample.Gaussian(rng, 200, d)
	shifted := sample.Gaussian(rng, 200, d)
	for i := 0; i < 200; i++ {
		for j := 0; j < d; j++ {
			shifted.Set(i, j, shifted.At(i, j)+1)
		}
	}
	var pairs [][2][]float64
	for _, kind := range []Depth{DepthSpatial, DepthMahalanobis, DepthProjection, DepthHalfspace} {
		opts := RankTestOptions{Depth: kind, DepthOptions: DepthOptions{Directions: 300, Seed: 2}, SplitSeed: 9}
		r0, err := SameDistributionTest(x, same, opts)
		if err != nil {
			t.Fatal(err)
		}
		r1, err := SameDistributionTest(x, shifted, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%v: same Q %.3f p %.3g; shifted Q %.3f p %.3g", kind, r0.Q, r0.PValue, r1.Q, r1.PValue)
		if r0.PValue < 0.05 {
			t.Errorf("%v: same distribution p = %.3g, want >= 0.05", kind, r0.PValue)
		}
		if r1.PValue > 1e-6 || r1.Q >= 0.5 {
			t.Errorf("%v: shifted p = %.3g Q = %.3f, want p < 1e-6 and Q < 0.5", kind, r1.PValue, r1.Q)
		}
		pairs = append(pairs, [2][]float64{r0.DepthY, r0.DepthX}, [2][]float64{r1.DepthY, r1.DepthX})
	}
	pairs = append(pairs, [2][]float64{{1, 2, 2, 3, 3, 3}, {2, 3, 4, 4, 5}})
	var ref [][2]float64
	pyref.JSON(t, mwScript, pairs, &ref)
	if _, err := MannWhitney(nil, []float64{1}); err == nil {
		t.Errorf("empty sample accepted")
	}
	for i, p := range pairs {
		r, err := MannWhitney(p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.U-ref[i][0]) > 1e-9 || math.Abs(r.PValue-ref[i][1]) > 1e-9*math.Max(ref[i][1], 1e-300) {
			t.Errorf("pair %d: U %v p %.15g, scipy %v %.15g", i, r.U, r.PValue, ref[i][0], ref[i][1])
		}
	}
}
