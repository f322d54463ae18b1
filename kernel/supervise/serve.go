package supervise

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/subspace-kernel/subspace/api"
)

// EngineFactory makes the worker's engine, whose output goes to sink.
type EngineFactory func(sink api.Sink) (api.Engine, error)

// Worker is the main function of a worker process started by a Proxy: it
// serves the engine over the pipes the proxy passed as file descriptors 3
// (requests) and 4 (replies and output), ignores SIGINT (interrupts come
// as messages; Jupyter signals the whole process group) and returns when
// the proxy closes its end. Cost: that of the engine; one goroutine a
// request in flight.
func Worker(newEngine EngineFactory) error {
	signal.Ignore(syscall.SIGINT)
	in, out := os.NewFile(3, "requests"), os.NewFile(4, "replies")
	if in == nil || out == nil {
		return errors.New("supervise: the worker needs file descriptors 3 and 4 (it is started by the kernel)")
	}
	return Serve(in, out, newEngine)
}

// Serve reads requests from in, runs them on the engine made by newEngine
// and writes replies and the engine's output to out, until in ends.
// Execute and Evaluate run one at a time in arrival order (the kernel
// sends them so); the other requests, interrupts and input replies are
// handled as they come. Cost: one JSON line each way a call, one goroutine
// a call in flight.
func Serve(in io.Reader, out io.Writer, newEngine EngineFactory) error {
	w := newWriter(out)
	sv := &server{w: w, cancels: map[uint64]context.CancelFunc{}, inputs: map[uint64]chan *message{}, execQ: make(chan func(), 64)}
	go func() {
		for f := range sv.execQ {
			f()
		}
	}()
	eng, err := newEngine(workerSink{sv})
	if err != nil {
		w.send(&message{Op: opReady, Error: err.Error()})
		return err
	}
	sv.eng = eng
	if err := w.send(&message{Op: opReady}); err != nil {
		return err
	}
	r := newReader(in)
	for {
		m, err := r.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		sv.handle(m)
	}
}

// server is the worker's state: the engine, the cancel functions of the
// requests in flight and the input requests waiting for their answer.
type server struct {
	eng     api.Engine
	w       *writer
	mu      sync.Mutex
	cancels map[uint64]context.CancelFunc
	inputs  map[uint64]chan *message
	nextIn  atomic.Uint64
	execQ   chan func() // Execute and Evaluate, run one at a time in order
}

func (sv *server) handle(m *message) {
	switch m.Op {
	case opExecute, opEvaluate:
		ctx, cancel := context.WithCancel(context.Background())
		sv.mu.Lock()
		sv.cancels[m.ID] = cancel
		sv.mu.Unlock()
		sv.execQ <- func() {
			defer func() {
				sv.mu.Lock()
				delete(sv.cancels, m.ID)
				sv.mu.Unlock()
				cancel()
			}()
			sv.reply(m, func(rep *message) { sv.run(ctx, m, rep) })
		}
	case opComplete, opInspect, opIsComplete:
		go sv.reply(m, func(rep *message) { sv.query(m, rep) })
	case opInterrupt:
		sv.mu.Lock()
		if c := sv.cancels[m.ID]; c != nil {
			c()
		}
		sv.mu.Unlock()
	case opInputReply:
		sv.mu.Lock()
		c := sv.inputs[m.ID]
		delete(sv.inputs, m.ID)
		sv.mu.Unlock()
		if c != nil {
			c <- m
		}
	}
}

// reply fills the reply to m with f and sends it; a panic in f becomes
// the reply's error.
func (sv *server) reply(m *message, f func(rep *message)) {
	rep := &message{Op: opReply, ID: m.ID}
	func() {
		defer func() {
			if r := recover(); r != nil {
				rep.Err = &api.Error{Name: "InternalError", Value: fmt.Sprint(r), Traceback: []string{fmt.Sprintf("internal error in the engine: %v", r)}}
			}
		}()
		f(rep)
	}()
	sv.w.send(rep)
}

func (sv *server) run(ctx context.Context, m *message, rep *message) {
	if m.Op == opExecute {
		res := sv.eng.Execute(ctx, api.ExecuteRequest{Code: m.Code, Silent: m.Silent})
		rep.Result = &res
		return
	}
	b, err := sv.eng.Evaluate(ctx, m.Code)
	rep.Bundle, rep.Err = &b, err
}

func (sv *server) query(m *message, rep *message) {
	switch m.Op {
	case opComplete:
		c := sv.eng.Complete(m.Code, m.Cursor)
		rep.Completion = &c
	case opInspect:
		i := sv.eng.Inspect(m.Code, m.Cursor, m.Detail)
		rep.Inspection = &i
	default:
		rep.Status, rep.Indent = sv.eng.IsComplete(m.Code)
	}
}

// workerSink is the engine's api.Sink in the worker: everything goes to
// the kernel as messages.
type workerSink struct{ sv *server }

func (s workerSink) Stream(name, text string) {
	s.sv.w.send(&message{Op: opStream, Name: name, Text: text})
}

func (s workerSink) Display(b api.Bundle, id string) error {
	return s.sv.w.send(&message{Op: opDisplay, Bundle: &b, DisplayID: id})
}

func (s workerSink) Update(b api.Bundle, id string) error {
	if id == "" {
		return errors.New("display: Update needs a display id")
	}
	return s.sv.w.send(&message{Op: opUpdate, Bundle: &b, DisplayID: id})
}

func (s workerSink) ClearOutput(wait bool) error {
	return s.sv.w.send(&message{Op: opClear, Wait: wait})
}

// Input asks the kernel for a line and waits for its answer.
func (s workerSink) Input(prompt string, password bool) (string, error) {
	id := s.sv.nextIn.Add(1)
	c := make(chan *message, 1)
	s.sv.mu.Lock()
	s.sv.inputs[id] = c
	s.sv.mu.Unlock()
	if err := s.sv.w.send(&message{Op: opInput, ID: id, Text: prompt, Password: password}); err != nil {
		return "", err
	}
	m := <-c
	if m.Error != "" {
		return "", errors.New(m.Error)
	}
	return m.Text, nil
}
