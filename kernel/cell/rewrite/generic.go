package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// Top-level definitions that run in two steps (the session's plan): each
// value is evaluated, then the names are bound to the values through a
// compiled symbol table.
//
// yaegi v0.16.1 (generic-def): `x := G(a)` or `var x = G(a)` at the top
// level, with G generic, fails ("nil reflect type") although the call
// evaluates as an expression.
//
// yaegi v0.16.1 (multi-def): a top-level comma-ok definition (`v, ok :=
// m[k]`, `x.(T)`, `<-ch`) or `a, b := G(x)` with G generic panics ("nil
// type", "nil reflect type").

// GenericDef returns the names and values of a top-level `a, b := x, y` or
// `var a, b = x, y` (no type, one value a name) of which a value calls a
// generic function outside function literals: one declared with type
// parameters by this cell or an earlier one, min/max going to their
// generic helpers, or a function of slices, maps or cmp. ok is false for
// any other item.
func (c *Cell) GenericDef(it *Item) (names []*ast.Ident, values []ast.Expr, ok bool) {
	switch {
	case it.Stmt != nil:
		as, isDef := defined(it.Stmt)
		if !isDef || len(as.Lhs) != len(as.Rhs) {
			return nil, nil, false
		}
		names, values = definedNames(as), as.Rhs
	case it.Decl != nil:
		gd, isGen := it.Decl.(*ast.GenDecl)
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
				if g, results := c.isGeneric(id.Name); g && results != 1 {
					return nil, nil, false
				}
			}
		}
		found = found || c.hasGenericCall(v)
	}
	return names, values, found
}

// hasGenericCall reports whether e calls, outside function literals, a
// generic function: one with type parameters, min or max going to their
// generic helpers, or a function of the generic packages yaegi interprets
// from source (slices, maps, cmp).
func (c *Cell) hasGenericCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, isSel := x.Fun.(*ast.SelectorExpr); isSel {
				if pkg, isID := sel.X.(*ast.Ident); isID {
					switch c.pkgPath(pkg.Name) {
					case "slices", "maps", "cmp":
						found = true
					}
				}
			}
			if id := calleeIdent(x); id != nil {
				if g, _ := c.isGeneric(id.Name); g {
					found = true
				}
				if (id.Name == "min" || id.Name == "max") && c.builtins[id.Name] && len(x.Args) > 1 {
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

// defined returns st as a definition (:=) whose left side is made of
// names only.
func defined(st ast.Stmt) (*ast.AssignStmt, bool) {
	as, ok := st.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE {
		return nil, false
	}
	for _, l := range as.Lhs {
		if _, isID := l.(*ast.Ident); !isID {
			return nil, false
		}
	}
	return as, true
}

// definedNames returns the names a definition checked by defined defines.
func definedNames(as *ast.AssignStmt) []*ast.Ident {
	names := make([]*ast.Ident, len(as.Lhs))
	for i, l := range as.Lhs {
		names[i] = l.(*ast.Ident)
	}
	return names
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

// MultiDef returns the names and the operand of a top-level `v, ok :=
// m[k]`, `v, ok := x.(T)`, `v, ok := <-ch` or `a, b := G(x)` with G
// generic; ok is false for any other item.
func (c *Cell) MultiDef(it *Item) (names []*ast.Ident, rhs ast.Expr, ok bool) {
	as, isDef := defined(it.Stmt)
	if !isDef || len(as.Lhs) < 2 || len(as.Rhs) != 1 {
		return nil, nil, false
	}
	names = definedNames(as)
	switch x := ast.Unparen(as.Rhs[0]).(type) {
	case *ast.IndexExpr, *ast.TypeAssertExpr:
	case *ast.UnaryExpr:
		if x.Op != token.ARROW {
			return nil, nil, false
		}
	case *ast.CallExpr:
		if !c.hasGenericCall(x) {
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

// MultiDefSource returns the statement that evaluates the operand rhs of
// the definition it of n names (see MultiDef) inside a function literal
// and hands each value, with its static type, to the session through
// __subspace.Put.
func (c *Cell) MultiDefSource(it *Item, n int, rhs ast.Expr) string {
	rs, re := it.Off(rhs.Pos()), it.Off(rhs.End())
	var vars, puts []string
	for i := range n {
		vars = append(vars, fmt.Sprintf("__v%d", i))
		puts = append(puts, fmt.Sprintf("__subspace.Put(&__v%d)", i))
	}
	return StmtStart + LineDirective(c.src, c.name, it.Start) + "func() { " + strings.Join(vars, ", ") + " := " +
		c.dir(rs) + c.Span(rs, re) + "; " + strings.Join(puts, "; ") + " }()\n"
}
