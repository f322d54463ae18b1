// Package density estimates probability densities of point clouds
// (embeddings, activations): Gaussian kernel density estimation with the
// scipy and scikit-learn bandwidth conventions, k-nearest-neighbour
// density, and the Kozachenko-Leonenko kNN entropy built on the same
// neighbour distances. All results are natural-log densities (entropies in
// nats), which stay finite where the densities themselves underflow (high
// dimension, far queries).
//
// Matrices hold points as rows and features as columns.
package density

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Rule selects how the bandwidth is derived from the data when
// KDEOptions.Bandwidth is zero.
type Rule int

const (
	// Scott's rule: factor n^(-1/(d+4)) (scipy's gaussian_kde default).
	Scott Rule = iota
	// Silverman's rule: factor (n (d+2) / 4)^(-1/(d+4)).
	Silverman
)

// String returns "scott" or "silverman".
func (r Rule) String() string {
	switch r {
	case Scott:
		return "scott"
	case Silverman:
		return "silverman"
	}
	return fmt.Sprintf("Rule(%d)", int(r))
}

// ScottFactor returns n^(-1/(d+4)). O(1).
func ScottFactor(n, d int) float64 { return math.Pow(float64(n), -1/float64(d+4)) }

// SilvermanFactor returns (n (d+2) / 4)^(-1/(d+4)). O(1).
func SilvermanFactor(n, d int) float64 {
	return math.Pow(float64(n)*float64(d+2)/4, -1/float64(d+4))
}

// KDEOptions configures NewKDE. The zero value reproduces
// scipy.stats.gaussian_kde(data.T) (Scott's factor on the data covariance).
type KDEOptions struct {
	// Isotropic false (default): the kernel covariance is factor^2 times the
	// sample covariance of the data (ddof 1), as scipy.stats.gaussian_kde.
	// Isotropic true: the kernel covariance is h^2 I, as
	// sklearn.neighbors.KernelDensity(kernel="gaussian", bandwidth=h).
	Isotropic bool
	// Rule gives the factor (covariance mode) or h (isotropic mode, as
	// sklearn's bandwidth="scott"/"silverman") when Bandwidth is 0.
	Rule Rule
	// Bandwidth > 0 overrides Rule: the covariance factor (scipy's scalar
	// bw_method) or the isotropic h (sklearn's bandwidth).
	Bandwidth float64
	// Workers is the number of goroutines for LogDensity (0 = GOMAXPROCS).
	Workers int
	// Progress, when set, receives the number of query rows done.
	Progress progress.Func
}

// KDE is a fitted Gaussian kernel density estimate
//
//	p(x) = 1/n sum_i N(x; x_i, S)
//
// with kernel covariance S = factor^2 Cov(data) or S = h^2 I. It keeps a
// whitened copy of the data (n x d float64). Use it from one goroutine at
// a time or concurrently for reading: methods do not modify it.
type KDE struct {
	n, d      int
	mean      []float64  // centre subtracted before whitening (precision)
	whiten    *mat.Dense // d x d: z = (x - mean) whiten (L^{-T}), nil for isotropic
	h         float64    // isotropic bandwidth (0 in covariance mode)
	factor    float64    // covariance factor (0 in isotropic mode)
	cov       *mat.SymDense
	z         []float64 // whitened data, n x d row-major
	zn        []float64 // squared norms of whitened data rows
	logNorm   float64   // -d/2 log(2 pi) - 1/2 log det S
	workers   int
	progressF progress.Func
}

// NewKDE fits a Gaussian KDE to data (n x d, one point a row). Cost:
// O(n d^2 + d^3) time, O(n d) memory. It returns an error for empty or
// non-finite data, a bandwidth that is negative or NaN, fewer than 2 points
// in covariance mode (the covariance needs them), and a singular data
// covariance (linearly dependent features: reduce them with PCA first, or
// use Isotropic).
func NewKDE(data *mat.Dense, opts KDEOptions) (*KDE, error) {
	n, d, err := chk.Dense("data", data)
	if err != nil {
		return nil, err
	}
	if opts.Bandwidth < 0 || math.IsNaN(opts.Bandwidth) || math.IsInf(opts.Bandwidth, 0) {
		return nil, fmt.Errorf("density: bandwidth %v must be positive and finite (0 = rule)", opts.Bandwidth)
	}
	if opts.Rule != Scott && opts.Rule != Silverman {
		return nil, fmt.Errorf("density: unknown bandwidth rule %d", int(opts.Rule))
	}
	k := &KDE{n: n, d: d, workers: work.Workers(opts.Workers), progressF: opts.Progress}
	bw := opts.Bandwidth
	if bw == 0 {
		if opts.Rule == Scott {
			bw = ScottFactor(n, d)
		} else {
			bw = SilvermanFactor(n, d)
		}
	}
	k.mean = make([]float64, d)
	for j := 0; j < d; j++ {
		k.mean[j] = stat.Mean(mat.Col(nil, j, data), nil)
	}
	var logDet float64 // log det S
	if opts.Isotropic {
		k.h = bw
		logDet = 2 * float64(d) * math.Log(bw)
	} else {
		if n < 2 {
			return nil, fmt.Errorf("density: %d point, the covariance mode needs at least 2 (use Isotropic)", n)
		}
		k.factor = bw
		cov := mat.NewSymDense(d, nil)
		stat.CovarianceMatrix(cov, data, nil)
		k.cov = mat.NewSymDense(d, nil)
		k.cov.ScaleSym(bw*bw, cov)
		var ch mat.Cholesky
		if ok := ch.Factorize(k.cov); !ok {
			return nil, fmt.Errorf("density: the data covariance (%d x %d) is singular or not positive definite: features are linearly dependent or constant; reduce them (PCA) or use Isotropic", d, d)
		}
		var l mat.TriDense
		ch.LTo(&l)
		for i := 0; i < d; i++ {
			logDet += 2 * math.Log(l.At(i, i))
		}
		// whiten = L^{-T}: z^T = (x-mean)^T L^{-T} so that |z|^2 = (x-m)^T S^{-1} (x-m).
		var linv mat.TriDense
		if err := linv.InverseTri(&l); err != nil {
			return nil, fmt.Errorf("density: inverting the Cholesky factor: %v", err)
		}
		k.whiten = mat.NewDense(d, d, nil)
		k.whiten.Copy(linv.T())
	}
	k.logNorm = -0.5*float64(d)*math.Log(2*math.Pi) - 0.5*logDet
	k.z, k.zn = k.transform(data)
	return k, nil
}

// NewKDE32 is NewKDE for float32 points (converted to float64 once).
func NewKDE32(data *mat32.Dense, opts KDEOptions) (*KDE, error) {
	if _, _, err := chk.Shape32("data", data); err != nil {
		return nil, err
	}
	return NewKDE(data.ToDense(), opts)
}

// transform returns the whitened rows and their squared norms.
func (k *KDE) transform(x *mat.Dense) ([]float64, []float64) {
	m, _ := x.Dims()
	c := mat.NewDense(m, k.d, nil)
	for i := 0; i < m; i++ {
		src, dst := x.RawRowView(i), c.RawRowView(i)
		for j := range dst {
			dst[j] = src[j] - k.mean[j]
		}
	}
	if k.whiten != nil {
		var z mat.Dense
		z.Mul(c, k.whiten)
		c = &z
	} else {
		c.Scale(1/k.h, c)
	}
	raw := make([]float64, m*k.d)
	norms := make([]float64, m)
	for i := 0; i < m; i++ {
		row := c.RawRowView(i)
		copy(raw[i*k.d:], row)
		var s float64
		for _, v := range row {
			s += v * v
		}
		norms[i] = s
	}
	return raw, norms
}

// N returns the number of data points.
func (k *KDE) N() int { return k.n }

// Dim returns the dimension of the points.
func (k *KDE) Dim() int { return k.d }

// Factor returns the covariance factor (0 in isotropic mode).
func (k *KDE) Factor() float64 { return k.factor }

// Bandwidth returns the isotropic bandwidth h (0 in covariance mode).
func (k *KDE) Bandwidth() float64 { return k.h }

// Covariance returns a copy of the kernel covariance S (d x d).
func (k *KDE) Covariance() *mat.SymDense {
	s := mat.NewSymDense(k.d, nil)
	if k.cov != nil {
		s.CopySym(k.cov)
		return s
	}
	for i := 0; i < k.d; i++ {
		s.SetSym(i, i, k.h*k.h)
	}
	return s
}

// LogDensity returns log p(q) at each query row (m x d), computed as a
// stable log-sum-exp of the kernel terms. Cost: O(m n d) time through
// blocked matrix products (BLAS), O(d (m + block)) memory, parallel over
// query blocks.
func (k *KDE) LogDensity(queries *mat.Dense) ([]float64, error) {
	if k == nil {
		return nil, errNilKDE
	}
	m, d, err := chk.Dense("queries", queries)
	if err != nil {
		return nil, err
	}
	if d != k.d {
		return nil, fmt.Errorf("density: queries have %d columns, the KDE was fitted on %d", d, k.d)
	}
	zq, qn := k.transform(queries)
	out := make([]float64, m)
	if err := k.logSumExp(zq, qn, m, -1, out); err != nil {
		return nil, err
	}
	ln := k.logNorm - math.Log(float64(k.n))
	for i := range out {
		out[i] += ln
	}
	return out, nil
}

// LogDensity32 is LogDensity for float32 queries.
func (k *KDE) LogDensity32(queries *mat32.Dense) ([]float64, error) {
	if _, _, err := chk.Shape32("queries", queries); err != nil {
		return nil, err
	}
	return k.LogDensity(queries.ToDense())
}

// LeaveOneOutLogDensity returns, for each data point x_i, the log density
// at x_i of the KDE built on the other n-1 points with the same kernel
// covariance: log( 1/(n-1) sum_{j != i} N(x_i; x_j, S) ). Exact duplicates
// of x_i still count. Cost as LogDensity with m = n. It needs n >= 2.
func (k *KDE) LeaveOneOutLogDensity() ([]float64, error) {
	if k == nil {
		return nil, errNilKDE
	}
	if k.n < 2 {
		return nil, fmt.Errorf("density: leave-one-out needs at least 2 points, have %d", k.n)
	}
	out := make([]float64, k.n)
	if err := k.logSumExp(k.z, k.zn, k.n, 0, out); err != nil {
		return nil, err
	}
	ln := k.logNorm - math.Log(float64(k.n-1))
	for i := range out {
		out[i] += ln
	}
	return out, nil
}

const (
	qBlock = 512
	dBlock = 2048
)

// logSumExp writes log sum_j exp(-|zq_i - z_j|^2 / 2) into out. When
// selfOffset >= 0 the queries are the data rows and term j == i is skipped.
// Each (query block, data block) product is one GEMM call (the BLAS
// backend threads it); the exponentials of its rows are then spread over
// the workers, each row keeping a running maximum and scaled sum (online
// log-sum-exp).
func (k *KDE) logSumExp(zq, qn []float64, m, selfOffset int, out []float64) error {
	d := k.d
	g := make([]float64, qBlock*dBlock)
	mx := make([]float64, qBlock)
	s := make([]float64, qBlock)
	workers := max(1, k.workers)
	for q0 := 0; q0 < m; q0 += qBlock {
		q1 := min(q0+qBlock, m)
		bq := q1 - q0
		for i := 0; i < bq; i++ {
			mx[i] = math.Inf(-1)
			s[i] = 0
		}
		qa := blas64.General{Rows: bq, Cols: d, Stride: d, Data: zq[q0*d : q1*d]}
		for j0 := 0; j0 < k.n; j0 += dBlock {
			j1 := min(j0+dBlock, k.n)
			bd := j1 - j0
			da := blas64.General{Rows: bd, Cols: d, Stride: d, Data: k.z[j0*d : j1*d]}
			gc := blas64.General{Rows: bq, Cols: bd, Stride: bd, Data: g[:bq*bd]}
			blas64.Gemm(blas.NoTrans, blas.Trans, 1, qa, da, 0, gc)
			work.Range(bq, workers, func(r0, r1 int) {
				for i := r0; i < r1; i++ {
					self := -1
					if selfOffset >= 0 {
						self = q0 + i - j0
					}
					mx[i], s[i] = k.accumulate(g[i*bd:(i+1)*bd], qn[q0+i], k.zn[j0:j1], self, mx[i], s[i])
				}
			})
		}
		for i := 0; i < bq; i++ {
			out[q0+i] = mx[i] + math.Log(s[i])
		}
		if err := progress.Report(k.progressF, q1, m); err != nil {
			return err
		}
	}
	return nil
}

// accumulate folds the terms exp(-(qi + zn_j - 2 g_j)/2) of one row of a
// block product into the running (maximum, scaled sum) pair, skipping
// index self.
func (k *KDE) accumulate(row []float64, qi float64, zn []float64, self int, mx, s float64) (float64, float64) {
	// Exponents e_j = -|q - x_j|^2/2 <= 0; first pass: block max.
	bm := math.Inf(-1)
	for j, gv := range row {
		d2 := qi + zn[j] - 2*gv
		if d2 < 0 {
			d2 = 0
		}
		e := -0.5 * d2
		if j == self {
			e = math.Inf(-1)
		}
		row[j] = e
		if e > bm {
			bm = e
		}
	}
	if bm == math.Inf(-1) {
		return mx, s
	}
	if bm > mx {
		s *= math.Exp(mx - bm)
		mx = bm
	}
	var acc float64
	for _, e := range row {
		acc += math.Exp(e - mx)
	}
	return mx, s + acc
}
