package rewrite

import (
	"go/ast"
	"go/token"
	"strings"
)

// varFuncLits converts a top-level `var` declaration whose values hold a
// function literal, or use a variable of an earlier cell, into `:=`
// statements (typed ones into `var a T; a = v`). Returns whether it
// converted the item, which is then a statement.
//
// yaegi v0.16.1 (var-define): "variable definition loop" on such a
// declaration when a parameter of the literal has the name of a global,
// and on any `var x = y[0]` or `var x T = y` where y is a variable of an
// earlier evaluation; a conversion T(v) to a compiled interface panics
// where an assignment works.
func (c *Cell) varFuncLits(it *Item) bool {
	gd, ok := it.Decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR {
		return false
	}
	has := c.usesGlobalVar(gd)
	for _, sp := range gd.Specs {
		vs := sp.(*ast.ValueSpec)
		if len(vs.Values) != len(vs.Names) && len(vs.Values) > 0 && vs.Type != nil {
			return false // var a, b T = f(): no conversion possible
		}
		for _, v := range vs.Values {
			ast.Inspect(v, func(n ast.Node) bool {
				if _, ok := n.(*ast.FuncLit); ok {
					has = true
				}
				return !has
			})
		}
	}
	if !has {
		return false
	}
	for _, sp := range gd.Specs {
		if len(sp.(*ast.ValueSpec).Values) == 0 {
			return false // var f func() without value stays a declaration
		}
	}
	c.add(&edit{start: it.Start, end: it.End, render: func(sub func(a, b int) string) string {
		var b strings.Builder
		for i, sp := range gd.Specs {
			if i > 0 {
				b.WriteString("; ")
			}
			c.defineSpec(&b, it, sp.(*ast.ValueSpec), sub)
		}
		return b.String()
	}})
	it.Kind = Stmt
	return true
}

// usesGlobalVar reports whether a value of gd uses a variable of an
// earlier cell (as an identifier, or the root of a selector).
func (c *Cell) usesGlobalVar(gd *ast.GenDecl) bool {
	globalVar := func(name string) bool { return c.prior.Globals[name].Kind == "var" }
	has := false
	for _, sp := range gd.Specs {
		for _, v := range sp.(*ast.ValueSpec).Values {
			ast.Inspect(v, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.SelectorExpr:
					ast.Inspect(x.X, func(m ast.Node) bool {
						if id, ok := m.(*ast.Ident); ok && globalVar(id.Name) {
							has = true
						}
						return !has
					})
					return false
				case *ast.Ident:
					if globalVar(x.Name) {
						has = true
					}
				}
				return !has
			})
		}
	}
	return has
}

// defineSpec writes one value spec as `a, b := v, w`, or `var a, b T; a,
// b = v, w` when typed.
func (c *Cell) defineSpec(b *strings.Builder, it *Item, vs *ast.ValueSpec, sub func(a, b int) string) {
	var names []string
	for _, id := range vs.Names {
		names = append(names, id.Name)
	}
	op := " := "
	if vs.Type != nil {
		typ := sub(it.Off(vs.Type.Pos()), it.Off(vs.Type.End()))
		b.WriteString(c.dir(it.Off(vs.Pos())) + "var " + strings.Join(names, ", ") + " " + typ + "; ")
		op = " = "
	}
	b.WriteString(c.dir(it.Off(vs.Pos())) + strings.Join(names, ", ") + op)
	for k, v := range vs.Values {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.dir(it.Off(v.Pos())) + sub(it.Off(v.Pos()), it.Off(v.End())))
	}
}
