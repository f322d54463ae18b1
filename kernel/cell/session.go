package cell

import (
	"errors"
	"io"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/subspace-kernel/subspace/kernel/cell/check"
	"github.com/subspace-kernel/subspace/kernel/magic"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// Session is one interpreter with the state of the cells run so far. Its
// methods are safe for concurrent use; Execute, Eval and Reset are
// serialized (one cell at a time).
type Session struct {
	opts Options

	mu    sync.Mutex // held while a cell, Eval or Reset runs
	symMu sync.Mutex // guards in (pointer swap)
	in    *interp.Interpreter

	pkgs   packages
	check  *check.Checker
	magics *magic.Registry
	out    *output
	rec    records
	panics goPanics
	mem    memGuard    // %memlimit
	stale  staleSignal // closed when the running cell is interrupted
	where  where       // the code being evaluated, for run-time errors (runpos.go)

	count int            // cells executed, names cell[N]
	cells map[int]string // source of each cell, for tracebacks
	fresh int            // counter for rewritten names

	defers   bool            // the running cell registered top-level defers
	put      []reflect.Value // values handed over by __subspace.Put
	leftover atomic.Bool     // an interrupted evaluation may still run
	onEval   func(src string)
}

// New starts a session: a yaegi interpreter in restricted mode with the
// standard library and opts.Symbols, whose fmt.Print*, os.Stdout, os.Stderr
// and log write to opts.Stdout/opts.Stderr. Cost: importing yaegi's
// standard library symbol tables, a few milliseconds; two pipes and two
// goroutines live until Close.
func New(opts Options) (*Session, error) {
	if opts.Stdout == nil || opts.Stderr == nil {
		return nil, errors.New("cell: Options.Stdout and Options.Stderr are required")
	}
	out, err := newOutput(opts)
	if err != nil {
		return nil, err
	}
	s := &Session{opts: opts, out: out, magics: opts.Magics, cells: map[int]string{}}
	if s.magics == nil {
		s.magics = magic.NewRegistry()
	}
	s.magics.Register(s.mem.magic())
	s.mem.fromEnv(out.stderr)
	s.pkgs.add(stdlib.Symbols)
	for _, e := range opts.Symbols {
		s.pkgs.add(e)
	}
	s.check = check.New(s.pkgs.table)
	if err := s.newInterpreter(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the session's pipes. Output written by goroutines still
// running afterwards is lost.
func (s *Session) Close() error { return s.out.close() }

// Stdout is the writer a magic or plugin should print to: it is the same
// stream as the cells' fmt.Print* and os.Stdout (ordering is preserved),
// forwarded to Options.Stdout.
func (s *Session) Stdout() io.Writer { return fmtWriter{s.out} }

// Stderr is the writer for errors and warnings of magics and plugins,
// forwarded to Options.Stderr.
func (s *Session) Stderr() io.Writer { return s.out.stderr }

// Use adds compiled packages (symbol tables, e.g. from a plugin) that cells
// may then import. They are kept across Reset. Cost: O(symbols).
func (s *Session) Use(e interp.Exports) error {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	if err := s.in.Use(e); err != nil {
		return err
	}
	s.pkgs.add(e)
	s.check.Refresh()
	return nil
}

// Magics returns the session's registry of magics (Options.Magics): a
// magic registered there is listed by %help and kept across Reset. A magic
// must not call Execute or Reset of its session.
func (s *Session) Magics() *magic.Registry { return s.magics }

// Reset replaces the interpreter with a fresh one: user declarations and
// imports are forgotten; symbol tables added with Use and registered magics
// stay. Waits for a running cell to finish.
func (s *Session) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reset()
}

func (s *Session) reset() error {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.newInterpreter()
}

func (s *Session) interp() *interp.Interpreter {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.in
}
