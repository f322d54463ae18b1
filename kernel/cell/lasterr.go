package cell

// The last expression of a cell, where its value or its failure is not
// what yaegi gives: a dereference of a nil pointer (yaegi gives no value
// and no panic) and a call whose last result is a non-nil error (the
// cell fails with that error).

import (
	"context"
	"go/ast"
	"reflect"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// lastDeref evaluates the last expression *x of plan p: x once, then the
// dereference here, so that a nil x fails the cell as in Go.
//
// yaegi v0.16.1 (nil-deref-value): `*p` with p nil, as the value of an
// evaluation, gives no value instead of panicking.
func (s *Session) lastDeref(ctx context.Context, p *plan, it *rewrite.Item, star *ast.StarExpr) Result {
	v, err := s.eval(ctx, p.cell.ValueSource(it, star.X))
	if err != nil {
		return Result{Err: s.convertError(ctx, err, p.n)}
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return Result{Err: s.lastFailure(p, it, star, "panic", msgNil)}
	}
	if v.Kind() != reflect.Pointer {
		return Result{Value: valueOf(v), HasValue: true}
	}
	return Result{Value: valueOf(v.Elem()), HasValue: true}
}

// lastError returns the error of a last expression whose results vals end
// with a non-nil error, or nil. When the call's type is not known before it
// runs (shape.known false), a last result that holds an error counts.
func (s *Session) lastError(p *plan, it *rewrite.Item, shape callShape, vals []any) *api.Error {
	k := len(vals)
	if k < 2 || (shape.known && !shape.lastIsError) {
		return nil
	}
	e, ok := vals[k-1].(error)
	if !ok || e == nil || isNilPointer(e) {
		return nil
	}
	return s.lastFailure(p, it, it.Node(), "error", e.Error())
}

// isNilPointer reports whether an error value is a nil pointer of a
// concrete type (a typed nil that is not a failure).
func isNilPointer(e error) bool {
	v := reflect.ValueOf(e)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// dropNilError reports whether the last of vals, nil, is a nil error not
// to show: the call's last result is of type error, or, the call's type
// unknown, it returned (value, nil).
func dropNilError(shape callShape, vals []any) bool {
	k := len(vals)
	if k == 0 || vals[k-1] != nil {
		return false
	}
	if shape.known {
		return shape.lastIsError
	}
	return k == 2
}

// lastFailure is the Error named name with message msg of the last
// expression at node n.
func (s *Session) lastFailure(p *plan, it *rewrite.Item, n ast.Node, name, msg string) *api.Error {
	line, col := rewrite.LineCol(p.cell.Src(), it.Off(n.Pos()))
	pos := frame{cell: p.n, line: line, col: col}
	at := mapPositions(pos.String(), p.n)
	at = at[:len(at)-len(": panic: (...)")]
	what := "the cell's value"
	if name == "error" {
		what = "the error returned by the cell's last call"
	}
	tb := []string{name + ": " + msg, "    " + at + ": " + what}
	tb = append(tb, s.snippet(pos.String())...)
	return &api.Error{Name: name, Value: msg, Traceback: tb}
}
