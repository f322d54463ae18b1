package rewrite

import (
	"go/ast"
	"go/token"
	"strings"
)

// nilAssign splits a parallel assignment with an untyped nil on the
// right: `a, b, c = x, y, nil` becomes `a, b = x, y; c = nil` (and
// `a, b = nil, nil` becomes `a = nil; b = nil`), which Go evaluates alike
// when the targets of nil do not use the variables assigned before them.
// Only statements of a statement list are split (not the init or post
// statement of a for, if or switch).
//
// yaegi v0.16.1 (nil-assign): a parallel assignment with an untyped nil on
// the right (a, b = nil, nil, valid Go) panics with "reflect: New(nil)".
func (c *Cell) nilAssign(it *Item, s *ast.AssignStmt, path []ast.Node) {
	if s.Tok != token.ASSIGN || len(s.Lhs) < 2 || len(s.Lhs) != len(s.Rhs) || c.declared["nil"] || !inStmtList(s, path) {
		return
	}
	var lhs, rhs, nils []ast.Expr
	assigned := map[string]bool{}
	for i, r := range s.Rhs {
		if id, ok := r.(*ast.Ident); ok && id.Name == "nil" {
			nils = append(nils, s.Lhs[i])
			continue
		}
		lhs, rhs = append(lhs, s.Lhs[i]), append(rhs, r)
		if id, ok := s.Lhs[i].(*ast.Ident); ok {
			assigned[id.Name] = true
		}
	}
	if len(nils) == 0 {
		return
	}
	for _, l := range nils {
		if _, plain := l.(*ast.Ident); !plain && mentions(l, assigned) {
			return
		}
	}
	span := func(sub func(a, b int) string, es []ast.Expr) string {
		parts := make([]string, len(es))
		for i, e := range es {
			parts[i] = sub(it.Off(e.Pos()), it.Off(e.End()))
		}
		return strings.Join(parts, ", ")
	}
	c.add(&edit{start: it.Off(s.Pos()), end: it.Off(s.End()), render: func(sub func(a, b int) string) string {
		var out []string
		if len(lhs) > 0 {
			out = append(out, c.dir(it.Off(lhs[0].Pos()))+span(sub, lhs)+" = "+span(sub, rhs))
		}
		for _, l := range nils {
			out = append(out, c.dir(it.Off(l.Pos()))+span(sub, []ast.Expr{l})+" = nil")
		}
		return strings.Join(out, "; ")
	}})
}

// inStmtList reports whether s, whose ancestors are path, is a statement
// of a list (a top-level item, a block, a case or a label's statement).
func inStmtList(s ast.Stmt, path []ast.Node) bool {
	if len(path) == 0 {
		return true
	}
	switch p := path[len(path)-1].(type) {
	case *ast.BlockStmt, *ast.CaseClause:
		return true
	case *ast.CommClause:
		return p.Comm != s
	case *ast.LabeledStmt:
		return inStmtList(p, path[:len(path)-1])
	}
	return false
}

// mentions reports whether e uses one of names.
func mentions(e ast.Expr, names map[string]bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && names[id.Name] {
			found = true
		}
		return !found
	})
	return found
}
