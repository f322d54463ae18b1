package rewrite_test

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// FuzzRewrite checks, for any input, that IsComplete and the splitter do
// not panic, that when a cell splits into items every rewritten item still
// parses as Go (as a declaration, or as a statement in a function), so
// rewriting never turns valid code into invalid code (method bodies moved
// into assignments included), and that items without range, go, defer,
// func, min, max, clear, :=, var or switch are left unchanged. The seeds
// are the cells of the golden tests and a few more.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{
		"x := 1\nfor i := range 3 {\n\tx += i\n}",
		"go f(a, b...)\ndefer g(1, c)",
		"outer:\nfor i := range n {\n\tfor range i {\n\t\tcontinue outer\n\t}\n}",
		"type T struct{ A int }\nfunc (t T) M() {}\nvar v = func(a int) int { return a }",
		"for i := 0; i < 3; i++ {\n\tgo func(v int) {}(i)\n}",
		"if v := f(); v > 0 {\n} else if w := 2; w > 1 {\n}",
		"package main\nfunc main() {}",
		"s := `raw\nstring`\n/* c */ x := 1 // d",
		"func f(n int) { for i := range n { go g(i); defer h(i) } }",
		"var (\n\ta = func() {}\n\tb, c = 1, 2\n)",
		"{ for range 3 {} }",
		"x := (1 +\n",
		"}",
		"for _, s := range xs {\n\tv, err := f(s)\n\t_ = err\n\tt += v\n}",
		"switch t := x.(type) {\ncase int:\n\t_ = t\n}",
		"y := min(a, 1, 2.5) + max(b)\nclear(m)\nconst c = max(1, 2.5, -3)",
		"func (s *S) Add(xs ...float64) (n int, err error) { return min(len(xs), 3), nil }",
		"func (S) M(int, string) {}\nfunc (s S) N() int { return 1 }",
	} {
		f.Add(s)
	}
	for _, g := range golden {
		f.Add(g.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		rewrite.IsComplete(src)
		name := rewrite.FileName(1)
		items, err := rewrite.Split(src, name)
		if err != nil {
			return
		}
		fresh := 0
		c, err := rewrite.New(src, name, items, prior(), types(t, src, name, items, prior().Imports), &fresh)
		if err != nil {
			return // a method whose signature changed
		}
		for _, it := range items {
			c.Rewrite(it)
		}
		if a := c.MethodAssigns(items); a != "" {
			if _, perr := parser.ParseFile(token.NewFileSet(), "", "package p; func _() {\n"+a+"\n}", 0); perr != nil {
				t.Fatalf("method bodies of %q assigned as %q do not parse: %v", src, a, perr)
			}
		}
		for _, it := range items {
			checkItem(t, src, c, it)
		}
	})
}

// checkItem fails when the rewritten item it does not parse, or when it
// changed although it holds nothing that a rewrite touches.
func checkItem(t *testing.T, src string, c *rewrite.Cell, it *rewrite.Item) {
	text := c.Text(it)
	var perr error
	if it.Kind == rewrite.Stmt {
		_, perr = parser.ParseFile(token.NewFileSet(), "", "package p; func _() {\n"+text+"\n}", 0)
	} else {
		_, perr = parser.ParseFile(token.NewFileSet(), "", "package p\n"+text, 0)
	}
	if perr != nil {
		t.Fatalf("item %q rewritten as %q does not parse: %v", src[it.Start:it.End], text, perr)
	}
	orig := src[it.Start:it.End]
	rewritable := false
	for _, w := range []string{"range", "go", "defer", "func", "min", "max", "clear", ":=", "var", "switch", "type", "slices", "nil"} {
		rewritable = rewritable || strings.Contains(orig, w)
	}
	if !rewritable && text != orig {
		t.Fatalf("item %q without rewritable constructs was changed to %q", orig, text)
	}
}
