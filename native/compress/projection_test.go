package compress

import (
	"math"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestProjectionMatchesSklearn checks the density, the magnitude of the
// non-zeros and their fraction against scikit-learn's SparseRandomProjection,
// the Gaussian entry variance against GaussianRandomProjection, and
// johnson_lindenstrauss_min_dim, all run in the same test, plus the
// published values listed in REFERENCES.md.
func TestProjectionMatchesSklearn(t *testing.T) {
	const n, d, k = 10, 900, 200
	minDim := [][2]float64{{1e6, 0.5}, {1e6, 0.1}, {1e6, 0.01}, {1e4, 0.1}, {1e5, 0.1}, {1000, 0.1}, {50, 0.3}, {2, 0.9}}
	var ref struct {
		Density     float64     `json:"density"`
		Magnitudes  [][]float64 `json:"magnitudes"`
		NNZFraction []float64   `json:"nnz_fraction"`
		GaussianVar float64     `json:"gaussian_var"`
		MinDim      []int       `json:"min_dim"`
	}
	pyref.JSON(t, "testdata/projection_ref.py", map[string]any{"n": n, "d": d, "k": k, "min_dim": minDim}, &ref)

	sp, err := NewRandomProjection(d, k, ProjectionOptions{Kind: Sparse, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sp.Density() != ref.Density || sp.Density() != 1.0/30 {
		t.Errorf("density %v, sklearn density_ %v, want 1/sqrt(900)", sp.Density(), ref.Density)
	}
	want := math.Sqrt(1/ref.Density) / math.Sqrt(k)
	comp := sp.Components()
	nnz := 0
	for i := range k {
		for j := range d {
			if v := comp.At(i, j); v != 0 {
				nnz++
				if math.Abs(math.Abs(v)-want) > 1e-12 || math.Abs(math.Abs(v)-ref.Magnitudes[0][0]) > 1e-12 {
					t.Fatalf("non-zero (%d, %d) = %v, want +-%v (sklearn %v)", i, j, v, want, ref.Magnitudes[0])
				}
			}
		}
	}
	if nnz != sp.NonZeros() {
		t.Errorf("Components has %d non-zeros, NonZeros says %d", nnz, sp.NonZeros())
	}
	// Both fractions are means of k d Bernoulli(density) draws: within 4
	// standard errors of density and of each other.
	se := math.Sqrt(ref.Density * (1 - ref.Density) / float64(k*d))
	frac := float64(nnz) / float64(k*d)
	for _, f := range append(ref.NNZFraction, frac) {
		if math.Abs(f-ref.Density) > 4*se {
			t.Errorf("non-zero fraction %v, density %v +- %v", f, ref.Density, 4*se)
		}
	}
	g, _ := NewRandomProjection(d, k, ProjectionOptions{Seed: 2})
	gc := g.Components()
	var s, s2 float64
	for i := range k {
		for j := range d {
			v := gc.At(i, j)
			s += v
			s2 += v * v
		}
	}
	m := float64(k * d)
	v := s2/m - (s/m)*(s/m)
	// Variance of a sample variance of normals: 2 sigma^4 / m.
	if tol := 4 * math.Sqrt(2/m) / k; math.Abs(v-1.0/k) > tol || math.Abs(ref.GaussianVar-1.0/k) > tol {
		t.Errorf("Gaussian entry variance %v (sklearn %v), want 1/k = %v +- %v", v, ref.GaussianVar, 1.0/k, tol)
	}
	published := []int{663, 11841, 1112658, 7894, 9868, 5920}
	for i, nm := range minDim {
		got, err := JLMinDim(int(nm[0]), nm[1])
		if err != nil {
			t.Fatal(err)
		}
		if got != ref.MinDim[i] || (i < len(published) && got != published[i]) {
			t.Errorf("JLMinDim(%v, %v) = %d, sklearn %d", nm[0], nm[1], got, ref.MinDim[i])
		}
	}
}

// sqDistRatios returns ||p(x_i) - p(x_j)||^2 / ||x_i - x_j||^2 over all pairs.
func sqDistRatios(x, z *mat32.Dense) []float64 {
	n, _ := x.Dims()
	var out []float64
	for i := range n {
		for j := i + 1; j < n; j++ {
			a := euclid64(x.Row(i), x.Row(j))
			b := euclid64(z.Row(i), z.Row(j))
			out = append(out, b*b/(a*a))
		}
	}
	return out
}

// TestJLBound projects n points to JLMinDim(n, eps) dimensions and counts
// the pairs whose squared distance ratio leaves (1-eps, 1+eps): the lemma's
// union bound allows each pair to fail with probability at most 2/n^2
// (so that all pairs hold with probability >= 1 - 1/n). Measured over
// three seeds of 44,850 pairs, for both kinds.
func TestJLBound(t *testing.T) {
	const n, d, eps = 300, 1000, 0.5
	k, err := JLMinDim(n, eps)
	if err != nil {
		t.Fatal(err)
	}
	x := gaussian32(5, n, d)
	for _, kind := range []ProjectionKind{Gaussian, Sparse} {
		fail, total := 0, 0
		var mean float64
		for seed := range uint64(3) {
			p, err := NewRandomProjection(d, k, ProjectionOptions{Kind: kind, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			z, err := p.Transform(x)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range sqDistRatios(x, z) {
				total++
				mean += r
				if r <= 1-eps || r >= 1+eps {
					fail++
				}
			}
		}
		mean /= float64(total)
		bound := 2.0 / (n * n)
		t.Logf("%v, k = %d: %d of %d pairs outside (1 +- %v), bound %.2g a pair; mean ratio %.4f", kind, k, fail, total, eps, bound, mean)
		if float64(fail) > bound*float64(total) {
			t.Errorf("%v: %d of %d pairs outside the JL bound, more than 2/n^2 a pair", kind, fail, total)
		}
		if math.Abs(mean-1) > 0.01 {
			t.Errorf("%v: mean squared distance ratio %v, want 1 (unbiased)", kind, mean)
		}
	}
}

// TestGaussianRatioDistribution checks, at a small k, that the fraction of
// pairs outside (1 +- eps) matches the exact chi-square tail (each ratio
// is chi2_k / k for a Gaussian projection), computed by scipy in the same run.
func TestGaussianRatioDistribution(t *testing.T) {
	const n, d, k, eps = 120, 400, 24, 0.3
	x := gaussian32(8, n, d)
	var ratios []float64
	for seed := range uint64(4) {
		p, _ := NewRandomProjection(d, k, ProjectionOptions{Seed: 10 + seed})
		z, err := p.Transform(x)
		if err != nil {
			t.Fatal(err)
		}
		ratios = append(ratios, sqDistRatios(x, z)...)
	}
	var want float64
	pyref.JSON(t, "import json,sys; from scipy.stats import chi2; k,e=24,0.3; print(json.dumps(chi2.cdf(k*(1-e),k)+chi2.sf(k*(1+e),k)))", nil, &want)
	out := 0
	for _, r := range ratios {
		if r <= 1-eps || r >= 1+eps {
			out++
		}
	}
	got := float64(out) / float64(len(ratios))
	// Pairs sharing a point are dependent: allow 6 independent-pair standard errors.
	se := math.Sqrt(want * (1 - want) / float64(len(ratios)))
	if math.Abs(got-want) > 6*se+0.01 {
		t.Errorf("fraction outside (1 +- %v) = %.4f, chi-square tail %.4f", eps, got, want)
	}
}

// TestProjectionTransform checks Transform against the dense product with
// Components in float64, for both kinds.
func TestProjectionTransform(t *testing.T) {
	x := gaussian32(1, 50, 64)
	for _, kind := range []ProjectionKind{Gaussian, Sparse} {
		p, err := NewRandomProjection(64, 16, ProjectionOptions{Kind: kind, Density: 0.2, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		z, err := p.Transform(x)
		if err != nil {
			t.Fatal(err)
		}
		c := p.Components()
		for i := range 50 {
			for o := range 16 {
				var s float64
				for j := range 64 {
					s += float64(x.At(i, j)) * c.At(o, j)
				}
				if math.Abs(float64(z.At(i, o))-s) > 1e-4*math.Max(1, math.Abs(s)) {
					t.Fatalf("%v: z(%d, %d) = %v, want %v", kind, i, o, z.At(i, o), s)
				}
			}
		}
	}
}
