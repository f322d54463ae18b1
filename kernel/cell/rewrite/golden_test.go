package rewrite_test

import (
	"fmt"
	"go/ast"
	"reflect"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/cell/infer"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// fakeLive is the session of the golden tests: no live values; the cells
// before declared the struct types P and S.
type fakeLive struct{}

func (fakeLive) Kind(string) string                          { return "" }
func (fakeLive) TypeOf(string) reflect.Type                  { return nil }
func (fakeLive) Symbol(string, string) (reflect.Value, bool) { return reflect.Value{}, false }
func (fakeLive) TypeSource(name string) (string, bool) {
	switch name {
	case "P":
		return "type P struct{ N int; L []int }", true
	case "S":
		return "type S struct{ N int }", true
	}
	return "", false
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
func rewriteAll(src string) (string, error) {
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
	c, err := rewrite.New(src, name, items, p, infer.New(items, src, imports, fakeLive{}), &fresh)
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
		got, err := rewriteAll(g.src)
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != g.want {
			t.Errorf("cell %q rewritten as\n%s\nwant\n%s", g.src, got, g.want)
		}
	}
}
