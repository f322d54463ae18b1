package cell

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/traefik/yaegi/interp"
)

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
		// Top-level comma-ok definitions: yaegi panics "nil type".
		{name: "top-level comma-ok map index", code: "counts := map[string]int{\"a\": 1}\nval, ok := counts[\"a\"]\n_, has := counts[\"zz\"]\nfmt.Sprint(val, ok, has)", value: "1 true false", hasVal: true},
		{name: "comma-ok values kept", code: "val*10 + len(fmt.Sprint(ok))", value: "14", hasVal: true},
		{name: "top-level comma-ok type assertion and receive", code: "var anyv any = 2.5\nfv, isF := anyv.(float64)\nch2 := make(chan string, 1)\nch2 <- \"msg\"\nmsg, open := <-ch2\nfmt.Sprintln(fv*2, isF, msg, open)", value: "5 true msg true\n", hasVal: true},
		{name: "comma-ok with an interface value", code: "ma := map[string]any{\"k\": nil}\nva, oka := ma[\"k\"]\nva = 3\nfmt.Sprint(va, oka)", value: "3 true", hasVal: true},
		{name: "comma-ok with a cell struct keeps its methods", code: "type Pt struct{ X int }\nfunc (p Pt) Twice() int { return 2 * p.X }\npts := map[string]Pt{\"a\": {4}}\npv, okp := pts[\"a\"]\nfmt.Sprint(pv.Twice(), okp)", value: "8 true", hasVal: true},
	})
}

// TestBuiltins checks Go 1.21's min, max and clear, which yaegi v0.16.1
// does not know, for ints, floats (NaN), strings, constants and any number
// of arguments, and that a user declaration of the name wins.
func TestBuiltins(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "min of int literals", code: "min(3, 1, 2)", value: "1", hasVal: true},
		{name: "max of mixed literals is a float constant", code: "import \"fmt\"\nx, y := max(3, 1), max(1, 2.5, -4)\nfmt.Sprintf(\"%T %v %T %v\", x, x, y, y)", value: "int 3 float64 2.5", hasVal: true},
		{name: "int literal result of a float max is a float", code: "fmt.Sprintf(\"%T %v %T %v\", max(3, 1.5), max(3, 1.5), min(-2, 7.25), min(-2, 7.25))", value: "float64 3 float64 -2", hasVal: true},
		{name: "constant declaration", code: "const c = max(1, 2.5)\nc * 2", value: "5", hasVal: true},
		{name: "strings", code: "w := \"pear\"\nfmt.Sprintln(min(\"b\", \"a\", \"c\"), max(w, \"apple\"), min(w, \"apple\"))", value: "a pear apple\n", hasVal: true},
		{name: "float variable with constants before it", code: "f := 1.5\nfmt.Sprint(min(1, f), max(1, f, 0.5), min(f), max(2, f, c))", value: "1 1.5 1.5 2.5", hasVal: true},
		{name: "in a top-level loop", code: "a, b := 3, 5\ntot := 0\nfor i := 0; i < 2; i++ {\n\ttot += min(a, b) + max(a, b, 4)\n}\ntot", value: "16", hasVal: true},
		{name: "in a function", code: "func lo(xs []float64) float64 {\n\tm := xs[0]\n\tfor _, x := range xs {\n\t\tm = min(m, x)\n\t}\n\treturn m\n}\nlo([]float64{3, -1, 2})", value: "-1", hasVal: true},
		{name: "NaN wins", code: "import \"math\"\nnan := math.NaN()\nfmt.Sprint(min(1.0, nan), max(nan, 1.0), min(f, nan, 0), max(f, 2, nan))", value: "NaN NaN NaN NaN", hasVal: true},
		{name: "keeps the argument type", code: "var i8 int8 = 3\nvar u uint = 7\nfmt.Sprintf(\"%T %v %T %v\", min(i8, 5, -1), min(i8, 5, -1), max(u, 9), max(u, 9))", value: "int8 -1 uint 9", hasVal: true},
		{name: "nested calls", code: "min(max(a, 4), max(b, 1), 10)", value: "4", hasVal: true},
		{name: "clear a map and a slice", code: "ms := map[string]int{\"a\": 1, \"b\": 2}\nxs := []int{1, 2}\nclear(ms)\nclear(xs[1:])\nfmt.Sprint(len(ms), xs)", value: "0 [1 0]", hasVal: true},
		{name: "clear with cell types", code: "type P struct{ A int }\nps := []P{{1}, {2}}\nmp := map[string]P{\"x\": {1}}\nclear(ps)\nclear(mp)\nfmt.Sprint(ps, len(mp))", value: "[{0} {0}] 0", hasVal: true},
		{name: "clear in a function", code: "func reset(m map[int]bool) int {\n\tclear(m)\n\treturn len(m)\n}\nreset(map[int]bool{1: true})", value: "0", hasVal: true},
		{name: "clear of something else is a type error", code: "clear(3)", errName: "CompileError", errVal: "cell:1:7: invalid argument: cannot clear 3 (untyped int constant): argument must be (or constrained by) map or slice"},
		{name: "local variable named max", code: "func top(xs []int) int {\n\tmax := xs[0]\n\tfor _, x := range xs {\n\t\tif x > max {\n\t\t\tmax = x\n\t\t}\n\t}\n\treturn max\n}\ntop([]int{4, 9, 2})", value: "9", hasVal: true},
		{name: "user function named max wins", code: "func max(a, b int) int { return 42 }\nmax(1, 2)", value: "42", hasVal: true},
		{name: "and stays in later cells", code: "max(5, 6)", value: "42", hasVal: true},
		{name: "min still the builtin", code: "min(5, 6)", value: "5", hasVal: true},
		// yaegi cannot type a global defined from a generic call.
		{name: "top-level := of min", code: "z := min(a, b)\nz2 := min(a, b, 4) + 1\nfmt.Sprintf(\"%T %v %T %v\", z, z, z2, z2)", value: "int 3 int 4", hasVal: true},
		{name: "defined values usable later", code: "z*10 + z2", value: "34", hasVal: true},
		{name: "two values from generic calls (max is the user's now)", code: "u, w := min(f, 0.5), min(\"x\", w)\nfmt.Sprintln(u, w, max(1, 2))", value: "0.5 pear 42\n", hasVal: true},
		{name: "top-level var of min", code: "var lim = min(len(\"abcdef\"), 4)\nacc := 0\nfor i := 0; i < lim; i++ {\n\tacc += i\n}\nacc", value: "6", hasVal: true},
	})
}

// TestGenericDefinitions checks top-level definitions whose value comes
// from a call of a generic function declared in a cell (yaegi v0.16.1:
// "nil reflect type").
func TestGenericDefinitions(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "declare and define in one cell", code: "func Sum[T int | float64](xs []T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\ns1 := Sum([]int{1, 2})\ns1 + 1", value: "4", hasVal: true},
		{name: "var in a later cell", code: "var s2 = Sum([]float64{1.5, 2})\ns2 * 2", value: "7", hasVal: true},
		{name: "explicit instantiation", code: "s3 := Sum[float64]([]float64{0.25, 0.5})\ns3", value: "0.75", hasVal: true},
		{name: "generic call inside an expression", code: "s4 := 2*Sum([]int{3, 4}) + len(\"ab\")\ns4", value: "16", hasVal: true},
		{name: "evaluated once", code: "import \"fmt\"\nfunc Show[T any](v T) T {\n\tfmt.Println(\"called\")\n\treturn v\n}\nsh := Show(\"v\")\nsh", value: "v", hasVal: true, out: "called\n"},
		{name: "error inside the value", code: "s5 := Sum([]int{1}) + undefinedName", errName: "CompileError", errVal: "cell:1:23: undefined: undefinedName"},
		{name: "panic inside the value", code: "func Boom[T any](v T) T { panic(\"boom\") }\ns6 := Boom(1)", errName: "panic", errVal: "boom"},
		{name: "state kept", code: "s1 + int(s2)", value: "6", hasVal: true},
		{name: "several results of a generic call", code: "func First[T any](xs []T) (T, error) {\n\tif len(xs) == 0 {\n\t\tvar z T\n\t\treturn z, fmt.Errorf(\"empty\")\n\t}\n\treturn xs[0], nil\n}\nq, err := First([]string{\"x\", \"y\"})\nfmt.Sprintln(q, err)", value: "x <nil>\n", hasVal: true},
		{name: "their types are kept", code: "err = fmt.Errorf(\"now set\")\nq += \"!\"\nfmt.Sprint(q, \" \", err)", value: "x! now set", hasVal: true},
		{name: "cell struct type through a generic call keeps its methods", code: "type P struct{ A int }\nfunc (p P) Double() int { return 2 * p.A }\nfunc Mk[T any](v T) []T { return []T{v, v} }\nps := Mk(P{4})\np1 := Mk(&P{5})[0]\nps[1].Double() + p1.Double()", value: "18", hasVal: true},
		{name: "two cell types with the same fields: note", code: "type Q struct{ A int }\nqs := Mk(Q{4})\nqs[0].A", value: "4", hasVal: true, stderr: "the type of qs holds a struct declared in a cell that the kernel cannot name here"},
	})
}

// TestNilErrorValue checks that a nil error in the last place of a call's
// results is not shown, and that a non-nil one is.
func TestNilErrorValue(t *testing.T) {
	s, out, errb := newSession(t)
	if err := s.Use(interp.Exports{"example.com/show/show": {
		"Show": reflect.ValueOf(func(v any) error { return nil }),
		"Fail": reflect.ValueOf(func(v any) error { return errors.New("cannot show " + fmt.Sprint(v)) }),
		"Any":  reflect.ValueOf(func() any { return nil }),
	}}); err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, out, errb, []step{
		{name: "compiled function returning a nil error", code: "import \"example.com/show\"\nshow.Show(3)"},
		{name: "compiled function returning an error", code: "show.Fail(3)", value: "cannot show 3", hasVal: true},
		{name: "nil any is still shown", code: "show.Any()", value: "<nil>", hasVal: true},
		{name: "cell function returning a nil error", code: "import \"errors\"\nfunc check(ok bool) error {\n\tif !ok {\n\t\treturn errors.New(\"bad\")\n\t}\n\treturn nil\n}\ncheck(true)"},
		{name: "cell function returning an error", code: "check(false)", value: "bad", hasVal: true},
		{name: "value and nil error", code: "import \"strconv\"\nstrconv.Atoi(\"12\")", value: "12", hasVal: true},
		{name: "value and error fails the cell", code: "strconv.Atoi(\"x\")", errName: "error", errVal: "strconv.Atoi: parsing \"x\": invalid syntax", tb: "cell:1:1: the error returned by the cell's last call"},
		{name: "method value and nil error", code: "import \"strings\"\nvar sb strings.Builder\nsb.WriteString(\"abc\")", value: "3", hasVal: true},
		{name: "three results, last a nil error", code: "func three() (int, string, error) { return 1, \"a\", nil }\nthree()", value: "[1 a]", hasVal: true},
		{name: "method of a cell type through a field", code: "type T struct{}\nfunc (T) Do() (float64, error) { return 2.5, nil }\ntype W struct{ In T }\nwv := W{}\nwv.In.Do()", value: "2.5", hasVal: true},
		{name: "func value whose last result is not an error", code: "func pair() (int, any) { return 1, nil }\npair()", value: "[1 <nil>]", hasVal: true},
		{name: "callee with a call is not evaluated twice", code: "calls := 0\nmk := func() func() error { calls++; return func() error { return nil } }\nmk()()\n", hasVal: false},
		{name: "callee ran once", code: "calls", value: "1", hasVal: true},
	})
}

// TestImports checks that imports are evaluated one at a time (a missing
// package leaves the others imported and known) and that a package a cell
// uses without importing it is imported when its name is unambiguous.
func TestImports(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "strings.Builder without an import", code: "var sb strings.Builder\nsb.WriteString(\"a\")", value: "1", hasVal: true, stderr: "note: imported \"strings\" (used on line 1 without an import)"},
		{name: "state of the builder", code: "sb.WriteString(\"b\")\nsb.String()", value: "ab", hasVal: true},
		{name: "pointer literal", code: "sb2 := &strings.Builder{}\nsb2.WriteString(\"c\")\nsb2.String()", value: "c", hasVal: true},
		{name: "no note the second time", code: "sb3 := strings.ToUpper(\"a\")\nsb3", value: "A", hasVal: true, out: ""},
		{name: "explicit import afterwards is fine", code: "import \"strings\"\nstrings.Repeat(\"z\", 2)", value: "zz", hasVal: true},
		{name: "multi-value define", code: "x, err := strconv.Atoi(\"5\")\n_ = err\nx", value: "5", hasVal: true},
		{name: "used inside a function", code: "func isUp(r rune) bool { return unicode.IsUpper(r) }\nisUp('A')", value: "true", hasVal: true, stderr: "imported \"unicode\""},
		{name: "ambiguous name stays undefined", code: "r := rand.Intn(3)", errName: "CompileError", errVal: "cell:1:6: undefined: rand (several packages have that name, import one: \"crypto/rand\", \"math/rand\", \"math/rand/v2\")"},
		{name: "undefined package in a type (yaegi: nil pointer dereference)", code: "var b foo.Builder", errName: "CompileError", errVal: "cell:1:7: undefined: foo"},
		{name: "undefined package in a multi-value define", code: "x1, y1 := foo.F()", errName: "CompileError", errVal: "cell:1:11: undefined: foo"},
		{name: "a parameter shadows a package name", code: "func count(strings []string) int { return len(strings) }\ncount([]string{\"a\"})", value: "1", hasVal: true},
		{name: "a failing import keeps the others", code: "import (\n\t\"sort\"\n\t\"example.com/does/not/exist\"\n\t\"bytes\"\n)", errName: "CompileError", errVal: "cell:3:2: import \"example.com/does/not/exist\""},
		{name: "packages of the failed cell are imported", code: "xs := []int{3, 1, 2}\nsort.Ints(xs)\nfmt.Sprint(xs, bytes.ToUpper([]byte(\"q\")))", value: "[1 2 3] [81]", hasVal: true},
		{name: "importing them again is skipped", code: "import (\n\t\"sort\"\n\t\"bytes\"\n)\nsort.IsSorted(sort.IntSlice(xs))", value: "true", hasVal: true},
	})
	if got := s.Imports(); got["strings"] != "strings" || got["strconv"] != "strconv" || got["sort"] != "sort" || got["bytes"] != "bytes" || got["fmt"] != "fmt" {
		t.Fatalf("Imports() = %v", got)
	}
}

// TestNotebookPatterns runs common notebook patterns across cells.
func TestNotebookPatterns(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "imports", code: "import (\n\t\"errors\"\n\t\"fmt\"\n\t\"sort\"\n\t\"strings\"\n)"},
		{name: "struct type with methods", code: "type Stats struct {\n\tN    int\n\tMean float64\n}\n\nfunc (s *Stats) Add(x float64) {\n\ts.N++\n\ts.Mean += (x - s.Mean) / float64(s.N)\n}\n\nfunc (s Stats) String() string { return fmt.Sprintf(\"n=%d mean=%.2f\", s.N, s.Mean) }"},
		{name: "used in a later cell", code: "st := &Stats{}\nfor _, x := range []float64{1, 2, 3, 4} {\n\tst.Add(x)\n}\nst.String()", value: "n=4 mean=2.50", hasVal: true},
		{name: "and in a function of a later cell", code: "func summary(xs ...float64) string {\n\tvar s Stats\n\tfor _, x := range xs {\n\t\ts.Add(x)\n\t}\n\treturn s.String()\n}\nsummary(2, 4)", value: "n=2 mean=3.00", hasVal: true},
		{name: "closures capturing top-level variables", code: "counter := 0\ninc := func(d int) { counter += d }\ninc(2)\ninc(3)\nadder := func(d int) func() int { return func() int { counter += d; return counter } }\na10 := adder(10)\na10()", value: "15", hasVal: true},
		{name: "closure state in a later cell", code: "a10()\ncounter", value: "25", hasVal: true},
		{name: "map of slices, append to an entry", code: "ms := map[string][]float64{\"a\": {1, 2}, \"b\": nil}\nms[\"a\"] = append(ms[\"a\"], 3)\nms[\"b\"] = append(ms[\"b\"], 4)\nms[\"c\"] = append(ms[\"c\"], 5, 6)\nfmt.Sprint(ms)", value: "map[a:[1 2 3] b:[4] c:[5 6]]", hasVal: true},
		{name: "generic funcs declared in a cell", code: "func Map[T, U any](xs []T, f func(T) U) []U {\n\tout := make([]U, 0, len(xs))\n\tfor _, x := range xs {\n\t\tout = append(out, f(x))\n\t}\n\treturn out\n}\nfunc Filter[T any](xs []T, keep func(T) bool) []T {\n\tvar out []T\n\tfor _, x := range xs {\n\t\tif keep(x) {\n\t\t\tout = append(out, x)\n\t\t}\n\t}\n\treturn out\n}\nlens := Map[string, int]([]string{\"a\", \"bcd\", \"ef\"}, func(s string) int { return len(s) })\nbig := Filter(lens, func(n int) bool { return n > 1 })\nfmt.Sprint(lens, big)", value: "[1 3 2] [3 2]", hasVal: true},
		{name: "generic results used later", code: "lens[1]*10 + big[1]", value: "32", hasVal: true},
		{name: "type with a method", code: "type Shape struct{ W, H float64 }\nfunc (s Shape) Area() float64 { return s.W * s.H }\nShape{2, 3}.Area()", value: "6", hasVal: true},
		{name: "type redeclared with other fields, method redeclared", code: "type Shape struct{ R float64 }\nfunc (s Shape) Area() float64 { return 3 * s.R * s.R }\nShape{R: 2}.Area()", value: "12", hasVal: true},
		{name: "new method on the redeclared type in a later cell", code: "func (s Shape) Scale(k float64) Shape { return Shape{R: s.R * k} }\nShape{R: 1}.Scale(2).Area()", value: "12", hasVal: true},
		{name: "sort.Slice with a closure", code: "people := []struct {\n\tName string\n\tAge  int\n}{{\"a\", 30}, {\"b\", 20}, {\"c\", 25}}\nsort.Slice(people, func(i, j int) bool { return people[i].Age < people[j].Age })\nfmt.Sprint(people)", value: "[{b 20} {c 25} {a 30}]", hasVal: true},
		{name: "errors.New, fmt.Errorf %w, errors.Is", code: "var ErrNotFound = errors.New(\"not found\")\nfunc find(k string) error { return fmt.Errorf(\"find %q: %w\", k, ErrNotFound) }\nfe := find(\"x\")\nfmt.Sprint(errors.Is(fe, ErrNotFound), errors.Unwrap(fe) == ErrNotFound, fe)", value: "true true find \"x\": not found", hasVal: true},
		{name: "strings.Builder in a func", code: "func join(xs []string) string {\n\tvar sb strings.Builder\n\tfor i, x := range xs {\n\t\tif i > 0 {\n\t\t\tsb.WriteString(\", \")\n\t\t}\n\t\tsb.WriteString(x)\n\t}\n\treturn sb.String()\n}\njoin([]string{\"a\", \"b\", \"c\"})", value: "a, b, c", hasVal: true},
		{name: "switch with := in its header at top level", code: "kind := \"\"\nswitch n := len(people); {\ncase n > 2:\n\tkind = \"many\"\ndefault:\n\tkind = \"few\"\n}\nkind", value: "many", hasVal: true},
		{name: "var from a variable of an earlier cell (yaegi: variable definition loop)", code: "var first = lens[0]\nvar total float64 = float64(len(people)) + ms[\"a\"][2]\nvar sh fmt.Stringer = *st\nfmt.Sprint(first, \" \", total, \" \", sh)", value: "1 6 n=4 mean=2.50", hasVal: true},
		{name: "var with several names from an earlier variable", code: "var lo, hi = ms[\"a\"][0], ms[\"a\"][2]\nhi - lo", value: "2", hasVal: true},
		{name: "switch with init and tag at top level", code: "switch v, ok := ms[\"a\"]; {\ncase ok && len(v) == 3:\n\tkind = \"three\"\n}\nkind", value: "three", hasVal: true},
	})
}

// TestMethodRedeclaration checks that a method redeclared in a later cell
// replaces the old one, also for values made before (yaegi v0.16.1 keeps
// the first declaration of a method).
func TestMethodRedeclaration(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "type with methods of every shape", code: "import \"fmt\"\ntype Stats struct {\n\tN   int\n\tSum float64\n}\nfunc (s *Stats) Add(xs ...float64) {\n\tfor _, x := range xs {\n\t\ts.N++\n\t\ts.Sum += x\n\t}\n}\nfunc (s Stats) Mean() float64 { return s.Sum / float64(s.N) }\nfunc (Stats) Kind() string { return \"stats\" }\nfunc (s Stats) String() string { return fmt.Sprintf(\"n=%d\", s.N) }\nfunc (s Stats) Both(int, string) (int, error) { return s.N, nil }\nst := &Stats{}\nst.Add(1, 2, 3)\nfmt.Sprint(st.Mean(), \" \", st.Kind(), \" \", *st)", value: "2 stats n=3", hasVal: true},
		{name: "value method redeclared", code: "func (s Stats) Mean() float64 { return s.Sum }\nst.Mean()", value: "6", hasVal: true},
		{name: "pointer method redeclared, old value", code: "func (s *Stats) Add(xs ...float64) {\n\tfor _, x := range xs {\n\t\ts.N += 10\n\t\ts.Sum += 2 * x\n\t}\n}\nst.Add(1)\nfmt.Sprint(st.N, \" \", st.Sum)", value: "13 8", hasVal: true},
		{name: "Stringer redeclared", code: "func (s Stats) String() string { return fmt.Sprintf(\"stats of %d\", s.N) }\nfmt.Sprint(*st)", value: "stats of 13", hasVal: true},
		{name: "signature change is an error", code: "func (s Stats) Mean() int { return 1 }", errName: "CompileError", errVal: "cell:1:16: method Stats.Mean was declared as func(Stats) float64"},
		{name: "failed redeclaration keeps the old body", code: "func (s Stats) Mean() float64 {\n\treturn s.Sum + undefinedX\n}", errName: "CompileError", errVal: "cell:2:17: undefined: undefinedX"},
		{name: "old body still there", code: "st.Mean()", value: "8", hasVal: true},
		{name: "fixed in the next cell", code: "func (s Stats) Mean() float64 { return -s.Sum }\nst.Mean()", value: "-8", hasVal: true},
		{name: "through an interface", code: "mi := interface{ Mean() float64 }(*st)\nmi.Mean()", value: "-8", hasVal: true},
		{name: "recursive method", code: "func (s Stats) Fact(n int) int {\n\tif n <= 1 {\n\t\treturn 1\n\t}\n\treturn n * s.Fact(n-1)\n}\nst.Fact(5)", value: "120", hasVal: true},
		{name: "method added to the type in a later cell, then redeclared", code: "func (s Stats) Twice() float64 { return 2 * s.Sum }\nst.Twice()", value: "16", hasVal: true},
		{name: "later redeclaration", code: "func (s Stats) Twice() float64 { return 2 }\nst.Twice()", value: "2", hasVal: true},
		{name: "type redeclared: its methods are new", code: "type Stats struct{ N int }\nfunc (s Stats) Mean() float64 { return 42 }\nStats{}.Mean()", value: "42", hasVal: true},
		{name: "and redeclarable", code: "func (s Stats) Mean() float64 { return 43 }\nStats{}.Mean()", value: "43", hasVal: true},
		{name: "compile error position in a method", code: "func (s Stats) Bad() int {\n\tx := 1\n\treturn x + \"s\"\n}", errName: "CompileError", errVal: "cell:3:9: invalid operation"},
	})
}

// TestSlicesHelpers checks the functions of package slices that yaegi
// v0.16.1 lacks (Sort, SortFunc, SortStableFunc, IsSorted, Min, Max).
func TestSlicesHelpers(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "Sort in place, NaN first", code: "import (\n\t\"fmt\"\n\t\"math\"\n\t\"slices\"\n\t\"strings\"\n)\nxs := []float64{3, 1, math.NaN(), 2}\nslices.Sort(xs)\nfmt.Sprint(xs)", value: "[NaN 1 2 3]", hasVal: true},
		{name: "Sort of ints, strings and a named slice type", code: "is := []int{5, -2, 9}\nss := []string{\"pear\", \"apple\"}\ntype Floats []float64\nfl := Floats{2, 1}\nslices.Sort(is)\nslices.Sort(ss)\nslices.Sort(fl)\nfmt.Sprint(is, ss, fl)", value: "[-2 5 9] [apple pear] [1 2]", hasVal: true},
		{name: "Sort of int16 through reflection", code: "var h = []int16{3, -1, 2}\nslices.Sort(h)\nfmt.Sprint(h)", value: "[-1 2 3]", hasVal: true},
		{name: "Min and Max, top-level definitions", code: "mx := slices.Max([]int{3, 9, 2})\nmn := slices.Min([]string{\"b\", \"a\"})\nfmt.Sprintln(mx, mn, slices.Max(xs[1:]))", value: "9 a 3\n", hasVal: true},
		{name: "SortFunc and SortStableFunc with cell types", code: "type P struct {\n\tN string\n\tA int\n}\nps := []P{{\"a\", 3}, {\"b\", 1}, {\"c\", 1}}\nslices.SortFunc(ps, func(a, b P) int { return a.A - b.A })\nfirst := ps[2].N\nslices.SortStableFunc(ps, func(a, b P) int { return strings.Compare(b.N, a.N) })\nfmt.Sprint(first, ps)", value: "a[{c 1} {b 1} {a 3}]", hasVal: true},
		{name: "BinarySearch, top-level definition", code: "pos, found := slices.BinarySearch([]int{1, 3, 3, 7}, 3)\npos2, found2 := slices.BinarySearch([]string{\"a\", \"c\"}, \"b\")\nfmt.Sprintln(pos, found, pos2, found2)", value: "1 true 1 false\n", hasVal: true},
		{name: "IsSorted", code: "fmt.Sprint(slices.IsSorted([]int{1, 2, 2}), slices.IsSorted([]int{2, 1}))", value: "true false", hasVal: true},
		{name: "inside a function", code: "func top(xs []int) int { return slices.Max(xs) }\ntop([]int{1, 7, 3})", value: "7", hasVal: true},
		{name: "functions yaegi has stay as they are", code: "fmt.Sprint(slices.Index([]int{4, 5}, 5), slices.Contains([]string{\"a\"}, \"a\"))", value: "1 true", hasVal: true},
		{name: "Max of an empty slice panics", code: "slices.Max([]int{})", errName: "panic", errVal: "slices.Max: empty list"},
		{name: "a variable named slices is not the package", code: "func count(slices [][]int) int { return len(slices) }\ncount([][]int{{1}, {2}})", value: "2", hasVal: true},
	})
}
