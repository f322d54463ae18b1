package subspace

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
)

// LeverageScores returns the statistical leverage of each row of a (n x d):
// l_i = ||U_i||^2, the squared row norms of the left singular vectors U of
// a thin SVD restricted to the numerical rank r (singular values above
// s_max * eps * max(n, d)), so 0 <= l_i <= 1 and sum_i l_i = r. Cost: a
// thin SVD, O(n d min(n, d)) time, O(n min(n,d)) memory.
func LeverageScores(a *mat.Dense) (scores []float64, rank int, err error) {
	q, err := Orth(a)
	if err != nil {
		return nil, 0, err
	}
	n, r := q.Dims()
	scores = make([]float64, n)
	for i := 0; i < n; i++ {
		var s float64
		for _, v := range q.RawRowView(i) {
			s += v * v
		}
		scores[i] = s
	}
	return scores, r, nil
}

// RowSample is a random sample of rows with the weights that make sketches
// unbiased.
type RowSample struct {
	// Index holds the sampled row indices (with replacement, in draw order).
	Index []int
	// Prob holds the sampling probability p_i of each sampled row.
	Prob []float64
	// Weight holds 1/sqrt(m p_i): scaling sampled row i by it gives a sketch
	// S a with E[(S a)^T (S a)] = a^T a.
	Weight []float64
}

// SampleRows draws m rows i.i.d. with probabilities proportional to
// scores (non-negative, not all zero), seeded. O(n + m log n).
func SampleRows(scores []float64, m int, seed uint64) (*RowSample, error) {
	if m < 1 {
		return nil, fmt.Errorf("subspace: sample size %d must be >= 1", m)
	}
	if len(scores) == 0 {
		return nil, fmt.Errorf("subspace: no scores")
	}
	cum := make([]float64, len(scores))
	var tot float64
	for i, s := range scores {
		if s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
			return nil, fmt.Errorf("subspace: score %d is %v: scores must be finite and >= 0", i, s)
		}
		tot += s
		cum[i] = tot
	}
	if tot == 0 {
		return nil, fmt.Errorf("subspace: all scores are 0")
	}
	rng := rand.New(rand.NewPCG(seed, 0xda3e39cb94b95bdb))
	out := &RowSample{Index: make([]int, m), Prob: make([]float64, m), Weight: make([]float64, m)}
	for k := 0; k < m; k++ {
		u := rng.Float64() * tot
		i := sort.SearchFloat64s(cum, u)
		for i < len(cum)-1 && (cum[i] <= u || scores[i] == 0) {
			i++
		}
		p := scores[i] / tot
		out.Index[k], out.Prob[k], out.Weight[k] = i, p, 1/math.Sqrt(float64(m)*p)
	}
	return out, nil
}

// LeverageSample draws m rows of a with probabilities l_i / rank
// (LeverageScores), seeded, with rescaling weights. Cost: a thin SVD plus
// O(m log n).
func LeverageSample(a *mat.Dense, m int, seed uint64) (*RowSample, error) {
	s, _, err := LeverageScores(a)
	if err != nil {
		return nil, err
	}
	return SampleRows(s, m, seed)
}

// Sketch returns the m x d matrix whose row k is row Index[k] of a times
// Weight[k]. O(m d).
func (s *RowSample) Sketch(a *mat.Dense) (*mat.Dense, error) {
	n, d, err := chk.Dense("matrix", a)
	if err != nil {
		return nil, err
	}
	out := mat.NewDense(len(s.Index), d, nil)
	for k, i := range s.Index {
		if i < 0 || i >= n {
			return nil, fmt.Errorf("subspace: sampled row %d out of range for %d rows", i, n)
		}
		dst := out.RawRowView(k)
		for j, v := range a.RawRowView(i) {
			dst[j] = v * s.Weight[k]
		}
	}
	return out, nil
}

// RSVDOptions configures RandomizedSVD.
type RSVDOptions struct {
	// Oversample is the number of extra random directions (0 = 10).
	Oversample int
	// PowerIters is the number of power (subspace) iterations, each
	// re-orthonormalised with QR. 0 = automatic as scikit-learn: 7 when
	// k < 0.1 min(m, n), else 4. Negative = none.
	PowerIters int
	// Seed of the Gaussian test matrix.
	Seed uint64
}

// SVD is a (truncated) singular value decomposition a ~ U diag(S) V^T.
type SVD struct {
	U *mat.Dense // m x k, orthonormal columns
	S []float64  // k singular values, descending
	V *mat.Dense // n x k, orthonormal columns
}

// RandomizedSVD returns the k leading singular triplets of a (m x n) by
// the randomized range finder of Halko, Martinsson & Tropp (2011): Y = A
// Omega with a Gaussian n x (k+p) Omega, q power iterations
// (A A^T) re-orthonormalised in between, Q = orth(Y), then the exact SVD
// of the small Q^T A (the panels are stored transposed and
// orthonormalised by LQ, which is faster on row-major data). Cost: O(m n (k+p) (2q+2)) in matrix products plus
// O((m+n)(k+p)^2); memory O((m+n)(k+p)). Signs of singular vectors are
// arbitrary. Requires 1 <= k <= min(m, n).
func RandomizedSVD(a *mat.Dense, k int, opts RSVDOptions) (*SVD, error) {
	m, n, err := chk.Dense("matrix", a)
	if err != nil {
		return nil, err
	}
	if k < 1 || k > min(m, n) {
		return nil, fmt.Errorf("subspace: rank k = %d must be in [1, %d] for a %d x %d matrix", k, min(m, n), m, n)
	}
	p := opts.Oversample
	if p == 0 {
		p = 10
	}
	if p < 0 {
		return nil, fmt.Errorf("subspace: oversampling %d must be >= 0", p)
	}
	q := opts.PowerIters
	if q == 0 {
		q = 4
		if float64(k) < 0.1*float64(min(m, n)) {
			q = 7
		}
	}
	q = max(q, 0)
	l := min(k+p, min(m, n))
	rng := rand.New(rand.NewPCG(opts.Seed, 0x510e527fade682d1))
	// The panels are kept transposed (l x m and l x n, orthonormal rows):
	// on row-major storage the products Y^T = Omega^T A^T and Z^T = Q^T A
	// run faster than A Omega and A^T Q, and the LQ factorisations work
	// along contiguous rows.
	omegaT := mat.NewDense(l, n, nil)
	od := omegaT.RawMatrix().Data
	for i := range od {
		od[i] = rng.NormFloat64()
	}
	yt := mat.NewDense(l, m, nil)
	yt.Mul(omegaT, a.T())
	zt := mat.NewDense(l, n, nil)
	for it := 0; it < q; it++ {
		linalg.OrthRows(yt)
		zt.Mul(yt, a)
		linalg.OrthRows(zt)
		yt.Mul(zt, a.T())
	}
	linalg.OrthRows(yt) // Q^T
	var b mat.Dense     // l x n
	b.Mul(yt, a)
	var svd mat.SVD
	if ok := svd.Factorize(&b, mat.SVDThin); !ok {
		return nil, fmt.Errorf("subspace: SVD of the %d x %d projected matrix did not converge", l, n)
	}
	var ub, vb mat.Dense
	svd.UTo(&ub)
	svd.VTo(&vb)
	s := svd.Values(nil)
	u := mat.NewDense(m, k, nil)
	u.Mul(yt.T(), ub.Slice(0, l, 0, k))
	v := mat.NewDense(n, k, nil)
	v.Copy(vb.Slice(0, n, 0, k))
	return &SVD{U: u, S: s[:k], V: v}, nil
}
