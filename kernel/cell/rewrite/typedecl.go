package rewrite

import (
	"go/ast"
	"go/token"
)

// typeRedecl redeclares the types of a type declaration that an earlier
// cell declared already through a fresh name and an alias:
//
//	type P struct{ A int; Next *P }
//
// becomes
//
//	type __subspace_P_1 struct{ A int; Next *__subspace_P_1 }; type P = __subspace_P_1
//
// yaegi v0.16.1 (type-redecl): a type redeclared with other fields keeps
// the old fields.
func (c *Cell) typeRedecl(it *Item) {
	gd, ok := it.Decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.TYPE {
		return
	}
	for _, sp := range gd.Specs {
		ts := sp.(*ast.TypeSpec)
		if ts.Assign.IsValid() || ts.TypeParams != nil || !c.prior.Types[ts.Name.Name] {
			continue
		}
		hidden := c.fresh("__subspace_" + ts.Name.Name + "_")
		c.add(&edit{start: it.Off(ts.Name.Pos()), end: it.Off(ts.Name.End()), text: hidden + c.dir(it.Off(ts.Name.End()))})
		renameTypeRefs(ts.Type, ts.Name.Name, func(id *ast.Ident) {
			c.add(&edit{start: it.Off(id.Pos()), end: it.Off(id.End()), text: hidden})
		})
		kw := "; type "
		if gd.Lparen.IsValid() {
			kw = "; "
		}
		c.add(&edit{start: it.Off(ts.End()), end: it.Off(ts.End()), text: kw + ts.Name.Name + " = " + hidden})
	}
}

// renameTypeRefs calls f for each identifier in type expression t that
// refers to the type name (not field names or selectors).
func renameTypeRefs(t ast.Expr, name string, f func(*ast.Ident)) {
	skip := map[*ast.Ident]bool{}
	ast.Inspect(t, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Field:
			for _, id := range x.Names {
				skip[id] = true
			}
		case *ast.SelectorExpr:
			skip[x.Sel] = true
		case *ast.Ident:
			if x.Name == name && !skip[x] {
				f(x)
			}
		}
		return true
	})
}

// mainRename renames the cell's func main to __subspace_main, which the
// session calls once when the cell's other steps have run (MainCall), like
// `go run` would.
//
// yaegi v0.16.1 (main-rerun): a declared func main runs again after every
// later evaluation.
func (c *Cell) mainRename(it *Item, fd *ast.FuncDecl) {
	c.add(&edit{start: it.Off(fd.Name.Pos()), end: it.Off(fd.Name.End()), text: "__subspace_main" + c.dir(it.Off(fd.Name.End()))})
}
