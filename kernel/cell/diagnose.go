package cell

// Diagnostics of names that nothing declares, where yaegi's own message is
// misleading.

import (
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// undefinedName looks in the right-hand sides of the := statements of group
// for an identifier declared nowhere (not predeclared, imported, declared by
// a cell, or in this cell) and returns a compile error naming it, or nil.
// Function literals are not searched (their parameters shadow names).
//
// yaegi v0.16.1 (def-loop): an undefined name on the right of := is
// reported as "constant definition loop".
func (s *Session) undefinedName(c *rewrite.Cell, group []*rewrite.Item) error {
	known := map[string]bool{}
	for _, it := range c.Items() {
		switch d := it.Decl.(type) {
		case *ast.FuncDecl:
			known[d.Name.Name] = true
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch x := sp.(type) {
				case *ast.TypeSpec:
					known[x.Name.Name] = true
				case *ast.ValueSpec:
					for _, id := range x.Names {
						known[id.Name] = true
					}
				}
			}
		}
		if as, ok := it.Stmt.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					known[id.Name] = true
				}
			}
		}
	}
	for _, it := range group {
		as, ok := it.Stmt.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		var bad *ast.Ident
		undefined := func(id *ast.Ident) bool {
			return id.Name != "_" && !known[id.Name] && !rewrite.Universe[id.Name] && s.rec.importPath(id.Name) == "" && s.rec.global(id.Name) == nil
		}
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			if bad != nil {
				return false
			}
			switch x := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok {
					if undefined(id) {
						bad = id
					}
					return false
				}
				ast.Inspect(x.X, visit)
				return false
			case *ast.KeyValueExpr:
				if _, isID := x.Key.(*ast.Ident); isID { // a field name
					ast.Inspect(x.Value, visit)
					return false
				}
			case *ast.Ident:
				if undefined(x) {
					bad = x
				}
			}
			return true
		}
		for _, r := range as.Rhs {
			ast.Inspect(r, visit)
		}
		if bad != nil {
			return fmt.Errorf("%s %s", posOf(c, it.Off(bad.Pos())), s.undefinedMsg(bad.Name))
		}
	}
	return nil
}

// undefinedQualifier returns a compile error for the first X of an X.Sel
// in the cell that nothing declares (see undeclaredQualifiers), or nil.
//
// yaegi v0.16.1 (undefined-qualifier): `var b foo.T` or `x, y := foo.F()`
// with foo undefined panics with a nil pointer dereference.
func (s *Session) undefinedQualifier(c *rewrite.Cell) error {
	var bad error
	s.undeclaredQualifiers(c.Items(), s.cellImports(c.Items()), func(it *rewrite.Item, id *ast.Ident) bool {
		bad = fmt.Errorf("%s %s", posOf(c, it.Off(id.Pos())), s.undefinedMsg(id.Name))
		return false
	})
	return bad
}

// undefinedMsg says that name is undefined, listing the packages of that
// name when there are several (the cell must import one).
func (s *Session) undefinedMsg(name string) string {
	std, other := s.pkgs.named(name)
	msg := "undefined: " + name
	if paths := append(std, other...); len(paths) > 1 {
		for i, p := range paths {
			paths[i] = strconv.Quote(p)
		}
		sort.Strings(paths)
		msg += " (several packages have that name, import one: " + strings.Join(paths, ", ") + ")"
	}
	return msg
}
