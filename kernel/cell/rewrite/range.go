package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
)

// rangeStmt rewrites s when its operand is an integer (Types.IsInt), or
// of unknown type under ForceRange.
func (c *Cell) rangeStmt(it *Item, s *ast.RangeStmt, path []ast.Node) {
	isInt, known := c.types.IsInt(it, s.X, path)
	switch {
	case known && isInt:
		c.rangeInt(it, s, path)
	case !known && c.forceRange:
		c.forced++
		c.rangeInt(it, s, path)
	}
}

// rangeInt rewrites `for k := range n {` into
// `{ __n := n; for k := __n - __n; k < __n; k++ {` ... `}`, which keeps Go's
// semantics (n evaluated once, k of n's type, int for an untyped constant).
//
// yaegi v0.16.1 (range-int): a range over an integer (Go 1.22) does not
// compile.
func (c *Cell) rangeInt(it *Item, s *ast.RangeStmt, path []ast.Node) {
	outer := it.Off(s.For)
	if len(path) > 0 {
		if ls, ok := path[len(path)-1].(*ast.LabeledStmt); ok && ls.Stmt == s {
			outer = it.Off(ls.Pos())
		}
	}
	n := c.fresh("__subspace_n")
	xs, xe := it.Off(s.X.Pos()), it.Off(s.X.End())
	key := ""
	if s.Key != nil {
		key = c.src[it.Off(s.Key.Pos()):it.Off(s.Key.End())]
	}
	op := ":="
	if key == "" || key == "_" {
		key = c.fresh("__subspace_k")
	} else if s.Tok == token.ASSIGN {
		op = "="
	}
	lbrace := it.Off(s.Body.Lbrace)
	c.add(&edit{start: outer, end: outer, render: func(sub func(a, b int) string) string {
		return "{ " + n + " := " + c.dir(xs) + sub(xs, xe) + "; " + c.dir(outer)
	}})
	c.add(&edit{start: it.Off(s.For), end: lbrace,
		text: fmt.Sprintf("for %s %s %s - %s; %s < %s; %s++ %s", key, op, n, n, key, n, key, c.dir(lbrace))})
	end := it.Off(s.End())
	c.add(&edit{start: end, end: end, text: " }"})
}
