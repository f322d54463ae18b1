package similarity

import (
	"errors"
	"sync"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// ErrEmpty is returned (wrapped) when an input has no rows or no columns.
var ErrEmpty = errors.New("similarity: empty input")

// chk words similarity's argument errors; empty inputs wrap ErrEmpty.
var chk = check.Checker{Prefix: "similarity", Empty: ErrEmpty}

// sameStimuli is the reason given when X and Y differ in rows.
const sameStimuli = "rows must be the same stimuli"

// checkOne validates a single float64 representation: non-nil, non-empty,
// finite.
func checkOne(name string, x *mat.Dense) error {
	_, _, err := chk.Dense(name, x)
	return err
}

// checkShapes is checkPair without the NaN/Inf scan (for callers that
// detect non-finite values during their own pass over the data).
func checkShapes(x, y *mat.Dense) (n, d1, d2 int, err error) { return pairWith(x, y, chk.Shape) }

// checkShapes32 is checkShapes for float32 inputs.
func checkShapes32(x, y *mat32.Dense) (n, d1, d2 int, err error) {
	return pairWith(x, y, chk.Shape32)
}

// checkPair validates X and Y and returns n, d1, d2.
func checkPair(x, y *mat.Dense) (n, d1, d2 int, err error) { return pairWith(x, y, chk.Dense) }

// checkPair32 validates float32 X and Y and returns n, d1, d2.
func checkPair32(x, y *mat32.Dense) (n, d1, d2 int, err error) {
	return pairWith(x, y, chk.Dense32)
}

// pairWith validates X then Y with one (a check.Checker method) and then
// that they have the same number of rows; it returns n, d1, d2.
func pairWith[M any](x, y M, one func(string, M) (int, int, error)) (n, d1, d2 int, err error) {
	if n, d1, err = one("X", x); err != nil {
		return 0, 0, 0, err
	}
	ny, d2, err := one("Y", y)
	if err != nil {
		return 0, 0, 0, err
	}
	return n, d1, d2, chk.SameRows("X", n, "Y", ny, sameStimuli)
}

// parallelRows runs f over [0, n) split in contiguous chunks, one per
// worker, when the work (n*width) is large enough to pay for goroutines.
func parallelRows(n, width int, f func(lo, hi int)) {
	if n*width < 1<<16 {
		f(0, n)
		return
	}
	work.Range(n, 0, f)
}

// columnMeans returns the column means of the r x c row-major data with
// the given stride, accumulated in float64. O(r c).
func columnMeans(data []float64, r, c, stride int) []float64 {
	var mu sync.Mutex
	mean := make([]float64, c)
	parallelRows(r, c, func(lo, hi int) {
		s := make([]float64, c)
		for i := lo; i < hi; i++ {
			row := data[i*stride : i*stride+c]
			for j, v := range row {
				s[j] += v
			}
		}
		mu.Lock()
		for j := range s {
			mean[j] += s[j]
		}
		mu.Unlock()
	})
	for j := range mean {
		mean[j] /= float64(r)
	}
	return mean
}

// centred returns a column-centred copy of x as a contiguous blas64.General.
// O(n d) time and memory.
func centred(x *mat.Dense) blas64.General {
	raw := x.RawMatrix()
	r, c := raw.Rows, raw.Cols
	mean := columnMeans(raw.Data, r, c, raw.Stride)
	out := make([]float64, r*c)
	parallelRows(r, c, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			src := raw.Data[i*raw.Stride : i*raw.Stride+c]
			dst := out[i*c : (i+1)*c]
			for j, v := range src {
				dst[j] = v - mean[j]
			}
		}
	})
	return blas64.General{Rows: r, Cols: c, Stride: c, Data: out}
}

// asGeneral views a contiguous general matrix as a *mat.Dense (no copy).
func asDense(g blas64.General) *mat.Dense {
	return mat.NewDense(g.Rows, g.Cols, g.Data)
}

// symFrobSq returns the squared Frobenius norm of a symmetric matrix of
// which only the upper triangle of c is valid.
func symFrobSq(c blas64.Symmetric) float64 {
	var diag, off float64
	for i := 0; i < c.N; i++ {
		row := c.Data[i*c.Stride : i*c.Stride+c.N]
		diag += row[i] * row[i]
		for _, v := range row[i+1:] {
			off += v * v
		}
	}
	return diag + 2*off
}

// frobSq returns the squared Frobenius norm of a general matrix.
func frobSq(g blas64.General) float64 {
	var s float64
	for i := 0; i < g.Rows; i++ {
		for _, v := range g.Data[i*g.Stride : i*g.Stride+g.Cols] {
			s += v * v
		}
	}
	return s
}
