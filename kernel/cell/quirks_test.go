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
	})
}
