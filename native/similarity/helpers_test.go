package similarity

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// orthonormal returns a d x e matrix (d <= e) with orthonormal rows, random:
// for d == e an orthogonal matrix, otherwise an isometric embedding of R^d
// into R^e (x -> x Q keeps every distance and inner product).
func orthonormal(rng *rand.Rand, d, e int) *mat.Dense {
	var qr mat.QR
	qr.Factorize(sample.Gaussian(rng, e, e))
	var q mat.Dense
	qr.QTo(&q)
	return mat.DenseCopyOf(q.Slice(0, d, 0, e))
}

// affine returns c X A + 1 b^T for a random shift b.
func affine(rng *rand.Rand, x, a *mat.Dense, c float64) *mat.Dense {
	var y mat.Dense
	y.Mul(x, a)
	y.Scale(c, &y)
	_, e := y.Dims()
	r, _ := y.Dims()
	for j := 0; j < e; j++ {
		b := 5 * rng.NormFloat64()
		for i := 0; i < r; i++ {
			y.Set(i, j, y.At(i, j)+b)
		}
	}
	return &y
}

// relErr is |got-want| / max(|want|, floor).
func relErr(got, want, floor float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}
