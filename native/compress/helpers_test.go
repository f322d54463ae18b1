package compress

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

// clustered returns n points in d dimensions from a mixture of 20 Gaussian
// clusters (embedding-like: clustered, not centred) and m queries from
// the same mixture (drawn after the points, so not among them).
func clustered(t testing.TB, n, m, d int, seed uint64) (data, queries *mat32.Dense) {
	t.Helper()
	x, _, err := synthetic.GaussianMixture(n+m, 20, d, 1, 3, seed)
	if err != nil {
		t.Fatal(err)
	}
	all := sample.Shuffled32(x, seed) // GaussianMixture lists points cluster by cluster
	for i, v := range all.RawData() {
		all.RawData()[i] = v + 0.5 // not centred, as embeddings are not
	}
	data, _ = mat32.New(n, d, all.RawData()[:n*d])
	queries, _ = mat32.New(m, d, all.RawData()[n*d:])
	return data, queries
}

// gaussian32 returns an n x d matrix of standard normal float32 values.
func gaussian32(seed uint64, n, d int) *mat32.Dense {
	return mat32.FromDense(sample.Gaussian(rand.New(rand.NewPCG(seed, 3)), n, d))
}

// npy writes x (as float64) to a .npy file for a Python reference.
func npy(t testing.TB, x *mat32.Dense) string { return pyref.WriteNPY(t, x.ToDense()) }

// rows32 converts [][]float64 from JSON to float32 rows.
func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// lowRank returns n points and m queries from a 20-cluster mixture in r
// dimensions mapped linearly into d > r dimensions, plus isotropic noise
// of standard deviation noise: data whose variance lies near an
// r-dimensional subspace.
func lowRank(t testing.TB, n, m, d, r int, noise float64, seed uint64) (data, queries *mat32.Dense) {
	t.Helper()
	z, q := clustered(t, n, m, r, seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	a := sample.Gaussian(rng, r, d)
	embed := func(x *mat32.Dense) *mat32.Dense {
		rows, _ := x.Dims()
		out := mat32.Zeros(rows, d)
		for i := range rows {
			for j := range d {
				s := noise * rng.NormFloat64()
				for c := range r {
					s += float64(x.At(i, c)) * a.At(c, j)
				}
				out.Set(i, j, float32(s))
			}
		}
		return out
	}
	return embed(z), embed(q)
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
