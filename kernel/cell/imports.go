package cell

// Imports of a cell: evaluated one by one, and added for packages a cell
// uses without importing them.

import (
	"context"
	"fmt"
	"go/ast"
	"strconv"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// cellImport is an import spec of a cell with its local name ("" for blank
// and dot imports) and path.
type cellImport struct {
	it         *rewrite.Item
	spec       *ast.ImportSpec
	name, path string
}

// cellImports returns the import specs of items.
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
		if ci.name != "" && s.rec.importPath(ci.name) == ci.path {
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
		if ci.name != "" {
			s.rec.addImport(ci.name, ci.path)
		}
	}
	if first != nil {
		return first
	}
	for _, a := range autos {
		if _, err := s.eval(ctx, rewrite.ImportSource(src, file, a.off, strconv.Quote(a.path))); err != nil {
			s.out.filter.take()
			continue
		}
		s.rec.addImport(a.name, a.path)
		line, _ := rewrite.LineCol(src, a.off)
		fmt.Fprintf(s.out.stderr, "note: imported %q (used on line %d without an import)\n", a.path, line)
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
			if s.rec.importPath(id.Name) == "" && s.rec.global(id.Name) == nil {
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
	std, other := s.pkgs.named(name)
	switch {
	case len(std) == 1:
		return std[0]
	case len(std) == 0 && len(other) == 1:
		return other[0]
	}
	return ""
}

// importName returns the local name and the path of an import spec; the
// name is "" for blank and dot imports.
func (s *Session) importName(is *ast.ImportSpec) (name, path string) {
	path = strings.Trim(is.Path.Value, "\"`")
	name = s.pkgs.name(path)
	if name == "" {
		name = path[strings.LastIndexByte(path, '/')+1:]
	}
	if is.Name != nil {
		name = is.Name.Name
	}
	if name == "_" || name == "." {
		return "", path
	}
	return name, path
}
