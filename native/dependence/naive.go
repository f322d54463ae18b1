package dependence

import (
	"math"
	"runtime"
	"sync"

	"github.com/subspace-kernel/subspace/native/progress"
)

// naiveSums computes the pair sums of the distance matrices of x and y
// (distances raised to e) row by row: each row i yields a_i., b_i. and
// sum_j a_ij b_ij, a_ij^2, b_ij^2. O(n^2 (p+q)) time, O(n) memory, rows
// spread over workers.
func naiveSums(x, y sample, e float64, workers int, pf progress.Func) (xy, xx, yy sums, err error) {
	n := x.n
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ra := make([]float64, n)  // a_i.
	rb := make([]float64, n)  // b_i.
	rab := make([]float64, n) // sum_j a_ij b_ij
	raa := make([]float64, n)
	rbb := make([]float64, n)
	const chunk = 64
	var (
		mu       sync.Mutex
		next     int
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			da := make([]float64, n)
			db := make([]float64, n)
			for {
				mu.Lock()
				if firstErr != nil || next >= n {
					mu.Unlock()
					return
				}
				i0 := next
				next += chunk
				mu.Unlock()
				i1 := min(i0+chunk, n)
				for i := i0; i < i1; i++ {
					distRow(x, i, e, da)
					distRow(y, i, e, db)
					var sa, sb, sab, saa, sbb float64
					for j := 0; j < n; j++ {
						a, b := da[j], db[j]
						sa += a
						sb += b
						sab += a * b
						saa += a * a
						sbb += b * b
					}
					ra[i], rb[i], rab[i], raa[i], rbb[i] = sa, sb, sab, saa, sbb
				}
				mu.Lock()
				done += i1 - i0
				if firstErr == nil {
					firstErr = progress.Report(pf, done, n)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return xy, xx, yy, firstErr
	}
	var ta, tb, s2ab, s2aa, s2bb float64
	for i := 0; i < n; i++ {
		ta += ra[i]
		tb += rb[i]
		s2ab += ra[i] * rb[i]
		s2aa += ra[i] * ra[i]
		s2bb += rb[i] * rb[i]
	}
	xy = sums{s1: kahan(rab), s2: s2ab, s3: ta * tb}
	xx = sums{s1: kahan(raa), s2: s2aa, s3: ta * ta}
	yy = sums{s1: kahan(rbb), s2: s2bb, s3: tb * tb}
	return xy, xx, yy, nil
}

// distRow writes |s_i - s_j|^e for all j into out.
func distRow(s sample, i int, e float64, out []float64) {
	d := s.dim
	xi := s.v[i*d : (i+1)*d]
	for j := 0; j < s.n; j++ {
		xj := s.v[j*d : (j+1)*d]
		var r float64
		if d == 1 {
			r = math.Abs(xi[0] - xj[0])
			if e != 1 {
				r = math.Pow(r, e)
			}
		} else {
			var q float64
			for k, v := range xi {
				t := v - xj[k]
				q += t * t
			}
			switch e {
			case 1:
				r = math.Sqrt(q)
			case 2:
				r = q
			default:
				r = math.Pow(q, e/2)
			}
		}
		out[j] = r
	}
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
