package cell

import (
	"context"
	"reflect"

	"github.com/subspace-kernel/subspace/kernel/cell/infer"
)

// live is the session as the type resolver sees it.
type live struct{ s *Session }

var _ infer.Live = live{}

// Kind returns the kind of a declaration of an earlier cell.
func (l live) Kind(name string) string {
	if g := l.s.rec.global(name); g != nil {
		return g.Kind
	}
	return ""
}

// TypeOf evaluates an expression made of names and selectors only (no
// calls, so no side effects) and returns its value's type.
func (l live) TypeOf(expr string) reflect.Type {
	v, err := l.s.interp().EvalWithContext(context.Background(), expr)
	if err != nil || !v.IsValid() {
		l.s.out.filter.take()
		return nil
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	return v.Type()
}

// Symbol returns symbol name of the compiled package with import path path.
func (l live) Symbol(path, name string) (reflect.Value, bool) {
	return l.s.pkgs.symbol(path, name)
}

// TypeSource returns the source of a type declared by an earlier cell.
func (l live) TypeSource(name string) (string, bool) {
	if g := l.s.rec.global(name); g != nil && g.Kind == "type" {
		return g.Source, true
	}
	return "", false
}
