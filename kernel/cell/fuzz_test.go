package cell

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// FuzzRewrite checks, for any input, that IsComplete and the splitter do
// not panic, that when a cell splits into items every rewritten item still
// parses as Go (as a declaration, or as a statement in a function), so
// rewriting never turns valid code into invalid code, and that items
// without range, go, defer or func are left unchanged.
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
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		IsComplete(src)
		items, err := splitItems(src, "cell[1]/_.go")
		if err != nil {
			return
		}
		fresh := 0
		rw := &rewriter{src: src, name: "cell[1]/_.go", n: &fresh}
		res := &intResolver{items: items, src: src, done: map[*item]bool{}}
		declared := map[string]bool{}
		for _, it := range items {
			rw.varFuncLits(it)
			rw.rewriteItem(it, res, declared)
		}
		for _, it := range items {
			text := rw.text(it.start, it.end, nil)
			var perr error
			if it.kind == itemStmt {
				_, perr = parser.ParseFile(token.NewFileSet(), "", "package p; func _() {\n"+text+"\n}", 0)
			} else {
				_, perr = parser.ParseFile(token.NewFileSet(), "", "package p\n"+text, 0)
			}
			if perr != nil {
				t.Fatalf("item %q rewritten as %q does not parse: %v", src[it.start:it.end], text, perr)
			}
			orig := src[it.start:it.end]
			if !strings.Contains(orig, "range") && !strings.Contains(orig, "go") && !strings.Contains(orig, "defer") &&
				!strings.Contains(orig, "func") && text != orig {
				t.Fatalf("item %q without rewritable constructs was changed to %q", orig, text)
			}
		}
	})
}
