package latent

import (
	"cmp"
	"math"
	"slices"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/internal/work"
)

// float is the element type of the relative-representation engine.
type float interface{ ~float32 | ~float64 }

// relBlock is the number of points prepared and multiplied at a time.
const relBlock = 2048

// gemmT computes c = a b^T for row-major a (m x p), b (q x p), c (m x q).
type gemmT[T float] func(m, q, p int, a, b, c []T)

// gemm64 and gemm32 are the shared BLAS products of rows with rows.
var (
	gemm64 gemmT[float64] = linalg.GemmNT64
	gemm32 gemmT[float32] = linalg.GemmNT32
)

// engine computes relative representations of n points x (row-major with
// the given stride) against k prepared anchors a (k x d, contiguous).
type engine[T float] struct {
	x           []T
	n, d        int
	stride      int
	a           []T
	k           int
	sq          []float64 // squared anchor norms (Euclidean)
	mean, scale []float64 // preparation of the points (may be nil)
	kind        Similarity
	gemm        gemmT[T]
	opts        RelativeOptions
}

// run fills out (n x k, row-major) block by block (one block when the
// points need no preparation): the block's points are
// prepared (copied shifted and scaled when needed), multiplied with the
// anchors (Cosine, Euclidean) or compared directly (L1, LInf), and
// finished row by row in parallel. It returns the error of the first row
// of zero norm under Cosine.
func (e *engine[T]) run(out []T) error {
	copyRows := e.mean != nil || e.scale != nil || e.stride != e.d
	block := e.n // the points are used in place: one product
	var buf []T
	if copyRows {
		block = min(e.n, relBlock)
		buf = make([]T, block*e.d)
	}
	for i0 := 0; i0 < e.n; i0 += block {
		i1 := min(e.n, i0+block)
		b := i1 - i0
		xb := e.x[i0*e.d : i1*e.d]
		if copyRows {
			xb = buf[:b*e.d]
			work.Range(b, 0, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					e.prepareRow(xb[i*e.d:(i+1)*e.d], e.x[(i0+i)*e.stride:(i0+i)*e.stride+e.d])
				}
			})
		}
		ob := out[i0*e.k : i1*e.k]
		if e.kind == Cosine || e.kind == Euclidean {
			e.gemm(b, e.k, e.d, xb, e.a, ob)
		}
		err := work.RangeErr(b, 0, func(lo, hi int) error {
			var scratch []int
			for i := lo; i < hi; i++ {
				if err := e.finishRow(ob[i*e.k:(i+1)*e.k], xb[i*e.d:(i+1)*e.d], i0+i); err != nil {
					return err
				}
				scratch = e.postRow(ob[i*e.k:(i+1)*e.k], scratch)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// prepareRow writes (src - mean) / scale into dst.
func (e *engine[T]) prepareRow(dst, src []T) {
	for j, v := range src {
		f := float64(v)
		if e.mean != nil {
			f -= e.mean[j]
		}
		if e.scale != nil {
			f /= e.scale[j]
		}
		dst[j] = T(f)
	}
}

// finishRow turns the products of one point with the anchors into its
// relative representation (or computes it directly for L1 and LInf).
func (e *engine[T]) finishRow(o, x []T, row int) error {
	switch e.kind {
	case Cosine:
		nrm := math.Sqrt(sqNorm(x))
		if nrm == 0 {
			return chk.Errorf("x row %d has zero norm%s: its cosine is undefined", row, centredNote(e.opts))
		}
		inv := 1 / nrm
		for j, v := range o {
			o[j] = T(float64(v) * inv)
		}
	case Euclidean:
		xx := sqNorm(x)
		for j, v := range o {
			o[j] = T(math.Sqrt(math.Max(0, xx+e.sq[j]-2*float64(v))))
		}
	case L1, LInf:
		for j := range o {
			a := e.a[j*e.d : (j+1)*e.d]
			var s float64
			for l, v := range x {
				t := math.Abs(float64(v) - float64(a[l]))
				if e.kind == L1 {
					s += t
				} else if t > s {
					s = t
				}
			}
			o[j] = T(s)
		}
	}
	return nil
}

// postRow applies TopK and Normalise to one output row; scratch is reused
// between rows.
func (e *engine[T]) postRow(o []T, scratch []int) []int {
	if k := e.opts.TopK; k > 0 && k < len(o) {
		scratch = scratch[:0]
		for j := range o {
			scratch = append(scratch, j)
		}
		sign := T(-1) // largest first for similarities
		if e.kind.IsDistance() {
			sign = 1
		}
		slices.SortStableFunc(scratch, func(a, b int) int { return cmp.Compare(sign*o[a], sign*o[b]) })
		for _, j := range scratch[k:] {
			o[j] = 0
		}
	}
	if e.opts.Normalise {
		if nrm := math.Sqrt(sqNorm(o)); nrm > 0 {
			for j, v := range o {
				o[j] = T(float64(v) / nrm)
			}
		}
	}
	return scratch
}

// sqNorm returns sum v_i^2 accumulated in float64.
func sqNorm[T float](v []T) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return s
}
