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
		for evalGoroutines() > 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if evalGoroutines() > 0 {
			s.leftover.Store(true)
		}
	}
	return v, err
}

// waitLeftover waits until the evaluation of an interrupted cell that was
// blocked in compiled code has really stopped.
func (s *Session) waitLeftover(ctx context.Context) *api.Error {
	if !s.leftover.Load() {
		return nil
	}
	io.WriteString(s.out.stderr, "waiting for the interrupted cell, blocked in compiled code, to stop (interrupt again to stop waiting)\n")
	for evalGoroutines() > 0 {
		select {
		case <-ctx.Done():
			s.leftover.Store(false) // give up: the next cell runs without waiting
			return &api.Error{Name: "Interrupted", Value: "interrupted while waiting for the previous interrupted cell to stop",
				Traceback: []string{"Interrupted: the previous cell is still blocked in compiled code"}}
		case <-time.After(10 * time.Millisecond):
		}
	}
	s.leftover.Store(false)
	return nil
}

// evalGoroutines counts goroutines evaluating cells with yaegi's
// EvalWithContext. O(goroutines); used only after an interrupt.
func evalGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			c := 0
			for _, l := range strings.Split(string(buf[:n]), "\n") {
				if strings.HasPrefix(l, "github.com/traefik/yaegi/interp.(*Interpreter).EvalWithContext.func") {
					c++
				}
			}
			return c
		}
		buf = make([]byte, 2*len(buf))
	}
}
