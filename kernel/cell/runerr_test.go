package cell

import (
	"context"
	"go/ast"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/traefik/yaegi/interp"
)

// TestClassify checks the translation of yaegi's and Go's run-time panic
// messages into Go's words.
func TestClassify(t *testing.T) {
	cases := []struct {
		msg  string
		kind panicKind
		want string
	}{
		{"reflect: slice index out of range", kindIndex, msgIndex},
		{"reflect: array index out of range", kindIndex, msgIndex},
		{"reflect: string index out of range", kindIndex, msgIndex},
		{"runtime error: index out of range [5] with length 3", kindIndex, "runtime error: index out of range [5] with length 3"},
		{"reflect.Value.Slice: slice index out of bounds", kindSlice, msgSlice},
		{"reflect.Value.Slice3: slice index out of bounds", kindSlice, msgSlice},
		{"reflect.Value.Slice: string slice index out of bounds", kindSlice, msgSlice},
		{"runtime error: integer divide by zero", kindDivide, msgDivide},
		{"assignment to entry in nil map", kindNilMap, msgNilMap},
		{"reflect: call of reflect.Value.Set on zero Value", kindNil, msgNil},
		{"reflect: call of reflect.Value.Field on zero Value", kindNil, msgNil},
		{"reflect: Method on nil interface value", kindNil, msgNil},
		{"reflect.Value.Call: call of nil function", kindNil, msgNil},
		{"runtime error: invalid memory address or nil pointer dereference", kindNil, msgNil},
		{"cell[6]/_.go:2:6: interface conversion: interface {} is string, not int", kindConversion, "interface conversion: interface {} is string, not int"},
		{"interface conversion: interface {} is nil, not int", kindConversion, "interface conversion: interface {} is nil, not int"},
		{"kaboom", kindOther, "kaboom"},
		{"reflect: Call using mat.Matrix as type *mat.Dense", kindOther, "reflect: Call using mat.Matrix as type *mat.Dense"},
	}
	for _, c := range cases {
		kind, msg := classify(c.msg)
		if kind != c.kind || msg != c.want {
			t.Errorf("classify(%q) = %d, %q; want %d, %q", c.msg, kind, msg, c.kind, c.want)
		}
	}
}

// TestParseFrame checks the parsing of yaegi's panic lines.
func TestParseFrame(t *testing.T) {
	cases := []struct {
		line string
		want frame
		ok   bool
	}{
		{"cell[3]/_.go:4:2: panic: main.f(...)", frame{3, 4, 2, "main.f"}, true},
		{"cell[12]/_.go:1:1: panic: main(...)\n", frame{12, 1, 1, "main"}, true},
		{"cell[2]/_.go:3:33: panic: main.func(...)", frame{2, 3, 33, "main.func"}, true},
		{"expr/_.go:1:3: panic: main(...)", frame{}, false},
		{"panic: something", frame{}, false},
	}
	for _, c := range cases {
		f, ok := parseFrame(c.line)
		if ok != c.ok || f != c.want {
			t.Errorf("parseFrame(%q) = %+v, %v; want %+v, %v", c.line, f, ok, c.want, c.ok)
		}
		if ok && f.String() != c.line[:len(f.String())] {
			t.Errorf("frame %+v prints %q, want the line back", f, f.String())
		}
	}
}

// TestChooseNone checks that a statement without a failing candidate is
// the location, marked as such (the message is then yaegi's own).
func TestChooseNone(t *testing.T) {
	src := "x := 1\ny := x / 2"
	items, err := rewrite.Split(src, rewrite.FileName(1))
	if err != nil {
		t.Fatal(err)
	}
	it := items[1]
	sc := scope{src: src, it: it, node: it.Node(), global: true}
	div := it.Stmt.(*ast.AssignStmt).Rhs[0]
	loc, ok := sc.choose([]candidate{{node: div, state: fine}})
	if !ok || !loc.none || loc.line != 2 || loc.col != 1 {
		t.Errorf("choose(fine) = %+v, %v; want the statement at 2:1, none", loc, ok)
	}
	loc, ok = sc.choose([]candidate{{node: div, state: failed, msg: msgDivide}})
	if !ok || loc.none || loc.line != 2 || loc.col != 6 || loc.msg != msgDivide {
		t.Errorf("choose(failed) = %+v, %v; want the division at 2:6", loc, ok)
	}
}

// TestOffsetOf checks line:col to byte offsets.
func TestOffsetOf(t *testing.T) {
	src := "ab\ncde\n\nf"
	cases := []struct{ line, col, want int }{{1, 1, 0}, {1, 2, 1}, {2, 1, 3}, {2, 3, 5}, {4, 1, 8}, {9, 1, len(src)}}
	for _, c := range cases {
		if got := offsetOf(src, c.line, c.col); got != c.want {
			t.Errorf("offsetOf(%d:%d) = %d, want %d", c.line, c.col, got, c.want)
		}
	}
}

// TestRuntimeErrors runs cells that fail at run time and checks Go's
// message, the position of the expression that failed (in the traceback's
// first frame and under the caret), that the state survives and that the
// next cell runs.
func TestRuntimeErrors(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "setup", code: "xs := []int{1, 2, 3}\nk := 5\nvar m map[string]int\nzero := 0\nvar p *int\ntype T struct{ X int }\nvar tp *T\nvar e any = \"str\""},
		{name: "index out of range with index and length", code: "a := 1\nb := xs[1]\nc := xs[k]\n_, _ = a, b",
			errName: "panic", errVal: "runtime error: index out of range [5] with length 3", tb: "cell:3:6: panic: main(...)\n    c := xs[k]\n         ^"},
		{name: "variables of the cell that panicked exist", code: "a + b", value: "3", hasVal: true},
		{name: "index in a loop, variable local", code: "t := 0\nfor i := 0; i <= len(xs); i++ {\n\tt += xs[i]\n}",
			errName: "panic", errVal: "runtime error: index out of range [i] with length 3", tb: "cell:3:7: panic: main.func(...)"},
		{name: "state survives the loop", code: "t", value: "6", hasVal: true},
		{name: "constant index out of range", code: "ys := xs[:2]\nys[2]",
			errName: "panic", errVal: "index out of range [2] with length 2", tb: "cell:2:1"},
		{name: "slice bounds", code: "zs := xs[1:k]",
			errName: "panic", errVal: "runtime error: slice bounds out of range [:5] with capacity 3", tb: "cell:1:7"},
		{name: "nil map write", code: "x := 1\nm[\"a\"] = x",
			errName: "panic", errVal: "assignment to entry in nil map", tb: "cell:2:1: panic: main(...)"},
		{name: "nil map increment", code: "m[\"b\"]++",
			errName: "panic", errVal: "assignment to entry in nil map", tb: "cell:1:1"},
		{name: "nil map local to a loop", code: "for _, key := range []string{\"a\"} {\n\tvar local map[string]int\n\tlocal[key] = 1\n}",
			errName: "panic", errVal: "assignment to entry in nil map", tb: "cell:3:2: panic: main.func(...)"},
		{name: "integer division by zero", code: "q := 10\nr := q / 2\nw := q / zero\n_ = r",
			errName: "panic", errVal: "runtime error: integer divide by zero", tb: "cell:3:6: panic: main(...)"},
		{name: "float division by zero is +Inf", code: "1.0 / float64(zero)", value: "+Inf", hasVal: true},
		{name: "nil pointer dereference", code: "y := 2\nz := *p + y",
			errName: "panic", errVal: "runtime error: invalid memory address or nil pointer dereference", tb: "cell:2:6: panic: main(...)"},
		{name: "nil pointer write", code: "y2 := 2\n*p = y2",
			errName: "panic", errVal: "nil pointer dereference", tb: "cell:2:1"},
		{name: "field of a nil pointer", code: "v := 1\nv = tp.X",
			errName: "panic", errVal: "nil pointer dereference", tb: "cell:2:5"},
		{name: "nil pointer as the last expression", code: "*p",
			errName: "panic", errVal: "nil pointer dereference", tb: "cell:1:1"},
		{name: "non-nil pointer as the last expression", code: "pp := &k\n*pp", value: "5", hasVal: true},
		{name: "interface conversion", code: "u := 1\nn := e.(int)",
			errName: "panic", errVal: "interface conversion: interface {} is string, not int", tb: "cell:2:6"},
		{name: "index in a function of this cell", code: "func at(s []int, i int) int {\n\tx := 0\n\treturn s[i] + x\n}\nat(xs, 7)",
			errName: "panic", errVal: "runtime error: index out of range [i] with length len(s)", tb: "cell:3:9: panic: main.at(...)\n    cell:5:1: panic: main(...)"},
		{name: "index in a function of an earlier cell", code: "v := 0\nv = at(xs, 9)",
			errName: "panic", errVal: "index out of range", tb: "]:3:9: panic: main.at(...)\n    cell:2:5: panic: main(...)\n    \treturn s[i] + x"},
		{name: "call sites of the outer frames", code: "func outer(s []int) int {\n\ty := 1\n\treturn y + at(s, 10)\n}\nw := 2\nw = outer(xs)",
			errName: "panic", errVal: "index out of range", tb: "]:3:9: panic: main.at(...)\n    cell:3:13: panic: main.outer(...)\n    cell:6:5: panic: main(...)"},
		{name: "index of a global in a function", code: "func pick(i int) int {\n\treturn xs[i]\n}\npick(4)",
			errName: "panic", errVal: "runtime error: index out of range [i] with length 3", tb: "cell:2:9: panic: main.pick(...)"},
		{name: "constant index of a global in a function", code: "func fourth() int {\n\treturn xs[3]\n}\nfourth()",
			errName: "panic", errVal: "runtime error: index out of range [3] with length 3", tb: "cell:2:9: panic: main.fourth(...)"},
		{name: "division by a global in a function", code: "func per(a int) int {\n\tb := a + 1\n\treturn a/b + a/zero\n}\nper(1)",
			errName: "panic", errVal: "integer divide by zero", tb: "cell:3:15: panic: main.per(...)"},
		{name: "division in a function", code: "func ratio(a, b int) int {\n\tif a > 100 {\n\t\treturn 0\n\t}\n\treturn a / b\n}\nratio(1, 0)",
			errName: "panic", errVal: "integer divide by zero", tb: "cell:5:9: panic: main.ratio(...)"},
		{name: "user panic at its call", code: "func boom() {\n\tx := 1\n\t_ = x\n\tpanic(\"kaboom\")\n}\nboom()",
			errName: "panic", errVal: "kaboom", tb: "cell:4:2: panic: main.boom(...)"},
		{name: "panic of compiled code at its call", code: "import \"strings\"\nrep := 1\nsr := strings.Repeat(\"a\", rep-2)",
			errName: "panic", errVal: "strings: negative Repeat count", tb: "cell:3:7: panic: main(...)"},
		{name: "no candidate: the statement that ran", code: "q1 := 1\nvar ch chan int\n_ = q1\nclose(ch)",
			errName: "panic", errVal: "close of nil channel", tb: "cell:4:1: panic: main(...)"},
		{name: "in func main of a cell", code: "func main() {\n\tys := []int{1}\n\tfmt.Println(len(ys))\n\t_ = ys[len(ys)]\n}",
			errName: "panic", errVal: "runtime error: index out of range [len(ys)] with length len(ys)", tb: "cell:4:6: panic: main.main(...)", out: "1\n"},
		{name: "next cell runs", code: "len(xs) + k", value: "8", hasVal: true},
	})
}

// TestLastError checks that a cell whose last expression returns a
// non-nil error fails with it, and that (v, nil) shows v, whether the
// call's type is known before it runs or not.
func TestLastError(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "setup", code: "import \"fmt\"\nfunc ok() (int, error) { return 1, nil }\nfunc bad() (int, error) { return 0, fmt.Errorf(\"bad input %d\", 3) }\nfs := []func() (int, error){ok, bad}"},
		{name: "known type, nil error", code: "ok()", value: "1", hasVal: true},
		{name: "known type, error", code: "x := 1\nbad()", errName: "error", errVal: "bad input 3", tb: "cell:2:1: the error returned by the cell's last call\n    bad()\n    ^"},
		{name: "callee through an index, nil error", code: "fs[0]()", value: "1", hasVal: true},
		{name: "callee through an index, error", code: "fs[1]()", errName: "error", errVal: "bad input 3"},
		{name: "callee of unknown type, nil error", code: "mk := func() func() (int, error) { return func() (int, error) { return 1, nil } }\nmk()()", value: "1", hasVal: true},
		{name: "callee of unknown type, error", code: "mk2 := func() func() (int, error) { return func() (int, error) { return 0, fmt.Errorf(\"bad input %d\", 3) } }\nmk2()()", errName: "error", errVal: "bad input 3"},
		{name: "a single error result is a value", code: "fmt.Errorf(\"e\")", value: "e", hasVal: true},
		{name: "state survives", code: "x", value: "1", hasVal: true},
	})
}

// TestNilAssign checks parallel assignments with nil on the right, which
// yaegi fails on (see the nil-assign workaround), against Go's semantics.
func TestNilAssign(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "setup", code: "x, y := 1, 2\npa, pb := &x, &y"},
		{name: "both nil", code: "pa, pb = nil, nil\npa == nil && pb == nil", value: "true", hasVal: true},
		{name: "value and nil", code: "pa, pb = &x, nil\n*pa == 1 && pb == nil", value: "true", hasVal: true},
		{name: "swap with nil keeps Go's order", code: "pb, pa = nil, pa\n*pa == 1 && pb == nil", value: "true", hasVal: true},
		{name: "inside a function", code: "func reset() (*int, error) {\n\tvar p *int\n\tvar e error\n\tp, e = nil, nil\n\treturn p, e\n}\nreset()", value: "<nil>", hasVal: true},
	})
}

// TestWhoAfterPanic checks that %who lists the variables of a cell that
// panicked while running (they exist: yaegi declared them before running).
func TestWhoAfterPanic(t *testing.T) {
	s, out, _ := newSession(t)
	if r := s.Execute(context.Background(), "before := 1\nvar empty []int\n_ = empty[3]\nafter := 2"); r.Err == nil {
		t.Fatal("the cell did not panic")
	}
	out.Reset()
	if r := s.Execute(context.Background(), "%who"); r.Err != nil {
		t.Fatal(r.Err)
	}
	s.out.flush()
	for _, name := range []string{"before", "empty", "after"} {
		if !regexp.MustCompile(`(?m)^` + name + `\s+var`).MatchString(out.String()) {
			t.Errorf("%%who after a panic lacks %s:\n%s", name, out.String())
		}
	}
}

// TestGoroutineRuntimeError checks that the panic of a goroutine a cell
// started is in Go's words at the expression that failed (its operands are
// not evaluated: the cell may be running).
func TestGoroutineRuntimeError(t *testing.T) {
	s, out, errb := newSession(t)
	wait := func() {
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if p := s.panics.pending(); p != nil {
				return
			}
		}
	}
	if err := s.Use(interp.Exports{"example.com/waitpanic/waitpanic": {"Wait": reflect.ValueOf(wait)}}); err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, out, errb, []step{
		{name: "setup", code: "import \"example.com/waitpanic\"\nxs := []int{1, 2, 3}"},
		{name: "index out of range in a goroutine", code: "go func() {\n\tn := 1\n\t_ = xs[n+5]\n}()\nwaitpanic.Wait()",
			errName: "panic", errVal: "goroutine: runtime error: index out of range [n+5] with length len(xs)", tb: "cell:3:6: panic: main.func",
			stderr: "panic in goroutine: runtime error: index out of range [n+5] with length len(xs)"},
		{name: "alive", code: "len(xs)", value: "3", hasVal: true},
	})
}
