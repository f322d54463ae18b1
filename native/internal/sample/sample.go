// Package sample draws the random point sets that several native packages
// need internally (synthetic's generators, DANCo's reference samples) and
// their tests use as inputs.
package sample

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// UnitBall returns n points (rows) uniform in the unit d-ball: a uniform
// direction (a Gaussian vector, redrawn in the probability-zero case of
// norm 0, normalised) scaled by U^(1/d). It draws d normals and one uniform
// a point from rng, in that order. O(n d) time and memory.
func UnitBall(rng *rand.Rand, n, d int) *mat.Dense {
	x := mat.NewDense(n, d, nil)
	for i := range n {
		row := x.RawRowView(i)
		var s float64
		for s == 0 {
			for j := range row {
				row[j] = rng.NormFloat64()
				s += row[j] * row[j]
			}
		}
		r := math.Pow(rng.Float64(), 1/float64(d)) / math.Sqrt(s)
		for j := range row {
			row[j] *= r
		}
	}
	return x
}

// Gaussian returns an n x d matrix of independent standard normal entries,
// drawn from rng in row-major order. O(n d) time and memory.
func Gaussian(rng *rand.Rand, n, d int) *mat.Dense {
	x := mat.NewDense(n, d, nil)
	for i := range n {
		row := x.RawRowView(i)
		for j := range row {
			row[j] = rng.NormFloat64()
		}
	}
	return x
}

// Shuffled32 returns the rows of x in a random order drawn from seed, as
// float32 (rounded to nearest): data generated cluster by cluster made to
// look like a table in no particular order. O(n d) time and memory.
func Shuffled32(x *mat.Dense, seed uint64) *mat32.Dense {
	n, d := x.Dims()
	perm := rand.New(rand.NewPCG(seed, 0x73687566)).Perm(n)
	out := mat32.Zeros(n, d)
	for i, p := range perm {
		dst := out.Row(i)
		for j, v := range x.RawRowView(p) {
			dst[j] = float32(v)
		}
	}
	return out
}
