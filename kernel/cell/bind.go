package cell

// The execution of two-step definitions (rewrite.Cell.GenericDef and
// MultiDef): the values are evaluated first, then the names are bound to
// them through the compiled table __subspace_vals.

import (
	"context"
	"fmt"
	"go/ast"
	"reflect"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/traefik/yaegi/interp"
)

// evalGenericDef evaluates the definition it (see rewrite.Cell.GenericDef):
// each value as an expression, in order, then the definition itself with
// the values read from the table. Cost: one evaluation per value plus one.
func (s *Session) evalGenericDef(ctx context.Context, c *rewrite.Cell, it *rewrite.Item, names []*ast.Ident, values []ast.Expr) error {
	var vals []reflect.Value
	for _, v := range values {
		val, err := s.eval(ctx, c.ValueSource(it, v))
		if err != nil {
			return err
		}
		if !val.IsValid() {
			vs, ve := it.Off(v.Pos()), it.Off(v.End())
			return fmt.Errorf("%s: %s has no value", strings.TrimSuffix(posOf(c, vs), ":"), c.Src()[vs:ve])
		}
		vals = append(vals, val)
	}
	return s.bind(ctx, c, it, names, vals)
}

// evalMultiDef evaluates a definition of several names from one value
// (see rewrite.Cell.MultiDef) inside a function literal that hands the
// values, with their static types, to the session; the names are then
// bound to them.
func (s *Session) evalMultiDef(ctx context.Context, c *rewrite.Cell, it *rewrite.Item, names []*ast.Ident, rhs ast.Expr) error {
	s.put = s.put[:0]
	if _, err := s.eval(ctx, c.MultiDefSource(it, len(names), rhs)); err != nil {
		return err
	}
	if len(s.put) != len(names) {
		return fmt.Errorf("%s internal: definition gave %d values for %d names", posOf(c, it.Start), len(s.put), len(names))
	}
	vals := append([]reflect.Value(nil), s.put...)
	s.put = s.put[:0]
	return s.bind(ctx, c, it, names, vals)
}

// putValue receives a pointer to an interpreted variable (from
// __subspace.Put) and keeps the variable's value with its static type.
func (s *Session) putValue(p any) {
	v := reflect.ValueOf(p)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		s.put = append(s.put, v.Elem())
	}
}

// bind defines names (at the top level of the cell item it) with the given
// values, through the compiled table __subspace_vals.
func (s *Session) bind(ctx context.Context, c *rewrite.Cell, it *rewrite.Item, names []*ast.Ident, vals []reflect.Value) error {
	var syms []string
	table := map[string]reflect.Value{}
	for i, val := range vals {
		holder := reflect.New(val.Type()).Elem()
		holder.Set(val)
		sym := fmt.Sprintf("V%d", i)
		syms = append(syms, "__subspace_vals."+sym)
		table[sym] = holder
	}
	in := s.interp()
	if err := in.Use(interp.Exports{rewrite.ValuesPath + "/cellvals": table}); err != nil {
		return err
	}
	defer func() {
		for _, h := range table {
			h.Set(reflect.Zero(h.Type())) // the names hold the values now
		}
	}()
	// A name whose type can be written in Go is declared with it, then
	// assigned (it then has the interpreter's own type, which generic
	// inference needs); another one is defined from the table directly.
	dir := rewrite.LineDirective(c.Src(), c.Name(), it.Start)
	var decls, assigns strings.Builder
	for i, id := range names {
		if id.Name == "_" {
			continue
		}
		v := table[fmt.Sprintf("V%d", i)]
		if t, ok := s.typeText(v.Type()); ok {
			decls.WriteString(dir + "var " + id.Name + " " + t + "\n")
			assigns.WriteString(dir + id.Name + " = " + syms[i] + "\n")
			continue
		}
		if lossyType(v.Type()) {
			// yaegi v0.16.1 (bind-cell-struct): a value of a cell struct
			// type handed through a compiled table loses its methods.
			line, _ := rewrite.LineCol(c.Src(), it.Start)
			fmt.Fprintf(s.out.stderr, "note: cell line %d: the type of %s holds a struct declared in a cell that the kernel cannot name here, so yaegi v0.16.1 loses its methods; declare the variable first (var %s T), then assign it\n", line, id.Name, id.Name)
		}
		assigns.WriteString(dir + id.Name + " := " + syms[i] + "\n")
	}
	if decls.Len() > 0 {
		if _, err := s.eval(ctx, rewrite.DeclSource(decls.String())); err != nil {
			return err
		}
	}
	if assigns.Len() == 0 {
		return nil
	}
	_, err := s.eval(ctx, rewrite.StmtSource(assigns.String()))
	return err
}

// errorType is the reflect type of the error interface.
var errorType = reflect.TypeFor[error]()

// typeText writes t as Go source when it is made of predeclared types,
// types of packages the cells imported under their name, and struct types
// declared by cells (when exactly one has that run-time type); ok is false
// for anything else (functions, channels, interfaces other than any and
// error). A named non-struct type of a cell (type Celsius float64) comes
// out as its underlying type: yaegi's run-time type is the same.
func (s *Session) typeText(t reflect.Type) (string, bool) {
	if t == errorType {
		return "error", true
	}
	if t.Kind() == reflect.Struct && t.Name() == "" {
		// a struct type declared by a cell, when exactly one has t
		return s.cellStructType(t)
	}
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name(), true
		}
		s.rec.mu.Lock()
		defer s.rec.mu.Unlock()
		for name, path := range s.rec.imports {
			if path == t.PkgPath() && !strings.Contains(t.Name(), "[") {
				return name + "." + t.Name(), true
			}
		}
		return "", false
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Pointer:
		e, ok := s.typeText(t.Elem())
		if t.Kind() == reflect.Slice {
			return "[]" + e, ok
		}
		return "*" + e, ok
	case reflect.Array:
		e, ok := s.typeText(t.Elem())
		return fmt.Sprintf("[%d]%s", t.Len(), e), ok
	case reflect.Map:
		k, ok1 := s.typeText(t.Key())
		e, ok2 := s.typeText(t.Elem())
		return "map[" + k + "]" + e, ok1 && ok2
	case reflect.Interface:
		return "any", t.NumMethod() == 0
	}
	return "", false
}

// posOf returns "cell[N]/_.go:L:C:" for offset off of the cell.
func posOf(c *rewrite.Cell, off int) string {
	line, col := rewrite.LineCol(c.Src(), off)
	return fmt.Sprintf("%s:%d:%d:", c.Name(), line, col)
}

// lossyType reports whether t holds a type that yaegi builds for types
// declared in cells (an unnamed struct, or yaegi's own interface wrapper),
// which a compiled symbol cannot carry back with its methods.
func lossyType(t reflect.Type) bool {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type) bool
	walk = func(t reflect.Type) bool {
		if seen[t] {
			return false
		}
		seen[t] = true
		if strings.Contains(t.PkgPath(), "yaegi") {
			return true
		}
		switch t.Kind() {
		case reflect.Struct:
			return t.Name() == ""
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
			return walk(t.Elem())
		case reflect.Map:
			return walk(t.Key()) || walk(t.Elem())
		}
		return false
	}
	return walk(t)
}

// cellStructType returns the name of the one struct type declared by the
// cells whose run-time type in yaegi is t. Cost: one evaluation per type
// declared by the cells.
func (s *Session) cellStructType(t reflect.Type) (string, bool) {
	s.rec.mu.Lock()
	var names []string
	for name := range s.rec.types {
		if g := s.rec.globals[name]; g != nil && g.Kind == "type" && !strings.Contains(g.Signature, "[") {
			names = append(names, name)
		}
	}
	s.rec.mu.Unlock()
	found := ""
	for _, name := range names {
		v, err := s.interp().EvalWithContext(context.Background(), rewrite.StmtSource("*new("+name+")"))
		if err != nil {
			s.out.filter.take()
			continue
		}
		if v.IsValid() && v.Type() == t {
			if found != "" {
				return "", false
			}
			found = name
		}
	}
	return found, found != ""
}
