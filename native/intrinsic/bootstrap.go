package intrinsic

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Interval is a bootstrap confidence interval of a global estimate.
type Interval struct {
	Estimate   float64   // the estimate on all of X
	Lo, Hi     float64   // percentile interval bounds
	Level      float64   // e.g. 0.95
	Replicates []float64 // the B bootstrap estimates, sorted
}

// Bootstrap returns a percentile confidence interval at the given level
// (e.g. 0.95) for e's global estimate: B replicates, each fitted on rows of
// X drawn with replacement from a PCG stream seeded with seed. A row drawn
// several times is kept once, since exact duplicates break the ratio
// estimators: a replicate holds about 63% of the distinct rows, so the
// interval reflects sampling variability at that size (estimators whose
// bias depends on density, such as MLE, shift slightly). Deterministic
// given seed. Cost: B+1 fits (each one kNN search, O(n^2 d)).
func Bootstrap(X *mat.Dense, e Estimator, B int, level float64, seed uint64) (*Interval, error) {
	if B < 2 {
		return nil, fmt.Errorf("intrinsic: Bootstrap B = %d, want >= 2", B)
	}
	if !(level > 0 && level < 1) {
		return nil, fmt.Errorf("intrinsic: Bootstrap level = %v, want in (0, 1)", level)
	}
	if err := checkData(X, 2); err != nil {
		return nil, err
	}
	full, err := e.Fit(X, nil)
	if err != nil {
		return nil, err
	}
	n, c := X.Dims()
	rng := rand.New(rand.NewPCG(seed, 0xb00757a9))
	reps := make([]float64, B)
	take := make([]bool, n)
	for b := range B {
		clear(take)
		m := 0
		for range n {
			i := rng.IntN(n)
			if !take[i] {
				take[i] = true
				m++
			}
		}
		sub := mat.NewDense(m, c, nil)
		k := 0
		for i := range n {
			if take[i] {
				sub.SetRow(k, X.RawRowView(i)[:c])
				k++
			}
		}
		r, err := e.Fit(sub, nil)
		if err != nil {
			return nil, fmt.Errorf("intrinsic: bootstrap replicate %d: %w", b, err)
		}
		reps[b] = r.Dim
	}
	sort.Float64s(reps)
	a := (1 - level) / 2
	return &Interval{Estimate: full.Dim, Lo: percentile(reps, 100*a), Hi: percentile(reps, 100*(1-a)), Level: level, Replicates: reps}, nil
}
