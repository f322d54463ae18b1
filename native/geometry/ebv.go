package geometry

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// EBVOptions configures EquiangularBasis. The zero value is sensible.
type EBVOptions struct {
	// Iterations is the number of descent steps for N > d (default 500).
	Iterations int
	// Seed seeds the initial vectors (and the basis for N <= d).
	Seed uint64
}

// EBV is a set of equiangular basis vectors (Shen et al. 2023): N unit
// vectors in R^d as far from each other in angle as found.
type EBV struct {
	// Vectors is N x d, one unit vector a row.
	Vectors *mat.Dense
	// MaxAbsCos is the largest |cos| between two of them; WelchBound the
	// smallest value any N unit vectors in R^d can reach (0 for N <= d).
	MaxAbsCos, WelchBound float64
}

// EquiangularBasis returns N unit vectors in R^d that are as orthogonal as
// possible. For N <= d they are exactly orthonormal (the Q of a seeded
// Gaussian matrix's QR). For N > d they are optimised from a seeded random
// start by projected gradient descent on the sphere of
// sum_{i != j} |cos_ij|^q with q raised from 2 (the frame potential, whose
// minimisers are tight frames) to 64 (close to minimising the largest
// |cos|), each step halved until the objective decreases; the best
// configuration seen (by max |cos|) is returned. Reaching the Welch bound
// is possible only for special (N, d) (equiangular tight frames, e.g.
// N = d+1, the simplex); compare MaxAbsCos with WelchBound. Cost O(N^2 d)
// a step (two GEMMs), O(N^2 + N d) memory.
func EquiangularBasis(n, d int, opts EBVOptions) (*EBV, error) {
	if n < 1 || d < 1 {
		return nil, chk.Errorf("EquiangularBasis(N = %d, d = %d): want N >= 1 and d >= 1", n, d)
	}
	if opts.Iterations < 0 {
		return nil, chk.Errorf("Iterations = %d, want >= 0", opts.Iterations)
	}
	if opts.Iterations == 0 {
		opts.Iterations = 500
	}
	res := &EBV{WelchBound: WelchBound(n, d)}
	if n <= d {
		q := randomRotation(d, opts.Seed)
		res.Vectors = mat.DenseCopyOf(q.Slice(0, d, 0, n).T())
		if n > 1 {
			res.MaxAbsCos, _ = MaxAbsCosine(res.Vectors)
		}
		return res, nil
	}
	v := sample.Gaussian(rand.New(rand.NewPCG(opts.Seed, 0xeb5)), n, d)
	v, _ = unitRows(v, "start") // zero rows have probability 0
	res.Vectors, res.MaxAbsCos = descend(v, opts.Iterations)
	return res, nil
}

// descend runs the q-continuation of EquiangularBasis from v (unit rows)
// and returns the best vectors found and their max |cos|.
func descend(v *mat.Dense, iterations int) (*mat.Dense, float64) {
	n, d := v.Dims()
	best, bestMax := mat.DenseCopyOf(v), math.Inf(1)
	g := mat.NewDense(n, n, nil)
	a := mat.NewDense(n, n, nil)
	grad := mat.NewDense(n, d, nil)
	trial := mat.NewDense(n, d, nil)
	// q = 2^e for e = 1..6.
	stages := []int{1, 2, 3, 4, 5, 6}
	per := max(1, iterations/len(stages))
	for s, q := range stages {
		steps := per
		if s == len(stages)-1 {
			steps = iterations - per*(len(stages)-1)
		}
		f, mx := potential(v, g, q)
		if mx < bestMax {
			best.Copy(v)
			bestMax = mx
		}
		eta := 0.1
		for it := 0; it < steps && eta > 1e-12; it++ {
			tangentGradient(v, g, a, grad, q)
			accepted := false
			for !accepted && eta > 1e-12 {
				step(trial, v, grad, eta)
				ft, mt := potential(trial, g, q)
				if accepted = ft < f; accepted {
					v.Copy(trial) // g holds v's Gram again
					f = ft
					if mt < bestMax {
						best.Copy(v)
						bestMax = mt
					}
					eta *= 1.5
				} else {
					eta /= 2
				}
			}
			if !accepted {
				potential(v, g, q)
			}
		}
	}
	return best, bestMax
}

// pow2 returns x^(2^e) by e squarings.
func pow2(x float64, e int) float64 {
	for ; e > 0; e-- {
		x *= x
	}
	return x
}

// potential sets g to the Gram matrix of v and returns
// sum_{i != j} |g_ij|^q with q = 2^e, and max_{i != j} |g_ij|.
func potential(v, g *mat.Dense, e int) (float64, float64) {
	g.Mul(v, v.T())
	n, _ := g.Dims()
	var s, mx float64
	for i := 0; i < n; i++ {
		row := g.RawRowView(i)
		for j, x := range row {
			if j == i {
				continue
			}
			ax := math.Abs(x)
			mx = max(mx, ax)
			s += pow2(ax, e)
		}
	}
	return s, mx
}

// tangentGradient sets grad to the direction of the gradient of
// sum_{i != j} |g_ij|^q, q = 2^e (g = v v^T, the factor 2q dropped) with
// respect to the rows of v, projected on each row's tangent space and
// scaled to the largest row norm 1 (the step size then measures the move
// on the sphere).
func tangentGradient(v, g, a, grad *mat.Dense, e int) {
	n, _ := v.Dims()
	for i := 0; i < n; i++ {
		gr, ar := g.RawRowView(i), a.RawRowView(i)
		for j, x := range gr {
			if j == i || x == 0 {
				ar[j] = 0
				continue
			}
			ar[j] = pow2(x, e) / x // sign(x) |x|^(q-1)
		}
	}
	grad.Mul(a, v)
	largest := 0.0
	for i := 0; i < n; i++ {
		row, vr := grad.RawRowView(i), v.RawRowView(i)
		radial := floats.Dot(row, vr)
		for j := range row {
			row[j] -= radial * vr[j]
		}
		largest = math.Max(largest, math.Sqrt(floats.Dot(row, row)))
	}
	if largest > 0 {
		grad.Scale(1/largest, grad)
	}
}

// step sets out to the rows of v - eta grad, renormalised to unit length.
func step(out, v, grad *mat.Dense, eta float64) {
	n, _ := v.Dims()
	for i := 0; i < n; i++ {
		o, vr, gr := out.RawRowView(i), v.RawRowView(i), grad.RawRowView(i)
		var s float64
		for j := range o {
			o[j] = vr[j] - eta*gr[j]
			s += o[j] * o[j]
		}
		s = 1 / math.Sqrt(s)
		for j := range o {
			o[j] *= s
		}
	}
}
