package cell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/magic"
	"github.com/subspace-kernel/subspace/native/progress"
	"github.com/traefik/yaegi/interp"
)

// syncBuffer is a bytes.Buffer safe for the session's copier goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

func newSession(t *testing.T) (*Session, *syncBuffer, *syncBuffer) {
	t.Helper()
	out, errb := &syncBuffer{}, &syncBuffer{}
	s, err := New(Options{Stdout: out, Stderr: errb})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, out, errb
}

// step is one cell of a scripted session and what it must give.
type step struct {
	name    string
	code    string
	value   string // fmt.Sprint of Result.Value when hasVal
	hasVal  bool
	errName string // "" when the cell must succeed
	errVal  string // substring of Error.Value
	tb      string // substring of the joined traceback
	out     string // exact stdout ("-" to not check)
	stderr  string // substring of stderr
}

func runSteps(t *testing.T, s *Session, out, errb *syncBuffer, steps []step) {
	t.Helper()
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			out.Reset()
			errb.Reset()
			r := s.Execute(context.Background(), st.code)
			checkResult(t, r, st, out, errb)
		})
	}
}

func checkResult(t *testing.T, r Result, st step, out, errb *syncBuffer) {
	t.Helper()
	if st.errName == "" && r.Err != nil {
		t.Fatalf("cell %q failed: %v\n%s", st.code, r.Err, strings.Join(r.Err.Traceback, "\n"))
	}
	if st.errName != "" {
		if r.Err == nil {
			t.Fatalf("cell %q: no error, want %s", st.code, st.errName)
		}
		if r.Err.Name != st.errName || !strings.Contains(r.Err.Value, st.errVal) {
			t.Fatalf("cell %q: error %s: %q, want %s containing %q", st.code, r.Err.Name, r.Err.Value, st.errName, st.errVal)
		}
		if tb := strings.Join(r.Err.Traceback, "\n"); !strings.Contains(tb, st.tb) {
			t.Fatalf("cell %q: traceback\n%s\nlacks %q", st.code, tb, st.tb)
		}
	}
	if r.HasValue != st.hasVal {
		t.Fatalf("cell %q: HasValue %v (value %v), want %v", st.code, r.HasValue, r.Value, st.hasVal)
	}
	if st.hasVal && fmt.Sprint(r.Value) != st.value {
		t.Fatalf("cell %q: value %q, want %q", st.code, fmt.Sprint(r.Value), st.value)
	}
	if st.out != "-" && out.String() != st.out {
		t.Fatalf("cell %q: stdout %q, want %q", st.code, out.String(), st.out)
	}
	if !strings.Contains(errb.String(), st.stderr) {
		t.Fatalf("cell %q: stderr %q lacks %q", st.code, errb.String(), st.stderr)
	}
}

// TestCells runs one session through cells that exercise the pipeline:
// state across cells, mixed imports/declarations/statements, yaegi quirks,
// redeclarations, values, and errors that leave the state intact.
func TestCells(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "print and value", code: "import \"fmt\"\nx := 3\nfmt.Println(\"hi\", x)\nx * 2", value: "6", hasVal: true, out: "hi 3\n"},
		{name: "state persists", code: "x + 1", value: "4", hasVal: true},
		{name: "decl then statements", code: "var m = map[string]int{}\nm[\"a\"] = 1\nfunc count() int { return len(m) }\nm[\"b\"] = 2\ncount()", value: "2", hasVal: true},
		{name: "import after use", code: "y := strings.Repeat(\"ab\", 2)\nimport \"strings\"\ny", value: "abab", hasVal: true},
		{name: "type, method, statements", code: "type pt struct{ X, Y int }\nfunc (p pt) Sum() int { return p.X + p.Y }\np0 := pt{1, 2}\np0.Sum()", value: "3", hasVal: true},
		{name: "func first", code: "func f() int { return 1 }\nf()", value: "1", hasVal: true},
		{name: "func redeclared", code: "func f() int { return 2 }\nf()", value: "2", hasVal: true},
		{name: "caller of redeclared func", code: "func g() int { return f() * 10 }\nfunc f() int { return 5 }\ng()", value: "50", hasVal: true},
		{name: "var first", code: "var v = 1", out: ""},
		{name: "var redeclared other type", code: "var v = \"s\"\nv + \"t\"", value: "st", hasVal: true},
		{name: "const first", code: "const K = 1"},
		{name: "const redeclared", code: "const K = 2.5\nK * 2", value: "5", hasVal: true},
		{name: "type first", code: "type P struct{ A int }\nP{A: 7}.A", value: "7", hasVal: true},
		{name: "type redeclared with other fields", code: "type P struct {\n\tB string\n\tC int\n}\npv := P{B: \"x\", C: 2}\npv.B + fmt.Sprint(pv.C)", value: "x2", hasVal: true},
		{name: "method on redeclared type", code: "func (p P) Name() string { return p.B + \"!\" }\nP{B: \"q\"}.Name()", value: "q!", hasVal: true},
		{name: "recursive type", code: "type node struct{ v int }"},
		{name: "recursive type redeclared", code: "type node struct {\n\tv    int\n\tnext *node\n}\nn2 := &node{v: 2, next: &node{v: 1}}\nn2.next.v", value: "1", hasVal: true},
		{name: "range over int", code: "sum := 0\nfor i := range 5 {\n\tsum += i\n}\nsum", value: "10", hasVal: true},
		{name: "range over int without variable", code: "rn := 4\nc := 0\nfor range rn {\n\tc++\n}\nc", value: "4", hasVal: true},
		{name: "range over int in func", code: "func tri(n int) int {\n\tt := 0\n\tfor i := range n {\n\t\tt += i\n\t}\n\treturn t\n}\ntri(4)", value: "6", hasVal: true},
		{name: "range over len and global", code: "xs := []int{5, 6, 7}\nacc := 0\nfor i := range len(xs) {\n\tfor j := range x {\n\t\tacc += i * j\n\t}\n}\nacc", value: "9", hasVal: true},
		{name: "labeled range over int", code: "k := 0\nouter:\nfor i := range 3 {\n\tfor j := range 3 {\n\t\tif j == 1 {\n\t\t\tcontinue outer\n\t\t}\n\t\tk += i*10 + j\n\t}\n}\nk", value: "30", hasVal: true},
		{name: "range over int64 keeps type", code: "var n64 int64 = 3\nvar q int64\nfor i := range n64 {\n\tq += i\n}\nfmt.Sprintf(\"%T %d\", q, q)", value: "int64 3", hasVal: true},
		{name: "range bound evaluated once", code: "lim := 3\ncnt := 0\nfor i := range lim {\n\tlim = 10\n\tcnt += i\n}\ncnt", value: "3", hasVal: true},
		{name: "range over slice untouched", code: "tot := 0\nfor _, e := range []int{4, 5} {\n\ttot += e\n}\ntot", value: "9", hasVal: true},
		{name: "classic for, if and switch with init", code: "acc2 := 0\nfor i := 0; i < 4; i++ {\n\tacc2 += i\n}\nif iv := acc2; iv > 5 {\n\tacc2 *= 10\n}\nswitch sw := acc2 / 10; sw {\ncase 6:\n\tacc2++\n}\nacc2", value: "61", hasVal: true},
		{name: "top-level defer runs at the end of the cell", code: "defer fmt.Println(\"deferred\")\nfmt.Println(\"body\")", out: "body\ndeferred\n"},
		{name: "top-level defer does not run again", code: "fmt.Println(\"next\")", out: "next\n"},
		{name: "defers in a loop, last first, with their own arguments", code: "for i := range 3 {\n\tdefer fmt.Print(i)\n}", out: "210"},
		{name: "defer runs after a panic", code: "defer fmt.Println(\"cleanup\")\npanic(\"p\")", errName: "panic", errVal: "p", out: "cleanup\n"},
		{name: "defer inside a function untouched", code: "func withDefer() (s string) {\n\tdefer func() { s += \"!\" }()\n\treturn \"f\"\n}\nwithDefer()", value: "f!", hasVal: true},
		{name: "var with a func literal whose parameter shadows a global", code: "var a9 = 1\nvar inc = func(a9 int) int { return a9 + 1 }\nvar typed func(int) int = func(a9 int) int { return a9 * 2 }\ninc(1) + typed(5)", value: "12", hasVal: true},
		{name: "void call has no value", code: "func noop() {}\nnoop()", hasVal: false},
		{name: "multi-value call gives all values", code: "func two() (int, string) { return 1, \"a\" }\ntwo()", value: "[1 a]", hasVal: true},
		{name: "fmt.Println gives no value", code: "fmt.Println(\"z\")", hasVal: false, out: "z\n"},
		{name: "builtin call value", code: "len(\"abc\")", value: "3", hasVal: true},
		{name: "assignment has no value", code: "x2 := x * 7", hasVal: false},
		{name: "value of assigned var", code: "x2", value: "21", hasVal: true},
		{name: "panic", code: "func boom() {\n\tpanic(\"kaboom\")\n}\nboom()", errName: "panic", errVal: "kaboom", tb: "cell:2:2: panic: main.boom(...)\n    cell:4:1: panic: main(...)\n    \tpanic(\"kaboom\")\n    \t^"},
		{name: "state after panic", code: "x", value: "3", hasVal: true},
		{name: "panic in func of earlier cell", code: "\n\nboom()", errName: "panic", errVal: "kaboom", tb: "]:2:2: panic: main.boom(...)\n    cell:3:1: panic: main(...)"},
		{name: "index out of range", code: "var arr []int\n_ = arr[5]", errName: "panic", errVal: "index out of range", tb: "cell:2:5"},
		{name: "nil map", code: "var nm map[string]int\nnm[\"a\"] = 1", errName: "panic", errVal: "nil map"},
		{name: "log.Fatal panics", code: "import \"log\"\nlog.Fatal(\"bad thing\")", errName: "panic", errVal: "bad thing", stderr: "bad thing"},
		{name: "os.Exit", code: "import \"os\"\nos.Exit(3)", errName: "Exit", errVal: "os.Exit(3)"},
		{name: "state after exit", code: "x + v", errName: "CompileError", errVal: "mismatched types"},
		{name: "alive after exit", code: "x", value: "3", hasVal: true},
		{name: "compile error position", code: "z := 1\nfmt.Println(z)\nw := \"a\" + z", errName: "CompileError", errVal: "cell:3:6: invalid operation: \"a\" + z (mismatched types untyped string and int)", tb: "    w := \"a\" + z\n         ^", out: ""},
		{name: "error inside rewritten loop", code: "for i := range 2 {\n\tvar s string = i\n\t_ = s\n}", errName: "CompileError", errVal: "cell:2:17: cannot use i (variable of type int) as string value in variable declaration", tb: "\tvar s string = i\n    \t               ^"},
		{name: "error after rewritten loop", code: "for i := range 3 {\n\t_ = i\n}\nbad := 1 + \"s\"", errName: "CompileError", errVal: "cell:4:8: invalid operation"},
		{name: "error in declaration after statements", code: "q1 := 1\nfunc bad() int { return \"s\" }", errName: "CompileError", errVal: "cell:2:25: cannot use \"s\""},
		{name: "error inside go statement", code: "go fmt.Println(undefinedArg)", errName: "CompileError", errVal: "cell:1:16: undefined: undefinedArg"},
		{name: "syntax error", code: "a := 1\nb := a 2", errName: "CompileError", errVal: "cell:2:8: expected ';', found 2"},
		{name: "unclosed paren", code: "q := (1 +\n", errName: "CompileError", errVal: "cell:1:6: '(' is not closed"},
		{name: "undefined name", code: "undefinedFn()", errName: "CompileError", errVal: "cell:1:1: undefined: undefinedFn"},
		{name: "compiler panic recovered", code: "func seq(yield func(int) bool) { yield(1) }\nfor v := range seq {\n\t_ = v\n}", errName: "CompileError", errVal: "nil type", tb: "hint: yaegi v0.16 cannot range over a function"},
		{name: "range over int of unknown type retried", code: "type S struct{ N int }\nsv := S{N: 3}\nt := 0\nfor i := range sv.N {\n\tt += i\n}\nt", value: "3", hasVal: true},
		{name: "range over multi-value result", code: "func dims() (int, int) { return 3, 4 }\nr, c := dims()\ntot := 0\nfor i := range r {\n\ttot += i * c\n}\ntot", value: "12", hasVal: true},
		{name: "range over field in method", code: "type W struct{ n int }\nfunc (w *W) Sum() int {\n\tt := 0\n\tfor i := range w.n {\n\t\tt += i\n\t}\n\treturn t\n}\n(&W{n: 4}).Sum()", value: "6", hasVal: true},
		{name: "range over field of earlier global", code: "t2 := 0\nfor i := range sv.N {\n\tt2 += i\n}\nt2", value: "3", hasVal: true},
		{name: "failed type declaration", code: "type Q struct{ n int }\nfunc (q Q) Bad() int {\n\tfor v := range seq {\n\t\t_ = v\n\t}\n\treturn 0\n}", errName: "CompileError", errVal: "nil type"},
		{name: "type redeclared after failure", code: "type Q struct{ n int }\nfunc (q Q) Good() int { return q.n }\nQ{n: 5}.Good()", value: "5", hasVal: true},
		{name: "range over slice of unknown type", code: "type S3 struct{ L []int }\ns3 := S3{L: []int{4, 5}}\nt3 := 0\nfor i := range s3.L {\n\tt3 += i\n}\nt3", value: "1", hasVal: true},
		{name: "undefined name on the right of :=", code: "a1 := 2\nyy := a1 + nosuch(3)", errName: "CompileError", errVal: "cell:2:12: undefined: nosuch"},
		{name: "undefined name in composite literal", code: "pq := P{B: missing}", errName: "CompileError", errVal: "cell:1:12: undefined: missing"},
		{name: "whole program", code: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"main ran\")\n}", out: "main ran\n"},
		{name: "reimport with alias", code: "import (\n\tstr \"strings\"\n\t\"fmt\"\n)\nimport \"strings\"\nfmt.Sprint(str.ToLower(\"AB\"), strings.ToUpper(\"c\"))", value: "abC", hasVal: true},
		{name: "main runs only once", code: "1 + 1", value: "2", hasVal: true, out: ""},
		{name: "generic func", code: "func Map[T any](xs []T, f func(T) T) []T {\n\tout := make([]T, len(xs))\n\tfor i, v := range xs {\n\t\tout[i] = f(v)\n\t}\n\treturn out\n}\nMap([]int{1, 2}, func(v int) int { return v * 3 })", value: "[3 6]", hasVal: true},
		{name: "alive after compiler panic", code: "x * 3", value: "9", hasVal: true},
		{name: "log goes to stderr", code: "log.SetFlags(0)\nlog.Println(\"logged\")", stderr: "logged\n", out: ""},
		{name: "os.Stdout and os.Stderr", code: "os.Stdout.WriteString(\"direct\\n\")\nfmt.Fprintln(os.Stderr, \"to stderr\")\nfmt.Print(\"after\\n\")", out: "direct\nafter\n", stderr: "to stderr\n"},
		{name: "goroutine output", code: "import \"time\"\ndone := make(chan bool)\ngo func() {\n\tfmt.Println(\"from goroutine\")\n\tdone <- true\n}()\n<-done", out: "from goroutine\n", hasVal: true, value: "true"},
	})
}

// TestGoroutines checks the go-statement rewrite: a panicking goroutine
// does not kill the process, is reported, and arguments are evaluated
// before the goroutine starts.
func TestGoroutines(t *testing.T) {
	s, out, errb := newSession(t)
	// waitpanic.Wait blocks the cell until the session has recorded a
	// goroutine panic (at most 5 s), so the test does not depend on timing.
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
		{name: "setup", code: "import (\n\t\"fmt\"\n\t\"time\"\n\t\"example.com/waitpanic\"\n)\nx := 1"},
		{name: "panic during the cell", code: "go func() {\n\tpanic(\"gboom\")\n}()\nwaitpanic.Wait()",
			errName: "panic", errVal: "goroutine: gboom", tb: "cell:2:2: panic", stderr: "panic in goroutine: gboom"},
		{name: "alive", code: "x", value: "1", hasVal: true},
		{name: "args evaluated before start", code: "ch := make(chan int, 1)\nv0 := 7\ngo func(a int) { ch <- a }(v0)\nv0 = 8\n<-ch", value: "7", hasVal: true},
		{name: "go in a top-level loop keeps each iteration's arguments", code: "res := make(chan int, 3)\nfor i := 0; i < 3; i++ {\n\tgo func(v int) { res <- v * v }(i)\n}\nsum := 0\nfor range 3 {\n\tsum += <-res\n}\nsum", value: "5", hasVal: true},
		{name: "method value and variadic", code: "func add(c chan int, xs ...int) { t := 0; for _, v := range xs { t += v }; c <- t }\nch2 := make(chan int)\nxs := []int{1, 2, 3}\ngo add(ch2, xs...)\n<-ch2", value: "6", hasVal: true},
		{name: "range inside go func", code: "ch3 := make(chan int)\ngo func() {\n\tt := 0\n\tfor i := range 4 {\n\t\tt += i\n\t}\n\tch3 <- t\n}()\n<-ch3", value: "6", hasVal: true},
		{name: "panic after the cell", code: "go func() {\n\ttime.Sleep(50 * time.Millisecond)\n\tpanic(fmt.Sprint(\"late \", x))\n}()"},
	})
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(errb.String(), "panic in goroutine: late 1") {
		if time.Now().After(deadline) {
			t.Fatalf("late goroutine panic not reported on stderr: %q", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	r := s.Execute(context.Background(), "x + 1")
	if r.Err != nil || fmt.Sprint(r.Value) != "2" {
		t.Fatalf("after a late goroutine panic: %v %v (a panic between cells must not fail the next cell)", r.Value, r.Err)
	}
}

// TestInterrupt cancels cells that loop forever or block, and checks that
// they stop within a second and that the state survives.
func TestInterrupt(t *testing.T) {
	s, _, _ := newSession(t)
	if r := s.Execute(context.Background(), "import \"time\"\nx := 5\nn := 0"); r.Err != nil {
		t.Fatal(r.Err)
	}
	var stopped atomic.Bool
	spin := func() error {
		for {
			if err := progress.Report(nil, 0, 1); err != nil {
				stopped.Store(true)
				return err
			}
			time.Sleep(time.Millisecond)
		}
	}
	if err := s.Use(interp.Exports{"example.com/work/work": {"Spin": reflect.ValueOf(spin)}}); err != nil {
		t.Fatal(err)
	}
	// The requirement is a stop within a second of the interrupt; the bound
	// checked is looser so that a loaded machine does not fail the test,
	// while a cell that does not stop still does.
	for _, c := range []struct{ name, code string }{
		{"native work reporting progress", "import \"example.com/work\"\nwork.Spin()"},
		{"busy loop", "for {\n\tn++\n}"},
		{"busy loop with a pending defer", "defer func() { x = 77 }()\nfor {\n}"},
		{"deferred busy loop", "defer func() {\n\tfor {\n\t}\n}()"},
		{"loop in a function", "func spin() {\n\tfor {\n\t}\n}\nspin()"},
		{"loop run in a closure (multi-value :=)", "m := map[int]int{}\nfor {\n\tv, ok := m[n]\n\tn += v\n\t_ = ok\n}"},
		{"channel receive", "ch := make(chan int)\n<-ch"},
		{"sleep in compiled code", "time.Sleep(700 * time.Millisecond)\nx = 99"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(150*time.Millisecond, cancel)
			start := time.Now()
			r := s.Execute(ctx, c.code)
			el := time.Since(start)
			if r.Err == nil || r.Err.Name != "Interrupted" {
				t.Fatalf("got %+v, want Interrupted", r)
			}
			t.Logf("Execute returned %v after the interrupt", el-150*time.Millisecond)
			if el > 2500*time.Millisecond {
				t.Fatalf("interrupt took %v", el)
			}
			r = s.Execute(context.Background(), "x")
			if r.Err != nil || fmt.Sprint(r.Value) != "5" {
				t.Fatalf("after interrupt: x = %v, err %v", r.Value, r.Err)
			}
			if progress.Check() != nil {
				t.Fatal("progress context still set after Execute")
			}
		})
	}
	if !stopped.Load() {
		t.Fatal("native work reporting progress did not stop on interrupt")
	}
}

// TestStdin checks that fmt.Scan reads Options.Stdin, and that a session
// without stdin gives an error instead of blocking.
func TestStdin(t *testing.T) {
	s, err := New(Options{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, Stdin: strings.NewReader("42 abc\n")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := s.Execute(context.Background(), "import \"fmt\"\nvar v int\nvar w string\nfmt.Scan(&v, &w)\nfmt.Sprint(v+1, w)")
	if r.Err != nil || r.Value != "43abc" {
		t.Fatalf("scan: %v %v", r.Value, r.Err)
	}
	s1, err := New(Options{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, Stdin: strings.NewReader("line one\nline two\n")})
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()
	r = s1.Execute(context.Background(), "import (\n\t\"bufio\"\n\t\"os\"\n)\nsc := bufio.NewScanner(os.Stdin)\nsc.Scan()\nsc.Scan()\nsc.Text()")
	if r.Err != nil || r.Value != "line two" {
		t.Fatalf("os.Stdin: %v %v", r.Value, r.Err)
	}
	s2, _, _ := newSession(t)
	r = s2.Execute(context.Background(), "import \"fmt\"\nvar v int\n_, err := fmt.Scan(&v)\nerr.Error()")
	if r.Err != nil || !strings.Contains(fmt.Sprint(r.Value), "stdin is not available") {
		t.Fatalf("scan without stdin: %v %v", r.Value, r.Err)
	}
}

// TestStreaming checks that output reaches the writer while the cell runs.
func TestStreaming(t *testing.T) {
	got := make(chan string, 10)
	w := writerFunc(func(p []byte) (int, error) { got <- string(p); return len(p), nil })
	s, err := New(Options{Stdout: w, Stderr: &syncBuffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	done := make(chan Result)
	go func() {
		done <- s.Execute(context.Background(), "import (\n\t\"fmt\"\n\t\"time\"\n)\nfmt.Println(\"first\")\ntime.Sleep(400 * time.Millisecond)\nfmt.Println(\"second\")")
	}()
	select {
	case p := <-got:
		if p != "first\n" {
			t.Fatalf("first output %q", p)
		}
	case <-done:
		t.Fatal("cell finished before its first output arrived")
	case <-time.After(3 * time.Second):
		t.Fatal("no output")
	}
	select {
	case <-done:
		t.Fatal("cell finished too early: output was not streamed")
	default:
	}
	if r := <-done; r.Err != nil {
		t.Fatal(r.Err)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestMagics checks %time, %%time, %who, %env, %help, %reset, unknown
// magics and registered magics.
func TestMagics(t *testing.T) {
	s, out, errb := newSession(t)
	s.Magics().Register(magic.Magic{Name: "hello", Help: "says hello", Run: func(ctx context.Context, s magic.Session, line, body string) error {
		fmt.Fprintf(s.Stdout(), "hello %s|%s", line, body)
		return nil
	}})
	if err := s.Use(interp.Exports{"example.com/twice/twice": {"Twice": reflect.ValueOf(func(x int) int { return 2 * x })}}); err != nil {
		t.Fatal(err)
	}
	wall := regexp.MustCompile(`^Wall time: [0-9.]+ (µs|ms|s)\n$`)
	runSteps(t, s, out, errb, []step{
		{name: "setup", code: "import \"fmt\"\nvar count int = 3\nconst name = \"n\"\nfunc helper() {}\ntype T struct{}"},
		{name: "who", code: "%who", out: "Name   Kind   Type\ncount  var    int\nname   const  string\n"},
		{name: "env set then code", code: "%env SUBSPACE_CELL_TEST=42\nimport \"os\"\nos.Getenv(\"SUBSPACE_CELL_TEST\")", value: "42", hasVal: true, out: "env: SUBSPACE_CELL_TEST=42\n"},
		{name: "env get", code: "%env SUBSPACE_CELL_TEST", out: "42\n"},
		{name: "env unset variable", code: "%env SUBSPACE_CELL_NOT_SET", errName: "MagicError", errVal: "SUBSPACE_CELL_NOT_SET is not set"},
		{name: "registered magic", code: "%hello world", out: "hello world|"},
		{name: "registered cell magic", code: "%%hello a\nline 1\nline 2", out: "hello a|line 1\nline 2"},
		{name: "unknown magic", code: "%nosuch arg", errName: "UnknownMagic", errVal: "unknown magic %nosuch; known magics: %env, %hello, %help, %memlimit, %reset, %time, %who"},
		{name: "time line with position", code: "%time undefinedThing + 1", errName: "CompileError", errVal: "cell:1:7: undefined: undefinedThing", out: "-"},
		{name: "use'd package", code: "import \"example.com/twice\"\ntwice.Twice(21)", value: "42", hasVal: true},
		{name: "reset", code: "%reset -f", out: "Session reset: declarations and imports forgotten.\n"},
		{name: "state gone after reset", code: "count", errName: "CompileError", errVal: "undefined: count"},
		{name: "who after reset", code: "%who", out: "No variables.\n"},
		{name: "use'd package survives reset", code: "import \"example.com/twice\"\ntwice.Twice(4)", value: "8", hasVal: true},
		{name: "magic survives reset", code: "%hello again", out: "hello again|"},
	})
	for _, c := range []struct{ code, value string }{
		{"%time 6 * 7", "42"},
		{"%%time\ny := 20\ny + 1", "21"},
		{"\n%time z := 2\nz * 5", "10"},
	} {
		out.Reset()
		r := s.Execute(context.Background(), c.code)
		if r.Err != nil || fmt.Sprint(r.Value) != c.value {
			t.Fatalf("%q: %v %v, want %s", c.code, r.Value, r.Err, c.value)
		}
		if !wall.MatchString(out.String()) {
			t.Fatalf("%q: stdout %q is not a wall time line", c.code, out.String())
		}
	}
	out.Reset()
	if r := s.Execute(context.Background(), "%help"); r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, m := range []string{"%env", "%hello", "%help", "%reset", "%time", "%who", "%%time", "says hello", "must(f())", "must(err)", "type-checked before they run"} {
		if !strings.Contains(out.String(), m) {
			t.Fatalf("%%help output lacks %s:\n%s", m, out.String())
		}
	}
	os.Unsetenv("SUBSPACE_CELL_TEST")
}

// TestEval checks user_expressions evaluation.
func TestEval(t *testing.T) {
	s, _, _ := newSession(t)
	if r := s.Execute(context.Background(), "import \"strings\"\nx := 6\nfunc sq(v int) int { return v * v }"); r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, c := range []struct{ expr, want, errName string }{
		{"x * 7", "42", ""},
		{"sq(x)", "36", ""},
		{"strings.ToUpper(\"ab\")", "AB", ""},
		{"nosuch + 1", "", "CompileError"},
		{"x +", "", "CompileError"},
		{"[]int{}[3]", "", "panic"},
	} {
		v, err := s.Eval(context.Background(), c.expr)
		if c.errName != "" {
			var e *api.Error
			if !errors.As(err, &e) || e.Name != c.errName {
				t.Fatalf("Eval(%q) error %v, want %s", c.expr, err, c.errName)
			}
			continue
		}
		if err != nil || fmt.Sprint(v) != c.want {
			t.Fatalf("Eval(%q) = %v, %v; want %s", c.expr, v, err, c.want)
		}
	}
}

// TestScope checks what the session tells the completer.
func TestScope(t *testing.T) {
	s, _, _ := newSession(t)
	if r := s.Execute(context.Background(), "import (\n\t\"fmt\"\n\tstr \"strings\"\n)\n// Area of a rectangle.\nfunc Area(w, h float64) float64 { return w * h }\nvar side = 3.5\ntype Box struct{ W float64 }\nfunc (b Box) Vol() float64 { return b.W }\nn := 4\nconst C = 2\n_ = fmt.Sprint(str.ToUpper(\"a\"))"); r.Err != nil {
		t.Fatal(r.Err)
	}
	imp := s.Imports()
	if imp["fmt"] != "fmt" || imp["str"] != "strings" || len(imp) != 2 {
		t.Fatalf("Imports() = %v", imp)
	}
	want := []string{
		"Area func func Area(w, h float64) float64 Area of a rectangle.",
		"side var var side = 3.5 ",
		"Box type type Box struct{ W float64 } ",
		"Box.Vol func func (b Box) Vol() float64 ",
		"n var var n int ",
		"C const const C = 2 ",
		"must func " + mustSymbol.Signature + " " + mustSymbol.Doc,
	}
	var got []string
	for _, g := range s.Globals() {
		got = append(got, g.Name+" "+g.Kind+" "+g.Signature+" "+g.Doc)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("Globals():\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v, ok := s.Value("side"); !ok || v != 3.5 {
		t.Fatalf("Value(side) = %v, %v", v, ok)
	}
	if v, ok := s.Value("n"); !ok || v != 4 {
		t.Fatalf("Value(n) = %v, %v", v, ok)
	}
	if _, ok := s.Value("Area"); ok {
		t.Fatal("Value of a func must be false")
	}
	if src, ok := s.Source("Area"); !ok || src != "// Area of a rectangle.\nfunc Area(w, h float64) float64 { return w * h }" {
		t.Fatalf("Source(Area) = %q", src)
	}
	pk := s.Packages()
	if !pk["fmt"]["Println"].IsValid() || pk["example.com/later"] != nil {
		t.Fatal("Packages() lacks fmt.Println or has a package not yet added")
	}
	if err := s.Use(interp.Exports{"example.com/later/later": {"F": reflect.ValueOf(func() {})}}); err != nil {
		t.Fatal(err)
	}
	if !s.Packages()["example.com/later"]["F"].IsValid() {
		t.Fatal("Packages() does not show a package added with Use")
	}
	if in := s.Inspect("Area", 2, 0); !in.Found || !strings.Contains(in.Text, "func Area(w, h float64) float64") {
		t.Fatalf("Inspect(Area) = %+v", in)
	}
	c := s.Complete("Ar", 2)
	if len(c.Matches) == 0 || c.Matches[0] != "Area" {
		t.Fatalf("Complete(Ar) = %+v", c)
	}
}

// TestIsComplete classifies partial inputs as a console would send them.
func TestIsComplete(t *testing.T) {
	for _, c := range []struct{ code, status, indent string }{
		{"x := 1", "complete", ""},
		{"", "complete", ""},
		{"func f() {", "incomplete", "\t"},
		{"func f() {\n\tif x {", "incomplete", "\t\t"},
		{"fmt.Println(1,", "incomplete", "\t"},
		{"m := map[string]int{\n\t\"a\": 1,\n}", "complete", ""},
		{"xs := []int{1, 2", "incomplete", "\t"},
		{"s := `raw\nstring", "incomplete", ""},
		{"/* comment", "incomplete", ""},
		{"x := 1 +", "incomplete", ""},
		{"x :=", "incomplete", ""},
		{"x++", "complete", ""},
		{"f())", "invalid", ""},
		{"}", "invalid", ""},
		{"x := 1 2", "invalid", ""},
		{"s := \"unterminated\nx := 1", "invalid", ""},
		{"import \"fmt\"\nfmt.Println(1)", "complete", ""},
		{"%time x", "complete", ""},
		{"if x {\n} else", "incomplete", ""},
		{"type T", "incomplete", ""},
		{"var x int = 1 return", "invalid", ""},
		{"go", "incomplete", ""},
		{"return", "complete", ""},
		{"for i := range 3 {\n\tfmt.Println(i)\n}", "complete", ""},
		{"for i := 0; i < 3; i++ {\n\tfmt.Println(i)\n}", "complete", ""},
		{"if v := f(); v > 0 {", "incomplete", "\t"},
	} {
		st, ind := IsComplete(c.code)
		if st != c.status || ind != c.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", c.code, st, ind, c.status, c.indent)
		}
	}
}

// TestRedeclaration checks what a notebook user expects when a function is
// redeclared: callers from earlier cells use the new definition, a failed
// redeclaration keeps the old one, and a caller that no longer compiles
// says so when called.
func TestRedeclaration(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "declare", code: "func f() int { return 1 }\nfunc g() int { return f() + 10 }\nfunc h() int { return g() * 2 }\nfunc other() int { return 7 }"},
		{name: "redeclare f", code: "func f() int { return 2 }"},
		{name: "g uses the new f", code: "g()", value: "12", hasVal: true},
		{name: "h uses the new g", code: "h()", value: "24", hasVal: true},
		{name: "failed redeclaration", code: "func other() int { return \"s\" }", errName: "CompileError", errVal: "cell:1:27: cannot use \"s\""},
		{name: "old definition kept", code: "other()", value: "7", hasVal: true},
		{name: "incompatible redeclaration", code: "func f() string { return \"s\" }", stderr: "note: g no longer compiles after the redeclaration: cell[1]:2:23: invalid operation"},
		{name: "broken caller says why", code: "g()", errName: "panic", errVal: "g no longer compiles after the redeclaration"},
		{name: "fix the caller", code: "func g() int { return len(f()) }\nh()", value: "2", hasVal: true},
	})
}

// Grid is a compiled type for TestRangeCompiledTypes.
type Grid struct{ R, C int }

// Dims returns the grid's rows and columns.
func (g *Grid) Dims() (int, int) { return g.R, g.C }

// Rows returns the number of rows.
func (g *Grid) Rows() int { return g.R }

// TestRangeCompiledTypes checks that range loops over integers obtained
// from compiled packages (methods, fields, functions) are rewritten, also
// inside functions where only the symbol tables tell the types.
func TestRangeCompiledTypes(t *testing.T) {
	s, out, errb := newSession(t)
	err := s.Use(interp.Exports{"example.com/grid/grid": {
		"Grid": reflect.ValueOf((*Grid)(nil)),
		"New":  reflect.ValueOf(func(r, c int) *Grid { return &Grid{r, c} }),
		"Size": reflect.ValueOf(func(g *Grid) int { return g.R * g.C }),
	}})
	if err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, out, errb, []step{
		{name: "top level multi-value method", code: "import \"example.com/grid\"\ng := grid.New(2, 3)\nr, c := g.Dims()\nt := 0\nfor i := range r {\n\tfor j := range c {\n\t\tt += i + j\n\t}\n}\nt", value: "9", hasVal: true},
		{name: "in a function, from a parameter", code: "func cells(g *grid.Grid) int {\n\tr, c := g.Dims()\n\tn := 0\n\tfor range r {\n\t\tfor range c {\n\t\t\tn++\n\t\t}\n\t}\n\treturn n\n}\ncells(g)", value: "6", hasVal: true},
		{name: "method call operand", code: "func rows(g *grid.Grid) int {\n\tt := 0\n\tfor i := range g.Rows() {\n\t\tt += i\n\t}\n\treturn t\n}\nrows(g)", value: "1", hasVal: true},
		{name: "field of a compiled struct", code: "func cols(g *grid.Grid) int {\n\tt := 0\n\tfor i := range g.C {\n\t\tt += i\n\t}\n\treturn t\n}\ncols(g)", value: "3", hasVal: true},
		{name: "package function result", code: "func all(g *grid.Grid) int {\n\tn := grid.Size(g)\n\tt := 0\n\tfor i := range n {\n\t\tt += i\n\t}\n\treturn t\n}\nall(g)", value: "15", hasVal: true},
		{name: "range value shadows a global", code: "func shadow(xs [][]int) int {\n\tt := 0\n\tfor _, r := range xs {\n\t\tfor j := range r {\n\t\t\tt += j\n\t\t}\n\t}\n\treturn t\n}\nshadow([][]int{{5, 6}, {7}})", value: "1", hasVal: true},
		{name: "case clause local shadows a global", code: "func sw(k int) int {\n\tswitch {\n\tcase k > 0:\n\t\tr := []int{1, 2, 3}\n\t\tt := 0\n\t\tfor i := range r {\n\t\t\tt += i\n\t\t}\n\t\treturn t\n\t}\n\treturn -1\n}\nsw(1)", value: "3", hasVal: true},
		{name: "channel receive operand", code: "func fromChan(ch chan int) int {\n\tt := 0\n\tselect {\n\tcase n := <-ch:\n\t\tfor i := range n {\n\t\t\tt += i\n\t\t}\n\t}\n\treturn t\n}\nch := make(chan int, 1)\nch <- 4\nfromChan(ch)", value: "6", hasVal: true},
		{name: "global of an earlier cell in a function", code: "func viaGlobal() int {\n\tt := 0\n\tfor i := range r {\n\t\tt += i\n\t}\n\treturn t\n}\nviaGlobal()", value: "1", hasVal: true},
	})
}
