package cell

// Imports of a cell: evaluated one by one, and added for packages a cell
// uses without importing them.

import (
	"context"
	"fmt"
	"go/ast"
	"sort"
	"strconv"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// cellImports returns the import specs of items with their local names and
// paths (the name is "" for blank and dot imports).
type cellImport struct {
	it         *rewrite.Item
	spec       *ast.ImportSpec
	name, path string
}

func (s *Session) cellImports(items []*rewrite.Item) []cellImport {
	var out []cellImport
	for _, it := range items {
		if it.Kind != rewrite.Import {
			continue
		}
		for _, sp := range it.Decl.(*ast.GenDecl).Specs {
			is := sp.(*ast.ImportSpec)
			name, path := s.importName(is)
			out = append(out, cellImport{it, is, name, path})
		}
	}
	return out
}

// evalImports evaluates the import specs of a cell one at a time, skipping
// a package already imported under the same name, then the automatic
// imports autos (see autoImports). Returns the first error of an explicit
// import; a failed automatic import is skipped (the cell then reports the
// undefined name).
//
// yaegi v0.16.1 (import-batch): a failed multi-import keeps the packages
// it imported without the session knowing, which made a later `import
// "strings"` fail ("redeclared") and hid the package from the session's
// diagnostics.
func (s *Session) evalImports(ctx context.Context, src, file string, imports []cellImport, autos []autoImport) error {
	var first error
	for _, ci := range imports {
		if ci.name != "" && s.importPath(ci.name) == ci.path {
			continue
		}
		st, en := ci.it.Off(ci.spec.Pos()), ci.it.Off(ci.spec.End())
		if _, err := s.eval(ctx, rewrite.ImportSource(src, file, st, src[st:en])); err != nil {
			if first == nil {
				first = err
			}
			if ctx.Err() != nil {
				return first
			}
			continue
		}
		s.recordImport(ci.spec)
	}
	if first != nil {
		return first
	}
	for _, a := range autos {
		if _, err := s.eval(ctx, rewrite.ImportSource(src, file, a.off, strconv.Quote(a.path))); err != nil {
			s.filter.take()
			continue
		}
		s.symMu.Lock()
		s.imports[a.name] = a.path
		s.symMu.Unlock()
		line, _ := rewrite.LineCol(src, a.off)
		fmt.Fprintf(s.stderr, "note: imported %q (used on line %d without an import)\n", a.path, line)
	}
	return nil
}

// autoImport is a package a cell uses without importing it.
type autoImport struct {
	name, path string
	off        int // first use in the cell
}

// declaredOrImported returns the names that items declare (in any scope)
// or import.
func declaredOrImported(items []*rewrite.Item, imports []cellImport) map[string]bool {
	declared := rewrite.DeclaredNames(items)
	for _, ci := range imports {
		if ci.name != "" {
			declared[ci.name] = true
		}
	}
	return declared
}

// undeclaredQualifiers calls f for the first use of each X of an X.Sel in
// items that nothing declares: not the cell in any scope, not an earlier
// cell, not an import, not a predeclared name. f returns false to stop.
func (s *Session) undeclaredQualifiers(items []*rewrite.Item, imports []cellImport, f func(it *rewrite.Item, id *ast.Ident) bool) {
	declared := declaredOrImported(items, imports)
	seen := map[string]bool{}
	for _, it := range items {
		if it.Kind == rewrite.Import {
			continue
		}
		stop := false
		ast.Inspect(it.Node(), func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if stop || !ok {
				return !stop
			}
			id, ok := sel.X.(*ast.Ident)
			if !ok || seen[id.Name] || declared[id.Name] || rewrite.Universe[id.Name] || strings.HasPrefix(id.Name, "_") {
				return true
			}
			seen[id.Name] = true
			if s.importPath(id.Name) == "" && s.global(id.Name) == nil {
				stop = !f(it, id)
			}
			return !stop
		})
		if stop {
			return
		}
	}
}

// autoImports finds the qualifiers X of X.Sel in items that nothing
// declares and that are the name of exactly one package the session can
// import, the standard library first: `var sb strings.Builder` alone in a
// cell imports "strings". A name shared by several standard packages
// (rand, template, ...) is left undefined. O(cell size) plus O(packages)
// per such name.
func (s *Session) autoImports(items []*rewrite.Item, imports []cellImport) []autoImport {
	var out []autoImport
	s.undeclaredQualifiers(items, imports, func(it *rewrite.Item, id *ast.Ident) bool {
		if path := s.uniquePackage(id.Name); path != "" {
			out = append(out, autoImport{name: id.Name, path: path, off: it.Off(id.Pos())})
		}
		return true
	})
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
