package merge

import (
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/subspace-kernel/subspace/native/internal/work"
)

// float is the element type a tensor is merged in: float32 when every
// input and the output are 32-bit or narrower floats, float64 otherwise.
type float interface{ ~float32 | ~float64 }

// parallel runs f over [0, n) in chunks on every core (one chunk below
// 64 Ki elements, where threads cost more than they save).
func parallel(n int, f func(lo, hi int)) {
	if n < 1<<16 {
		f(0, n)
		return
	}
	work.Range(n, 0, f)
}

// combine sets base[i] = c0 base[i] + sum_t c[t] x[t][i], accumulating
// in float64. With c0 = 0 and one c = 1 it returns x exactly; with c0 = 1
// it adds scaled task vectors.
func combine[T float](base []T, x [][]T, c0 float64, c []float64) {
	parallel(len(base), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			s := c0 * float64(base[i])
			for t, v := range x {
				s += c[t] * float64(v[i])
			}
			base[i] = T(s)
		}
	})
}

// subtract turns each x[t] into the task vector x[t] - base, in place.
func subtract[T float](base []T, x [][]T) {
	parallel(len(base), func(lo, hi int) {
		for _, v := range x {
			for i := lo; i < hi; i++ {
				v[i] -= base[i]
			}
		}
	})
}

// disjoint adds lambda times TIES's disjoint mean to base: per entry the
// sign of sum_t w_t tau_t over the kept entries (keep[t]) is elected (ties
// to +), and the kept entries of that sign are averaged with weights w_t.
func disjoint[T float](base []T, tau [][]T, keep []trimmer, w []float64, lambda float64) {
	work.Range((len(base)+(1<<16)-1)>>16, 0, func(lo, hi int) {
		x := make([]float64, len(tau))
		for i := lo << 16; i < min(hi<<16, len(base)); i++ {
			var s float64
			for t, v := range tau {
				x[t] = float64(v[i])
				if !keep[t].keeps(x[t], i) {
					x[t] = 0
				}
				s += w[t] * x[t]
			}
			pos := s >= 0
			var num, den float64
			for t, xt := range x {
				if xt != 0 && (xt > 0) == pos {
					num += w[t] * xt
					den += w[t]
				}
			}
			if den > 0 {
				base[i] = T(float64(base[i]) + lambda*num/den)
			}
		}
	})
}

// dropChunk is the number of entries one random stream covers in DARE.
const dropChunk = 1 << 16

// streamSeed derives DARE's stream for a tensor and model from the seed.
func streamSeed(seed uint64, name string, model int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return seed ^ h.Sum64() ^ (uint64(model)+1)*0x9e3779b97f4a7c15
}

// drop applies DARE to tau in place: each entry survives with probability
// 1 - p and is divided by 1 - p. Entry i's draw comes from the stream of
// its 64 Ki chunk, so the mask depends on the seed, not on the threads.
func drop[T float](tau []T, p float64, stream uint64) {
	keep := 1 - p
	cut := uint64(math.MaxUint64)
	if keep < 1 {
		cut = uint64(math.Ldexp(keep, 64))
	}
	chunks := (len(tau) + dropChunk - 1) / dropChunk
	work.Range(chunks, 0, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			rng := rand.New(rand.NewPCG(stream, uint64(c)))
			end := min((c+1)*dropChunk, len(tau))
			for i := c * dropChunk; i < end; i++ {
				if rng.Uint64() < cut {
					tau[i] = T(float64(tau[i]) / keep)
				} else {
					tau[i] = 0
				}
			}
		}
	})
}

// sums returns sum a_i b_i, sum a_i^2 and sum b_i^2 in float64.
func sums[T float](a, b []T) (ab, aa, bb float64) {
	n := len(a)
	if n < 1<<16 {
		return sumRange(a, b, 0, n)
	}
	parts := make([][3]float64, (n+(1<<16)-1)>>16)
	work.Range(len(parts), 0, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			x, y, z := sumRange(a, b, p<<16, min((p+1)<<16, n))
			parts[p] = [3]float64{x, y, z}
		}
	})
	for _, p := range parts {
		ab += p[0]
		aa += p[1]
		bb += p[2]
	}
	return ab, aa, bb
}

func sumRange[T float](a, b []T, lo, hi int) (ab, aa, bb float64) {
	for i := lo; i < hi; i++ {
		x, y := float64(a[i]), float64(b[i])
		ab += x * y
		aa += x * x
		bb += y * y
	}
	return ab, aa, bb
}

// slerpCoefficients returns (s0, s1) with slerp(t; a, b) = s0 a + s1 b,
// computed on the normalised directions of a and b (mergekit's rule:
// linear when |cos| > 0.9995 or a tensor is zero).
func slerpCoefficients[T float](t float64, a, b []T) (float64, float64) {
	ab, aa, bb := sums(a, b)
	if aa == 0 || bb == 0 {
		return 1 - t, t
	}
	cos := ab / math.Sqrt(aa*bb)
	if math.Abs(cos) > 0.9995 {
		return 1 - t, t
	}
	theta := math.Acos(cos)
	st := math.Sin(theta)
	return math.Sin((1-t)*theta) / st, math.Sin(t*theta) / st
}

// modelStockRatio returns Model Stock's t = N cos / (1 + (N - 1) cos) for
// the mean pairwise cosine of the task vectors (clamped to [0, 1], so t
// stays in [0, 1]).
func modelStockRatio[T float](tau [][]T) float64 {
	var cs float64
	var pairs int
	for i := range tau {
		for j := i + 1; j < len(tau); j++ {
			ab, aa, bb := sums(tau[i], tau[j])
			if aa > 0 && bb > 0 {
				cs += max(-1, min(1, ab/math.Sqrt(aa*bb)))
			}
			pairs++
		}
	}
	c := max(0, min(1, cs/float64(pairs)))
	n := float64(len(tau))
	return n * c / (1 + (n-1)*c)
}
