package cell

import (
	"context"
	"go/ast"
	"reflect"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// printFuncs are fmt functions whose (n, err) results are not shown.
var printFuncs = map[string]bool{"Print": true, "Printf": true, "Println": true, "Fprint": true, "Fprintf": true, "Fprintln": true}

// voidBuiltins are the predeclared functions without results.
var voidBuiltins = map[string]bool{"close": true, "delete": true, "panic": true, "print": true, "println": true, "clear": true}

// callShape is what is known of a call before it runs: its number of
// results and whether the last is an error.
type callShape struct {
	n           int
	lastIsError bool
	known       bool
}

// evalLast evaluates the cell's final expression statement, once, and
// returns its value: a call with one result gives that value, a call with
// several gives them all as []any, a void call and fmt.Print* give none.
// A last result of static type error that is nil is dropped: a call
// returning only a nil error gives no value, (v, nil) gives v, (a, b, nil)
// gives [a b]; a non-nil one fails the cell with that error (lasterr.go).
// When the call's type is not known, (v, nil) gives v too.
//
// yaegi v0.16.1 (void-value): the value of a void call is whatever was
// computed last, so a call's results are taken through __subspace.Tuple
// unless it is known to be void. When the callee's type is not known
// before (a callee that is itself a call, f()()), the Tuple form is tried
// and, if it does not compile (a void call, or an error in the cell), the
// plain statement: the expression still runs once.
func (s *Session) evalLast(ctx context.Context, p *plan, it *rewrite.Item) Result {
	plain := p.cell.Source([]*rewrite.Item{it})
	call, isCall := ast.Unparen(it.Stmt.(*ast.ExprStmt).X).(*ast.CallExpr)
	if star, ok := ast.Unparen(it.Stmt.(*ast.ExprStmt).X).(*ast.StarExpr); ok {
		return s.lastDeref(ctx, p, it, star)
	}
	if !isCall {
		v, err := s.eval(ctx, plain)
		if err != nil {
			return Result{Err: s.convertError(ctx, err, p.n)}
		}
		if !v.IsValid() {
			return Result{}
		}
		return Result{Value: valueOf(v), HasValue: true}
	}
	shape := s.shapeOf(ctx, p, it, call)
	if shape.known && shape.n == 0 {
		if _, err := s.eval(ctx, plain); err != nil {
			return Result{Err: s.convertError(ctx, err, p.n)}
		}
		return Result{}
	}
	v, err := s.eval(ctx, p.cell.TupleSource(it))
	if err != nil && isCompileError(err) {
		// A void call, or a compile error, which the plain statement
		// reports as the cell has it.
		if _, err := s.eval(ctx, plain); err != nil {
			return Result{Err: s.convertError(ctx, err, p.n)}
		}
		return Result{}
	}
	if err != nil {
		return Result{Err: s.convertError(ctx, err, p.n)}
	}
	vals, _ := valueOf(v).([]any)
	if e := s.lastError(p, it, shape, vals); e != nil {
		return Result{Err: e}
	}
	if dropNilError(shape, vals) {
		vals = vals[:len(vals)-1] // a nil error is not shown
	}
	switch len(vals) {
	case 0:
		return Result{}
	case 1:
		return Result{Value: vals[0], HasValue: true}
	}
	return Result{Value: vals, HasValue: true}
}

// shapeOf tells what is known of call before it runs: fmt.Print* and void
// builtins have no results shown; otherwise the types say
// (rewrite.Types.Results), or the callee's type when it is named by
// identifiers and selectors only (f, pkg.F, v.Method, v.f.Method): that
// expression is evaluated (no call, so no side effects). Cost: at most one
// small evaluation.
func (s *Session) shapeOf(ctx context.Context, p *plan, it *rewrite.Item, call *ast.CallExpr) callShape {
	switch f := call.Fun.(type) {
	case *ast.SelectorExpr:
		if id, ok := f.X.(*ast.Ident); ok && printFuncs[f.Sel.Name] && s.rec.importPath(id.Name) == "fmt" {
			return callShape{known: true}
		}
	case *ast.Ident:
		if rewrite.Universe[f.Name] && s.rec.global(f.Name) == nil && !p.cell.Declares(f.Name) {
			return callShape{known: voidBuiltins[f.Name]}
		}
	}
	if n, lastErr, ok := p.checked.Results(it, call); ok {
		return callShape{n: n, lastIsError: lastErr, known: true}
	}
	if !pure(call.Fun) {
		return callShape{}
	}
	src, ok := rewrite.CalleeSource(call)
	if !ok {
		return callShape{}
	}
	v, err := s.eval(ctx, src)
	if err != nil || !v.IsValid() || v.Kind() != reflect.Func {
		s.out.filter.take()
		return callShape{}
	}
	t := v.Type()
	n := t.NumOut()
	return callShape{n: n, lastIsError: n > 0 && t.Out(n-1) == errorType, known: true}
}

// pure reports whether e is made of identifiers and selectors only.
func pure(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return pure(x.X)
	case *ast.ParenExpr:
		return pure(x.X)
	case *ast.IndexExpr:
		_, lit := x.Index.(*ast.BasicLit)
		return pure(x.X) && (lit || pure(x.Index))
	}
	return false
}

func valueOf(v reflect.Value) any {
	if !v.IsValid() || !v.CanInterface() {
		return nil
	}
	return v.Interface()
}
