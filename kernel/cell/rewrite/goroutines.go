package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// goStmt rewrites `go f(a, b)` so that the goroutine recovers a panic and
// reports it through __subspace.GoPanic. Arguments that are not literals
// are evaluated before the goroutine starts, as Go does; the function
// expression itself is evaluated in the goroutine.
//
// kernel (go-recover): a goroutine that panics must not end the kernel.
//
// yaegi v0.16.1 (go-func-value): `go f()()` evaluates the function value
// f() in the new goroutine; the closure is built before the go statement.
func (c *Cell) goStmt(it *Item, s *ast.GoStmt) {
	g := c.fresh("__subspace_g")
	c.deferredCall(it, s.Pos(), s.End(), s.Call,
		"{ "+g+" := func() func() { %s; return func() { defer func() { if __r := recover(); __r != nil { __subspace.GoPanic(__r) } }(); %s } }(); go "+g+"() }")
}

// deferStmt rewrites a `defer f(a)` of the cell's top level (outside any
// function) into an append to the interpreter's __subspace_defers, which
// the session runs when the cell ends (RunDefers).
//
// yaegi v0.16.1 (defer-top): a deferred call at the top level runs again
// after every later evaluation.
func (c *Cell) deferStmt(it *Item, s *ast.DeferStmt) {
	c.defers++
	c.deferredCall(it, s.Pos(), s.End(), s.Call, "__subspace_defers = append(__subspace_defers, func() func() { %s; return func() { %s } }())")
}

// deferredCall replaces the statement [pos, end) holding call by form,
// whose first %s receives `a1, a2 := args...` and second `f(a1, a2)`: the
// arguments that are not literals are evaluated at once (as Go does for go
// and defer) into locals of a function literal, so that each execution of
// the statement (in a loop) keeps its own values.
//
// yaegi v0.16.1 (block-globals): variables of a block at the top level of
// a cell are globals, shared by every iteration.
func (c *Cell) deferredCall(it *Item, pos, stop token.Pos, call *ast.CallExpr, form string) {
	start, end := it.Off(pos), it.Off(stop)
	c.add(&edit{start: start, end: end, render: func(sub func(a, b int) string) string {
		var names, vals, args []string
		for _, a := range call.Args {
			as, ae := it.Off(a.Pos()), it.Off(a.End())
			txt := c.dir(as) + sub(as, ae)
			if isLiteral(a) {
				args = append(args, txt)
				continue
			}
			v := c.fresh("__subspace_a")
			names = append(names, v)
			vals = append(vals, txt)
			args = append(args, v)
		}
		bind := ""
		if len(names) > 0 {
			bind = strings.Join(names, ", ") + " := " + strings.Join(vals, ", ")
		}
		fs, fe := it.Off(call.Fun.Pos()), it.Off(call.Fun.End())
		f := c.dir(fs) + sub(fs, fe) + "(" + strings.Join(args, ", ")
		if call.Ellipsis.IsValid() {
			f += "..."
		}
		return fmt.Sprintf(form, bind, f+")")
	}})
}

func isLiteral(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.UnaryExpr:
		return (x.Op == token.SUB || x.Op == token.ADD) && isLiteral(x.X)
	case *ast.ParenExpr:
		return isLiteral(x.X)
	}
	return false
}
