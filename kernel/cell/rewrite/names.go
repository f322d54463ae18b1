package rewrite

import (
	"go/ast"
	"go/token"
	"strings"
)

// Universe holds Go's predeclared identifiers.
var Universe = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`bool byte complex64 complex128 error float32 float64 int int8 int16
		int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any comparable true false iota nil
		append cap clear close complex copy delete imag len make max min new panic print println real recover`) {
		m[n] = true
	}
	return m
}()

// DeclaredNames returns every name that items declare, in any scope:
// functions, types, variables, constants, parameters, results, receivers,
// type parameters, := and range variables. O(size of the items).
func DeclaredNames(items []*Item) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		ast.Inspect(it.Node(), func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Recv == nil {
					out[x.Name.Name] = true
				}
			case *ast.Field:
				for _, id := range x.Names {
					out[id.Name] = true
				}
			case *ast.ValueSpec:
				for _, id := range x.Names {
					out[id.Name] = true
				}
			case *ast.TypeSpec:
				out[x.Name.Name] = true
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE {
					for _, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							out[id.Name] = true
						}
					}
				}
			case *ast.RangeStmt:
				if x.Tok == token.DEFINE {
					for _, e := range []ast.Expr{x.Key, x.Value} {
						if id, ok := e.(*ast.Ident); ok {
							out[id.Name] = true
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// RecvTypeName returns the name of a receiver's type (T for T, *T, T[X]),
// "?" when it has none.
func RecvTypeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

// ResultCount returns the number of results of a function type.
func ResultCount(ft *ast.FuncType) int {
	n := 0
	if ft.Results != nil {
		for _, f := range ft.Results.List {
			n += max(1, len(f.Names))
		}
	}
	return n
}
