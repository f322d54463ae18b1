package cell

import (
	"reflect"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/cell/check"
	"github.com/subspace-kernel/subspace/kernel/complete"
)

var (
	_ complete.Scope       = (*Session)(nil)
	_ complete.SourceScope = (*Session)(nil)
)

// Imports maps each local package name imported by the cells to its import
// path. O(imports).
func (s *Session) Imports() map[string]string { return s.rec.importsInScope() }

// mustSymbol is the cells' built-in must, as completion and inspection
// show it.
var mustSymbol = complete.Symbol{Name: check.MustName, Kind: "func",
	Signature: "func must[T any](v T, err ...error) T",
	Doc: "must returns v, or fails the cell with err when err is not nil: must(f()) for f returning (v, error), " +
		"must(v, err), or must(err) alone. Built into the cells; a cell may declare its own must instead."}

// Globals lists the declarations made by cells in declaration order
// (methods as "Type.Method"), then the built-in must unless a cell
// declared one. A variable's Signature is "var name T" with T its live
// type when the session is idle. O(globals).
func (s *Session) Globals() []complete.Symbol {
	out := s.rec.symbols()
	for i := range out {
		if out[i].Kind == "var" && out[i].Signature == "" {
			out[i].Signature = "var " + out[i].Name
			if v, ok := s.liveValue(out[i].Name); ok {
				out[i].Signature += " " + typeString(v)
			}
		}
	}
	if s.rec.global(check.MustName) == nil {
		out = append(out, mustSymbol)
	}
	return out
}

// Value returns the live value of a global variable or constant declared by
// a cell. It answers false while a cell is running (the interpreter is busy).
func (s *Session) Value(name string) (any, bool) {
	v, ok := s.liveValue(name)
	if !ok || !v.CanInterface() {
		return nil, false
	}
	return v.Interface(), true
}

func (s *Session) liveValue(name string) (reflect.Value, bool) {
	g := s.rec.global(name)
	if g == nil || (g.Kind != "var" && g.Kind != "const") {
		return reflect.Value{}, false
	}
	if !s.mu.TryLock() {
		return reflect.Value{}, false
	}
	defer s.mu.Unlock()
	v, err := s.interp().Eval(name)
	if err != nil || !v.IsValid() {
		return reflect.Value{}, false
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	return v, true
}

// Source returns the source text of the cell item that declared name.
func (s *Session) Source(name string) (string, bool) {
	g := s.rec.global(name)
	if g == nil {
		return "", false
	}
	return g.Source, true
}

// Packages maps every importable package path to its exported symbols
// (standard library, Options.Symbols and tables added with Use). The map is
// built once (O(symbols)) and shared until the next Use: callers must not
// modify it.
func (s *Session) Packages() map[string]map[string]reflect.Value { return s.pkgs.table() }

// Complete answers a complete request for code with the cursor at the given
// code point (see complete.Complete).
func (s *Session) Complete(code string, cursor int) api.Completion {
	return complete.Complete(code, cursor, s)
}

// Inspect answers an inspect request (see complete.Inspect).
func (s *Session) Inspect(code string, cursor, detail int) api.Inspection {
	return complete.Inspect(code, cursor, detail, s)
}
