package dependence

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
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
	xs, ts, err := fromPair("x", x, "target", target)
	if err != nil {
		return nil, err
	}
	inner := opts
	inner.Progress = nil
	workers := work.Workers(opts.Workers)
	if xs.dim > 1 {
		inner.Workers = 1 // parallel over features instead
	} else {
		workers = 1
	}
	out := make([]FeatureScore, xs.dim)
	err = work.Queue(xs.dim, workers, opts.Progress, xs.dim, func() func(int) (int, error) {
		col := make([]float64, xs.n)
		return func(j int) (int, error) {
			for i := range col {
				col[i] = xs.v[i*xs.dim+j]
			}
			s, err := stats(sample{n: xs.n, dim: 1, v: col}, ts, inner)
			if err != nil {
				return 0, fmt.Errorf("dependence: feature %d: %w", j, err)
			}
			out[j] = FeatureScore{Feature: j, DCor: math.Sqrt(math.Max(s.DCorSqr(), 0))}
			return 1, nil
		}
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].DCor > out[b].DCor })
	return out, nil
}
