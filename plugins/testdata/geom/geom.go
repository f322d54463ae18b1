// Package geom is a small native package for the plugin tests: pairwise
// distances, a matrix product, values of several types and callbacks that
// cross the boundary between interpreted cells and compiled code.
package geom

import (
	"errors"

	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
	"gonum.org/v1/gonum/mat"
)

// Stats summarises a slice.
type Stats struct {
	N    int
	Mean float64
	Max  float64
}

// Describe returns the count, mean and maximum of x. O(len(x)).
func Describe(x []float64) (Stats, error) {
	if len(x) == 0 {
		return Stats{}, errors.New("geom.Describe: empty input")
	}
	s := Stats{N: len(x), Max: x[0]}
	for _, v := range x {
		s.Mean += v
		if v > s.Max {
			s.Max = v
		}
	}
	s.Mean /= float64(len(x))
	return s, nil
}

// Spread returns Max minus Mean.
func (s Stats) Spread() float64 { return s.Max - s.Mean }

// Scale32 returns a*x as a new slice. O(len(x)).
func Scale32(x []float32, a float32) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = a * v
	}
	return out
}

// SqDist returns the n x n matrix of squared Euclidean distances between the
// rows of x. O(n² d).
func SqDist(x *mat.Dense) *mat.Dense {
	n, d := x.Dims()
	raw := x.RawMatrix()
	out := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		a := raw.Data[i*raw.Stride : i*raw.Stride+d]
		for j := i + 1; j < n; j++ {
			b := raw.Data[j*raw.Stride : j*raw.Stride+d]
			s := 0.0
			for k, v := range a {
				t := v - b[k]
				s += t * t
			}
			out.Set(i, j, s)
			out.Set(j, i, s)
		}
	}
	return out
}

// Pairwise returns the n x n matrix of dist(row i, row j), calling dist once
// per pair i < j. O(n² cost(dist)).
func Pairwise(x *mat.Dense, dist func(a, b []float64) float64) *mat.Dense {
	n, _ := x.Dims()
	out := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := dist(x.RawRowView(i), x.RawRowView(j))
			out.Set(i, j, v)
			out.Set(j, i, v)
		}
	}
	return out
}

// MatMul returns the product a b with gonum. O(n m k).
func MatMul(a, b *mat.Dense) *mat.Dense {
	var c mat.Dense
	c.Mul(a, b)
	return &c
}

// Sum32 returns the sum of the entries of m in float64. O(rows cols).
func Sum32(m *mat32.Dense) float64 {
	s := 0.0
	for _, v := range m.RawData() {
		s += float64(v)
	}
	return s
}

// Steps calls progress.Report after each of n steps and returns how many
// steps ran before the callback stopped it.
func Steps(n int, f progress.Func) (int, error) {
	for i := 1; i <= n; i++ {
		if err := progress.Report(f, i, n); err != nil {
			return i, err
		}
	}
	return n, nil
}

// Add returns a + b; it measures the cost of a call across the boundary.
func Add(a, b float64) float64 { return a + b }

// MulLoops returns the product a b computed with plain i-k-j loops (the
// algorithm an interpreted cell would use), for the benchmark. O(n m k).
func MulLoops(a, b *mat.Dense) *mat.Dense {
	n, m := a.Dims()
	_, k := b.Dims()
	ra, rb := a.RawMatrix(), b.RawMatrix()
	c := make([]float64, n*k)
	for i := 0; i < n; i++ {
		ci := c[i*k : (i+1)*k]
		for p := 0; p < m; p++ {
			av := ra.Data[i*ra.Stride+p]
			bp := rb.Data[p*rb.Stride : p*rb.Stride+k]
			for j, bv := range bp {
				ci[j] += av * bv
			}
		}
	}
	return mat.NewDense(n, k, c)
}

// Scaler returns the function x ↦ a·x, a native closure for cells to call.
func Scaler(a float64) func(float64) float64 {
	return func(x float64) float64 { return a * x }
}
