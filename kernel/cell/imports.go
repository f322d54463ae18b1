package cell

// Imports of a cell: evaluated one by one, and added for packages a cell
// uses without importing them.

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// evalImports evaluates the import declarations of items, one import spec
// at a time so that a failing one (a package that is not available) leaves
// the others imported and recorded: yaegi v0.16.1 keeps the packages of a
// failed multi-import evaluation without the session knowing, which made a
// later `import "strings"` fail ("redeclared") and hid the package from the
// session's diagnostics. A package already imported under the same name is
// skipped. Then packages the cell uses without importing them are imported
// (see autoImports). Returns the first error.
func (s *Session) evalImports(ctx context.Context, items []*item, src, file string) error {
	var first error
	for _, it := range items {
		if it.kind != itemImport {
			continue
		}
		for _, sp := range it.decl.(*ast.GenDecl).Specs {
			is := sp.(*ast.ImportSpec)
			name, path := s.importName(is)
			if name != "" && s.importPath(name) == path {
				continue
			}
			st, en := it.off(is.Pos()), it.off(is.End())
			if _, err := s.eval(ctx, "package main\nimport "+inlineDirective(src, file, st)+src[st:en]+"\n"); err != nil {
				if first == nil {
					first = err
				}
				if ctx.Err() != nil {
					return first
				}
				continue
			}
			s.recordImport(is)
		}
	}
	if first != nil {
		return first
	}
	for _, a := range s.autoImports(items) {
		if _, err := s.eval(ctx, "package main\nimport "+inlineDirective(src, file, a.off)+strconv.Quote(a.path)+"\n"); err != nil {
			s.filter.take()
			continue // the cell then reports the undefined name
		}
		s.symMu.Lock()
		s.imports[a.name] = a.path
		s.symMu.Unlock()
		line, _ := lineCol(src, a.off)
		fmt.Fprintf(s.stderr, "note: imported %q (used on line %d without an import)\n", a.path, line)
	}
	return nil
}

// autoImport is a package a cell uses without importing it.
type autoImport struct {
	name, path string
	off        int // first use in the cell
}

// autoImports finds the qualifiers X of X.Sel in items that nothing
// declares (not the cell in any scope, not an earlier cell, not an import,
// not a predeclared name) and that are the name of exactly one package the
// session can import, the standard library first: `var sb strings.Builder`
// alone in a cell imports "strings". A name shared by several standard
// packages (rand, template, ...) is left undefined. O(cell size) plus
// O(packages) once per Use.
func (s *Session) autoImports(items []*item) []autoImport {
	declared := declaredNames(items)
	for _, it := range items {
		if it.kind == itemImport {
			for _, sp := range it.decl.(*ast.GenDecl).Specs {
				if name, _ := s.importName(sp.(*ast.ImportSpec)); name != "" {
					declared[name] = true
				}
			}
		}
	}
	var out []autoImport
	seen := map[string]bool{}
	for _, it := range items {
		var root ast.Node = it.stmt
		if it.decl != nil {
			root = it.decl
		}
		ast.Inspect(root, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok || seen[id.Name] || declared[id.Name] || universe[id.Name] || strings.HasPrefix(id.Name, "_") {
				return true
			}
			seen[id.Name] = true
			if s.importPath(id.Name) != "" || s.global(id.Name) != nil {
				return true
			}
			if path := s.uniquePackage(id.Name); path != "" {
				out = append(out, autoImport{name: id.Name, path: path, off: it.off(id.Pos())})
			}
			return true
		})
	}
	return out
}

// uniquePackage returns the one importable package named name: the
// standard library's if exactly one there has that name, else the only
// other one; "" when none or several.
func (s *Session) uniquePackage(name string) string {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	var std, other []string
	for path, n := range s.pkgName {
		if n != name || strings.Contains(path, "internal") || strings.HasPrefix(path, "subspace/") {
			continue
		}
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, path)
		} else {
			std = append(std, path)
		}
	}
	sort.Strings(std)
	switch {
	case len(std) == 1:
		return std[0]
	case len(std) == 0 && len(other) == 1:
		return other[0]
	}
	return ""
}

// declaredNames returns every name that items declare, in any scope:
// functions, types, variables, constants, parameters, results, receivers,
// type parameters, := and range variables.
func declaredNames(items []*item) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		var root ast.Node = it.stmt
		if it.decl != nil {
			root = it.decl
		}
		ast.Inspect(root, func(n ast.Node) bool {
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

// undefinedQualifier returns a compile error for the first X of an X.Sel
// in items that nothing declares (see autoImports), or nil: yaegi v0.16.1
// panics with a nil pointer dereference on `var b foo.T` or `x, y :=
// foo.F()` when foo is undefined.
func (s *Session) undefinedQualifier(items []*item, rw *rewriter) error {
	declared := declaredNames(items)
	var bad *ast.Ident
	var where *item
	for _, it := range items {
		if it.kind == itemImport {
			for _, sp := range it.decl.(*ast.GenDecl).Specs {
				if name, _ := s.importName(sp.(*ast.ImportSpec)); name != "" {
					declared[name] = true
				}
			}
			continue
		}
		var root ast.Node = it.stmt
		if it.decl != nil {
			root = it.decl
		}
		ast.Inspect(root, func(n ast.Node) bool {
			if bad != nil {
				return false
			}
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && !declared[id.Name] && !universe[id.Name] &&
					!strings.HasPrefix(id.Name, "_") && s.importPath(id.Name) == "" && s.global(id.Name) == nil {
					bad, where = id, it
				}
			}
			return true
		})
		if bad != nil {
			break
		}
	}
	if bad == nil {
		return nil
	}
	line, col := lineCol(rw.src, where.off(bad.Pos()))
	return fmt.Errorf("%s:%d:%d: %s", rw.name, line, col, s.undefinedMsg(bad.Name))
}

// undefinedMsg says that name is undefined, listing the packages of that
// name when there are several (the cell must import one).
func (s *Session) undefinedMsg(name string) string {
	s.symMu.Lock()
	var paths []string
	for path, n := range s.pkgName {
		if n == name && !strings.Contains(path, "internal") && !strings.HasPrefix(path, "subspace/") {
			paths = append(paths, strconv.Quote(path))
		}
	}
	s.symMu.Unlock()
	msg := "undefined: " + name
	if len(paths) > 1 {
		sort.Strings(paths)
		msg += " (several packages have that name, import one: " + strings.Join(paths, ", ") + ")"
	}
	return msg
}
