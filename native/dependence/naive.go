package dependence

import (
	"runtime"
	"sync"

	"github.com/subspace-kernel/subspace/native/progress"
)

// naiveSums computes the pair sums of the distance matrices of x and y
// (distances raised to e) row by row: each row i yields a_i., b_i. and
// sum_j a_ij b_ij, a_ij^2, b_ij^2. O(n^2 (p+q)) time, O(n) memory plus a
// block of distance rows; rows are spread over workers, and for samples
// of gemmMinDim or more columns each block of distances starts as one
// BLAS product.
func naiveSums(x, y sample, e float64, workers int, pf progress.Func) (xy, xx, yy sums, err error) {
	n := x.n
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sx, sy := newDistSource(x), newDistSource(y)
	ra := make([]float64, n)  // a_i.
	rb := make([]float64, n)  // b_i.
	rab := make([]float64, n) // sum_j a_ij b_ij
	raa := make([]float64, n)
	rbb := make([]float64, n)
	chunk := max(workers, min(256, (1<<20)/n))
	da := make([]float64, chunk*n)
	db := make([]float64, chunk*n)
	for i0 := 0; i0 < n; i0 += chunk {
		i1 := min(i0+chunk, n)
		if sx.gemm {
			sx.product(i0, i1, da)
		}
		if sy.gemm {
			sy.product(i0, i1, db)
		}
		var wg sync.WaitGroup
		per := (i1 - i0 + workers - 1) / workers
		for r0 := i0; r0 < i1; r0 += per {
			r1 := min(r0+per, i1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := r0; i < r1; i++ {
					a := da[(i-i0)*n : (i-i0+1)*n]
					b := db[(i-i0)*n : (i-i0+1)*n]
					sx.row(i, e, a)
					sy.row(i, e, b)
					var sa, sb, sab, saa, sbb float64
					for j := 0; j < n; j++ {
						a, b := a[j], b[j]
						sa += a
						sb += b
						sab += a * b
						saa += a * a
						sbb += b * b
					}
					ra[i], rb[i], rab[i], raa[i], rbb[i] = sa, sb, sab, saa, sbb
				}
			}()
		}
		wg.Wait()
		if err := progress.Report(pf, i1, n); err != nil {
			return xy, xx, yy, err
		}
	}
	xy, xx, yy = fromRowSums(ra, rb, kahan(rab), kahan(raa), kahan(rbb))
	return xy, xx, yy, nil
}

// kahan returns the compensated sum of v.
func kahan(v []float64) float64 {
	var s, c float64
	for _, x := range v {
		y := x - c
		t := s + y
		c = (t - s) - y
		s = t
	}
	return s
}
