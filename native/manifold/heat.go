package manifold

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/transform"
)

// Laplacian selects the graph Laplacian of the heat kernel.
type Laplacian int

const (
	// Normalized is I - D^-1/2 W D^-1/2 (HeatGeo's default).
	Normalized Laplacian = iota
	// Combinatorial is D - W.
	Combinatorial
)

// HeatOptions configures HeatGeodesics. The zero value uses 10
// neighbours, diffusion time 10, the normalised Laplacian and no Harnack
// regularisation (HeatGeo's defaults for its kNN graph).
type HeatOptions struct {
	// K is the number of neighbours of the graph (0 = 10); an edge joins
	// i and j when either is among the other's K nearest (weight 1).
	K int
	// Time is the diffusion time t (0 = 10), in the Laplacian's units.
	Time float64
	// Laplacian: Normalized (default) or Combinatorial.
	Laplacian Laplacian
	// Harnack in [0, 1] subtracts Harnack * 4t log((h_ii + h_jj)/2) from
	// d^2: 1 removes the volume term of Varadhan's asymptotics, so that
	// d(i, i) = 0 and d is proportional to geodesic distance where the
	// kernel is locally Gaussian.
	Harnack float64
	// Workers for the neighbour search (0 = GOMAXPROCS).
	Workers int
}

// HeatGeodesics returns the n x n heat-geodesic distances between the
// rows of x (n x d): on the kNN graph, the heat kernel H_t = exp(-t L)
// (by the eigen-decomposition of L) turned into distances by Varadhan's
// formula d_ij^2 = -4t log h_t(i, j) (+ the Harnack term), clamped at 0,
// as in HeatGeo (Huguet et al. 2023). Kernel values below 1e-16
// (far pairs, disconnected components) are floored at 1e-16, so such
// distances saturate at sqrt(4t log 1e16). Cost: the kNN search, then
// O(n^3) time and O(n^2) memory for the eigen-decomposition.
func HeatGeodesics(x *mat.Dense, opts HeatOptions) (*mat.Dense, error) {
	n, _, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	k := opts.K
	if k == 0 {
		k = 10
	}
	if err := chk.K("K", k, 1, n-1, "fewer than the points"); err != nil {
		return nil, err
	}
	t := opts.Time
	if t == 0 {
		t = 10
	}
	if !(t > 0) || math.IsInf(t, 0) || !(opts.Harnack >= 0 && opts.Harnack <= 1) {
		return nil, chk.Errorf("Time (%v) must be positive and finite and Harnack (%v) in [0, 1]", opts.Time, opts.Harnack)
	}
	if opts.Laplacian != Normalized && opts.Laplacian != Combinatorial {
		return nil, chk.Errorf("unknown Laplacian %d", int(opts.Laplacian))
	}
	res, err := knn.SearchSelf(x, knn.Options{K: k, ExcludeSelf: true, Workers: opts.Workers})
	if err != nil {
		return nil, err
	}
	lap := laplacian(res, n, opts.Laplacian)
	// exp(-t L) = U exp(-t Lambda) U^T (eigenvalues below 0 are rounding).
	h, err := transform.SpectralTransform(lap, func(l float64) float64 { return math.Exp(-t * math.Max(l, 0)) })
	if err != nil {
		return nil, err
	}
	dist := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			v := -4 * t * math.Log(math.Max(h.At(i, j), 0)+1e-16)
			if opts.Harnack > 0 {
				v += opts.Harnack * 4 * t * math.Log(0.5*(h.At(i, i)+h.At(j, j))+1e-16)
			}
			dist.Set(i, j, math.Sqrt(math.Max(v, 0)))
		}
	}
	for i := range n { // exact symmetry and zero diagonal
		dist.Set(i, i, 0)
		for j := i + 1; j < n; j++ {
			m := 0.5 * (dist.At(i, j) + dist.At(j, i))
			dist.Set(i, j, m)
			dist.Set(j, i, m)
		}
	}
	return dist, nil
}

// laplacian builds the Laplacian of the symmetrised kNN graph.
func laplacian(r *knn.Result, n int, kind Laplacian) *mat.SymDense {
	w := mat.NewSymDense(n, nil)
	for i := range n {
		for _, j := range r.Neighbors(i) {
			w.SetSym(i, j, 1)
		}
	}
	deg := make([]float64, n)
	for i := range n {
		for j := range n {
			deg[i] += w.At(i, j)
		}
	}
	l := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			v := -w.At(i, j)
			if kind == Normalized {
				v /= math.Sqrt(deg[i] * deg[j])
				if i == j {
					v++
				}
			} else if i == j {
				v += deg[i]
			}
			l.SetSym(i, j, v)
		}
	}
	return l
}

// HeatGeodesicEmbedding embeds the rows of x in dims dimensions by
// classical MDS of their heat-geodesic distances (HeatGeo's embedding
// with the classical solver). Cost of HeatGeodesics plus ClassicalMDS.
func HeatGeodesicEmbedding(x *mat.Dense, dims int, opts HeatOptions) (*MDS, error) {
	d, err := HeatGeodesics(x, opts)
	if err != nil {
		return nil, err
	}
	return ClassicalMDS(d, dims)
}
