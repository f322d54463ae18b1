package compress

import (
	"math"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// FastRPOptions configures FastRP. Dim is required; the rest defaults to
// Neo4j GDS's FastRP: weights [0, 1, 1], normalisation strength 0, rows of
// each power L2-normalised.
type FastRPOptions struct {
	// Dim is the embedding dimension (required, >= 1).
	Dim int
	// Weights are alpha_1..alpha_q, the weights of the powers 1..q of the
	// transition matrix (nil: [0, 1, 1]).
	Weights []float64
	// Beta is the degree normalisation strength: the random projection is
	// scaled row by row by deg^Beta (0: none; the paper tries Beta in
	// [-1, 0] to damp high-degree nodes).
	Beta float64
	// NoNormalize keeps the powers as they are instead of L2-normalising
	// their rows (the reference implementation normalises).
	NoNormalize bool
	// Seed seeds the very sparse projection.
	Seed uint64
}

// FastRP embeds the nodes of a graph (Chen et al. 2019): with P = D^-1 A
// the transition matrix (rows of isolated nodes stay zero), L = diag(deg^Beta)
// and R an n x Dim very sparse random projection (density 1/sqrt(n), as
// RandomProjection with Sparse), N_1 = P L R, N_i = P N_{i-1}, each
// row-normalised unless NoNormalize, and the embedding sum_i alpha_i N_i.
// Errors: nil graph, Dim < 1, empty or non-finite Weights, Beta not
// finite. Cost O(q E Dim) for E edges and q weights, O(n Dim) memory.
func FastRP(adj *Adjacency, opts FastRPOptions) (*mat32.Dense, error) {
	if adj == nil || adj.N < 1 {
		return nil, chk.Errorf("FastRP: graph is nil or empty")
	}
	if opts.Dim < 1 {
		return nil, chk.Errorf("FastRP: Dim = %d must be >= 1", opts.Dim)
	}
	w := opts.Weights
	if w == nil {
		w = []float64{0, 1, 1}
	}
	if len(w) == 0 {
		return nil, chk.Errorf("FastRP: Weights is empty")
	}
	if err := chk.Finite("Weights", w, len(w)); err != nil {
		return nil, err
	}
	if math.IsNaN(opts.Beta) || math.IsInf(opts.Beta, 0) {
		return nil, chk.Errorf("FastRP: Beta = %v must be finite", opts.Beta)
	}
	r, err := FastRPProjection(adj.N, opts.Dim, opts.Seed)
	if err != nil {
		return nil, err
	}
	n, dim := adj.N, opts.Dim
	deg := adj.Degrees()
	cur := make([]float64, n*dim)
	r.eachNonZero(func(c, j int, v float64) {
		if opts.Beta != 0 && deg[j] > 0 {
			v *= math.Pow(deg[j], opts.Beta)
		}
		cur[j*dim+c] = v
	})
	out := make([]float64, n*dim)
	next := make([]float64, n*dim)
	for _, alpha := range w {
		adj.transition(cur, next, deg, dim)
		cur, next = next, cur
		if !opts.NoNormalize {
			normRows64(cur, dim)
		}
		for t, v := range cur {
			out[t] += alpha * v
		}
	}
	emb := mat32.Zeros(n, dim)
	for t, v := range out {
		emb.RawData()[t] = float32(v)
	}
	return emb, nil
}

// FastRPProjection returns the very sparse projection FastRP draws for n
// nodes and dimension dim with this seed (Components() is R^T, dim x n),
// for inspecting or reproducing an embedding. O(dim sqrt(n)) expected.
func FastRPProjection(n, dim int, seed uint64) (*RandomProjection, error) {
	return NewRandomProjection(n, dim, ProjectionOptions{Kind: Sparse, Seed: seed})
}

// transition writes P x into dst for x (n x dim), P = D^-1 A. O(E dim).
func (a *Adjacency) transition(x, dst []float64, deg []float64, dim int) {
	work.Range(a.N, 0, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			row := dst[i*dim : (i+1)*dim]
			clear(row)
			if deg[i] == 0 {
				continue
			}
			for e := a.RowPtr[i]; e < a.RowPtr[i+1]; e++ {
				w := a.Val[e] / deg[i]
				src := x[a.Col[e]*dim : (a.Col[e]+1)*dim]
				for c, v := range src {
					row[c] += w * v
				}
			}
		}
	})
}

// normRows64 scales the rows of x (rows of dim) to unit norm; zero rows
// stay zero. O(len(x)).
func normRows64(x []float64, dim int) {
	for i := 0; i < len(x); i += dim {
		row := x[i : i+dim]
		var s float64
		for _, v := range row {
			s += v * v
		}
		if s == 0 {
			continue
		}
		f := 1 / math.Sqrt(s)
		for c := range row {
			row[c] *= f
		}
	}
}
