package cell

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/magic"
)

// runCell runs the steps of a cell (magic.Parse): the magics at its top,
// then its Go code.
func (s *Session) runCell(ctx context.Context, code string, n int) Result {
	for _, st := range magic.Parse(code) {
		switch st.Kind {
		case magic.Go:
			return s.run(ctx, st.Code, n)
		case magic.TimeCell:
			return s.timed(func() Result { return s.run(ctx, st.Code, n) })
		case magic.Time:
			if strings.TrimSpace(st.Args) == "" {
				return Result{Err: &api.Error{Name: "UsageError", Value: "%time needs a statement: %time f(x)",
					Traceback: []string{"UsageError: %time needs a statement, e.g. %time f(x); use %%time for a whole cell"}}}
			}
			if r := s.timed(func() Result { return s.run(ctx, st.Code, n) }); r.Err != nil || st.Last {
				return r
			}
		default:
			if r := s.runMagic(ctx, st); r.Err != nil || st.Kind == magic.CellMagic {
				return r
			}
		}
	}
	return Result{}
}

// runMagic runs a registered magic.
func (s *Session) runMagic(ctx context.Context, st magic.Step) Result {
	m, ok := s.magics.Lookup(st.Name)
	if !ok {
		known := s.magics.Names()
		return Result{Err: &api.Error{Name: "UnknownMagic", Value: fmt.Sprintf("unknown magic %%%s; known magics: %s", st.Name, strings.Join(known, ", ")),
			Traceback: []string{fmt.Sprintf("UnknownMagic: %%%s is not a magic. Known: %s (see %%help)", st.Name, strings.Join(known, " "))}}}
	}
	if err := m.Run(ctx, magicSession{s}, st.Args, st.Body); err != nil {
		if e, ok := err.(*api.Error); ok {
			return Result{Err: e}
		}
		return Result{Err: &api.Error{Name: "MagicError", Value: fmt.Sprintf("%%%s: %v", st.Name, err),
			Traceback: []string{fmt.Sprintf("%%%s failed: %v", st.Name, err)}}}
	}
	s.out.outPipe.Flush(defaultFlush)
	return Result{}
}

// timed runs f and prints its wall time to the session's stdout.
func (s *Session) timed(f func() Result) Result {
	start := time.Now()
	r := f()
	d := time.Since(start)
	s.out.outPipe.Flush(defaultFlush)
	fmt.Fprintf(s.out.outPipe.w, "Wall time: %s\n", magic.FormatWall(d))
	return r
}

// magicSession is the session as a running magic sees it (the session's
// lock is held).
type magicSession struct{ s *Session }

func (m magicSession) Stdout() io.Writer { return m.s.Stdout() }

func (m magicSession) Stderr() io.Writer { return m.s.Stderr() }

func (m magicSession) Reset() error { return m.s.reset() }

// Run runs code as a new cell.
func (m magicSession) Run(ctx context.Context, code string) error {
	s := m.s
	s.count++
	n := s.count
	s.cells[n] = code
	if r := s.run(ctx, code, n); r.Err != nil {
		return r.Err
	}
	return nil
}

// Variables lists the variables and constants of the cells with the types
// of their values.
func (m magicSession) Variables() []magic.Variable {
	var out []magic.Variable
	for _, g := range m.s.rec.symbols() {
		if g.Kind != "var" && g.Kind != "const" {
			continue
		}
		typ := "?"
		if v, err := m.s.interp().Eval(g.Name); err == nil && v.IsValid() {
			typ = typeString(v)
		}
		out = append(out, magic.Variable{Name: g.Name, Kind: g.Kind, Type: typ})
	}
	return out
}

// typeString names the type of a value read from the interpreter.
func typeString(v reflect.Value) string {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		return v.Elem().Type().String()
	}
	return v.Type().String()
}
