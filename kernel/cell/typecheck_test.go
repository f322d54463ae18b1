package cell

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/subspace-kernel/subspace/plugins/symbols"
	"github.com/traefik/yaegi/interp"
	"gonum.org/v1/gonum/mat"
)

// TestTypeErrorsDoNotRun checks that a cell with a type error fails with
// Go's message at its line and column, runs nothing (no output, no state
// change), and that the state of earlier cells survives.
func TestTypeErrorsDoNotRun(t *testing.T) {
	s, out, errb := newSession(t)
	if err := s.Use(interp.Exports(symbols.Symbols)); err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, out, errb, []step{
		{name: "setup", code: "import (\n\t\"fmt\"\n\t\"strconv\"\n\t\"gonum.org/v1/gonum/mat\"\n\t\"github.com/subspace-kernel/subspace/native/subspace\"\n)\nn := 1\na := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})", out: ""},
		{name: "error after output", code: "fmt.Println(\"ran\")\nn = 2\nm := n + \"x\"", errName: "CompileError",
			errVal: "cell:3:6: invalid operation: n + \"x\" (mismatched types int and untyped string)", tb: "    m := n + \"x\"\n         ^", out: ""},
		{name: "state survives and did not change", code: "n", value: "1", hasVal: true, out: ""},
		{name: "wrong argument type", code: "ang, err := subspace.PrincipalAnglesDegrees(a.T(), a)", errName: "CompileError",
			errVal: "cell:1:45: cannot use a.T() (value of interface type mat.Matrix) as *mat.Dense value in argument to subspace.PrincipalAnglesDegrees", out: ""},
		{name: "dropped error", code: "v := strconv.Atoi(\"3\")", errName: "CompileError",
			errVal: "cell:1:6: assignment mismatch: 1 variable but strconv.Atoi returns 2 values", out: ""},
		{name: "count mismatch names the function", code: "func two() (int, error) { return 2, nil }\nx, y, z := two()", errName: "CompileError",
			errVal: "cell:2:12: assignment mismatch: 3 variables but two returns 2 values", out: ""},
		{name: "declaration of a failed cell is unknown", code: "two()", errName: "CompileError", errVal: "cell:1:1: undefined: two"},
		{name: "unused variable and import are fine", code: "import \"strings\"\nunused := 3", out: ""},
		{name: "next cell runs", code: "n + 1", value: "2", hasVal: true, out: ""},
	})
}

// TestMust checks the built-in must: its value, the failure it raises on
// a non-nil error, its forms, and its type in later cells.
func TestMust(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "value of a call", code: "import (\"errors\"; \"strconv\")\nv := must(strconv.Atoi(\"41\"))\nv + 1", value: "42", hasVal: true, out: ""},
		{name: "typed in a later cell", code: "var w int = v\nw", value: "41", hasVal: true, out: ""},
		{name: "pair form", code: "x, err := strconv.ParseFloat(\"2.5\", 64)\nmust(x, err) * 2", value: "5", hasVal: true, out: ""},
		{name: "error form nil", code: "var e error\nmust(e)\n\"ok\"", value: "ok", hasVal: true, out: ""},
		{name: "fails the cell", code: "q := must(strconv.Atoi(\"x\"))\nq", errName: "panic", errVal: "strconv.Atoi: parsing \"x\": invalid syntax", out: ""},
		{name: "error form fails", code: "must(errors.New(\"boom\"))", errName: "panic", errVal: "boom", out: ""},
		{name: "in a function", code: "func parse(s string) int { return must(strconv.Atoi(s)) * 10 }\nparse(\"7\")", value: "70", hasVal: true, out: ""},
		{name: "not an error", code: "must(3)", errName: "CompileError", errVal: "cell:1:1: must(3): int is not an error"},
		{name: "user's own must wins", code: "func must(b bool) string { if b { return \"yes\" }; return \"no\" }\nmust(true)", value: "yes", hasVal: true, out: ""},
	})
}

// TestScopedInits checks that the variables of a top-level for, if or
// switch header stay in their statement, as in Go.
func TestScopedInits(t *testing.T) {
	s, out, errb := newSession(t)
	runSteps(t, s, out, errb, []step{
		{name: "for", code: "import \"fmt\"\nt := 0\nfor i := 0; i < 3; i++ {\n\tt += i\n}\nt", value: "3", hasVal: true, out: ""},
		{name: "for var does not leak", code: "i", errName: "CompileError", errVal: "cell:1:1: undefined: i"},
		{name: "if", code: "if q := t * 2; q > 1 {\n\tt = q\n}\nt", value: "6", hasVal: true, out: ""},
		{name: "if var does not leak", code: "q", errName: "CompileError", errVal: "cell:1:1: undefined: q"},
		{name: "switch", code: "switch k := t; k {\ncase 6:\n\tt++\n}\nt", value: "7", hasVal: true, out: ""},
		{name: "switch var does not leak", code: "k + 1", errName: "CompileError", errVal: "cell:1:1: undefined: k"},
		{name: "names free for declarations", code: "var i = \"s\"\nfunc q() string { return i + \"!\" }\ntype k struct{ A int }\nq() + fmt.Sprint(k{A: 1})", value: "s!{1}", hasVal: true, out: ""},
		{name: "and for functions", code: "func i2() int { for i := 0; i < 2; i++ {}; return 0 }\ni2()", value: "0", hasVal: true, out: ""},
	})
}

// TestCompleteCallChain checks completion and inspection after a call
// chain, answered by the type checker (nothing runs).
func TestCompleteCallChain(t *testing.T) {
	s, out, errb := newSession(t)
	if err := s.Use(interp.Exports(symbols.Symbols)); err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, out, errb, []step{
		{name: "setup", code: "import (\n\t\"gonum.org/v1/gonum/mat\"\n\t\"github.com/subspace-kernel/subspace/native/intrinsic\"\n)\nx := mat.NewDense(2, 2, nil)\ntype box struct{ inner *mat.Dense; N int }\nfunc mk() box { return box{} }", out: ""},
	})
	cases := []struct {
		code string
		want []string
	}{
		{"intrinsic.NewTwoNN().", []string{"Fit", "DiscardFraction"}},
		{"x.T().", []string{"Dims", "At", "T"}},
		{"y := 3\nx.T().D", []string{"Dims"}},
		{"mk().", []string{"inner", "N"}},
		{"mk().inner.RawMatrix().", []string{"Rows", "Cols", "Data", "Stride"}},
		{"fmt.Println(x.Slice(0, 1, 0, 1).", []string{"Dims"}},
		{"mu", []string{"must"}},
	}
	for _, tc := range cases {
		res := s.Complete(tc.code, len([]rune(tc.code)))
		got := strings.Join(res.Matches, " ")
		for _, w := range tc.want {
			if !slices.Contains(res.Matches, w) {
				t.Errorf("complete %q: matches %q lack %s", tc.code, got, w)
			}
		}
	}
	for _, tc := range []struct{ code, want string }{
		{"x.T().Dims", "x.T().Dims func() (int, int)"},
		{"intrinsic.NewTwoNN().Fit", "intrinsic.NewTwoNN().Fit func("},
		{"mk().inner", "mk().inner *mat.Dense"},
		{"must", "func must[T any](v T, err ...error) T"},
	} {
		res := s.Inspect(tc.code, len(tc.code), 0)
		if !res.Found || !strings.Contains(res.Text, tc.want) {
			t.Errorf("inspect %q: found %v, text %q, want %q", tc.code, res.Found, res.Text, tc.want)
		}
	}
}

// TestMustCompiled checks must on a compiled call returning a slice of
// matrices and an error, the case of yaegi bug 1 (`acts, err := ...` then
// `acts[0]` failed with "constant definition loop").
func TestMustCompiled(t *testing.T) {
	s, out, errb := newSession(t)
	if err := s.Use(interp.Exports(symbols.Symbols)); err != nil {
		t.Fatal(err)
	}
	err := s.Use(interp.Exports{"example.com/acts/acts": {
		"Activations": reflect.ValueOf(func(n int) ([]*mat.Dense, error) {
			if n < 0 {
				return nil, errors.New("acts: negative n")
			}
			out := make([]*mat.Dense, n)
			for i := range out {
				out[i] = mat.NewDense(i+1, 2, nil)
			}
			return out, nil
		}),
	}})
	if err != nil {
		t.Fatal(err)
	}
	runSteps(t, s, out, errb, []step{
		{name: "must", code: "import (\"example.com/acts\"; \"gonum.org/v1/gonum/mat\")\nas := must(acts.Activations(3))\nz := as[2]\nr, _ := z.Dims()\nr", value: "3", hasVal: true, out: ""},
		{name: "later cell", code: "last := as[1]\nlast.RawMatrix().Rows", value: "2", hasVal: true, out: ""},
		{name: "failing", code: "bad := must(acts.Activations(-1))\nlen(bad)", errName: "panic", errVal: "acts: negative n", out: ""},
		{name: "dropped error", code: "as2 := acts.Activations(2)", errName: "CompileError", errVal: "cell:1:8: assignment mismatch: 1 variable but acts.Activations returns 2 values"},
	})
}
