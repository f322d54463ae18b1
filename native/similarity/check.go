package similarity

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// ErrEmpty is returned (wrapped) when an input has no rows or no columns.
var ErrEmpty = errors.New("similarity: empty input")

// checkOne validates a single float64 representation.
func checkOne(name string, x *mat.Dense) error {
	if x == nil {
		return fmt.Errorf("similarity: %s is nil", name)
	}
	if x.IsEmpty() {
		return fmt.Errorf("%w: %s has no rows or columns", ErrEmpty, name)
	}
	raw := x.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("similarity: %s has %v at row %d, column %d", name, v, i, j)
			}
		}
	}
	return nil
}

// checkOne32 validates a single float32 representation.
func checkOne32(name string, x *mat32.Dense) error {
	if x == nil {
		return fmt.Errorf("similarity: %s is nil", name)
	}
	r, c := x.Dims()
	if r == 0 || c == 0 {
		return fmt.Errorf("%w: %s has no rows or columns", ErrEmpty, name)
	}
	if err := x.CheckFinite(); err != nil {
		return fmt.Errorf("similarity: %s: %v", name, err)
	}
	return nil
}

// checkShapes is checkPair without the NaN/Inf scan (for callers that
// detect non-finite values during their own pass over the data).
func checkShapes(x, y *mat.Dense) (n, d1, d2 int, err error) {
	for _, s := range []struct {
		name string
		m    *mat.Dense
	}{{"X", x}, {"Y", y}} {
		if s.m == nil {
			return 0, 0, 0, fmt.Errorf("similarity: %s is nil", s.name)
		}
		if s.m.IsEmpty() {
			return 0, 0, 0, fmt.Errorf("%w: %s has no rows or columns", ErrEmpty, s.name)
		}
	}
	n, d1 = x.Dims()
	ny, d2 := y.Dims()
	if n != ny {
		err = fmt.Errorf("similarity: X has %d rows but Y has %d: rows must be the same stimuli", n, ny)
	}
	return
}

// checkShapes32 is checkShapes for float32 inputs.
func checkShapes32(x, y *mat32.Dense) (n, d1, d2 int, err error) {
	for _, s := range []struct {
		name string
		m    *mat32.Dense
	}{{"X", x}, {"Y", y}} {
		if s.m == nil {
			return 0, 0, 0, fmt.Errorf("similarity: %s is nil", s.name)
		}
		if r, c := s.m.Dims(); r == 0 || c == 0 {
			return 0, 0, 0, fmt.Errorf("%w: %s has no rows or columns", ErrEmpty, s.name)
		}
	}
	n, d1 = x.Dims()
	ny, d2 := y.Dims()
	if n != ny {
		err = fmt.Errorf("similarity: X has %d rows but Y has %d: rows must be the same stimuli", n, ny)
	}
	return
}

// checkPair validates X and Y and returns n, d1, d2.
func checkPair(x, y *mat.Dense) (n, d1, d2 int, err error) {
	if err = checkOne("X", x); err != nil {
		return
	}
	if err = checkOne("Y", y); err != nil {
		return
	}
	n, d1 = x.Dims()
	ny, d2 := y.Dims()
	if n != ny {
		err = fmt.Errorf("similarity: X has %d rows but Y has %d: rows must be the same stimuli", n, ny)
	}
	return
}

// checkPair32 validates float32 X and Y and returns n, d1, d2.
func checkPair32(x, y *mat32.Dense) (n, d1, d2 int, err error) {
	if err = checkOne32("X", x); err != nil {
		return
	}
	if err = checkOne32("Y", y); err != nil {
		return
	}
	n, d1 = x.Dims()
	ny, d2 := y.Dims()
	if n != ny {
		err = fmt.Errorf("similarity: X has %d rows but Y has %d: rows must be the same stimuli", n, ny)
	}
	return
}

// parallelRows runs f over [0, n) split in contiguous chunks, one per
// worker, when the work (n*width) is large enough to pay for goroutines.
func parallelRows(n, width int, f func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	if w > n {
		w = n
	}
	if w <= 1 || n*width < 1<<16 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + w - 1) / w
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
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
