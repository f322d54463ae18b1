package rewrite_test

import (
	"fmt"
	"go/ast"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/cell/check"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/traefik/yaegi/stdlib"
)

// Grid is a compiled type of the golden tests' package example.com/grid.
type Grid struct{ R, C int }

// Dims returns the grid's rows and columns.
func (g *Grid) Dims() (int, int) { return g.R, g.C }

// Rows returns the number of rows.
func (g *Grid) Rows() int { return g.R }

// goldenTables are the standard library's symbol tables and example.com/grid.
func goldenTables() map[string]map[string]reflect.Value {
	out := map[string]map[string]reflect.Value{"example.com/grid": {
		"Grid": reflect.ValueOf((*Grid)(nil)),
		"New":  reflect.ValueOf(func(r, c int) *Grid { return &Grid{r, c} }),
		"Size": reflect.ValueOf(func(g *Grid) int { return g.R * g.C }),
	}}
	for k, syms := range stdlib.Symbols {
		if i := strings.LastIndexByte(k, '/'); i > 0 {
			out[k[:i]] = syms
		}
	}
	return out
}

var goldenSymbols = goldenTables()

// priorCell declares what prior() says the earlier cells declared.
const priorCell = `var g any
const c = 3
func f() int { return 1 }
func gen[T any](x T) T { return x }
func gen2[T any](x T) (T, bool) { return x, true }
type P struct{ N int; L []int }
type S struct{ N int }`

// goldenChecker has checked priorCell; cells are probed after it (no
// trace left), so that one checker serves every test and fuzz input.
var goldenChecker = sync.OnceValues(func() (*check.Checker, error) {
	c := check.New(func() map[string]map[string]reflect.Value { return goldenSymbols })
	pname := rewrite.FileName(0)
	pitems, err := rewrite.Split(priorCell, pname)
	if err != nil {
		return nil, err
	}
	r := c.Check(check.Cell{Src: priorCell, Name: pname, Items: pitems, Imports: map[string]string{}})
	if len(r.Errors) > 0 {
		return nil, fmt.Errorf("prior cell: %v", r.Errors)
	}
	c.Commit(r)
	return c, nil
})

// types type-checks a cell of the golden tests after priorCell: the
// answers of rewrite.Types.
func types(t testing.TB, src, name string, items []*rewrite.Item, imports map[string]string) rewrite.Types {
	c, err := goldenChecker()
	if err != nil {
		t.Fatal(err)
	}
	return c.Probe(check.Cell{Src: src, Name: name, Items: items, Imports: imports})
}

// prior is what the earlier cells of the golden tests left.
func prior() rewrite.Prior {
	return rewrite.Prior{
		Globals: map[string]rewrite.Global{"g": {Kind: "var"}, "c": {Kind: "const"}, "f": {Kind: "func", Results: 1},
			"gen": {Kind: "func", Generic: true, Results: 1}, "gen2": {Kind: "func", Generic: true, Results: 2},
			"P": {Kind: "type"}, "S": {Kind: "type"}},
		Imports: map[string]string{"fmt": "fmt", "slices": "slices", "strconv": "strconv", "math": "math", "grid": "example.com/grid", "maps": "maps"},
		Types:   map[string]bool{"P": true, "S": true},
		Methods: map[string]rewrite.Method{"S.N": {Var: "__subspace_m7", Type: "func(S) int"}},
	}
}

// rewriteAll rewrites every item of src as cell 1 and renders the result:
// each item's kind (and whether it is a two-step definition) and rewritten
// text, then the method bodies, func main and the number of defers.
func rewriteAll(t testing.TB, src string) (string, error) {
	name := rewrite.FileName(1)
	src = rewrite.BlankPackageClause(src)
	items, err := rewrite.Split(src, name)
	if err != nil {
		return "", err
	}
	p := prior()
	declared := rewrite.DeclaredNames(items)
	imports := map[string]string{}
	for k, v := range p.Imports {
		if !declared[k] {
			imports[k] = v
		}
	}
	fresh := 0
	c, err := rewrite.New(src, name, items, p, types(t, src, name, items, imports), &fresh)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, it := range items {
		c.Rewrite(it)
		tag := ""
		if _, _, ok := c.MultiDef(it); ok && !c.Replaced(it) {
			tag = " multidef"
		} else if _, _, ok := c.GenericDef(it); ok && !c.Replaced(it) {
			tag = " genericdef"
		}
		fmt.Fprintf(&b, "-- %s%s\n%s\n", it.Kind, tag, c.Text(it))
	}
	for _, it := range items {
		if _, ok := it.Decl.(*ast.FuncDecl); ok {
			if a := c.MethodAssigns([]*rewrite.Item{it}); a != "" {
				fmt.Fprintf(&b, "-- method body\n%s\n", methodBody(a))
			}
		}
	}
	if c.HasMain() {
		b.WriteString("-- main\n")
	}
	if c.Defers() > 0 {
		fmt.Fprintf(&b, "-- defers %d\n", c.Defers())
	}
	return b.String(), nil
}

// methodBody strips the statement start and the line directive from a
// method assignment.
func methodBody(a string) string {
	a = strings.TrimPrefix(a, rewrite.StmtStart+"\n")
	_, a, _ = strings.Cut(a, "\n") // the //line directive
	return strings.TrimSuffix(a, "\n")
}

// TestGolden rewrites cells (those of the session's tests, and cells
// aimed at each rewrite) and compares the result with the exact text
// expected.
func TestGolden(t *testing.T) {
	for _, g := range golden {
		got, err := rewriteAll(t, g.src)
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != g.want {
			t.Errorf("cell %q rewritten as\n%s\nwant\n%s", g.src, got, g.want)
		}
	}
}
