package compress

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// chk words compress's argument errors ("compress: queries element (row 1,
// column 4) is NaN").
var chk = check.Checker{Prefix: "compress", Style: check.ElementIs}

// Transformer maps rows of dimension InDim to rows of dimension OutDim;
// NewTransformedIndex turns one into a Searcher.
type Transformer interface {
	// Transform maps the rows of x (n x InDim) to n x OutDim.
	Transform(x *mat32.Dense) (*mat32.Dense, error)
	// InDim and OutDim are the dimensions before and after.
	InDim() int
	OutDim() int
	// Name describes the transform, e.g. "sparse RP 768->128".
	Name() string
}

// ProjectionKind selects the random matrix of a RandomProjection.
type ProjectionKind int

const (
	// Gaussian entries N(0, 1/k) (scikit-learn's GaussianRandomProjection).
	Gaussian ProjectionKind = iota
	// Sparse entries +-sqrt(s/k) with probability 1/(2s) each and 0
	// otherwise, s = 1/density (Li, Hastie and Church's very sparse random
	// projection; scikit-learn's SparseRandomProjection).
	Sparse
)

// String returns the kind's name.
func (k ProjectionKind) String() string {
	switch k {
	case Gaussian:
		return "Gaussian"
	case Sparse:
		return "sparse"
	}
	return fmt.Sprintf("ProjectionKind(%d)", int(k))
}

// ProjectionOptions configures NewRandomProjection.
type ProjectionOptions struct {
	// Kind is Gaussian (default) or Sparse.
	Kind ProjectionKind
	// Density is the fraction of non-zero entries of a Sparse projection,
	// in (0, 1] (0: 1/sqrt(InDim), scikit-learn's "auto"). Ignored for
	// Gaussian.
	Density float64
	// Seed seeds the random matrix.
	Seed uint64
}

// RandomProjection is a k x D random matrix R; Transform maps x to x R^T.
type RandomProjection struct {
	kind    ProjectionKind
	in, out int
	density float64
	dense   []float32 // Gaussian: out x in
	// Sparse: component i has +scale at pos[posPtr[i]:posPtr[i+1]] and
	// -scale at neg[negPtr[i]:negPtr[i+1]].
	pos, neg       []int32
	posPtr, negPtr []int
	scale          float64
}

// NewRandomProjection draws a projection from dimension inDim to outDim
// (both >= 1). Sparse projections draw each entry non-zero with
// probability Density (so the number of non-zeros of a component is
// Binomial(D, Density), as in scikit-learn) with an equally likely sign;
// non-zeros are +-sqrt(1/Density)/sqrt(outDim). Gaussian entries are
// N(0, 1/outDim). Cost O(outDim inDim) (Gaussian) or O(outDim inDim
// Density) expected (Sparse), same memory.
func NewRandomProjection(inDim, outDim int, opts ProjectionOptions) (*RandomProjection, error) {
	if inDim < 1 || outDim < 1 {
		return nil, chk.Errorf("projection dimensions must be >= 1, got %d -> %d", inDim, outDim)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7270726f))
	p := &RandomProjection{kind: opts.Kind, in: inDim, out: outDim}
	switch opts.Kind {
	case Gaussian:
		p.dense = make([]float32, outDim*inDim)
		sd := 1 / math.Sqrt(float64(outDim))
		for i := range p.dense {
			p.dense[i] = float32(rng.NormFloat64() * sd)
		}
	case Sparse:
		dens := opts.Density
		if dens == 0 {
			dens = 1 / math.Sqrt(float64(inDim))
		}
		if !(dens > 0 && dens <= 1) {
			return nil, chk.Errorf("Density = %v must be in (0, 1] (0: 1/sqrt(InDim))", opts.Density)
		}
		p.density = dens
		p.scale = math.Sqrt(1/dens) / math.Sqrt(float64(outDim))
		p.drawSparse(rng)
	default:
		return nil, chk.Errorf("unknown projection kind %d", int(opts.Kind))
	}
	return p, nil
}

// drawSparse picks the non-zeros of each component by geometric skips
// (each entry independently non-zero with probability density) and their
// signs. O(expected non-zeros).
func (p *RandomProjection) drawSparse(rng *rand.Rand) {
	p.posPtr = append(p.posPtr, 0)
	p.negPtr = append(p.negPtr, 0)
	logq := math.Log1p(-p.density)
	for range p.out {
		for j := nextHit(rng, -1, logq); j < p.in; j = nextHit(rng, j, logq) {
			if rng.Uint64()&1 == 0 {
				p.pos = append(p.pos, int32(j))
			} else {
				p.neg = append(p.neg, int32(j))
			}
		}
		p.posPtr = append(p.posPtr, len(p.pos))
		p.negPtr = append(p.negPtr, len(p.neg))
	}
}

// nextHit returns the next index after j that is a success of independent
// Bernoulli trials of failure log-probability logq (the skip is geometric).
func nextHit(rng *rand.Rand, j int, logq float64) int {
	if logq == math.Inf(-1) { // density 1: every entry
		return j + 1
	}
	u := 1 - rng.Float64() // (0, 1]
	skip := math.Floor(math.Log(u) / logq)
	if skip > 1<<40 {
		return math.MaxInt32
	}
	return j + 1 + int(skip)
}

// InDim returns D, the input dimension.
func (p *RandomProjection) InDim() int { return p.in }

// OutDim returns k, the output dimension.
func (p *RandomProjection) OutDim() int { return p.out }

// Density returns the fraction of non-zero entries drawn for (Sparse; 1 for Gaussian).
func (p *RandomProjection) Density() float64 {
	if p.kind == Gaussian {
		return 1
	}
	return p.density
}

// Name describes the projection, e.g. "sparse RP 300->64".
func (p *RandomProjection) Name() string {
	return fmt.Sprintf("%s RP %d->%d", p.kind, p.in, p.out)
}

// Components returns R as a dense k x D float64 matrix (scikit-learn's
// components_). O(k D).
func (p *RandomProjection) Components() *mat.Dense {
	r := mat.NewDense(p.out, p.in, nil)
	p.eachNonZero(func(i, j int, v float64) { r.Set(i, j, v) })
	return r
}

// eachNonZero calls f(i, j, R[i][j]) for the non-zero entries of a
// Sparse projection (every entry of a Gaussian one). O(NonZeros()).
func (p *RandomProjection) eachNonZero(f func(i, j int, v float64)) {
	for i := range p.out {
		if p.kind == Gaussian {
			for j := range p.in {
				f(i, j, float64(p.dense[i*p.in+j]))
			}
			continue
		}
		for _, j := range p.pos[p.posPtr[i]:p.posPtr[i+1]] {
			f(i, int(j), p.scale)
		}
		for _, j := range p.neg[p.negPtr[i]:p.negPtr[i+1]] {
			f(i, int(j), -p.scale)
		}
	}
}

// NonZeros returns the number of non-zero entries of R. O(1).
func (p *RandomProjection) NonZeros() int {
	if p.kind == Gaussian {
		return len(p.dense)
	}
	return len(p.pos) + len(p.neg)
}

// Transform returns x R^T (n x k) for x (n x D, finite). Cost: one float32
// GEMM, O(n D k) (Gaussian), or O(n nnz) with nnz = NonZeros(), sums in
// float64 (Sparse). Memory O(n k).
func (p *RandomProjection) Transform(x *mat32.Dense) (*mat32.Dense, error) {
	n, err := checkIn("x", x, p.in)
	if err != nil {
		return nil, err
	}
	out := mat32.Zeros(n, p.out)
	if p.kind == Gaussian {
		blas32.Gemm(blas.NoTrans, blas.Trans, 1,
			blas32.General{Rows: n, Cols: p.in, Stride: p.in, Data: x.RawData()},
			blas32.General{Rows: p.out, Cols: p.in, Stride: p.in, Data: p.dense},
			0, blas32.General{Rows: n, Cols: p.out, Stride: p.out, Data: out.RawData()})
		return out, nil
	}
	work.Range(n, 0, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			src, dst := x.Row(r), out.Row(r)
			for i := range dst {
				var s float64
				for _, j := range p.pos[p.posPtr[i]:p.posPtr[i+1]] {
					s += float64(src[j])
				}
				for _, j := range p.neg[p.negPtr[i]:p.negPtr[i+1]] {
					s -= float64(src[j])
				}
				dst[i] = float32(s * p.scale)
			}
		}
	})
	return out, nil
}

// checkIn validates x (non-nil, non-empty, finite) and its column count.
// O(n d).
func checkIn(name string, x *mat32.Dense, dim int) (int, error) {
	n, d, err := chk.Dense32(name, x)
	if err != nil {
		return 0, err
	}
	if d != dim {
		return 0, chk.Errorf("%s has %d columns, want %d", name, d, dim)
	}
	return n, nil
}

// JLMinDim returns the Johnson-Lindenstrauss minimum dimension
// 4 ln n / (eps^2/2 - eps^3/3), truncated to an integer as scikit-learn's
// johnson_lindenstrauss_min_dim: a random projection to that many
// dimensions keeps every pairwise squared distance of n points within a
// factor 1 +- eps with high probability. n >= 1, eps in (0, 1). O(1).
func JLMinDim(n int, eps float64) (int, error) {
	if n < 1 {
		return 0, chk.Errorf("JLMinDim: n = %d must be >= 1", n)
	}
	if !(eps > 0 && eps < 1) {
		return 0, chk.Errorf("JLMinDim: eps = %v must be in (0, 1)", eps)
	}
	den := eps*eps/2 - eps*eps*eps/3
	return int(4 * math.Log(float64(n)) / den), nil
}
