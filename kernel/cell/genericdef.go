package cell

// Top-level definitions whose value comes from a generic call: yaegi
// v0.16.1 cannot type `x := G(a)` (or `var x = G(a)`) in its global scope
// when G is generic ("nil reflect type"), although it evaluates the call as
// an expression. Such a definition runs in two steps: each value is
// evaluated as an expression, then the names are bound to the values
// through a compiled symbol table.

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strings"

	"github.com/traefik/yaegi/interp"
)

// valsPath is the import path of the table that hands values to a
// definition (imported as __subspace_vals by every session).
const valsPath = "subspace/cellvals"

// genericDef returns the names and values of a top-level `a, b := x, y` or
// `var a, b = x, y` (no type, one value a name) of which a value calls a
// generic function outside function literals: one declared with type
// parameters by this cell or an earlier one (isGeneric), or min/max going
// to their generic helpers. ok is false for any other item.
func (rw *rewriter) genericDef(it *item, isGeneric func(string) (bool, int)) (names []*ast.Ident, values []ast.Expr, ok bool) {
	switch {
	case it.stmt != nil:
		as, isAssign := it.stmt.(*ast.AssignStmt)
		if !isAssign || as.Tok != token.DEFINE || len(as.Lhs) != len(as.Rhs) {
			return nil, nil, false
		}
		for _, l := range as.Lhs {
			id, isID := l.(*ast.Ident)
			if !isID {
				return nil, nil, false
			}
			names = append(names, id)
		}
		values = as.Rhs
	case it.decl != nil:
		gd, isGen := it.decl.(*ast.GenDecl)
		if !isGen || gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return nil, nil, false
		}
		vs := gd.Specs[0].(*ast.ValueSpec)
		if vs.Type != nil || len(vs.Names) != len(vs.Values) {
			return nil, nil, false
		}
		names, values = vs.Names, vs.Values
	default:
		return nil, nil, false
	}
	found := false
	for _, v := range values {
		// A call with several results cannot give one value (Go reports
		// the mismatch; so does yaegi on the plain definition).
		if call, isCall := ast.Unparen(v).(*ast.CallExpr); isCall {
			if id := calleeIdent(call); id != nil {
				if g, results := isGeneric(id.Name); g && results != 1 {
					return nil, nil, false
				}
			}
		}
		found = found || rw.hasGenericCall(v, isGeneric)
	}
	return names, values, found
}

// hasGenericCall reports whether e calls, outside function literals, a
// generic function: one with type parameters (isGeneric), min or max going
// to their generic helpers, or a function of the generic packages yaegi
// interprets from source (slices, maps, cmp).
func (rw *rewriter) hasGenericCall(e ast.Expr, isGeneric func(string) (bool, int)) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, isSel := x.Fun.(*ast.SelectorExpr); isSel && rw.pkgPath != nil {
				if pkg, isID := sel.X.(*ast.Ident); isID {
					switch rw.pkgPath(pkg.Name) {
					case "slices", "maps", "cmp":
						found = true
					}
				}
			}
			if id := calleeIdent(x); id != nil {
				if g, _ := isGeneric(id.Name); g {
					found = true
				}
				if (id.Name == "min" || id.Name == "max") && rw.builtins[id.Name] && len(x.Args) > 1 {
					if _, folded := foldMinMax(id.Name, x.Args); !folded {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// calleeIdent returns the name a call calls (f(x), f[T](x)), or nil.
func calleeIdent(call *ast.CallExpr) *ast.Ident {
	fun := call.Fun
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	id, _ := fun.(*ast.Ident)
	return id
}

// genericFuncs returns a function telling whether a name is a generic
// function declared at the top level of items or by an earlier cell, and
// how many results it has.
func (s *Session) genericFuncs(items []*item) func(string) (bool, int) {
	type fn struct {
		generic bool
		results int
	}
	local := map[string]fn{}
	for _, it := range items {
		if fd, ok := it.decl.(*ast.FuncDecl); ok && fd.Recv == nil {
			local[fd.Name.Name] = fn{fd.Type.TypeParams != nil, resultCount(fd.Type)}
		}
	}
	return func(name string) (bool, int) {
		if f, ok := local[name]; ok {
			return f.generic, f.results
		}
		if g := s.global(name); g != nil && g.generic {
			return true, g.results
		}
		return false, 0
	}
}

// evalGenericDef evaluates the definition it (see genericDef): each value
// as an expression, in order, then the definition itself with the values
// read from the table. Cost: one evaluation per value plus one.
func (s *Session) evalGenericDef(ctx context.Context, it *item, names []*ast.Ident, values []ast.Expr, rw *rewriter) error {
	var vals []reflect.Value
	for _, v := range values {
		vs, ve := it.off(v.Pos()), it.off(v.End())
		val, err := s.eval(ctx, stmtStart+lineDirective(rw.src, rw.name, vs)+rw.text(vs, ve, nil)+"\n")
		if err != nil {
			return err
		}
		if !val.IsValid() {
			return fmt.Errorf("%s: %s has no value", strings.TrimSuffix(s.posOf(rw, vs), ":"), rw.src[vs:ve])
		}
		vals = append(vals, val)
	}
	return s.bind(ctx, it, names, vals, rw)
}

// multiDef returns the names and the operand of a top-level `v, ok :=
// m[k]`, `v, ok := x.(T)`, `v, ok := <-ch` or `a, b := G(x)` with G
// generic, which yaegi v0.16.1 cannot compile in its global scope ("nil
// type", "nil reflect type").
func (rw *rewriter) multiDef(it *item, isGeneric func(string) (bool, int)) (names []*ast.Ident, rhs ast.Expr, ok bool) {
	as, isAssign := it.stmt.(*ast.AssignStmt)
	if !isAssign || as.Tok != token.DEFINE || len(as.Lhs) < 2 || len(as.Rhs) != 1 {
		return nil, nil, false
	}
	for _, l := range as.Lhs {
		id, isID := l.(*ast.Ident)
		if !isID {
			return nil, nil, false
		}
		names = append(names, id)
	}
	switch x := ast.Unparen(as.Rhs[0]).(type) {
	case *ast.IndexExpr, *ast.TypeAssertExpr:
	case *ast.UnaryExpr:
		if x.Op != token.ARROW {
			return nil, nil, false
		}
	case *ast.CallExpr:
		if !rw.hasGenericCall(x, isGeneric) {
			return nil, nil, false
		}
	default:
		return nil, nil, false
	}
	if len(names) != 2 {
		if _, isCall := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); !isCall {
			return nil, nil, false
		}
	}
	return names, as.Rhs[0], true
}

// evalMultiDef evaluates a definition of several names from one value
// (see multiDef) inside a function literal that hands the values, with
// their static types, to the session; the names are then bound to them.
func (s *Session) evalMultiDef(ctx context.Context, it *item, names []*ast.Ident, rhs ast.Expr, rw *rewriter) error {
	s.put = s.put[:0]
	rs, re := it.off(rhs.Pos()), it.off(rhs.End())
	var vars, puts []string
	for i := range names {
		vars = append(vars, fmt.Sprintf("__v%d", i))
		puts = append(puts, fmt.Sprintf("__subspace.Put(&__v%d)", i))
	}
	src := stmtStart + lineDirective(rw.src, rw.name, it.start) + "func() { " + strings.Join(vars, ", ") + " := " +
		rw.dir(rs) + rw.text(rs, re, nil) + "; " + strings.Join(puts, "; ") + " }()\n"
	if _, err := s.eval(ctx, src); err != nil {
		return err
	}
	if len(s.put) != len(names) {
		return fmt.Errorf("%s internal: definition gave %d values for %d names", s.posOf(rw, it.start), len(s.put), len(names))
	}
	vals := append([]reflect.Value(nil), s.put...)
	s.put = s.put[:0]
	return s.bind(ctx, it, names, vals, rw)
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
func (s *Session) bind(ctx context.Context, it *item, names []*ast.Ident, vals []reflect.Value, rw *rewriter) error {
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
	if err := in.Use(interp.Exports{valsPath + "/cellvals": table}); err != nil {
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
	dir := lineDirective(rw.src, rw.name, it.start)
	var decls, assigns strings.Builder
	for i, id := range names {
		if id.Name == "_" {
			continue
		}
		v := table[fmt.Sprintf("V%d", i)]
		if t, ok := s.typeText(v.Type()); ok {
			decls.WriteString(dir + "var " + id.Name + " " + t + "\n")
			assigns.WriteString(dir + id.Name + " = " + syms[i] + "\n")
		} else {
			if lossyType(v.Type()) {
				line, _ := lineCol(rw.src, it.start)
				fmt.Fprintf(s.stderr, "note: cell line %d: the type of %s holds a struct declared in a cell that the kernel cannot name here, so yaegi v0.16.1 loses its methods; declare the variable first (var %s T), then assign it\n", line, id.Name, id.Name)
			}
			assigns.WriteString(dir + id.Name + " := " + syms[i] + "\n")
		}
	}
	if decls.Len() > 0 {
		if _, err := s.eval(ctx, "package main\n"+decls.String()); err != nil {
			return err
		}
	}
	if assigns.Len() == 0 {
		return nil
	}
	_, err := s.eval(ctx, stmtStart+assigns.String())
	return err
}

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
		s.symMu.Lock()
		defer s.symMu.Unlock()
		for name, path := range s.imports {
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
func (s *Session) posOf(rw *rewriter, off int) string {
	line, col := lineCol(rw.src, off)
	return fmt.Sprintf("%s:%d:%d:", rw.name, line, col)
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
	s.symMu.Lock()
	var names []string
	for name := range s.types {
		if g := s.globals[name]; g != nil && g.Kind == "type" && !strings.Contains(g.Signature, "[") {
			names = append(names, name)
		}
	}
	s.symMu.Unlock()
	found := ""
	for _, name := range names {
		v, err := s.interp().EvalWithContext(context.Background(), stmtStart+"*new("+name+")")
		if err != nil {
			s.filter.take()
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
