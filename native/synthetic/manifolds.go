package synthetic

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Manifold describes one of scikit-dimension's benchmark manifolds
// (datasets.BenchmarkManifolds, after Hein and Audibert and Campadelli et
// al.).
type Manifold struct {
	Name        string
	Dim         int // intrinsic dimension
	Ambient     int // number of columns
	Description string
}

// Manifolds lists the benchmark manifolds Benchmark generates, in skdim's
// order, with skdim's intrinsic and ambient dimensions: all 24 of skdim 0.3.
var Manifolds = []Manifold{
	{"M1_Sphere", 10, 11, "10D sphere linearly embedded"},
	{"M2_Affine_3to5", 3, 5, "Affine space"},
	{"M3_Nonlinear_4to6", 4, 6, "Concentrated figure, mistakable with a 3D one"},
	{"M4_Nonlinear", 4, 8, "Nonlinear manifold"},
	{"M5a_Helix1d", 1, 3, "1D helix"},
	{"M5b_Helix2d", 2, 3, "2D helix"},
	{"M6_Nonlinear", 6, 36, "Nonlinear manifold"},
	{"M7_Roll", 2, 3, "Swiss Roll"},
	{"M8_Nonlinear", 12, 72, "Nonlinear (highly curved) manifold"},
	{"M9_Affine", 20, 20, "Affine space"},
	{"M10a_Cubic", 10, 11, "10D hypercube"},
	{"M10b_Cubic", 17, 18, "17D hypercube"},
	{"M10c_Cubic", 24, 25, "24D hypercube"},
	{"M10d_Cubic", 70, 71, "70D hypercube"},
	{"M11_Moebius", 2, 3, "Moebius band 10-times twisted"},
	{"M12_Norm", 20, 20, "Isotropic multivariate Gaussian"},
	{"M13a_Scurve", 2, 3, "2D S-curve"},
	{"M13b_Spiral", 1, 13, "1D helix curve"},
	{"Mbeta", 10, 40, "Manifold generated with a smooth nonuniform pdf"},
	{"Mn1_Nonlinear", 18, 72, "Nonlinearly embedded manifold of high ID"},
	{"Mn2_Nonlinear", 24, 96, "Nonlinearly embedded manifold of high ID"},
	{"Mp1_Paraboloid", 3, 12, "3D paraboloid, nonlinearly embedded in 3(3+1)D, multivariate Burr (alpha=1)"},
	{"Mp2_Paraboloid", 6, 21, "6D paraboloid, nonlinearly embedded in 3(6+1)D, multivariate Burr (alpha=1)"},
	{"Mp3_Paraboloid", 9, 30, "9D paraboloid, nonlinearly embedded in 3(9+1)D, multivariate Burr (alpha=1)"},
}

// LookupManifold returns the description of a benchmark manifold by name.
func LookupManifold(name string) (Manifold, error) {
	for _, m := range Manifolds {
		if m.Name == name {
			return m, nil
		}
	}
	return Manifold{}, fmt.Errorf("synthetic: unknown benchmark manifold %q", name)
}

// Benchmark returns n points of the named benchmark manifold with skdim's
// construction and dimensions (see Manifolds), plus uniform noise in
// [-noise/2, noise/2] on every coordinate (skdim's default noise type).
func Benchmark(name string, n int, noise float64, seed uint64) (*mat.Dense, error) {
	m, err := LookupManifold(name)
	if err != nil {
		return nil, err
	}
	if err := checkN(n, 1); err != nil {
		return nil, err
	}
	if noise < 0 || math.IsNaN(noise) {
		return nil, fmt.Errorf("synthetic: noise = %v, want >= 0", noise)
	}
	rng := NewRand(seed)
	d, D := m.Dim, m.Ambient
	x := mat.NewDense(n, D, nil)
	u := rng.Float64
	row := func(i int, v ...float64) { copy(x.RawRowView(i), v) }
	switch name {
	case "M1_Sphere":
		s, _ := Sphere(n, d, Embed{Ambient: D, Seed: seed})
		x = s
	case "M2_Affine_3to5":
		A := [5][3]float64{{1.2, -0.5, 0}, {0.5, 0.9, 0}, {-0.5, -0.2, 1}, {0.4, -0.9, -0.1}, {1.1, -0.3, 0}}
		b := [5]float64{3, -1, 0, 0, 8}
		for i := range n {
			p := [3]float64{4 * u(), 4 * u(), 4 * u()}
			for r := range 5 {
				x.Set(i, r, A[r][0]*p[0]+A[r][1]*p[1]+A[r][2]*p[2]+b[r])
			}
		}
	case "M3_Nonlinear_4to6":
		for i := range n {
			p0, p1, p2, p3 := u(), u(), u(), u()
			row(i, p1*p1*math.Cos(2*math.Pi*p0), p2*p2*math.Sin(2*math.Pi*p0),
				p1+p2+(p1-p3)*(p1-p3), p1-2*p2+(p0-p3)*(p0-p3),
				-p1-2*p2+(p2-p3)*(p2-p3), p0*p0-p1*p1+p2*p2-p3*p3)
		}
	case "M4_Nonlinear", "M6_Nonlinear", "M8_Nonlinear":
		// skdim's _gen_nonlinear_data: coordinates p in [0,1]^d, features
		// p_{i+1} cos(2 pi p_i), p_{i+1} sin(2 pi p_i) (cyclically), the
		// 2d features repeated D/(2d) times.
		p := make([]float64, d)
		f := make([]float64, 2*d)
		for i := range n {
			for j := range p {
				p[j] = u()
			}
			for j := range d {
				nxt := p[(j+1)%d]
				f[2*j] = nxt * math.Cos(2*math.Pi*p[j])
				f[2*j+1] = nxt * math.Sin(2*math.Pi*p[j])
			}
			r := x.RawRowView(i)
			for c := 0; c < D; c += 2 * d {
				copy(r[c:], f)
			}
		}
	case "M5a_Helix1d":
		for i := range n {
			t := 2*math.Pi/float64(n) + u()*2*math.Pi
			row(i, (2+math.Cos(8*t))*math.Cos(t), (2+math.Cos(8*t))*math.Sin(t), math.Sin(8*t))
		}
	case "M5b_Helix2d":
		for i := range n {
			r, p := 10*math.Pi*u(), 10*math.Pi*u()
			row(i, r*math.Cos(p), r*math.Sin(p), 0.5*p)
		}
	case "M7_Roll":
		for i := range n {
			t := 1.5 * math.Pi * (1 + 2*u())
			row(i, t*math.Cos(t), 21*u(), t*math.Sin(t))
		}
	case "M9_Affine":
		for i := range n {
			r := x.RawRowView(i)
			for j := range d {
				r[j] = 5*u() - 2.5
			}
		}
	case "M10a_Cubic", "M10b_Cubic", "M10c_Cubic", "M10d_Cubic":
		// Surface of the (d+1)-cube: for each coordinate i, blocks of points
		// with x_i = 0 then x_i = 1, the others uniform, in skdim's order.
		once := int(float64(n)/float64(2*(d+1))) + 1
		i := 0
	fill:
		for face := range d + 1 {
			for _, v := range []float64{0, 1} {
				for range once {
					if i == n {
						break fill
					}
					r := x.RawRowView(i)
					for j := range d + 1 {
						r[j] = u()
					}
					r[face] = v
					i++
				}
			}
		}
	case "M11_Moebius":
		for i := range n {
			phi, rad := u()*2*math.Pi, u()*2-1
			row(i, (1+0.5*rad*math.Cos(5*phi))*math.Cos(phi), (1+0.5*rad*math.Cos(5*phi))*math.Sin(phi), 0.5*rad*math.Sin(5*phi))
		}
	case "M12_Norm":
		for i := range n {
			r := x.RawRowView(i)
			for j := range d {
				r[j] = rng.NormFloat64()
			}
		}
	case "M13a_Scurve":
		for i := range n {
			t := 3 * math.Pi * (u() - 0.5)
			row(i, math.Sin(t), 2*u(), sign(t)*(math.Cos(t)-1))
		}
	case "M13b_Spiral":
		for i := range n {
			t := 10 * math.Pi * u()
			row(i, 100*math.Cos(t), 100*math.Sin(t), t)
		}
	case "Mbeta":
		beta := distuv.Beta{Alpha: 10, Beta: 0.5, Src: rng}
		campadelli(x, d, func() float64 { return beta.Rand() }, func(v float64) (float64, float64) {
			return v * math.Sin(math.Cos(2*math.Pi*v)), v * math.Cos(math.Sin(2*math.Pi*v))
		}, nil)
	case "Mn1_Nonlinear", "Mn2_Nonlinear":
		campadelli(x, d, u, nil, func(p []float64, i int) (float64, float64) {
			return math.Tan(p[i] * math.Cos(p[d-1-i])), math.Atan(p[d-1-i] * math.Sin(p[i]))
		})
	case "Mp1_Paraboloid", "Mp2_Paraboloid", "Mp3_Paraboloid":
		// Multivariate Burr (alpha = 1) on a paraboloid: X_j = 1/(1 + E_j/E_0)
		// for exponential E, then (X, |X|^2), its sine and its square.
		e := make([]float64, d+1)
		for i := range n {
			for j := range e {
				e[j] = rng.ExpFloat64()
			}
			r := x.RawRowView(i)
			var s float64
			for j := range d {
				v := 1 / (1 + e[j+1]/e[0])
				r[j] = v
				s += v * v
			}
			r[d] = s
			for j := 0; j <= d; j++ {
				r[d+1+j] = math.Sin(r[j])
				r[2*(d+1)+j] = r[j] * r[j]
			}
		}
	default:
		return nil, fmt.Errorf("synthetic: benchmark manifold %q has no generator", name)
	}
	if noise > 0 {
		for i := range n {
			r := x.RawRowView(i)
			for j := range r {
				r[j] += (u() - 0.5) * noise
			}
		}
	}
	return x, nil
}

// campadelli fills x (n x 4d) with [t1, t2, t1, t2] where (t1_i, t2_i) is
// either f(p_i) (coordinate-wise) or g(p, i), p drawn with draw.
func campadelli(x *mat.Dense, d int, draw func() float64, f func(float64) (float64, float64), g func([]float64, int) (float64, float64)) {
	n, _ := x.Dims()
	p := make([]float64, d)
	for i := range n {
		for j := range p {
			p[j] = draw()
		}
		r := x.RawRowView(i)
		for j := range d {
			var a, b float64
			if f != nil {
				a, b = f(p[j])
			} else {
				a, b = g(p, j)
			}
			r[j], r[d+j], r[2*d+j], r[3*d+j] = a, b, a, b
		}
	}
}
