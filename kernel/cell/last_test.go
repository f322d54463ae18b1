package cell

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
)

// TestLastExpressionOnce counts the evaluations that hand yaegi a cell's
// last expression: one for every shape of expression (a value, a void
// call, calls with one, several or an error result, of cell functions,
// methods, generic functions, builtins and compiled packages), and its
// side effects happen once.
func TestLastExpressionOnce(t *testing.T) {
	s, _, _ := newSession(t)
	if err := s.Use(interp.Exports{"example.com/show/show": {
		"Show": reflect.ValueOf(func(v any) error { return nil }),
		"Fail": reflect.ValueOf(func(v any) error { return errors.New("cannot") }),
	}}); err != nil {
		t.Fatal(err)
	}
	setup := `import (
	"fmt"
	"strconv"
	"example.com/show"
)
calls := 0
x := 21
func noop() { calls++ }
func two() (int, string) { calls++; return 1, "a" }
func check(ok bool) error { calls++; return nil }
func bump() int { calls++; return calls }
func Sum[T int | float64](xs []T) T { calls++; var s T; for _, x := range xs { s += x }; return s }
type P struct{ A int }
func (p P) Twice() (int, error) { calls++; return 2 * p.A, nil }
p := P{4}
xs := []int{1, 2, 3}`
	if r := s.Execute(context.Background(), setup); r.Err != nil {
		t.Fatal(r.Err)
	}
	for _, c := range []struct {
		expr, value string
		hasVal      bool
		calls       int // increments of calls
	}{
		{"x * 2", "42", true, 0},
		{"noop()", "", false, 1},
		{"two()", "[1 a]", true, 1},
		{"check(true)", "", false, 1},
		{"bump()", "", true, 1},
		{"Sum([]int{1, 2})", "3", true, 1},
		{"p.Twice()", "8", true, 1},
		{"len(xs)", "3", true, 0},
		{"fmt.Println(\"z\")", "", false, 0},
		{"strconv.Atoi(\"12\")", "12", true, 0},
		{"show.Show(3)", "", false, 0},
		{"show.Fail(3)", "cannot", true, 0},
		{"func() int { calls++; return 5 }()", "5", true, 1},
	} {
		before := s.Execute(context.Background(), "calls").Value.(int)
		var n int
		s.onEval = func(src string) {
			if strings.Contains(src, c.expr) {
				n++
			}
		}
		r := s.Execute(context.Background(), "y := 1\n"+c.expr)
		s.onEval = nil
		if r.Err != nil {
			t.Fatalf("%s: %v", c.expr, r.Err)
		}
		if n != 1 {
			t.Errorf("%s: evaluated %d times, want once", c.expr, n)
		}
		if r.HasValue != c.hasVal || (c.value != "" && fmt.Sprint(r.Value) != c.value) {
			t.Errorf("%s: value %v (%v), want %s (%v)", c.expr, r.Value, r.HasValue, c.value, c.hasVal)
		}
		if after := s.Execute(context.Background(), "calls").Value.(int); after-before != c.calls {
			t.Errorf("%s: %d calls, want %d", c.expr, after-before, c.calls)
		}
	}
}
