package cell

import (
	"context"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/native/progress"
)

// eval runs one piece of generated source. After an interrupt it closes
// the stale signal (ending a cell's time.Sleep) and waits up to a second
// for yaegi's evaluation goroutine to notice and stop; if it does not (a
// blocking compiled call), the next cell decides whether to wait for it
// (waitLeftover).
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
		s.stale.stop()
		deadline := time.Now().Add(time.Second)
		for n, _, _ := evalGoroutines(); n > 0 && time.Now().Before(deadline); n, _, _ = evalGoroutines() {
			time.Sleep(5 * time.Millisecond)
		}
		if n, _, _ := evalGoroutines(); n > 0 {
			s.leftover.Store(true)
		}
	}
	return v, err
}

// staleSignal is closed when the running cell is interrupted, so that the
// cells' time.Sleep (guard.go) ends an evaluation that yaegi has given up
// on instead of letting it run on.
type staleSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

// renew starts a cell: a new, open signal.
func (g *staleSignal) renew() {
	g.mu.Lock()
	g.ch = make(chan struct{})
	g.mu.Unlock()
}

// stop closes the signal of the running cell (once).
func (g *staleSignal) stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch != nil {
		close(g.ch)
		g.ch = nil
	}
}

// current returns the running cell's signal (nil between cells).
func (g *staleSignal) current() chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.ch
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
	if n, native, site := evalGoroutines(); !native {
		s.leftover.Store(false)
		if n > 0 {
			// yaegi v0.16.1 (stale-eval): the cell's top-level statements
			// run in the global frame, whose run id the next evaluation
			// renews: when the blocking call returns, the rest of the
			// interrupted cell runs. Sleeps are cut short (guard.go); say so
			// for the other calls.
			io.WriteString(s.out.stderr, "note: the interrupted cell is still blocked in compiled code ("+site+"); if that call ever returns, the rest of that cell's top-level statements will run (%reset forgets them)\n")
		}
		return nil
	}
	io.WriteString(s.out.stderr, "waiting for the interrupted cell, in native code, to stop (interrupt again to stop waiting)\n")
	for {
		if n, native, _ := evalGoroutines(); n == 0 || !native {
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
// while the session's evaluation runs, and renews the stale signal. clear
// is deferred by the caller: it leaves a cancelled context in place while
// an interrupted evaluation still runs, so that native code keeps seeing
// the cancellation until it has really returned.
func (s *Session) setProgress(ctx context.Context) (clear func()) {
	progress.SetContext(ctx)
	s.stale.renew()
	return func() {
		if !s.leftover.Load() {
			progress.SetContext(nil)
		}
	}
}

// evalGoroutines counts goroutines evaluating cells with yaegi's
// EvalWithContext, tells whether one of them is inside a native package
// of this module, and names the call the last one is blocked in.
// O(goroutines); used only after an interrupt.
func evalGoroutines() (n int, native bool, site string) {
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
		if strings.Contains(g, evalFrame) {
			n++
			native = native || strings.Contains(g, "\ngithub.com/subspace-kernel/subspace/native/")
			site = blockingCall(g)
		}
	}
	return n, native, site
}

// evalFrame is the frame of yaegi's evaluation goroutine in a stack dump.
const evalFrame = "\ngithub.com/traefik/yaegi/interp.(*Interpreter).EvalWithContext.func"

// blockingCall returns the first function of a goroutine's stack dump
// outside the runtime (e.g. "sync.(*WaitGroup).Wait").
func blockingCall(g string) string {
	lines := strings.Split(g, "\n")
	for i := 1; i < len(lines); i += 2 {
		f := lines[i]
		if strings.HasPrefix(f, "runtime.") || strings.HasPrefix(f, "internal/") || strings.HasPrefix(f, "reflect.") {
			continue
		}
		if j := strings.LastIndexByte(f, '('); j > 0 {
			f = f[:j]
		}
		return f
	}
	return "unknown"
}
