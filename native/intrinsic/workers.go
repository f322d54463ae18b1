package intrinsic

import (
	"runtime"
	"sync"
)

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }

// parallelRange runs f over [0, n) cut into at most workers contiguous
// chunks (0 = GOMAXPROCS) and returns the first error.
func parallelRange(n, workers int, f func(lo, hi int) error) error {
	w := workers
	if w <= 0 {
		w = defaultWorkers()
	}
	w = max(1, min(w, n))
	errs := make([]error, w)
	var wg sync.WaitGroup
	for t := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[t] = f(t*n/w, (t+1)*n/w)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
