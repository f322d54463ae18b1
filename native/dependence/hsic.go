package dependence

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/progress"
)

// HSICOptions configures HSIC.
type HSICOptions struct {
	// SigmaX and SigmaY are the Gaussian kernel widths,
	// k(a, b) = exp(-|a-b|^2 / (2 sigma^2)). 0 selects the median heuristic:
	// sigma = median of the non-zero pairwise Euclidean distances (over a
	// seeded random subset of 1000 points when n > 1000).
	SigmaX, SigmaY float64
	// Permutations is the number of permutations of y for the p-value;
	// 0 skips the test (PValue is NaN).
	Permutations int
	// Seed makes the permutations (and the median subset) reproducible.
	Seed uint64
	// Workers for the permutations (0 = GOMAXPROCS). Results do not depend
	// on it.
	Workers int
	// Progress, when set, receives permutations done.
	Progress progress.Func
}

// maxHSIC bounds the sample size of HSIC (two n x n float64 matrices,
// 6.4 GB at the bound).
const maxHSIC = 20000

// HSICResult is the outcome of HSIC.
type HSICResult struct {
	// Statistic is the biased HSIC estimate trace(K H L H) / n^2 (Gretton
	// et al. 2005) with H = I - 11^T/n: 0 iff the centred kernel matrices
	// are orthogonal; larger means more dependence.
	Statistic float64
	// PValue is (1 + #{permuted >= observed}) / (1 + Permutations), NaN
	// when no permutations were run.
	PValue         float64
	SigmaX, SigmaY float64
	Permutations   int
}

// HSIC computes the Hilbert-Schmidt independence criterion between x
// (n x p) and y (n x q) with Gaussian kernels, and a permutation p-value
// (rows of y shuffled, seeded). Cost: O(n^2 (p + q)) to build the kernel
// matrices, O(n^2) per permutation; memory 2 n^2 float64 (16 n^2 bytes:
// 400 MB at n = 5000; n is limited to 20000). Errors: bad shapes,
// NaN/Inf, n < 4 or n > 20000, a negative sigma or permutation count, a
// constant variable (median distance 0).
func HSIC(x, y *mat.Dense, opts HSICOptions) (*HSICResult, error) {
	xs, ys, err := fromPair("x", x, "y", y)
	if err != nil {
		return nil, err
	}
	n := xs.n
	if n > maxHSIC {
		return nil, fmt.Errorf("dependence: HSIC on %d samples needs two %d x %d kernel matrices (%.1f GB): subsample to at most %d", n, n, n, 16*float64(n)*float64(n)/1e9, maxHSIC)
	}
	if n < 4 {
		return nil, fmt.Errorf("dependence: HSIC needs at least 4 samples, have %d", n)
	}
	if opts.SigmaX < 0 || opts.SigmaY < 0 || math.IsNaN(opts.SigmaX) || math.IsNaN(opts.SigmaY) {
		return nil, fmt.Errorf("dependence: kernel widths must be >= 0 (0 = median heuristic), have %v, %v", opts.SigmaX, opts.SigmaY)
	}
	if opts.Permutations < 0 {
		return nil, fmt.Errorf("dependence: %d permutations", opts.Permutations)
	}
	res := &HSICResult{SigmaX: opts.SigmaX, SigmaY: opts.SigmaY, Permutations: opts.Permutations, PValue: math.NaN()}
	if res.SigmaX == 0 {
		if res.SigmaX, err = medianDistance("x", xs, opts.Seed); err != nil {
			return nil, err
		}
	}
	if res.SigmaY == 0 {
		if res.SigmaY, err = medianDistance("y", ys, opts.Seed+1); err != nil {
			return nil, err
		}
	}
	k := gaussGram(xs, res.SigmaX)
	l := gaussGram(ys, res.SigmaY)
	centre(k, n)
	ident := make([]int, n)
	for i := range ident {
		ident[i] = i
	}
	res.Statistic = permutedTrace(k, l, ident) / float64(n*n)
	if opts.Permutations == 0 {
		return res, nil
	}
	obs := res.Statistic * float64(n*n)
	// A tolerance so that permutations equal to the observed value up to
	// rounding (e.g. the identity) count as >=.
	tol := 1e-12 * math.Abs(obs)
	var exceed atomic.Int64
	err = work.Queue(opts.Permutations, opts.Workers, opts.Progress, opts.Permutations, func() func(int) (int, error) {
		perm := make([]int, n)
		return func(p int) (int, error) {
			rng := rand.New(rand.NewPCG(opts.Seed, uint64(p)+0x9e3779b97f4a7c15))
			for i := range perm {
				perm[i] = i
			}
			rng.Shuffle(n, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
			if permutedTrace(k, l, perm) >= obs-tol {
				exceed.Add(1)
			}
			return 1, nil
		}
	})
	if err != nil {
		return nil, err
	}
	res.PValue = float64(1+exceed.Load()) / float64(1+opts.Permutations)
	return res, nil
}

// medianDistance returns the median of the non-zero pairwise distances.
func medianDistance(name string, s sample, seed uint64) (float64, error) {
	idx := make([]int, s.n)
	for i := range idx {
		idx[i] = i
	}
	const maxPts = 1000
	if s.n > maxPts {
		rng := rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc908))
		rng.Shuffle(s.n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		idx = idx[:maxPts]
	}
	var ds []float64
	for a := 0; a < len(idx); a++ {
		xa := s.v[idx[a]*s.dim : (idx[a]+1)*s.dim]
		for b := a + 1; b < len(idx); b++ {
			xb := s.v[idx[b]*s.dim : (idx[b]+1)*s.dim]
			var q float64
			for k, v := range xa {
				t := v - xb[k]
				q += t * t
			}
			if q > 0 {
				ds = append(ds, q)
			}
		}
	}
	if len(ds) == 0 {
		return 0, fmt.Errorf("dependence: %s is constant (all pairwise distances 0): no kernel width", name)
	}
	sort.Float64s(ds)
	m := len(ds)
	med := ds[m/2]
	if m%2 == 0 {
		med = 0.5 * (ds[m/2-1] + ds[m/2])
	}
	return math.Sqrt(med), nil
}

// gaussGram returns the n x n Gaussian kernel matrix, row-major.
func gaussGram(s sample, sigma float64) []float64 {
	n := s.n
	g := make([]float64, n*n)
	ds := newDistSource(s)
	if ds.gemm {
		ds.product(0, n, g)
	}
	c := -1 / (2 * sigma * sigma)
	for i := 0; i < n; i++ {
		row := g[i*n : (i+1)*n]
		ds.row(i, 2, row) // squared distances
		for j, q := range row {
			row[j] = math.Exp(c * q)
		}
	}
	return g
}

// centre replaces k by H k H in place.
func centre(k []float64, n int) {
	row := make([]float64, n)
	var tot float64
	for i := 0; i < n; i++ {
		var s float64
		for _, v := range k[i*n : (i+1)*n] {
			s += v
		}
		row[i] = s / float64(n)
		tot += s
	}
	tot /= float64(n * n)
	for i := 0; i < n; i++ {
		r := k[i*n : (i+1)*n]
		for j := range r {
			r[j] += tot - row[i] - row[j]
		}
	}
}

// permutedTrace returns sum_ij kc_ij l_{p(i) p(j)}.
func permutedTrace(kc, l []float64, p []int) float64 {
	n := len(p)
	var s float64
	for i := 0; i < n; i++ {
		kr := kc[i*n : (i+1)*n]
		lr := l[p[i]*n : (p[i]+1)*n]
		var r float64
		for j, v := range kr {
			r += v * lr[p[j]]
		}
		s += r
	}
	return s
}
