// Package progress carries progress reports and cancellation from long
// native computations to whoever runs them: a notebook's progress bar, a
// command-line printer, or nothing.
//
// Native routines take an optional Func and call Report at block boundaries
// (a few hundred times per run at most). Report returns a non-nil error when
// the callback asks to stop or when the current run was cancelled (the kernel
// sets the context of the running cell with SetContext, so an interrupt stops
// native work too); the routine then returns that error.
package progress

import (
	"context"
	"fmt"
	"sync/atomic"
)

// Func receives the amount of work done out of total. Returning a non-nil
// error aborts the computation, which returns that error.
type Func func(done, total int) error

var current atomic.Pointer[context.Context]

// SetContext makes ctx the context whose cancellation aborts native work
// reporting through Report. Pass nil to clear it. The kernel calls this
// around each cell; plain Go programs need not.
func SetContext(ctx context.Context) {
	if ctx == nil {
		current.Store(nil)
		return
	}
	current.Store(&ctx)
}

// Check returns the error of the context set with SetContext, if it is done.
// O(1); safe to call from many goroutines.
func Check() error {
	if p := current.Load(); p != nil {
		return (*p).Err()
	}
	return nil
}

// Report calls f (when non-nil) with done and total, and returns its error,
// or the cancellation error of the current context. A panic in f (a
// callback written in a notebook cell, often called on a worker goroutine
// where nothing else would recover it) is returned as an error.
func Report(f Func, done, total int) (err error) {
	if err := Check(); err != nil {
		return err
	}
	if f == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("progress: the progress callback panicked: %v", r)
		}
	}()
	return f(done, total)
}
