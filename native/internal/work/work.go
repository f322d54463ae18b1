// Package work runs the parallel loops of the native packages: a range of
// indices cut into contiguous chunks, one goroutine each (Range, RangeErr),
// and a queue that hands indices out one at a time to a fixed number of
// goroutines, reporting progress and stopping at the first error or when
// the progress callback asks to (Queue).
package work

import (
	"runtime"
	"sync"

	"github.com/subspace-kernel/subspace/native/progress"
)

// Workers returns w, or runtime.GOMAXPROCS(0) when w <= 0. O(1).
func Workers(w int) int {
	if w <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w
}

// Range runs f over [0, n) cut into min(Workers(workers), n) contiguous
// chunks, chunk t being [t n/w, (t+1) n/w), each on its own goroutine, and
// waits for them. With one chunk f runs on the caller's goroutine; with
// n <= 0 it is not called. Overhead: one goroutine a chunk.
func Range(n, workers int, f func(lo, hi int)) {
	Chunks(n, workers, func(_, lo, hi int) { f(lo, hi) })
}

// RangeErr is Range for an f that can fail: every chunk runs to its end
// or its own error, and the error of the lowest failing chunk is returned.
// Memory: one error a chunk.
func RangeErr(n, workers int, f func(lo, hi int) error) error {
	errs := make([]error, max(1, min(Workers(workers), n)))
	Chunks(n, workers, func(t, lo, hi int) { errs[t] = f(lo, hi) })
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Chunks is Range with the chunk's number t in [0, min(Workers(workers), n))
// passed to f, for loops that keep one partial result a chunk and combine
// them in chunk order (a sum that does not depend on goroutine timing).
// Overhead: one goroutine a chunk.
func Chunks(n, workers int, f func(t, lo, hi int)) {
	w := min(Workers(workers), n)
	if w <= 1 {
		if n > 0 {
			f(0, 0, n)
		}
		return
	}
	var wg sync.WaitGroup
	for t := range w {
		lo, hi := t*n/w, (t+1)*n/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(t, lo, hi)
		}()
	}
	wg.Wait()
}

// Queue runs a task for every index in [0, n), handing the indices out in
// increasing order to min(Workers(workers), n) goroutines. newTask is
// called once per goroutine and returns its task, so that scratch memory
// is allocated once a goroutine; a task returns how many units of work it
// did. After each successful task the units done so far are reported to
// prog with the given total (progress.Report: prog may be nil). The first
// error, of a task or of prog, stops the hand-out of further indices
// (tasks already running finish) and is returned. Overhead: a mutex
// acquisition twice a task.
func Queue(n, workers int, prog progress.Func, total int, newTask func() func(i int) (units int, err error)) error {
	var (
		mu       sync.Mutex
		next     int
		done     int
		firstErr error
	)
	var wg sync.WaitGroup
	for range min(Workers(workers), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task := newTask()
			for {
				mu.Lock()
				if firstErr != nil || next >= n {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				units, err := task(i)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
				} else {
					done += units
					if firstErr == nil {
						firstErr = progress.Report(prog, done, total)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}
