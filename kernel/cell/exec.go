package cell

import (
	"context"
	"errors"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/traefik/yaegi/interp"
)

// run plans and evaluates the Go code of cell n (src keeps the cell's line
// structure).
func (s *Session) run(ctx context.Context, src string, n int) Result {
	p, err := s.planCell(rewrite.BlankPackageClause(src), n)
	if err != nil {
		return Result{Err: s.convertError(ctx, err, n)}
	}
	if p == nil {
		return Result{}
	}
	defer func() {
		if p.cell.Defers() > 0 {
			s.defers = true
		}
	}()
	defer s.check.Commit(p.checked)
	for _, st := range p.steps {
		if r, done := s.runStep(ctx, p, st); done {
			return r
		}
	}
	return Result{}
}

// runStep evaluates one step of plan p; done is true when the cell ends
// with the step's result (an error, the last expression, func main).
func (s *Session) runStep(ctx context.Context, p *plan, st planStep) (r Result, done bool) {
	fail := func(err error) (Result, bool) { return Result{Err: s.convertError(ctx, err, p.n)}, true }
	for _, it := range st.items {
		p.cell.Rewrite(it)
	}
	s.enterStep(p, st.items)
	switch st.kind {
	case stepImports:
		if err := s.evalImports(ctx, p.src, p.name, p.imports, p.autos); err != nil {
			return fail(err)
		}
	case stepMultiDef, stepGenericDef:
		it := st.items[0]
		var err error
		if st.kind == stepMultiDef {
			err = s.evalMultiDef(ctx, p.cell, it, st.names, st.rhs)
		} else {
			err = s.evalGenericDef(ctx, p.cell, it, st.names, st.values)
		}
		if err != nil {
			return fail(err)
		}
		s.rec.record(st.items, p.cell)
	case stepLast:
		r := s.evalLast(ctx, p, st.items[0])
		return r, r.Err != nil || !p.cell.HasMain()
	case stepMain:
		if _, err := s.eval(ctx, rewrite.MainCall); err != nil {
			return fail(err)
		}
		return Result{}, true
	default:
		if err := s.evalGroup(ctx, p, st.items); err != nil {
			return fail(err)
		}
	}
	return Result{}, false
}

// evalGroup evaluates consecutive declarations or statements in one piece
// of source and records what they declared; after a failure it restores
// what yaegi leaves broken.
func (s *Session) evalGroup(ctx context.Context, p *plan, group []*rewrite.Item) error {
	if err := s.evalSource(ctx, p, group); err != nil {
		s.rec.taint(group)
		s.keepDeclared(p, group, err)
		s.restoreFuncs(ctx, group)
		s.recordMethods(ctx, p.cell, group, true)
		return err
	}
	redeclared := s.rec.redeclaredFuncs(group)
	s.rec.record(group, p.cell)
	s.recordMethods(ctx, p.cell, group, false)
	if err := s.assignMethods(ctx, p.cell, group); err != nil {
		return err
	}
	if len(redeclared) > 0 {
		s.rebind(ctx, redeclared, p.n)
	}
	return nil
}

// evalSource evaluates a group's source. Two yaegi failures get a second
// look: a compiler panic ("nil type") is retried with every range loop
// over an expression of unknown type rewritten as a loop over an integer,
// and "constant definition loop" (yaegi's report of an undefined name on
// the right of :=) is replaced by the compiler's message for that
// right-hand side alone.
//
// yaegi v0.16.1 (range-retry): a range over an integer of a type the
// kernel could not infer panics the compiler with "nil type". Only
// statements are retried: a failed compilation of declarations can leave
// half-declared types and methods behind.
func (s *Session) evalSource(ctx context.Context, p *plan, group []*rewrite.Item) error {
	_, err := s.eval(ctx, s.stepSource(p, group))
	if err == nil || ctx.Err() != nil {
		return err
	}
	var pe interp.Panic
	if errors.As(err, &pe) && compilerPanic(pe) && strings.Contains(panicValue(pe.Value), "nil type") && group[0].Kind == rewrite.Stmt {
		if retry, forced := p.cell.ForceRange(group); forced > 0 {
			s.out.filter.take()
			if _, err2 := s.eval(ctx, retry.Source(group)); err2 == nil || !isCompileError(err2) {
				return err2
			}
		}
		return err
	}
	if strings.HasSuffix(err.Error(), "constant definition loop") {
		if e := s.undefinedName(p.cell, group); e != nil {
			return e
		}
	}
	if errors.As(err, &pe) && compilerPanic(pe) {
		if e := s.undefinedQualifier(p.cell); e != nil {
			s.out.filter.take()
			return e
		}
	}
	return err
}

// isCompileError reports whether err comes from yaegi's parser or compiler
// (as opposed to a run-time panic or an interrupt).
func isCompileError(err error) bool {
	var p interp.Panic
	if errors.As(err, &p) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return true
}
