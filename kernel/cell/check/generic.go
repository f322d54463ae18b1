package check

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"

	"github.com/traefik/yaegi/stdlib/generic"
)

// genericSources are the sources of the standard generic packages that
// yaegi interprets (cmp, maps, slices of Go 1.22, generic.Sources), by
// import path, plus the declarations of slices' sorting functions, which
// the cell rewrites send to helpers (rewrite/slices.go).
var genericSources = func() map[string][]string {
	out := map[string][]string{}
	for _, src := range generic.Sources {
		f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.PackageClauseOnly)
		if err != nil {
			continue
		}
		out[f.Name.Name] = append(out[f.Name.Name], src)
	}
	if _, ok := out["slices"]; ok {
		out["slices"] = append(out["slices"], slicesSort)
	}
	return out
}()

// slicesSort declares the functions of Go's slices/sort.go that the cells
// may call (the bodies are never run).
const slicesSort = `package slices

import "cmp"

func Sort[S ~[]E, E cmp.Ordered](x S) { panic("") }
func SortFunc[S ~[]E, E any](x S, cmp func(a, b E) int) { panic("") }
func SortStableFunc[S ~[]E, E any](x S, cmp func(a, b E) int) { panic("") }
func IsSorted[S ~[]E, E cmp.Ordered](x S) bool { panic("") }
func IsSortedFunc[S ~[]E, E any](x S, cmp func(a, b E) int) bool { panic("") }
func Min[S ~[]E, E cmp.Ordered](x S) E { panic("") }
func MinFunc[S ~[]E, E any](x S, cmp func(a, b E) int) E { panic("") }
func Max[S ~[]E, E cmp.Ordered](x S) E { panic("") }
func MaxFunc[S ~[]E, E any](x S, cmp func(a, b E) int) E { panic("") }
func BinarySearch[S ~[]E, E cmp.Ordered](x S, target E) (int, bool) { panic("") }
func BinarySearchFunc[S ~[]E, E, T any](x S, target T, cmp func(E, T) int) (int, bool) { panic("") }
`

// checkSource type-checks the source package path (genericSources).
// Cost: O(size of the source), once.
func (im *importer) checkSource(path string, srcs []string) (*types.Package, error) {
	fset := token.NewFileSet()
	var files []*ast.File
	for i, src := range srcs {
		f, err := parser.ParseFile(fset, fmt.Sprintf("%s/%d.go", path, i), src, 0)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: im, Error: func(error) {}}
	p, err := conf.Check(path, fset, files, nil)
	if p == nil {
		return nil, err
	}
	im.pkgs[path] = p
	return p, nil
}
