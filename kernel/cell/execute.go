package cell

import (
	"context"
	"go/parser"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Execute runs one cell and never panics (see the package documentation
// for what a cell may hold). Output is written while the cell runs and is
// flushed before Execute returns. The session's state survives every
// error. Cost: O(len(code)) parsing and rewriting plus yaegi's compile and
// run time.
func (s *Session) Execute(ctx context.Context, code string) (res Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	n := s.count
	s.cells[n] = code
	progress.SetContext(ctx)
	defer progress.SetContext(nil)
	s.out.filter.take() // panic lines of panics that user code recovered
	s.panics.start(n)
	defer func() {
		s.out.flush()
		if e := s.panics.stop(); res.Err == nil && e != nil {
			res = Result{Err: e}
		}
	}()
	defer func() {
		// The kernel must survive anything: a panic in this package or in
		// yaegi outside its own recovery becomes the cell's error.
		if r := recover(); r != nil {
			res = Result{Err: &api.Error{Name: "InternalError", Value: panicValue(r),
				Traceback: []string{"internal error: " + panicValue(r), "the session is still usable"}}}
		}
	}()
	if err := s.waitLeftover(ctx); err != nil {
		return Result{Err: err}
	}
	if s.defers {
		// defers of an interrupted cell that never ran: drop them
		s.eval(context.Background(), rewrite.DropDefers)
		s.defers = false
	}
	res = s.runCell(ctx, code, n)
	if s.defers {
		if err := s.runDefers(ctx); err != nil && res.Err == nil {
			res = Result{Err: s.convertError(ctx, err, n)}
		}
	}
	return res
}

// runDefers runs the cell's top-level defers, last first, also after a
// panic (not after an interrupt); a panic in one ends the others.
func (s *Session) runDefers(ctx context.Context) error {
	_, err := s.eval(ctx, rewrite.RunDefers)
	if err == nil || ctx.Err() == nil {
		s.defers = false
	}
	return err
}

// Eval evaluates one Go expression in the session (for Jupyter's
// user_expressions) and returns its value. Errors are *api.Error.
func (s *Session) Eval(ctx context.Context, expr string) (val any, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			val, err = nil, &api.Error{Name: "InternalError", Value: panicValue(r)}
		}
	}()
	if _, perr := parser.ParseExpr(expr); perr != nil {
		return nil, &api.Error{Name: "CompileError", Value: "invalid expression: " + perr.Error()}
	}
	if e := s.waitLeftover(ctx); e != nil {
		return nil, e
	}
	progress.SetContext(ctx)
	defer progress.SetContext(nil)
	v, verr := s.eval(ctx, rewrite.ExprSource(expr))
	if verr != nil {
		return nil, s.convertError(ctx, verr, 0)
	}
	if !v.IsValid() || !v.CanInterface() {
		return nil, nil
	}
	return v.Interface(), nil
}
