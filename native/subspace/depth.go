package subspace

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Statistical depth measures how central a point is with respect to a
// reference sample (rows of ref): 1 (or the maximum) at the centre,
// decreasing outwards. Every depth function below takes query points x
// (m x d) and a reference sample ref (n x d) and returns one depth a query.

// DepthOptions configures the depths that use random directions
// (projection, halfspace) and the parallel loops.
type DepthOptions struct {
	// Directions is the number of random unit directions (0 = 1000).
	// More directions make projection and halfspace depth closer to their
	// exact values (from above: the approximations never underestimate).
	Directions int
	// Seed of the directions.
	Seed uint64
	// Workers (0 = GOMAXPROCS).
	Workers int
	// Progress, when set, receives query rows (or directions) done.
	Progress progress.Func
}

// checkPair validates x (m x d) and ref (n x d): non-nil, non-empty,
// finite, the same number of columns.
func checkPair(x, ref *mat.Dense) (m, n, d int, err error) {
	m, d, err = chk.Dense("x", x)
	if err != nil {
		return
	}
	n, dr, err := chk.Dense("ref", ref)
	if err != nil {
		return
	}
	err = chk.SameCols("x", d, "ref", dr, "")
	return
}

// SpatialDepth returns the spatial (L1, Serfling) depth of each row of x
// with respect to ref: D(x) = 1 - || (1/n) sum_i u(x - r_i) || where
// u(v) = v/|v| and u(0) = 0; in [0, 1], 1 at the spatial median, affine
// invariant only under similarity transforms. Pairs closer than
// 1e-7 (|x| + |r|) after centring on ref's mean count as coincident.
// Cost: O(m n d) in blocked BLAS products, O((block + d) block) memory.
func SpatialDepth(x, ref *mat.Dense, opts DepthOptions) ([]float64, error) {
	m, n, d, err := checkPair(x, ref)
	if err != nil {
		return nil, err
	}
	mean := colMeans(ref)
	xc := centredRows(x, mean)
	rc := centredRows(ref, mean)
	xn := rowSqNorms(xc, m, d)
	rn := rowSqNorms(rc, n, d)
	out := make([]float64, m)
	const qb, rb = 128, 1024
	nb := (m + qb - 1) / qb
	err = work.Queue(nb, opts.Workers, opts.Progress, m, func() func(int) (int, error) {
		g := make([]float64, qb*rb)
		acc := make([]float64, qb*d)
		sw := make([]float64, qb)
		return func(b int) (int, error) {
			q0, q1 := b*qb, min(b*qb+qb, m)
			bq := q1 - q0
			for i := range acc[:bq*d] {
				acc[i] = 0
			}
			for i := range sw[:bq] {
				sw[i] = 0
			}
			qa := blas64.General{Rows: bq, Cols: d, Stride: d, Data: xc[q0*d : q1*d]}
			ac := blas64.General{Rows: bq, Cols: d, Stride: d, Data: acc[:bq*d]}
			for j0 := 0; j0 < n; j0 += rb {
				j1 := min(j0+rb, n)
				bd := j1 - j0
				ra := blas64.General{Rows: bd, Cols: d, Stride: d, Data: rc[j0*d : j1*d]}
				gc := blas64.General{Rows: bq, Cols: bd, Stride: bd, Data: g[:bq*bd]}
				blas64.Gemm(blas.NoTrans, blas.Trans, 1, qa, ra, 0, gc)
				for i := 0; i < bq; i++ {
					row := g[i*bd : (i+1)*bd]
					qi := xn[q0+i]
					var s float64
					for j, gv := range row {
						rj := rn[j0+j]
						d2 := qi + rj - 2*gv
						tol := 1e-7 * (math.Sqrt(qi) + math.Sqrt(rj))
						if d2 <= tol*tol {
							row[j] = 0
							continue
						}
						wv := 1 / math.Sqrt(d2)
						row[j] = wv
						s += wv
					}
					sw[i] += s
				}
				// acc += W R
				blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, gc, ra, 1, ac)
			}
			for i := 0; i < bq; i++ {
				q := xc[(q0+i)*d : (q0+i+1)*d]
				a := acc[i*d : (i+1)*d]
				var s2 float64
				for k := range q {
					v := q[k]*sw[i] - a[k]
					s2 += v * v
				}
				out[q0+i] = math.Max(0, 1-math.Sqrt(s2)/float64(n))
			}
			return bq, nil
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MahalanobisDepth returns 1 / (1 + (x - mu)^T S^-1 (x - mu)) for each row
// of x, with mu and S the mean and sample covariance (ddof 1) of ref: 1 at
// the mean, in (0, 1]. Cost: O(n d^2 + d^3 + m d^2). It returns an error
// when S is singular (n <= d or linearly dependent features: reduce them
// with PCA first).
func MahalanobisDepth(x, ref *mat.Dense) ([]float64, error) {
	m, n, d, err := checkPair(x, ref)
	if err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, fmt.Errorf("subspace: Mahalanobis depth needs at least 2 reference points, have %d", n)
	}
	mean := colMeans(ref)
	cov := mat.NewSymDense(d, nil)
	stat.CovarianceMatrix(cov, ref, nil)
	var ch mat.Cholesky
	if ok := ch.Factorize(cov); !ok {
		return nil, fmt.Errorf("subspace: the %d x %d covariance of %d reference points is singular: need more points than dimensions and no linearly dependent features (reduce with PCA)", d, d, n)
	}
	xc := mat.NewDense(m, d, centredRows(x, mean))
	var l mat.TriDense
	ch.LTo(&l)
	// z = L^{-1} (x - mu) for all rows at once: solve L Z^T = Xc^T.
	var zt mat.Dense
	if err := zt.Solve(&l, xc.T()); err != nil {
		return nil, fmt.Errorf("subspace: solving with the covariance factor: %v", err)
	}
	out := make([]float64, m)
	for i := 0; i < m; i++ {
		var s float64
		for k := 0; k < d; k++ {
			v := zt.At(k, i)
			s += v * v
		}
		out[i] = 1 / (1 + s)
	}
	return out, nil
}

// directions returns a d x K matrix of random unit columns (seeded).
func directions(d, k int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 0x1f83d9abfb41bd6b))
	u := mat.NewDense(d, k, nil)
	for j := 0; j < k; j++ {
		var s float64
		for i := 0; i < d; i++ {
			v := rng.NormFloat64()
			u.Set(i, j, v)
			s += v * v
		}
		s = 1 / math.Sqrt(s)
		for i := 0; i < d; i++ {
			u.Set(i, j, u.At(i, j)*s)
		}
	}
	return u
}

// projectChunks projects x and ref on chunks of random directions and calls
// f with the projections (m x c and n x c) of each chunk.
func projectChunks(x, ref *mat.Dense, opts DepthOptions, f func(px, pr *mat.Dense)) error {
	_, d := x.Dims()
	k := opts.Directions
	if k == 0 {
		k = 1000
	}
	if k < 0 {
		return fmt.Errorf("subspace: %d directions", k)
	}
	u := directions(d, k, opts.Seed)
	const chunk = 256
	for c0 := 0; c0 < k; c0 += chunk {
		c1 := min(c0+chunk, k)
		uc := u.Slice(0, d, c0, c1)
		var px, pr mat.Dense
		px.Mul(x, uc)
		pr.Mul(ref, uc)
		f(&px, &pr)
		if err := progress.Report(opts.Progress, c1, k); err != nil {
			return err
		}
	}
	return nil
}

// ProjectionDepth returns 1 / (1 + O(x)) for each row of x, with the
// outlyingness O(x) = max_u |u^T x - med(u^T ref)| / MAD(u^T ref) over
// opts.Directions random unit directions u (Zuo & Serfling 2000; MAD
// unscaled, the median of absolute deviations). Directions where ref's
// MAD is 0 count only for points off the median (outlyingness +Inf).
// Cost: O((m + n) d K + n K log n).
func ProjectionDepth(x, ref *mat.Dense, opts DepthOptions) ([]float64, error) {
	m, n, _, err := checkPair(x, ref)
	if err != nil {
		return nil, err
	}
	out := make([]float64, m) // outlyingness
	col := make([]float64, n)
	err = projectChunks(x, ref, opts, func(px, pr *mat.Dense) {
		_, c := px.Dims()
		for k := 0; k < c; k++ {
			mat.Col(col, k, pr)
			med := median(col)
			for i := range col {
				col[i] = math.Abs(col[i] - med)
			}
			mad := median(col)
			for i := 0; i < m; i++ {
				dev := math.Abs(px.At(i, k) - med)
				var o float64
				switch {
				case mad > 0:
					o = dev / mad
				case dev > 0:
					o = math.Inf(1)
				}
				out[i] = math.Max(out[i], o)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for i, o := range out {
		out[i] = 1 / (1 + o)
	}
	return out, nil
}

// HalfspaceDepth returns the Tukey (halfspace) depth of each row of x with
// respect to ref, approximated over opts.Directions random directions:
// min_u min(#{r: u^T r <= u^T x}, #{r: u^T r >= u^T x}) / n, in [0, 1/2]
// for interior points of a continuous sample, 0 outside the convex hull
// (for the directions tried). The approximation is an upper bound of the
// exact depth. Cost: O((m + n) d K + K (n + m) log n).
func HalfspaceDepth(x, ref *mat.Dense, opts DepthOptions) ([]float64, error) {
	m, n, _, err := checkPair(x, ref)
	if err != nil {
		return nil, err
	}
	out := make([]float64, m)
	for i := range out {
		out[i] = math.Inf(1)
	}
	col := make([]float64, n)
	err = projectChunks(x, ref, opts, func(px, pr *mat.Dense) {
		_, c := px.Dims()
		for k := 0; k < c; k++ {
			mat.Col(col, k, pr)
			sort.Float64s(col)
			for i := 0; i < m; i++ {
				p := px.At(i, k)
				lt := sort.SearchFloat64s(col, p) // # < p
				le := sort.Search(n, func(j int) bool { return col[j] > p })
				cnt := math.Min(float64(le), float64(n-lt))
				out[i] = math.Min(out[i], cnt/float64(n))
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return 0.5 * (s[n/2-1] + s[n/2])
}

func colMeans(a *mat.Dense) []float64 {
	n, d := a.Dims()
	mean := make([]float64, d)
	for i := 0; i < n; i++ {
		for j, v := range a.RawRowView(i) {
			mean[j] += v
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	return mean
}

func centredRows(a *mat.Dense, mean []float64) []float64 {
	n, d := a.Dims()
	out := make([]float64, n*d)
	for i := 0; i < n; i++ {
		for j, v := range a.RawRowView(i) {
			out[i*d+j] = v - mean[j]
		}
	}
	return out
}

func rowSqNorms(v []float64, n, d int) []float64 {
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		var s float64
		for _, x := range v[i*d : (i+1)*d] {
			s += x * x
		}
		out[i] = s
	}
	return out
}
