// Package timing holds what the benchmark programs under bench/ share to
// time one side of a comparison.
package timing

import (
	"math"
	"time"
)

// Best runs f reps times (at least once) and returns its shortest wall time
// in seconds, or the first error f returns. The best of several runs is
// what the benchmarks report: on a shared machine the load only ever adds
// time. Cost: reps calls of f.
func Best(reps int, f func() error) (float64, error) {
	b := math.Inf(1)
	for range max(reps, 1) {
		t := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		b = min(b, time.Since(t).Seconds())
	}
	return b, nil
}
