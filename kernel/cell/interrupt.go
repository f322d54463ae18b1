package cell

import (
	"context"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/native/progress"
)

// eval runs one piece of generated source. After an interrupt it waits up
// to a second for yaegi's evaluation goroutine to notice and stop; if it
// does not (a blocking compiled call), the next cell waits for it.
//
// yaegi v0.16.1 (blocking-call): an interrupted evaluation blocked in
// compiled code keeps running after EvalWithContext returned.
func (s *Session) eval(ctx context.Context, src string) (reflect.Value, error) {
	in := s.interp()
	if s.onEval != nil {
		s.onEval(src)
	}
	v, err := in.EvalWithContext(ctx, src)
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		deadline := time.Now().Add(time.Second)
		for n, _ := evalGoroutines(); n > 0 && time.Now().Before(deadline); n, _ = evalGoroutines() {
			time.Sleep(5 * time.Millisecond)
		}
		if n, _ := evalGoroutines(); n > 0 {
			s.leftover.Store(true)
		}
	}
	return v, err
}

// waitLeftover waits until the evaluation of an interrupted cell that was
// blocked in native code (which checks the progress context, still
// cancelled) has really stopped. An evaluation blocked elsewhere (a sleep,
// a channel, a WaitGroup) is not waited for: yaegi stops it at its next
// interpreted step, whenever the blocking call returns, and the next cell
// runs at once.
func (s *Session) waitLeftover(ctx context.Context) *api.Error {
	if !s.leftover.Load() {
		return nil
	}
	if _, native := evalGoroutines(); !native {
		s.leftover.Store(false)
		return nil
	}
	io.WriteString(s.out.stderr, "waiting for the interrupted cell, in native code, to stop (interrupt again to stop waiting)\n")
	for {
		if n, native := evalGoroutines(); n == 0 || !native {
			break
		}
		select {
		case <-ctx.Done():
			s.leftover.Store(false) // give up: the next cell runs without waiting
			return &api.Error{Name: "Interrupted", Value: "interrupted while waiting for the previous interrupted cell to stop",
				Traceback: []string{"Interrupted: the previous cell is still running native code"}}
		case <-time.After(10 * time.Millisecond):
		}
	}
	s.leftover.Store(false)
	return nil
}

// setProgress makes ctx the context native code checks (progress.Check)
// while the session's evaluation runs. clear is deferred by the caller: it
// leaves a cancelled context in place while an interrupted evaluation
// still runs, so that native code keeps seeing the cancellation until it
// has really returned.
func (s *Session) setProgress(ctx context.Context) (clear func()) {
	progress.SetContext(ctx)
	return func() {
		if !s.leftover.Load() {
			progress.SetContext(nil)
		}
	}
}

// evalGoroutines counts goroutines evaluating cells with yaegi's
// EvalWithContext, and tells whether one of them is inside a native
// package of this module. O(goroutines); used only after an interrupt.
func evalGoroutines() (n int, native bool) {
	buf := make([]byte, 1<<20)
	for {
		k := runtime.Stack(buf, true)
		if k < len(buf) {
			buf = buf[:k]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "\ngithub.com/traefik/yaegi/interp.(*Interpreter).EvalWithContext.func") {
			n++
			native = native || strings.Contains(g, "\ngithub.com/subspace-kernel/subspace/native/")
		}
	}
	return n, native
}
