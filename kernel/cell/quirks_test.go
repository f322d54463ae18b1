package cell

import "testing"

// TestYaegiQuirks runs cells that yaegi v0.16.1 gets wrong when evaluated
// as written, and checks the values the cell pipeline now gives.
func TestYaegiQuirks(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "imports", code: "import (\n\t\"fmt\"\n\t\"strconv\"\n)"},
		// yaegi compiles a source starting with `func` as a declaration of
		// main and reruns it after every later evaluation.
		{name: "top-level function literal call runs once", code: "func() { fmt.Println(\"iife\") }()", out: "iife\n"},
		{name: "not rerun by the next cell", code: "1 + 1", value: "2", hasVal: true, out: ""},
		{name: "function literal call after statements", code: "x := 2\nfunc() { fmt.Println(\"iife2\") }()\nx", value: "2", hasVal: true, out: "iife2\n"},
		{name: "last statement a function literal call", code: "func() { fmt.Println(\"iife3\") }()", out: "iife3\n"},
		{name: "nothing rerun", code: "x", value: "2", hasVal: true, out: ""},
		// Multi-value definitions nested in a top-level statement: yaegi
		// says "undefined: v"; the statement now runs in a closure.
		{name: "multi-value := in a top-level loop", code: "total := 0\nfor _, s := range []string{\"1\", \"2\"} { v, err := strconv.Atoi(s); _ = err; total += v }\ntotal", value: "3", hasVal: true},
		{name: "comma-ok, var a, b = f() and nested if header", code: "m := map[string]int{\"a\": 1}\nfor i := 0; i < 2; i++ {\n\ta, ok := m[\"a\"]\n\tif ok {\n\t\ttotal += a\n\t}\n\tvar p, q = strconv.Atoi(\"10\")\n\t_ = q\n\tif w, err := strconv.Atoi(\"100\"); err == nil {\n\t\ttotal += w\n\t}\n\ttotal += p\n}\ntotal", value: "225", hasVal: true},
		{name: "multi-value := in a block and a range over int", code: "{\n\tv, _ := strconv.Atoi(\"4\")\n\ttotal += v\n}\nfor i := range 3 {\n\tv, _ := strconv.Atoi(fmt.Sprint(i))\n\ttotal += v\n}\ntotal", value: "232", hasVal: true},
		{name: "type assertion and channel receive", code: "var iv any = 5\nch := make(chan int, 1)\nch <- 6\nif true {\n\tn, ok := iv.(int)\n\tc, open := <-ch\n\tif ok && open {\n\t\ttotal = n + c\n\t}\n}\ntotal", value: "11", hasVal: true},
		{name: "top-level type switch binding a variable", code: "kind := \"\"\nswitch tv := any(3).(type) {\ncase int:\n\tkind = fmt.Sprint(\"int \", tv+1)\n}\nkind", value: "int 4", hasVal: true},
		{name: "switch with := in its header", code: "switch n := len(kind); {\ncase n > 3:\n\tkind = \"long\"\ndefault:\n\tkind = \"short\"\n}\nkind", value: "long", hasVal: true},
		{name: "labeled loop with multi-value :=", code: "found := -1\nsearch:\nfor i, s := range []string{\"x\", \"7\"} {\n\tif v, err := strconv.Atoi(s); err == nil {\n\t\tfound = i*10 + v\n\t\tbreak search\n\t}\n}\nfound", value: "17", hasVal: true},
		{name: "defer in a wrapped loop runs at the end of the cell", code: "for i := 0; i < 2; i++ {\n\tv, _ := strconv.Atoi(\"1\")\n\tdefer fmt.Print(i + v)\n}\nfmt.Print(\"body \")", out: "body 21"},
		{name: "panic in a wrapped loop", code: "for i := 0; i < 2; i++ {\n\tv, err := strconv.Atoi(\"x\")\n\t_ = v\n\tif err != nil {\n\t\tpanic(err)\n\t}\n}", errName: "panic", errVal: "invalid syntax"},
		{name: "compile error position in a wrapped loop", code: "for i := 0; i < 2; i++ {\n\tv, err := strconv.Atoi(\"1\")\n\tundefinedThing(v, err)\n}", errName: "CompileError", errVal: "cell:3:2: undefined: undefinedThing"},
		{name: "state kept", code: "total", value: "11", hasVal: true},
	})
}
