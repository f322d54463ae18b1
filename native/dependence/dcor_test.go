package dependence

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	draw "github.com/subspace-kernel/subspace/native/internal/sample"
)

// Known values from dcor (REFERENCES.md).
func TestDistanceCorrelationKnownValues(t *testing.T) {
	a := mat.NewDense(4, 4, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	b := mat.NewDense(4, 1, []float64{1, 0, 0, 1})
	cases := []struct {
		name string
		x, y *mat.Dense
		opts Options
		want float64
	}{
		{"a,b", a, b, Options{}, 0.5266403},
		{"a,b exponent 0.5", a, b, Options{Exponent: 0.5}, 0.6703214},
		{"a,a", a, a, Options{}, 1},
		{"b,b fast", b, b, Options{Method: Fast}, 1},
		{"b,b naive", b, b, Options{Method: Naive}, 1},
	}
	for _, c := range cases {
		got, err := DistanceCorrelation(c.x, c.y, c.opts)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if math.Abs(got-c.want) > 1e-7 { // the literals carry 7 decimals
			t.Errorf("%s: got %.9f, want %.7f", c.name, got, c.want)
		}
	}
}

// bruteStats computes V and U statistics from explicit double-centred and
// U-centred n x n matrices (the textbook definitions).
func bruteStats(x, y [][]float64, e float64) (v, u float64) {
	n := len(x)
	dist := func(s [][]float64) [][]float64 {
		m := make([][]float64, n)
		for i := range m {
			m[i] = make([]float64, n)
			for j := range m[i] {
				var q float64
				for k := range s[i] {
					q += (s[i][k] - s[j][k]) * (s[i][k] - s[j][k])
				}
				m[i][j] = math.Pow(math.Sqrt(q), e)
			}
		}
		return m
	}
	dc := func(a [][]float64, unbiased bool) [][]float64 {
		row := make([]float64, n)
		var tot float64
		for i := range a {
			for j := range a {
				row[i] += a[i][j]
				tot += a[i][j]
			}
		}
		f := float64(n)
		c := make([][]float64, n)
		for i := range c {
			c[i] = make([]float64, n)
			for j := range c[i] {
				if unbiased {
					if i != j {
						c[i][j] = a[i][j] - row[i]/(f-2) - row[j]/(f-2) + tot/((f-1)*(f-2))
					}
				} else {
					c[i][j] = a[i][j] - row[i]/f - row[j]/f + tot/(f*f)
				}
			}
		}
		return c
	}
	da, db := dist(x), dist(y)
	va, vb := dc(da, false), dc(db, false)
	ua, ub := dc(da, true), dc(db, true)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v += va[i][j] * vb[i][j]
			u += ua[i][j] * ub[i][j]
		}
	}
	f := float64(n)
	return v / (f * f), u / (f * (f - 3))
}

func toRows(m *mat.Dense) [][]float64 {
	r, _ := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = m.RawRowView(i)
	}
	return out
}

// TestAgainstTextbookDefinition compares V and U statistics of both
// algorithms with the explicit centred-matrix definitions, including tied
// values (rounded data) for the fast algorithm.
func TestAgainstTextbookDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	type tc struct {
		name string
		x, y *mat.Dense
		opts Options
	}
	x3, y2 := draw.Gaussian(rng, 40, 3), draw.Gaussian(rng, 40, 2)
	x1, y1 := draw.Gaussian(rng, 60, 1), draw.Gaussian(rng, 60, 1)
	for i := 0; i < 60; i++ {
		y1.Set(i, 0, math.Round(2*(y1.At(i, 0)+x1.At(i, 0)*x1.At(i, 0))))
		if i%3 == 0 {
			x1.Set(i, 0, math.Round(x1.At(i, 0)))
		}
	}
	xw, yw := draw.Gaussian(rng, 50, 40), draw.Gaussian(rng, 50, 33) // BLAS distance path
	for i := 0; i < 50; i++ {
		yw.Set(i, 0, yw.At(i, 0)+xw.At(i, 0)*xw.At(i, 1))
	}
	cases := []tc{
		{"multivariate", x3, y2, Options{}},
		{"wide (BLAS distances)", xw, yw, Options{}},
		{"wide exponent 0.5", xw, yw, Options{Exponent: 0.5}},
		{"multivariate exponent 0.7", x3, y2, Options{Exponent: 0.7}},
		{"1-D fast ties", x1, y1, Options{Method: Fast}},
		{"1-D naive ties", x1, y1, Options{Method: Naive}},
		{"1-D exponent 1.5", x1, y1, Options{Exponent: 1.5}},
	}
	for _, c := range cases {
		s, err := DistanceStats(c.x, c.y, c.opts)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		e := c.opts.Exponent
		if e == 0 {
			e = 1
		}
		v, u := bruteStats(toRows(c.x), toRows(c.y), e)
		vxx, uxx := bruteStats(toRows(c.x), toRows(c.x), e)
		if !close(s.DCovXY, v, 1e-10) || !close(s.UDCovXY, u, 1e-10) || !close(s.DCovXX, vxx, 1e-10) || !close(s.UDCovXX, uxx, 1e-10) {
			t.Errorf("%s (%v): got V %.12g U %.12g Vxx %.12g Uxx %.12g, want %.12g %.12g %.12g %.12g",
				c.name, s.Method, s.DCovXY, s.UDCovXY, s.DCovXX, s.UDCovXX, v, u, vxx, uxx)
		}
	}
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1e-3, math.Abs(b)) }

// TestFastAgreesWithNaive on larger 1-D samples (dependent and
// independent), to 1e-9 relative.
func TestFastAgreesWithNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	n := 1500
	x := make([]float64, n)
	y := make([]float64, n)
	z := make([]float64, n)
	for i := range x {
		x[i] = 100 + rng.NormFloat64()
		y[i] = math.Sin(3*x[i]) + 0.3*rng.NormFloat64()
		z[i] = rng.ExpFloat64()
	}
	for _, pair := range [][2][]float64{{x, y}, {x, z}} {
		f, err := DistanceStats1D(pair[0], pair[1], Options{})
		if err != nil {
			t.Fatal(err)
		}
		if f.Method != Fast {
			t.Fatalf("auto picked %v for 1-D exponent 1", f.Method)
		}
		s, err := DistanceStats1D(pair[0], pair[1], Options{Method: Naive})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range [][2]float64{{f.DCovXY, s.DCovXY}, {f.DCovXX, s.DCovXX}, {f.DCovYY, s.DCovYY},
			{f.UDCovXY, s.UDCovXY}, {f.DCorSqr(), s.DCorSqr()}, {f.UDCorSqr(), s.UDCorSqr()}} {
			if math.Abs(p[0]-p[1]) > 1e-9*math.Max(math.Abs(p[1]), 1e-6) {
				t.Errorf("fast %.15g, naive %.15g", p[0], p[1])
			}
		}
	}
}

// TestIndependenceShrinks: for independent N(0,1) samples the distance
// correlation decreases with n (roughly as n^(-1/2)) and is below 0.1 at
// n = 4000; the bias-corrected squared version stays within 0.005 of 0.
func TestIndependenceShrinks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	prev := math.Inf(1)
	for _, n := range []int{100, 1000, 4000} {
		// average over a few replicates to make the trend robust
		var mean, umean float64
		const reps = 4
		for r := 0; r < reps; r++ {
			x := make([]float64, n)
			y := make([]float64, n)
			for i := range x {
				x[i], y[i] = rng.NormFloat64(), rng.NormFloat64()
			}
			s, err := DistanceStats1D(x, y, Options{})
			if err != nil {
				t.Fatal(err)
			}
			mean += math.Sqrt(s.DCorSqr()) / reps
			umean += s.UDCorSqr() / reps
		}
		t.Logf("n=%d: mean dcor %.4f, mean bias-corrected dcor^2 %.5f", n, mean, umean)
		if mean >= prev {
			t.Errorf("n=%d: dcor %.4f did not decrease (previous %.4f)", n, mean, prev)
		}
		prev = mean
		if math.Abs(umean) > 0.005 {
			t.Errorf("n=%d: bias-corrected dcor^2 %.5f, want |.| < 0.005", n, umean)
		}
	}
	if prev > 0.1 {
		t.Errorf("dcor at n=4000 is %.4f, want < 0.1", prev)
	}
	// multivariate, dependent: y = x rotated + noise is strongly dependent.
	x := draw.Gaussian(rng, 300, 5)
	y := mat.NewDense(300, 5, nil)
	y.Apply(func(i, j int, v float64) float64 { return x.At(i, (j+1)%5) + 0.1*rng.NormFloat64() }, y)
	d, err := DistanceCorrelation(x, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d < 0.9 {
		t.Errorf("dependent multivariate dcor %.4f, want > 0.9", d)
	}
}

func TestDistanceErrors(t *testing.T) {
	a := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})
	b := mat.NewDense(2, 1, []float64{1, 2})
	nan := mat.NewDense(3, 1, []float64{1, math.Inf(1), 2})
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"rows", second(DistanceCorrelation(a, b, Options{})), "3 rows"},
		{"nil", second(DistanceCorrelation(nil, b, Options{})), "nil"},
		{"inf", second(DistanceCorrelation(a, nan, Options{})), "row 1, column 0"},
		{"exponent", second(DistanceCorrelation(a, a, Options{Exponent: 3})), "exponent"},
		{"fast multivariate", second(DistanceCorrelation(a, a, Options{Method: Fast})), "fast algorithm"},
		{"u needs 4", second(UDistanceCorrelationSqr(a, a, Options{})), "at least 4"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, c.err, c.want)
		}
	}
}

func second(_ float64, err error) error { return err }
