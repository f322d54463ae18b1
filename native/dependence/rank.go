package dependence

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/progress"
)

// FeatureScore is one feature (column) with its distance correlation to
// the target.
type FeatureScore struct {
	Feature int     // column index in x
	DCor    float64 // distance correlation with the target, in [0, 1]
}

// RankFeatures scores every column of x (n x p) by its distance
// correlation with target (n x q) and returns them sorted by decreasing
// score (ties by column index). opts applies to each column; with a 1-D
// target and exponent 1 the fast algorithm makes this O(p n log n),
// otherwise O(p n^2 q). Features are spread over opts.Workers goroutines;
// opts.Progress receives features done.
func RankFeatures(x, target *mat.Dense, opts Options) ([]FeatureScore, error) {
	xs, err := fromDense("x", x)
	if err != nil {
		return nil, err
	}
	ts, err := fromDense("target", target)
	if err != nil {
		return nil, err
	}
	if err := chk.SameRows("x", xs.n, "target", ts.n, ""); err != nil {
		return nil, err
	}
	inner := opts
	inner.Progress = nil
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if xs.dim > 1 {
		inner.Workers = 1 // parallel over features instead
	} else {
		workers = 1
	}
	out := make([]FeatureScore, xs.dim)
	var (
		mu       sync.Mutex
		next     int
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	for w := 0; w < min(workers, xs.dim); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			col := make([]float64, xs.n)
			for {
				mu.Lock()
				if firstErr != nil || next >= xs.dim {
					mu.Unlock()
					return
				}
				j := next
				next++
				mu.Unlock()
				for i := range col {
					col[i] = xs.v[i*xs.dim+j]
				}
				s, err := stats(sample{n: xs.n, dim: 1, v: col}, ts, inner)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("dependence: feature %d: %w", j, err)
					}
				} else {
					out[j] = FeatureScore{Feature: j, DCor: math.Sqrt(math.Max(s.DCorSqr(), 0))}
					done++
					if firstErr == nil {
						firstErr = progress.Report(opts.Progress, done, xs.dim)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].DCor > out[b].DCor })
	return out, nil
}
