package cell

// Top-level compound statements that yaegi v0.16.1 cannot compile in its
// global scope run inside a function literal instead.

import (
	"go/ast"
	"go/token"
)

// needsClosure reports whether the top-level statement st must run inside a
// function literal: yaegi v0.16.1 compiles a multi-value definition
// (`v, err := f()`, `a, ok := m[k]`, `x, ok := y.(T)`, `v, ok := <-ch`,
// `var a, b = f()`) nested in a block of a global statement as if it were
// global without declaring it ("undefined: v"), and panics on a type switch
// that binds a variable (`switch t := x.(type)`) at the top level. Inside a
// function both work. Statements that hold a return or a goto outside
// function literals are left alone (a function would change what they
// jump to). O(size of st).
func needsClosure(st ast.Stmt) bool {
	switch st.(type) {
	case *ast.ForStmt, *ast.RangeStmt, *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt,
		*ast.SelectStmt, *ast.BlockStmt, *ast.LabeledStmt:
	default:
		return false
	}
	need, unsafe := false, false
	ast.Inspect(st, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			unsafe = true
		case *ast.BranchStmt:
			if x.Tok == token.GOTO {
				unsafe = true
			}
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && len(x.Lhs) > 1 && len(x.Rhs) == 1 {
				need = true
			}
		case *ast.GenDecl:
			if x.Tok == token.VAR {
				for _, sp := range x.Specs {
					if vs := sp.(*ast.ValueSpec); len(vs.Names) > 1 && len(vs.Values) == 1 {
						need = true
					}
				}
			}
		case *ast.TypeSwitchStmt:
			if _, ok := x.Assign.(*ast.AssignStmt); ok {
				need = true
			}
		}
		return true
	})
	return need && !unsafe
}

// wrapClosure starts the edits that run the top-level statement of it in
// `func() { ... }()`; the returned function adds the closing edit, and must
// be called after every other edit of the item so that it closes last.
// Variables the statement declares are local to it in Go anyway, and
// top-level variables it uses are globals, shared by the closure.
func (rw *rewriter) wrapClosure(it *item) (closeWrap func()) {
	rw.add(&edit{start: it.start, end: it.start, text: "func() { " + rw.dir(it.start)})
	return func() {
		rw.add(&edit{start: it.end, end: it.end, text: " }()"})
	}
}
