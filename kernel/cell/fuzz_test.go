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
// rewriting never turns valid code into invalid code (method bodies moved
// into assignments included), and that items without range, go, defer,
// func, min, max, clear, :=, var or switch are left unchanged.
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
	f.Fuzz(func(t *testing.T, src string) {
		IsComplete(src)
		items, err := splitItems(src, "cell[1]/_.go")
		if err != nil {
			return
		}
		fresh := 0
		rw := &rewriter{src: src, name: "cell[1]/_.go", n: &fresh,
			methodVars: map[*item]string{}, methodTypes: map[*item]string{}}
		rw.builtins = builtinNames(items, func(string) bool { return false })
		rw.isConst = func(n string) bool { return n == "c" }
		res := &intResolver{items: items, src: src, done: map[*item]bool{}}
		declared := map[string]bool{}
		// methods named N are redeclarations of an earlier cell's
		known := func(recv, name string) (method, bool) { return method{fvar: "__m", ftyp: "?"}, name == "N" }
		for _, it := range items {
			rw.varFuncLits(it, func(n string) bool { return n == "g" })
			rw.methodRedecl(it, known, nil)
			rw.rewriteItem(it, res, declared)
		}
		for _, a := range rw.methodAssigns {
			text := a.text()
			if _, perr := parser.ParseFile(token.NewFileSet(), "", "package p; func _() {\n"+text+"\n}", 0); perr != nil {
				t.Fatalf("method body of %q assigned as %q does not parse: %v", src[a.it.start:a.it.end], text, perr)
			}
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
			rewritable := false
			for _, w := range []string{"range", "go", "defer", "func", "min", "max", "clear", ":=", "var", "switch"} {
				rewritable = rewritable || strings.Contains(orig, w)
			}
			if !rewritable && text != orig {
				t.Fatalf("item %q without rewritable constructs was changed to %q", orig, text)
			}
		}
	})
}
