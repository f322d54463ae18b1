package check_test

import (
	"fmt"
	"go/ast"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/kernel/cell/check"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/subspace-kernel/subspace/plugins/symbols"
	"github.com/traefik/yaegi/stdlib"
)

// tables are the standard library's and the built-in plugins' symbols,
// as a session has them.
func tables() map[string]map[string]reflect.Value {
	out := map[string]map[string]reflect.Value{}
	for _, e := range []map[string]map[string]reflect.Value{stdlib.Symbols, symbols.Symbols} {
		for k, syms := range e {
			i := strings.LastIndexByte(k, '/')
			if i <= 0 {
				continue
			}
			path := k[:i]
			if out[path] == nil {
				out[path] = map[string]reflect.Value{}
			}
			for n, v := range syms {
				out[path][n] = v
			}
		}
	}
	return out
}

var shared = tables()

// quoted matches the import paths of an import declaration.
var quoted = regexp.MustCompile(`"[^"]*"`)

// session checks cells in order, as a session would (each cell's
// imports stay in scope), committing each.
type session struct {
	c       *check.Checker
	imports map[string]string
	n       int
}

func newSession() *session {
	return &session{c: check.New(func() map[string]map[string]reflect.Value { return shared }), imports: map[string]string{}}
}

// check checks src as the next cell.
func (s *session) check(t testing.TB, src string) *check.Result {
	t.Helper()
	s.n++
	name := rewrite.FileName(s.n)
	items, err := rewrite.Split(src, name)
	if err != nil {
		t.Fatalf("cell %q does not split: %v", src, err)
	}
	scope := map[string]string{}
	for k, v := range s.imports {
		scope[k] = v
	}
	for _, it := range items {
		if it.Kind != rewrite.Import {
			continue
		}
		for _, m := range quoted.FindAllString(src[it.Start:it.End], -1) {
			path := strings.Trim(m, "\"")
			scope[path[strings.LastIndexByte(path, '/')+1:]] = path
		}
	}
	r := s.c.Check(check.Cell{Src: src, Name: name, Items: items, Imports: scope})
	if len(r.Errors) == 0 {
		s.imports = scope
	}
	s.c.Commit(r)
	return r
}

func errorsOf(r *check.Result) string {
	var b strings.Builder
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "%d:%d: %s\n", e.Line, e.Col, e.Msg)
	}
	return b.String()
}

// TestMistakes checks that each mistake is reported with Go's message at
// the cell's line and column, after earlier cells that are fine.
func TestMistakes(t *testing.T) {
	const setup = `import (
	"gonum.org/v1/gonum/mat"
	"github.com/subspace-kernel/subspace/native/nn"
	"github.com/subspace-kernel/subspace/native/subspace"
	"github.com/subspace-kernel/subspace/native/intrinsic"
)
a := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})
var netA *nn.MLP
x := mat.NewDense(2, 3, nil)
type pt struct{ X, Y float64 }
func (p pt) Norm() float64 { return p.X*p.X + p.Y*p.Y }
func two() (int, error) { return 2, nil }`
	cases := []struct {
		name, cell, want string // want: "LINE:COL: message substring"
	}{
		{"dropped error", "acts := netA.Activations(x)", "1:9: assignment mismatch: 1 variable but netA.Activations returns 2 values"},
		{"count mismatch", "u, v, w := two()", "1:12: assignment mismatch: 3 variables but two returns 2 values"},
		{"wrong argument type", "\nang, err := subspace.PrincipalAnglesDegrees(a.T(), a)", "2:45: cannot use a.T() (value of interface type mat.Matrix) as *mat.Dense value in argument to subspace.PrincipalAnglesDegrees"},
		{"undefined method", "p := pt{1, 2}\np.Length()", "2:3: p.Length undefined (type pt has no field or method Length)"},
		{"wrong argument count", "mat.NewDense(2)", "1:15: not enough arguments in call to mat.NewDense"},
		{"too many arguments", "two(1)", "1:5: too many arguments in call to two"},
		{"shadowed package", "mat := a\nb := mat.NewDense(1, 1, nil)", "2:10: mat.NewDense undefined (type *mat.Dense has no field or method NewDense)"},
		{"shadowed package later cell", "", ""},
		{"undefined", "y := zz + 1", "1:6: undefined: zz"},
		{"every error", "y := zz + 1\nw := yy", "1:6: undefined: zz\n2:6: undefined: yy"},
		{"mismatched types", "k := 1\ns := \"a\" + k", "2:6: invalid operation: \"a\" + k (mismatched types untyped string and int)"},
		{"unused value mid-cell", "a\nx", "1:1: a (variable of type *mat.Dense) is not used"},
		{"chain method", "e := intrinsic.NewTwoNN()\ne.Fitt(a, nil)", "2:3: e.Fitt undefined"},
		{"must of non error", "must(3)", "1:1: must(3): int is not an error"},
		{"no new variables", "q := 1\nq := 2", "2:3: no new variables on left side of :="},
		{"if init scoped", "if q := 3; q > 1 {\n}\nq", "3:1: undefined: q"},
		{"for init scoped", "for i := 0; i < 2; i++ {\n}\ni", "3:1: undefined: i"},
	}
	for _, tc := range cases {
		if tc.cell == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			s := newSession()
			if r := s.check(t, setup); len(r.Errors) > 0 || !r.Checked {
				t.Fatalf("setup: checked %v, errors:\n%s", r.Checked, errorsOf(r))
			}
			r := s.check(t, tc.cell)
			got := errorsOf(r)
			if !strings.Contains(got, tc.want) {
				t.Errorf("cell %q: errors\n%s\nwant %q", tc.cell, got, tc.want)
			}
		})
	}
}

// TestAccepted checks cells Go accepts, and those a notebook relaxes:
// each sequence of cells must check without errors.
func TestAccepted(t *testing.T) {
	cases := []struct {
		name  string
		cells []string
	}{
		{"unused variable and import", []string{"import \"strings\"\nx := 1"}},
		{"last expression", []string{"x := 2\nx * 3"}},
		{"redeclare across cells", []string{"x := 1", "x := \"s\"\nx + \"t\""}},
		{"func across cells", []string{"func f(a int) (int, error) { return a, nil }", "v, err := f(2)\n_ = err\nv + 1"}},
		{"type and method across cells", []string{"type T struct{ A int }", "func (t *T) Inc() { t.A++ }", "v := &T{}\nv.Inc()\nv.A"}},
		{"type redeclared", []string{"type T struct{ A int }\nfunc (t T) M() int { return t.A }", "type T struct{ B string }", "T{B: \"x\"}.B"}},
		{"generic func", []string{"func G[E any](x E) []E { return []E{x} }", "G(3)[0] + 1"}},
		{"consts", []string{"const c = 1.0 / 3\nconst d float32 = 0.1\nconst e = 'x'\nconst s = \"q\"", "var f float64 = c\nvar g float32 = d\nh := s + \"r\"\n_ = e"}},
		{"decl uses statement var", []string{"data := []float64{1, 2}\nfunc sum() float64 { t := 0.0; for _, v := range data { t += v }; return t }\nsum()"}},
		{"decl uses this cell's redefinition", []string{"data := []int{1}", "data := []float64{1.5}\nfunc sum() float64 { t := 0.0; for _, v := range data { t += v }; return t }\nsum()"}},
		{"slices and maps", []string{"import (\"slices\"; \"maps\")\nxs := []int{3, 1}\nslices.Sort(xs)\nslices.Contains(xs, 1)\nm := map[string]int{}\nmaps.Clone(m)"}},
		{"range over int and min", []string{"t := 0\nfor i := range 10 { t += min(i, 3) }\nt"}},
		{"must forms", []string{"import \"strconv\"\nn := must(strconv.Atoi(\"3\"))\nm := must(strconv.Atoi(\"4\"))\nvar err error\nmust(err)\nn + m"}},
		{"math const", []string{"import \"math\"\nvar f float32 = math.Pi\nx := math.MaxInt64\n_ = f\n_ = x"}},
		{"time duration", []string{"import \"time\"\nd := 2 * time.Second\nd.Seconds()"}},
		{"package clause and main", []string{"func main() { println(1) }"}},
		{"interface from plugin", []string{"import \"gonum.org/v1/gonum/mat\"\nvar m mat.Matrix = mat.NewDense(1, 1, nil)\nr, c := m.Dims()\n_, _ = r, c"}},
		{"chain on plugin", []string{"import \"github.com/subspace-kernel/subspace/native/intrinsic\"\nest := intrinsic.NewTwoNN()\nest.DiscardFraction = 0.2"}},
		{"label", []string{"outer:\nfor i := 0; i < 2; i++ { continue outer }"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession()
			for _, cell := range tc.cells {
				r := s.check(t, cell)
				if !r.Checked || len(r.Errors) > 0 {
					t.Fatalf("cell %q: checked %v, errors:\n%s", cell, r.Checked, errorsOf(r))
				}
			}
		})
	}
}

// TestPermissive checks that a cell importing a package the tables lack is
// not checked, nor a later cell using a name it declared, while other
// cells still are.
func TestPermissive(t *testing.T) {
	s := newSession()
	if r := s.check(t, "import \"example.com/notthere\"\nv := notthere.F()"); r.Checked {
		t.Fatalf("a cell importing an unknown package was checked: %s", errorsOf(r))
	}
	if r := s.check(t, "w := v + 1"); r.Checked {
		t.Fatalf("a cell using a name of an unchecked cell was checked: %s", errorsOf(r))
	}
	if r := s.check(t, "z := \"a\" + 1"); !r.Checked || !strings.Contains(errorsOf(r), "1:6: invalid operation") {
		t.Fatalf("an unrelated cell: checked %v, errors %s", r.Checked, errorsOf(r))
	}
	if r := s.check(t, "v := 2"); !r.Checked || len(r.Errors) > 0 {
		t.Fatalf("redeclaring the unknown name: checked %v, errors %s", r.Checked, errorsOf(r))
	}
	if r := s.check(t, "v + \"x\""); !r.Checked || len(r.Errors) == 0 {
		t.Fatalf("once redeclared by a checked cell, the name is known: checked %v, errors %s", r.Checked, errorsOf(r))
	}
}

// TestReset checks that Reset forgets the earlier cells.
func TestReset(t *testing.T) {
	s := newSession()
	s.check(t, "x := 1")
	s.c.Reset()
	if r := s.check(t, "x + 1"); !strings.Contains(errorsOf(r), "undefined: x") {
		t.Fatalf("after Reset: %s", errorsOf(r))
	}
}

// Box is a generic compiled type: reflection names its instances in a way
// Go cannot parse ("Box[int]" with a package path inside).
type Box[T any] struct{ V T }

// TestUnwritableType checks that a variable whose type a stub cannot write
// makes later cells that use it unchecked, not wrongly rejected.
func TestUnwritableType(t *testing.T) {
	tables := map[string]map[string]reflect.Value{
		"example.com/gen": {"Make": reflect.ValueOf(func() Box[*Box[int]] { return Box[*Box[int]]{} })},
		"fmt":             shared["fmt"],
	}
	s := newSession()
	s.c = check.New(func() map[string]map[string]reflect.Value { return tables })
	if r := s.check(t, "import \"example.com/gen\"\nb := gen.Make()\nb.V"); !r.Checked || len(r.Errors) > 0 {
		t.Fatalf("first cell: checked %v, errors %s", r.Checked, errorsOf(r))
	}
	if r := s.check(t, "b.V"); r.Checked {
		t.Fatalf("a cell using b was checked: %s", errorsOf(r))
	}
	if r := s.check(t, "import \"fmt\"\nfmt.Sprint(1)"); !r.Checked || len(r.Errors) > 0 {
		t.Fatalf("other cells: checked %v, errors %s", r.Checked, errorsOf(r))
	}
}

// TestTypesAnswers checks the answers to the rewrites' questions
// (rewrite.Types): integer operands and the results of calls.
func TestTypesAnswers(t *testing.T) {
	s := newSession()
	s.check(t, "import (\"strconv\"; \"fmt\")\ntype Count int\nfunc two() (int, error) { return 2, nil }\nfunc void() {}")
	src := "n := Count(3)\nf := 2.5\nfor i := range n { _ = i }\nfor j := range 4 { _ = j }\nfor k := range f { _ = k }\nstrconv.Atoi(\"1\")\nfmt.Println()\ntwo()\nstrconv.Itoa(1)\nvoid()"
	r := s.check(t, src)
	items := r.Items()
	var ranges []bool
	var calls []string
	for _, it := range items {
		ast.Inspect(it.Node(), func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.RangeStmt:
				isInt, known := r.IsInt(it, x.X, nil)
				ranges = append(ranges, isInt && known)
			case *ast.ExprStmt:
				if call, ok := x.X.(*ast.CallExpr); ok {
					n, lastErr, known := r.Results(it, call)
					calls = append(calls, fmt.Sprint(n, lastErr, known))
				}
			}
			return true
		})
	}
	if fmt.Sprint(ranges) != "[true true false]" {
		t.Errorf("range operands are integers: %v, want [true true false]", ranges)
	}
	if want := "[2 true true 2 true true 2 true true 1 false true 0 false true]"; fmt.Sprint(calls) != want {
		t.Errorf("results of calls: %v, want %s", calls, want)
	}
}
