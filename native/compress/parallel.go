package compress

import "github.com/subspace-kernel/subspace/native/internal/work"

// parallelQueries runs a task for each query index in [0, m) on
// min(Workers(workers), m) goroutines, each calling newTask once for its
// scratch memory. O(m) scheduling.
func parallelQueries(m, workers int, newTask func() func(i int)) {
	work.Range(m, workers, func(lo, hi int) {
		task := newTask()
		for i := lo; i < hi; i++ {
			task(i)
		}
	})
}
