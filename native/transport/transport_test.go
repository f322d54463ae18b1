package transport

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func gaussian(seed uint64, n, d int, shift float64) *mat.Dense {
	x := sample.Gaussian(rand.New(rand.NewPCG(seed, 9)), n, d)
	raw := x.RawMatrix().Data
	for k := range raw {
		raw[k] += shift
	}
	return x
}

// TestIdentical: every distance between a cloud and itself is 0.
func TestIdentical(t *testing.T) {
	x := gaussian(1, 200, 7, 0)
	for _, p := range []float64{1, 2, 3.5} {
		sw, err := SlicedWasserstein(x, x, Options{P: p, Projections: 30})
		if err != nil || sw != 0 {
			t.Errorf("p=%v: SW(X, X) = %v, %v", p, sw, err)
		}
		ms, err := MaxSlicedWasserstein(x, x, Options{P: p, RefineSteps: 3})
		if err != nil || ms.Distance != 0 {
			t.Errorf("p=%v: max-SW(X, X) = %v, %v", p, ms, err)
		}
	}
	w := make([]float64, 200)
	for i := range w {
		w[i] = float64(i%5 + 1)
	}
	if sw, err := SlicedWasserstein(x, x, Options{WeightsX: w, WeightsY: w}); err != nil || math.Abs(sw) > 1e-12 {
		t.Errorf("weighted SW(X, X) = %v, %v", sw, err)
	}
}

// TestGaussians1D: in one dimension every direction is +-1, so SW_2 is
// W_2, which between N(m1, s1^2) and N(m2, s2^2) is
// sqrt((m1 - m2)^2 + (s1 - s2)^2); samples of 20,000 and 15,000 points
// agree within sampling error (tolerance 0.04, about 4 standard errors).
func TestGaussians1D(t *testing.T) {
	const m1, s1, m2, s2 = 1.0, 2.0, -0.5, 0.5
	x := gaussian(2, 20000, 1, 0)
	x.Scale(s1, x)
	y := gaussian(3, 15000, 1, 0)
	y.Scale(s2, y)
	for i := 0; i < 20000; i++ {
		x.Set(i, 0, x.At(i, 0)+m1)
	}
	for i := 0; i < 15000; i++ {
		y.Set(i, 0, y.At(i, 0)+m2)
	}
	want := math.Hypot(m1-m2, s1-s2)
	sw, err := SlicedWasserstein(x, y, Options{Projections: 5})
	if err != nil {
		t.Fatal(err)
	}
	w1, _ := Wasserstein1D(x.RawMatrix().Data, y.RawMatrix().Data, nil, nil, 2)
	t.Logf("SW_2 %.4f, W_2 %.4f, closed form %.4f", sw, w1, want)
	if math.Abs(sw-want) > 0.04 || math.Abs(w1-sw) > 1e-12 {
		t.Errorf("SW_2 = %v, W_2 = %v, want %v", sw, w1, want)
	}
}

// potScript computes POT's sliced and max-sliced distances with the given
// directions for every job, and scipy's 1-D Wasserstein distance.
const potScript = `
import json, sys
import numpy as np, ot, scipy.stats
req = json.load(sys.stdin)
theta = np.load(req["theta"])
out = []
for j in req["jobs"]:
    x, y = np.load(j["x"]), np.load(j["y"])
    a = None if j["a"] is None else np.array(j["a"]) / np.sum(j["a"])
    b = None if j["b"] is None else np.array(j["b"]) / np.sum(j["b"])
    # POT 0.8.2 divides by n_projections even when projections are given:
    # pass their number.
    sw = ot.sliced_wasserstein_distance(x, y, a, b, p=j["p"], projections=theta, n_projections=theta.shape[1])
    msw = ot.max_sliced_wasserstein_distance(x, y, a, b, p=j["p"], projections=theta)
    out.append([float(sw), float(msw)])
u, v = np.load(req["x"])[:, 0], np.load(req["y"])[:, 0]
w1 = scipy.stats.wasserstein_distance(u, v, np.array(req["wu"]), np.array(req["wv"]))
print(json.dumps({"jobs": out, "w1": float(w1)}))
`

// TestPOT compares with POT (ot.sliced_wasserstein_distance and
// ot.max_sliced_wasserstein_distance) in the same run, given our
// directions: equal and unequal sizes, weights, p = 1, 2, 3; and
// Wasserstein1D with scipy.stats.wasserstein_distance (p = 1, weighted).
func TestPOT(t *testing.T) {
	x := gaussian(4, 300, 5, 0)
	y := gaussian(5, 300, 5, 0.4)
	z := gaussian(6, 170, 5, -0.2)
	theta, err := RandomDirections(5, 40, 11)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	wx, wz := make([]float64, 300), make([]float64, 170)
	for i := range wx {
		wx[i] = rng.Float64()
	}
	for i := range wz {
		wz[i] = rng.Float64()
	}
	type job struct {
		name   string
		a, b   *mat.Dense
		wa, wb []float64
		p      float64
	}
	jobs := []*job{
		{name: "equal sizes p=2", a: x, b: y, p: 2},
		{name: "equal sizes p=1", a: x, b: y, p: 1},
		{name: "equal sizes p=3", a: x, b: y, p: 3},
		{name: "unequal sizes p=2", a: x, b: z, p: 2},
		{name: "unequal sizes p=3", a: x, b: z, p: 3},
		{name: "weighted p=2", a: x, b: z, wa: wx, wb: wz, p: 2},
	}
	var in []map[string]any
	for _, j := range jobs {
		in = append(in, map[string]any{"x": pyref.WriteNPY(t, j.a), "y": pyref.WriteNPY(t, j.b), "a": j.wa, "b": j.wb, "p": j.p})
	}
	var want struct {
		Jobs [][2]float64 `json:"jobs"`
		W1   float64      `json:"w1"`
	}
	pyref.JSON(t, potScript, map[string]any{
		"theta": pyref.WriteNPY(t, theta), "jobs": in,
		"x": pyref.WriteNPY(t, x), "y": pyref.WriteNPY(t, z), "wu": wx, "wv": wz,
	}, &want)
	for k, j := range jobs {
		opts := Options{Directions: theta, P: j.p, WeightsX: j.wa, WeightsY: j.wb}
		sw, err := SlicedWasserstein(j.a, j.b, opts)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := MaxSlicedWasserstein(j.a, j.b, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what      string
			got, want float64
		}{{"SW", sw, want.Jobs[k][0]}, {"max-SW", ms.Distance, want.Jobs[k][1]}} {
			if math.Abs(c.got-c.want) > 1e-10*c.want {
				t.Errorf("%s: %s %.15g, POT %.15g", j.name, c.what, c.got, c.want)
			}
		}
	}
	w1, err := Wasserstein1D(mat.Col(nil, 0, x), mat.Col(nil, 0, z), wx, wz, 1)
	if err != nil || math.Abs(w1-want.W1) > 1e-12*want.W1 {
		t.Errorf("Wasserstein1D p=1 weighted: %.15g (%v), scipy %.15g", w1, err, want.W1)
	}
}

// TestMaxSlicedRefine: between N(0, I) and N(mu, I) in 12 dimensions the
// max-sliced W_2 is |mu| = 3, reached along mu; 20 random directions fall
// short, the refinement reaches it (within sampling error) and finds mu's
// direction.
func TestMaxSlicedRefine(t *testing.T) {
	const d = 12
	x := gaussian(8, 3000, d, 0)
	y := gaussian(9, 3000, d, 0)
	mu := make([]float64, d)
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range mu {
		mu[i] = rng.NormFloat64()
	}
	norm := math.Sqrt(floats.Dot(mu, mu))
	for i := 0; i < 3000; i++ {
		row := y.RawRowView(i)
		for c := range row {
			row[c] += 3 * mu[c] / norm
		}
	}
	plain, err := MaxSlicedWasserstein(x, y, Options{Projections: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	refined, err := MaxSlicedWasserstein(x, y, Options{Projections: 20, Seed: 1, RefineSteps: 20})
	if err != nil {
		t.Fatal(err)
	}
	cos := math.Abs(floats.Dot(refined.Direction, mu)) / norm
	t.Logf("random search %.3f, refined %.3f after %d steps, |cos(direction, mu)| %.4f", plain.Distance, refined.Distance, refined.Steps, cos)
	if plain.Distance > 2.9 || math.Abs(refined.Distance-3) > 0.1 || cos < 0.99 || refined.Steps == 0 {
		t.Errorf("max-SW: random %v, refined %v (want 3 +- 0.1), cos %v", plain.Distance, refined.Distance, cos)
	}
	for _, p := range []float64{1, 3} {
		r, err := MaxSlicedWasserstein(x, y, Options{Projections: 20, Seed: 1, RefineSteps: 20, P: p})
		pl, _ := MaxSlicedWasserstein(x, y, Options{Projections: 20, Seed: 1, P: p})
		if err != nil || r.Distance < pl.Distance || math.Abs(r.Distance-3) > 0.15 {
			t.Errorf("p=%v: refined %v, random %v, want about 3 (%v)", p, r.Distance, pl.Distance, err)
		}
	}
}

// TestSeeds: the same seed gives the same directions and value, another
// seed other directions; Directions passed in override the seed.
func TestSeeds(t *testing.T) {
	x, y := gaussian(10, 100, 4, 0), gaussian(11, 120, 4, 1)
	a, _ := SlicedDetail(x, y, Options{Seed: 3})
	b, _ := SlicedDetail(x, y, Options{Seed: 3})
	c, _ := SlicedDetail(x, y, Options{Seed: 4})
	if a.Distance != b.Distance || a.Distance == c.Distance || len(a.PerDirection) != 50 {
		t.Errorf("seeds: %v %v %v (%d directions)", a.Distance, b.Distance, c.Distance, len(a.PerDirection))
	}
	d, _ := SlicedDetail(x, y, Options{Seed: 99, Directions: a.Directions})
	if d.Distance != a.Distance {
		t.Errorf("given directions: %v, want %v", d.Distance, a.Distance)
	}
	for j := 0; j < 50; j++ {
		if n := mat.Norm(a.Directions.ColView(j), 2); math.Abs(n-1) > 1e-14 {
			t.Fatalf("direction %d has norm %v", j, n)
		}
	}
}

func TestErrors(t *testing.T) {
	x, y := gaussian(1, 10, 3, 0), gaussian(2, 8, 4, 0)
	nan := gaussian(3, 5, 3, 0)
	nan.Set(2, 1, math.NaN())
	wide, _ := RandomDirections(4, 5, 1)
	zero := mat.NewDense(3, 2, []float64{1, 0, 0, 0, 0, 0})
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil", second(SlicedWasserstein(nil, x, Options{})), "transport: X is nil"},
		{"cols", second(SlicedWasserstein(x, y, Options{})), "X has 3 columns but Y has 4"},
		{"nan", second(SlicedWasserstein(x, nan, Options{})), "Y has a non-finite value NaN at row 2, column 1"},
		{"p", second(SlicedWasserstein(x, x, Options{P: 0.5})), "p = 0.5, want a finite p >= 1"},
		{"projections", second(SlicedWasserstein(x, x, Options{Projections: -2})), "Projections = -2"},
		{"directions rows", second(SlicedWasserstein(x, x, Options{Directions: wide})), "Directions has 4 rows but the points have 3 columns"},
		{"zero direction", second(SlicedWasserstein(x, x, Options{Directions: zero})), "Directions: column 1 is zero"},
		{"weights len", second(SlicedWasserstein(x, x, Options{WeightsX: []float64{1}})), "WeightsX has 1 entries for 10 points"},
		{"weights neg", second(SlicedWasserstein(x, x, Options{WeightsY: make([]float64, 10)})), "WeightsY sum to 0"},
		{"refine", second(MaxSlicedWasserstein(x, x, Options{RefineSteps: -1})), "RefineSteps = -1"},
		{"1d empty", second(Wasserstein1D(nil, []float64{1}, nil, nil, 1)), "u is empty"},
		{"1d weight", second(Wasserstein1D([]float64{1, 2}, []float64{1}, []float64{1, -1}, nil, 1)), "weights of u: entry 1 is -1"},
		{"1d inf", second(Wasserstein1D([]float64{1}, []float64{math.Inf(1)}, nil, nil, 1)), "v has a non-finite value +Inf at row 0"},
		{"dirs", second(RandomDirections(0, 3, 1)), "want d >= 1"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// ExampleSlicedWasserstein: two clouds 1 apart along every axis.
func ExampleSlicedWasserstein() {
	x := gaussian(1, 2000, 3, 0)
	y := gaussian(2, 2000, 3, 1)
	sw, _ := SlicedWasserstein(x, y, Options{Projections: 2000, Seed: 1})
	// Along a direction theta the shift is sum(theta); its mean square over
	// the sphere is 3/3 = 1, so SW_2 is about 1.
	fmt.Printf("%.1f\n", sw)
	// Output: 1.0
}

// TestSorter compares the radix sort with slices.Sort on values of every
// sign and scale, ties, signed zeros and infinities, below and above the
// radix threshold.
func TestSorter(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	var s sorter
	for _, n := range []int{1, 7, radixMin - 1, radixMin, 5000, 20000} {
		v := make([]float64, n)
		for i := range v {
			switch rng.IntN(6) {
			case 0:
				v[i] = rng.NormFloat64() * 1e-300
			case 1:
				v[i] = math.Copysign(0, rng.NormFloat64())
			case 2:
				v[i] = float64(rng.IntN(5) - 2) // ties
			case 3:
				v[i] = math.Inf(2*rng.IntN(2) - 1)
			default:
				v[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
			}
		}
		want := append([]float64(nil), v...)
		slices.Sort(want)
		s.sort(v)
		for i := range v {
			if v[i] != want[i] {
				t.Fatalf("n=%d: position %d is %v, slices.Sort has %v", n, i, v[i], want[i])
			}
		}
	}
}
