package synthetic

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/intrinsic"
)

func norms(x *mat.Dense) []float64 {
	n, _ := x.Dims()
	out := make([]float64, n)
	for i := range n {
		out[i] = mat.Norm(x.RowView(i), 2)
	}
	return out
}

// rank counts explained variances above tol times the largest.
func rank(t *testing.T, x *mat.Dense, tol float64) int {
	t.Helper()
	ev, err := intrinsic.ExplainedVariance(x)
	if err != nil {
		t.Fatal(err)
	}
	r := 0
	for _, v := range ev {
		if v > tol*ev[0] {
			r++
		}
	}
	return r
}

func TestShapes(t *testing.T) {
	const n = 2000
	for _, c := range []struct {
		name string
		gen  func(Embed) (*mat.Dense, error)
		d, k int // intrinsic dimension, natural coordinates
	}{
		{"sphere", func(o Embed) (*mat.Dense, error) { return Sphere(n, 4, o) }, 4, 5},
		{"ball", func(o Embed) (*mat.Dense, error) { return Ball(n, 4, o) }, 4, 4},
		{"cube", func(o Embed) (*mat.Dense, error) { return Cube(n, 4, o) }, 4, 4},
		{"subspace", func(o Embed) (*mat.Dense, error) { return Subspace(n, 4, o) }, 4, 4},
	} {
		x, err := c.gen(Embed{Ambient: 12, Rotate: true, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if r, cc := x.Dims(); r != n || cc != 12 {
			t.Fatalf("%s: shape %dx%d", c.name, r, cc)
		}
		// A rotated embedding still spans exactly k dimensions.
		if r := rank(t, x, 1e-12); r != c.k {
			t.Errorf("%s: rank %d after rotation, want %d", c.name, r, c.k)
		}
		// Determinism and seed sensitivity.
		y, _ := c.gen(Embed{Ambient: 12, Rotate: true, Seed: 3})
		z, _ := c.gen(Embed{Ambient: 12, Rotate: true, Seed: 4})
		if !mat.Equal(x, y) || mat.Equal(x, z) {
			t.Errorf("%s: same seed must give the same sample, another seed another one", c.name)
		}
		// Noise makes the embedding full rank.
		w, _ := c.gen(Embed{Ambient: 12, Noise: 0.01, Seed: 3})
		if r := rank(t, w, 1e-12); r != 12 {
			t.Errorf("%s: rank %d with noise, want 12", c.name, r)
		}
	}
}

// TestDistributions checks defining properties with 5-sigma tolerances:
// sphere norms are 1, ball radii follow P(|x| < r) = r^d, the cube's mean is
// 1/2, the Haar rotation is orthogonal.
func TestDistributions(t *testing.T) {
	const n = 20000
	s, _ := Sphere(n, 3, Embed{Ambient: 7, Rotate: true, Seed: 1})
	for i, v := range norms(s) {
		if math.Abs(v-1) > 1e-12 {
			t.Fatalf("sphere row %d has norm %v", i, v)
		}
	}
	const d = 5
	b, _ := Ball(n, d, Embed{Seed: 2})
	r := math.Pow(0.5, 1/float64(d))
	inside := 0
	for _, v := range norms(b) {
		if v > 1 {
			t.Fatalf("ball point of norm %v", v)
		}
		if v < r {
			inside++
		}
	}
	if f := float64(inside) / n; math.Abs(f-0.5) > 5*math.Sqrt(0.25/n) {
		t.Errorf("ball: fraction inside radius 0.5^(1/d) = %v, want 0.5", f)
	}
	c, _ := Cube(n, 3, Embed{Seed: 3})
	for j := range 3 {
		col := mat.Col(nil, j, c)
		var m float64
		for _, v := range col {
			if v < 0 || v >= 1 {
				t.Fatalf("cube coordinate %v outside [0,1)", v)
			}
			m += v
		}
		m /= n
		if math.Abs(m-0.5) > 5*math.Sqrt(1.0/12/n) {
			t.Errorf("cube column %d mean %v", j, m)
		}
	}
	q := RandomRotation(9, NewRand(5))
	var qtq mat.Dense
	qtq.Mul(q.T(), q)
	if !mat.EqualApprox(&qtq, eye(9), 1e-12) {
		t.Error("rotation is not orthogonal")
	}
}

func eye(n int) *mat.Dense {
	m := mat.NewDense(n, n, nil)
	for i := range n {
		m.Set(i, i, 1)
	}
	return m
}

func TestRollsAndMixture(t *testing.T) {
	x, tt, err := SwissRoll(1000, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		// The roll's radius in the (x, z) plane is its parameter t.
		if e := math.Hypot(x.At(i, 0), x.At(i, 2)) - tt[i]; math.Abs(e) > 1e-12 || tt[i] < 1.5*math.Pi || tt[i] > 4.5*math.Pi {
			t.Fatalf("swiss roll row %d inconsistent with t = %v", i, tt[i])
		}
	}
	s, st, err := SCurve(1000, 0, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if math.Abs(s.At(i, 0)-math.Sin(st[i])) > 1e-15 || s.At(i, 1) < 0 || s.At(i, 1) > 2 {
			t.Fatalf("S-curve row %d inconsistent", i)
		}
	}
	g, labels, err := GaussianMixture(1001, 4, 3, 0.1, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	count := make([]int, 4)
	means := mat.NewDense(4, 3, nil)
	for i, l := range labels {
		count[l]++
		for j := range 3 {
			means.Set(l, j, means.At(l, j)+g.At(i, j))
		}
	}
	if count[0] != 251 || count[1] != 250 || count[3] != 250 {
		t.Errorf("cluster sizes %v", count)
	}
	// Every point is nearer its own cluster's mean than any other's.
	for l := range 4 {
		for j := range 3 {
			means.Set(l, j, means.At(l, j)/float64(count[l]))
		}
	}
	for i, l := range labels {
		best, bd := -1, math.Inf(1)
		for c := range 4 {
			var dd float64
			for j := range 3 {
				e := g.At(i, j) - means.At(c, j)
				dd += e * e
			}
			if dd < bd {
				best, bd = c, dd
			}
		}
		if best != l {
			t.Fatalf("point %d labelled %d is nearest to cluster %d", i, l, best)
		}
	}
}

// TestBenchmark generates every listed manifold and checks its shape, and
// the intrinsic dimension of the low-dimensional ones with TwoNN (within
// 15%) and the rank of the linear ones.
func TestBenchmark(t *testing.T) {
	for _, m := range Manifolds {
		x, err := Benchmark(m.Name, 1500, 0, 11)
		if err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if r, c := x.Dims(); r != 1500 || c != m.Ambient {
			t.Fatalf("%s: shape %dx%d, want 1500x%d", m.Name, r, c, m.Ambient)
		}
		for i := range 1500 {
			for _, v := range x.RawRowView(i) {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%s: non-finite value", m.Name)
				}
			}
		}
		switch m.Name {
		case "M2_Affine_3to5", "M9_Affine", "M12_Norm":
			if r := rank(t, x, 1e-10); r != m.Dim {
				t.Errorf("%s: rank %d, want %d", m.Name, r, m.Dim)
			}
		}
		if m.Dim <= 4 {
			e, err := intrinsic.NewTwoNN().Fit(x, nil)
			if err != nil {
				t.Fatalf("%s: %v", m.Name, err)
			}
			if math.Abs(e.Dim-float64(m.Dim)) > 0.15*float64(m.Dim) {
				t.Errorf("%s: TwoNN %.3f, intrinsic dimension %d", m.Name, e.Dim, m.Dim)
			} else {
				t.Logf("%s: TwoNN %.3f (d = %d)", m.Name, e.Dim, m.Dim)
			}
		}
	}
	cube, _ := Benchmark("M10a_Cubic", 1000, 0, 1)
	for i := range 1000 {
		onFace := false
		for _, v := range cube.RawRowView(i) {
			onFace = onFace || v == 0 || v == 1
		}
		if !onFace {
			t.Fatalf("M10a row %d is not on the cube's surface", i)
		}
	}
}

func TestErrors(t *testing.T) {
	for name, f := range map[string]func() error{
		"n=0":       func() error { _, err := Sphere(0, 2, Embed{}); return err },
		"d=0":       func() error { _, err := Cube(10, 0, Embed{}); return err },
		"ambient":   func() error { _, err := Sphere(10, 3, Embed{Ambient: 3}); return err },
		"noise":     func() error { _, err := Ball(10, 3, Embed{Noise: -1}); return err },
		"roll":      func() error { _, _, err := SwissRoll(10, -1, 0); return err },
		"clusters":  func() error { _, _, err := GaussianMixture(3, 4, 2, 1, 1, 0); return err },
		"manifold":  func() error { _, err := Benchmark("M99", 10, 0, 0); return err },
		"bench n":   func() error { _, err := Benchmark("M7_Roll", 0, 0, 0); return err },
		"bench eps": func() error { _, err := Benchmark("M7_Roll", 10, math.NaN(), 0); return err },
	} {
		if err := f(); err == nil || !strings.HasPrefix(err.Error(), "synthetic: ") {
			t.Errorf("%s: error %v", name, err)
		}
	}
}
