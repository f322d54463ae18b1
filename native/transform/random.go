package transform

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// Coupling selects how the random directions of a random feature map are
// drawn.
type Coupling int

const (
	// IID draws independent N(0, I) directions (Rahimi & Recht 2007).
	IID Coupling = iota
	// Orthogonal draws blocks of d exactly orthogonal directions with
	// chi_d lengths (orthogonal random features, Yu et al. 2016).
	Orthogonal
	// Simplex draws blocks of d unit directions pointing to the vertices
	// of a randomly rotated regular simplex (pairwise inner products
	// -1/(d-1)) with independent chi_d lengths: simplex random features
	// (Reid et al. 2023), the lowest-variance coupling of their family for
	// positive random features.
	Simplex
)

// RandomFeatureOptions configures NewRandomFeatures. The zero value
// gives scikit-learn RBFSampler's map for gamma = 1 with 100 components.
type RandomFeatureOptions struct {
	// Components is the number of features m (0 = 100).
	Components int
	// Gamma of the Gaussian kernel exp(-gamma ||x - y||^2) (0 = 1).
	Gamma float64
	// Coupling of the directions: IID (default), Orthogonal or Simplex.
	Coupling Coupling
	// Positive uses positive random features exp(w.x - 2 Gamma ||x||^2)
	// (Choromanski et al. 2021), whose products are never negative,
	// instead of the trigonometric ones.
	Positive bool
	// Seed of the draws.
	Seed uint64
}

// RandomFeatures is a random feature map z with z(x).z(y) an unbiased
// estimate of the Gaussian kernel exp(-Gamma ||x - y||^2).
//
// Trigonometric (scikit-learn's RBFSampler conventions): W = sqrt(2 Gamma)
// G with G of N(0, 1) marginals (d x m), Offset ~ U(0, 2 pi), and
// z(x) = sqrt(2/m) cos(x W + Offset).
// Positive: z(x) = exp(x W - 2 Gamma ||x||^2) / sqrt(m) with W = sqrt(2 Gamma) G.
type RandomFeatures struct {
	// W is the d x m matrix of directions (scikit-learn's random_weights_).
	W *mat.Dense
	// Offset holds the m phases (scikit-learn's random_offset_); nil for
	// positive features.
	Offset []float64
	// Gamma of the kernel.
	Gamma float64
}

// NewRandomFeatures draws a random feature map for d-dimensional inputs.
// Cost: O(d m) draws, plus O(d^3) a block of d directions for the
// orthogonal and simplex couplings (a QR of a d x d Gaussian matrix).
func NewRandomFeatures(d int, opts RandomFeatureOptions) (*RandomFeatures, error) {
	m := opts.Components
	if m == 0 {
		m = 100
	}
	gamma := opts.Gamma
	if gamma == 0 {
		gamma = 1
	}
	if d < 1 || m < 1 || !(gamma > 0) || math.IsInf(gamma, 0) {
		return nil, chk.Errorf("need d >= 1 (%d), Components >= 1 (%d) and Gamma > 0 (%v)", d, m, opts.Gamma)
	}
	if opts.Coupling == Simplex && d < 2 {
		return nil, chk.Errorf("simplex coupling needs d >= 2, have %d", d)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15))
	var g *mat.Dense
	switch opts.Coupling {
	case IID:
		g = sample.Gaussian(rng, d, m)
	case Orthogonal, Simplex:
		g = coupledDirections(rng, d, m, opts.Coupling == Simplex)
	default:
		return nil, chk.Errorf("unknown coupling %d", int(opts.Coupling))
	}
	g.Scale(math.Sqrt(2*gamma), g)
	rf := &RandomFeatures{W: g, Gamma: gamma}
	if !opts.Positive {
		rf.Offset = make([]float64, m)
		for j := range rf.Offset {
			rf.Offset[j] = 2 * math.Pi * rng.Float64()
		}
	}
	return rf, nil
}

// coupledDirections returns d x m directions in blocks of d columns:
// a Haar-random rotation of the standard basis (orthogonal) or of the
// unit simplex vectors (e_i - 1/d)/sqrt(1 - 1/d), each column scaled by
// an independent chi_d length, so that every column is marginally
// N(0, I_d).
func coupledDirections(rng *rand.Rand, d, m int, simplex bool) *mat.Dense {
	out := mat.NewDense(d, m, nil)
	chi := distuv.ChiSquared{K: float64(d), Src: rng}
	base := eye(d)
	if simplex {
		s := 1 / math.Sqrt(1-1/float64(d))
		for i := range d {
			for j := range d {
				v := -1 / float64(d)
				if i == j {
					v += 1
				}
				base.Set(i, j, v*s)
			}
		}
	}
	for j0 := 0; j0 < m; j0 += d {
		var qr mat.QR
		qr.Factorize(sample.Gaussian(rng, d, d))
		var q, r mat.Dense
		qr.QTo(&q)
		qr.RTo(&r)
		for j := range d { // sign fix: Haar measure
			if r.At(j, j) < 0 {
				for i := range d {
					q.Set(i, j, -q.At(i, j))
				}
			}
		}
		var block mat.Dense
		block.Mul(&q, base)
		for j := 0; j < d && j0+j < m; j++ {
			l := math.Sqrt(chi.Rand())
			for i := range d {
				out.Set(i, j0+j, block.At(i, j)*l)
			}
		}
	}
	return out
}

// Transform maps the rows of x (n x d) to their n x m features. O(n d m).
func (rf *RandomFeatures) Transform(x *mat.Dense) (*mat.Dense, error) {
	n, d, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	dw, m := rf.W.Dims()
	if err := chk.SameCols("x", d, "the feature map's input", dw, ""); err != nil {
		return nil, err
	}
	var z mat.Dense
	z.Mul(x, rf.W)
	for i := range n {
		row := z.RawRowView(i)
		if rf.Offset != nil {
			for j := range row {
				row[j] = math.Sqrt(2/float64(m)) * math.Cos(row[j]+rf.Offset[j])
			}
			continue
		}
		sq := mat.Dot(x.RowView(i), x.RowView(i))
		for j := range row {
			row[j] = math.Exp(row[j]-2*rf.Gamma*sq) / math.Sqrt(float64(m))
		}
	}
	return &z, nil
}

// RBFKernel returns the n x m Gaussian kernel matrix
// exp(-gamma ||x_i - y_j||^2) of the rows of x and y (the target the
// random features estimate). O(n m d).
func RBFKernel(x, y *mat.Dense, gamma float64) (*mat.Dense, error) {
	n, d, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	m, dy, err := chk.Dense("y", y)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("x", d, "y", dy, ""); err != nil {
		return nil, err
	}
	out := mat.NewDense(n, m, nil)
	for i := range n {
		for j := range m {
			var s float64
			for l, v := range x.RawRowView(i) {
				t := v - y.At(j, l)
				s += t * t
			}
			out.Set(i, j, math.Exp(-gamma*s))
		}
	}
	return out, nil
}
