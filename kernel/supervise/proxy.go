// Package supervise runs the cell engine in a worker process: a Proxy is
// the kernel's api.Engine and forwards every call, over two pipes, to a
// worker (the same binary started with a hidden subcommand, serving the
// real engine with Worker). A fatal error of the Go runtime in user code
// (stack overflow, out of memory, concurrent map writes), a signal or an
// exit then ends only the worker: the proxy answers the call in flight
// with an error naming the cause, read from the worker's stderr, says
// that the session's state was lost, and starts a fresh worker at once.
package supervise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"github.com/subspace-kernel/subspace/api"
)

// Config configures NewProxy.
type Config struct {
	// Command is the worker's argv: the executable and its arguments.
	// Required.
	Command []string
	// Env is the worker's environment; nil: the kernel's.
	Env []string
	// Sink receives the worker's output and input requests. Required.
	Sink api.Sink
	// Log receives the worker's stdout and stderr (the kernel's log);
	// nil: os.Stderr.
	Log io.Writer
	// InterruptGrace is how long the worker may take to answer an
	// interrupted call before it is killed and replaced; 0: 10 s.
	InterruptGrace time.Duration
}

// Proxy is an api.Engine whose engine runs in a worker process, replaced
// when it dies. Safe for concurrent use as api.Engine requires. Each call
// costs two pipe hops and JSON encoding both ways on top of the engine's
// own work (about 80 µs for a trivial cell, BenchmarkProxyCall).
type Proxy struct {
	cfg    Config
	mu     sync.Mutex
	w      *worker
	closed bool
	ids    atomic.Uint64
}

var _ api.Engine = (*Proxy)(nil)

// NewProxy starts a worker (without waiting for it to be ready: the first
// call waits). Cost: one process; a fresh one after each death.
func NewProxy(cfg Config) (*Proxy, error) {
	if len(cfg.Command) == 0 || cfg.Sink == nil {
		return nil, errors.New("supervise: Config.Command and Config.Sink are required")
	}
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	if cfg.InterruptGrace <= 0 {
		cfg.InterruptGrace = 10 * time.Second
	}
	p := &Proxy{cfg: cfg}
	w, err := p.start()
	if err != nil {
		return nil, err
	}
	p.w = w
	return p, nil
}

// Close stops the worker; later calls fail.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	w := p.w
	p.mu.Unlock()
	if w != nil {
		w.kill("the kernel is shutting down")
		<-w.dead
	}
	return nil
}

// Pid returns the process id of the current worker (for tests and logs).
func (p *Proxy) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w == nil {
		return 0
	}
	return p.w.cmd.Process.Pid
}

// current returns a live worker, waiting until it is ready; a dead one is
// replaced.
func (p *Proxy) current() (*worker, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errors.New("supervise: the engine is closed")
	}
	w := p.w
	select {
	case <-w.dead:
		nw, err := p.start()
		if err != nil {
			p.mu.Unlock()
			return nil, err
		}
		p.w, w = nw, nw
	default:
	}
	p.mu.Unlock()
	select {
	case <-w.ready:
	case <-w.dead:
	}
	select {
	case <-w.dead:
		return nil, w.deathError()
	default:
	}
	if w.startErr != nil {
		return nil, w.startErr
	}
	return w, nil
}

// replace starts a new worker after w died, unless one already replaced it.
func (p *Proxy) replace(w *worker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.w != w || !w.up {
		return
	}
	if nw, err := p.start(); err == nil {
		p.w = nw
	} else {
		fmt.Fprintf(p.cfg.Log, "supervise: restarting the engine: %v\n", err)
	}
}

// call sends m and waits for its reply. When ctx ends first, the worker is
// told to interrupt the call, and killed if it has not answered within
// InterruptGrace. A death of the worker is returned as the error.
func (p *Proxy) call(ctx context.Context, m *message) (*message, *api.Error) {
	w, err := p.current()
	if err != nil {
		var ae *api.Error
		if !errors.As(err, &ae) {
			ae = &api.Error{Name: "EngineError", Value: err.Error(), Traceback: []string{"the engine could not start: " + err.Error()}}
		}
		return nil, ae
	}
	m.ID = p.ids.Add(1)
	ch := w.register(m.ID)
	defer w.unregister(m.ID)
	if err := w.in.send(m); err != nil {
		<-w.dead
		return nil, w.deathError()
	}
	done := ctx.Done()
	var kill <-chan time.Time
	for {
		select {
		case rep := <-ch:
			return rep, nil
		case <-w.dead:
			return nil, w.deathError()
		case <-done:
			done = nil
			w.in.send(&message{Op: opInterrupt, ID: m.ID})
			t := time.NewTimer(p.cfg.InterruptGrace)
			defer t.Stop()
			kill = t.C
		case <-kill:
			kill = nil
			w.kill(fmt.Sprintf("the engine did not stop within %s of the interrupt, so it was restarted", p.cfg.InterruptGrace))
		}
	}
}

// Execute runs a cell in the worker.
func (p *Proxy) Execute(ctx context.Context, req api.ExecuteRequest) api.ExecuteResult {
	rep, err := p.call(ctx, &message{Op: opExecute, Code: req.Code, Silent: req.Silent})
	if err != nil {
		return api.ExecuteResult{Err: err}
	}
	if rep.Result != nil {
		return *rep.Result
	}
	return api.ExecuteResult{Err: rep.Err}
}

// Evaluate evaluates an expression in the worker.
func (p *Proxy) Evaluate(ctx context.Context, expr string) (api.Bundle, *api.Error) {
	rep, err := p.call(ctx, &message{Op: opEvaluate, Code: expr})
	if err != nil {
		return api.Bundle{}, err
	}
	if rep.Err != nil || rep.Bundle == nil {
		return api.Bundle{}, rep.Err
	}
	return *rep.Bundle, nil
}

// Complete completes code in the worker (no matches if it died).
func (p *Proxy) Complete(code string, cursor int) api.Completion {
	rep, err := p.call(context.Background(), &message{Op: opComplete, Code: code, Cursor: cursor})
	if err != nil || rep.Completion == nil {
		return api.Completion{Matches: []string{}, CursorStart: cursor, CursorEnd: cursor}
	}
	return *rep.Completion
}

// Inspect inspects code in the worker (not found if it died).
func (p *Proxy) Inspect(code string, cursor, detail int) api.Inspection {
	rep, err := p.call(context.Background(), &message{Op: opInspect, Code: code, Cursor: cursor, Detail: detail})
	if err != nil || rep.Inspection == nil {
		return api.Inspection{}
	}
	return *rep.Inspection
}

// IsComplete asks the worker whether code is complete ("unknown" if it
// died).
func (p *Proxy) IsComplete(code string) (status, indent string) {
	rep, err := p.call(context.Background(), &message{Op: opIsComplete, Code: code})
	if err != nil {
		return "unknown", ""
	}
	return rep.Status, rep.Indent
}

// start starts a worker process and its reader. Called with mu held.
func (p *Proxy) start() (*worker, error) {
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	repR, repW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, err
	}
	cmd := exec.Command(p.cfg.Command[0], p.cfg.Command[1:]...)
	cmd.Env = p.cfg.Env
	cmd.ExtraFiles = []*os.File{reqR, repW} // fds 3 and 4
	log := &stderrLog{dst: p.cfg.Log}       // nil Log: set to os.Stderr by NewProxy
	cmd.Stdout, cmd.Stderr = log, log
	err = cmd.Start()
	reqR.Close()
	repW.Close()
	if err != nil {
		reqW.Close()
		repR.Close()
		return nil, fmt.Errorf("supervise: starting the engine %s: %w", p.cfg.Command[0], err)
	}
	w := &worker{cmd: cmd, in: newWriter(reqW), inFile: reqW, log: log, ready: make(chan struct{}),
		dead: make(chan struct{}), pending: map[uint64]chan *message{}}
	go p.read(w, repR)
	return w, nil
}

// read handles the worker's messages until its pipe ends, then records
// its death and replaces it.
func (p *Proxy) read(w *worker, r io.ReadCloser) {
	rd := newReader(r)
	readyOnce := sync.OnceFunc(func() { close(w.ready) })
	for {
		m, err := rd.next()
		if err != nil {
			break
		}
		switch m.Op {
		case opReady:
			if m.Error != "" {
				w.startErr = errors.New(m.Error)
			} else {
				w.up = true
			}
			readyOnce()
		case opReply:
			w.deliver(m)
		default:
			p.output(w, m)
		}
	}
	r.Close()
	w.inFile.Close()
	w.cmd.Wait()
	w.died()
	readyOnce()
	if !w.busy() && w.reason() == "" {
		// Nothing was running: say so on the last cell's stderr.
		p.cfg.Sink.Stream("stderr", "\n"+w.deathError().Traceback[0]+"\n"+lostState+"\n")
	}
	p.replace(w)
}

// output passes the worker's output to the sink.
func (p *Proxy) output(w *worker, m *message) {
	s := p.cfg.Sink
	switch m.Op {
	case opStream:
		s.Stream(m.Name, m.Text)
	case opDisplay, opUpdate:
		if m.Bundle == nil {
			return
		}
		if m.Op == opDisplay {
			s.Display(*m.Bundle, m.DisplayID)
		} else {
			s.Update(*m.Bundle, m.DisplayID)
		}
	case opClear:
		s.ClearOutput(m.Wait)
	case opInput:
		go func() {
			text, err := s.Input(m.Text, m.Password)
			rep := &message{Op: opInputReply, ID: m.ID, Text: text}
			if err != nil {
				rep.Error = err.Error()
			}
			w.in.send(rep)
		}()
	}
}
