package transform

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// KDEIntegralOptions configures FitKDEIntegral. The zero value is the
// kditransform package's default (Gaussian kernel): bandwidth factor 1,
// uniform output.
type KDEIntegralOptions struct {
	// Bandwidth is the factor alpha: each column's kernel has standard
	// deviation alpha times the column's sample standard deviation (ddof
	// 1, scipy.stats.gaussian_kde(col, bw_method=alpha)); 0 means 1. Use
	// density.ScottFactor(n, 1) for Scott's rule. Large factors tend to
	// min-max scaling, small ones to the quantile (rank) transform.
	Bandwidth float64
	// Normal maps to a standard normal output (clipped at the 1e-7 and
	// 1 - 1e-7 quantiles) instead of uniform.
	Normal bool
	// Exact evaluates every query by the Hermite expansion instead of
	// interpolating a table (see FitKDEIntegral).
	Exact bool
	// Workers spread the columns over goroutines (0 = GOMAXPROCS).
	Workers int
}

// KDEIntegral is a fitted kernel-density integral transform (McCarter
// 2023): per column, T(x) = (F(x) - F(min)) / (F(max) - F(min)) with F
// the distribution function of a Gaussian kernel density estimate of the
// column, min and max the fitted column's extremes.
type KDEIntegral struct {
	// Bandwidths are the kernel standard deviations, one a column (0 for
	// a constant column).
	Bandwidths []float64
	// Normal tells whether outputs are standard normal.
	Normal bool
	cols   []kdiColumn
}

type kdiColumn struct {
	cdf      *kdeCDF
	lo, hi   float64 // column extremes
	flo, fhi float64 // F(lo), F(hi)
	// table of F and F' on a uniform grid from g0 with step dx (nil: exact)
	g0, dx float64
	f, df  []float64
}

// FitKDEIntegral fits the transform to each column of x (n x p, n >= 2).
// Each column's kernel sums are evaluated by a Hermite expansion of
// boxes one bandwidth wide (O(n) to build, O(1) a query, accurate to
// 1e-15 relative); unless opts.Exact, F and F' are then tabulated on a
// grid with step min(h/64, range/1024) over the data range widened by 10
// bandwidths (when that takes at most max(8192, 2n) nodes) and queries
// are interpolated by cubic Hermite polynomials (error below 1e-9 of the
// output range); values outside the grid are evaluated exactly. Cost:
// O(n log n + nodes) a column; O(n + nodes) memory a column.
func FitKDEIntegral(x *mat.Dense, opts KDEIntegralOptions) (*KDEIntegral, error) {
	n, p, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, chk.Errorf("x has %d row: the KDE integral transform needs at least 2", n)
	}
	alpha := opts.Bandwidth
	if alpha == 0 {
		alpha = 1
	}
	if !(alpha > 0) || math.IsInf(alpha, 0) {
		return nil, chk.Errorf("Bandwidth factor %v must be positive and finite", opts.Bandwidth)
	}
	for j := range p {
		col := x.ColView(j)
		if r := mat.Max(col) - mat.Min(col); math.IsInf(r, 0) {
			return nil, chk.Errorf("column %d of x spans more than the float64 range (%v to %v)", j, mat.Min(col), mat.Max(col))
		}
	}
	k := &KDEIntegral{Bandwidths: make([]float64, p), Normal: opts.Normal, cols: make([]kdiColumn, p)}
	err = work.Queue(p, opts.Workers, nil, p, func() func(int) (int, error) {
		return func(j int) (int, error) {
			col := make([]float64, n)
			mat.Col(col, j, x)
			slices.Sort(col)
			k.cols[j] = fitKDIColumn(col, alpha, opts.Exact)
			k.Bandwidths[j] = k.cols[j].h()
			return 1, nil
		}
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

func (c *kdiColumn) h() float64 {
	if c.cdf == nil {
		return 0
	}
	return c.cdf.h
}

func fitKDIColumn(sorted []float64, alpha float64, exact bool) kdiColumn {
	n := len(sorted)
	c := kdiColumn{lo: sorted[0], hi: sorted[n-1]}
	if c.lo == c.hi {
		return c
	}
	h := alpha * sampleSD(sorted)
	c.cdf = newKDECDF(sorted, h)
	c.flo, _ = c.cdf.eval(c.lo)
	c.fhi, _ = c.cdf.eval(c.hi)
	r := c.hi - c.lo
	dx := math.Min(h/64, r/1024)
	pad := 10 * math.Min(h, r)
	nodes := math.Ceil((r+2*pad)/dx) + 1
	if exact || !(nodes <= math.Max(8192, 2*float64(n))) {
		return c
	}
	c.g0, c.dx = c.lo-pad, dx
	c.f = make([]float64, int(nodes))
	c.df = make([]float64, int(nodes))
	for i := range c.f {
		c.f[i], c.df[i] = c.cdf.eval(c.g0 + float64(i)*dx)
	}
	return c
}

// sampleSD is the standard deviation (ddof 1) of v, computed on v scaled
// by its largest magnitude so that values up to 1e308 do not overflow the
// squares. O(len(v)).
func sampleSD(v []float64) float64 {
	m := math.Max(math.Abs(v[0]), math.Abs(v[len(v)-1]))
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	s := make([]float64, len(v))
	for i, x := range v {
		s[i] = x / m
	}
	_, sv := meanVar(s)
	n := float64(len(v))
	return m * math.Sqrt(sv*n/(n-1))
}

// value returns T(y) for the column.
func (c *kdiColumn) value(y float64) float64 {
	if c.cdf == nil { // constant column: a step at the value
		if y > c.lo {
			return 1
		}
		return 0
	}
	var f float64
	u := (y - c.g0) / c.dx
	if i := int(math.Floor(u)); c.f != nil && u >= 0 && i < len(c.f)-1 {
		// Cubic Hermite on [node i, node i+1] with slopes F'.
		t := u - float64(i)
		t2, t3 := t*t, t*t*t
		f = (2*t3-3*t2+1)*c.f[i] + (t3-2*t2+t)*c.dx*c.df[i] +
			(-2*t3+3*t2)*c.f[i+1] + (t3-t2)*c.dx*c.df[i+1]
	} else {
		f, _ = c.cdf.eval(y)
	}
	return (f - c.flo) / (c.fhi - c.flo)
}

// Transform maps each value of x (m x p) through its column's T: in
// [0, 1] over the fitted range, slightly outside it beyond (T is not
// clipped); with Normal, clipped to [1e-7, 1 - 1e-7] and mapped through
// the standard normal quantile. A constant fitted column maps to 0 at
// or below its value and 1 above. O(m p) with the table, O(m p reach
// hermTerms) exact.
func (k *KDEIntegral) Transform(x *mat.Dense) (*mat.Dense, error) {
	m, p, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("x", p, "the fitted data", len(k.cols), ""); err != nil {
		return nil, err
	}
	out := mat.NewDense(m, p, nil)
	work.Range(m, 0, func(i0, i1 int) {
		for i := i0; i < i1; i++ {
			row, o := x.RawRowView(i), out.RawRowView(i)
			for j := range p {
				u := k.cols[j].value(row[j])
				if k.Normal {
					u = distuv.UnitNormal.Quantile(math.Max(boundsThreshold, math.Min(1-boundsThreshold, u)))
				}
				o[j] = u
			}
		}
	})
	return out, nil
}

// KDEIntegralTransform fits the KDE integral transform to x and returns x
// transformed. Cost of FitKDEIntegral plus Transform.
func KDEIntegralTransform(x *mat.Dense, opts KDEIntegralOptions) (*mat.Dense, error) {
	k, err := FitKDEIntegral(x, opts)
	if err != nil {
		return nil, err
	}
	return k.Transform(x)
}
