package rewrite

import (
	"go/ast"
	"go/token"
)

// needsClosure reports whether the top-level statement st must run inside a
// function literal (see wrapClosure): it defines a variable anywhere
// outside function literals (in its header, `for i := 0; ...`, `if q :=
// f(); ...`, `for k, v := range m`, or in its blocks), and holds no return
// or goto outside function literals (a function would change what they
// jump to). O(size of st).
//
// kernel (scoped-vars): the variables a top-level for, if, switch, select
// or block defines are local to it, as in Go; yaegi would make them
// globals that later cells see.
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
			if x.Tok == token.DEFINE {
				need = true
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				need = true
			}
		case *ast.GenDecl:
			if x.Tok == token.VAR || x.Tok == token.CONST || x.Tok == token.TYPE {
				need = true
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
//
// yaegi v0.16.1 (closure): a multi-value definition nested in a block of a
// top-level statement is compiled as if it were global without being
// declared ("undefined: v"), and a type switch binding a variable at the
// top level panics; inside a function both work.
func (c *Cell) wrapClosure(it *Item) (closeWrap func()) {
	c.add(&edit{start: it.Start, end: it.Start, text: "func() { " + c.dir(it.Start)})
	return func() {
		c.add(&edit{start: it.End, end: it.End, text: " }()"})
	}
}
