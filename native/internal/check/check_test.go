package check

import (
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

func TestMessages(t *testing.T) {
	errEmpty := errors.New("pkg: empty input")
	plain := New("pkg")
	elem := Checker{Prefix: "knn", Style: ElementIs}
	sentinel := Checker{Prefix: "pkg", Empty: errEmpty}

	nan := mat.NewDense(4, 3, nil)
	nan.Set(3, 2, math.NaN())
	inf := mat.NewDense(8, 2, nil)
	inf.Set(7, 1, math.Inf(-1))
	nan32 := mat32.FromDense(nan)

	second := func(_, _ int, err error) error { return err }
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil", second(plain.Dense("X", nil)), "pkg: X is nil (nil matrix)"},
		{"nil32", second(plain.Dense32("X", nil)), "pkg: X is nil (nil matrix)"},
		{"empty", second(plain.Dense("X", &mat.Dense{})), "pkg: X is empty (0 x 0)"},
		{"empty32", second(plain.Dense32("data", mat32.Zeros(0, 3))), "pkg: data is empty (0 x 3)"},
		{"empty sentinel", second(sentinel.Shape("Y", &mat.Dense{})), "pkg: empty input: Y is empty (0 x 0)"},
		{"nan", second(plain.Dense("X", nan)), "pkg: X has a non-finite value NaN at row 3, column 2"},
		{"inf", second(plain.Dense("queries", inf)), "pkg: queries has a non-finite value -Inf at row 7, column 1"},
		{"nan32", second(plain.Dense32("X", nan32)), "pkg: X has a non-finite value: element (3, 2) is NaN"},
		{"element", second(elem.Dense("data", nan)), "knn: data element (row 3, column 2) is NaN"},
		{"element32", second(elem.Dense32("data", nan32)), "knn: data element (row 3, column 2) is NaN"},
		{"flat", plain.Finite("x", []float64{1, 2, 3, math.Inf(1)}, 1), "pkg: x has a non-finite value +Inf at row 3, column 0"},
		{"flat32", elem.Finite32("q", []float32{1, 2, 3, float32(math.NaN())}, 2), "knn: q element (row 1, column 1) is NaN"},
		{"rows", plain.SameRows("X", 10, "Y", 9, "rows must be the same stimuli"), "pkg: X has 10 rows but Y has 9: rows must be the same stimuli"},
		{"rows bare", plain.SameRows("x", 3, "target", 2, ""), "pkg: x has 3 rows but target has 2"},
		{"cols", plain.SameCols("x", 2, "ref", 4, ""), "pkg: x has 2 columns but ref has 4"},
		{"k low", plain.K("k", 0, 1, 9, ""), "pkg: k = 0 must be in [1, 9]"},
		{"k high", elem.K("K", 10, 1, 9, "it must be less than the number of data rows (10)"),
			"knn: K = 10 must be in [1, 9]: it must be less than the number of data rows (10)"},
	}
	for _, c := range cases {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, c.err, c.want)
		}
	}
	if err := second(sentinel.Dense32("X", mat32.Zeros(2, 0))); !errors.Is(err, errEmpty) {
		t.Errorf("empty float32 error %v does not wrap the sentinel", err)
	}
	if err := second(plain.Dense("X", &mat.Dense{})); errors.Is(err, errEmpty) {
		t.Errorf("error %v wraps a sentinel it was not given", err)
	}
}

func TestValid(t *testing.T) {
	c := New("pkg")
	wide := mat.NewDense(2, 3, []float64{1, 2, math.NaN(), 3, 4, math.Inf(1)})
	view := wide.Slice(0, 2, 0, 2).(*mat.Dense)
	if r, k, err := c.Dense("view", view); err != nil || r != 2 || k != 2 {
		t.Errorf("finite strided view: %d x %d, %v", r, k, err)
	}
	m32, _ := mat32.New(2, 3, []float32{1, 2, 3, 4, 5, 6})
	if r, k, err := c.Dense32("m", m32); err != nil || r != 2 || k != 3 {
		t.Errorf("float32: %d x %d, %v", r, k, err)
	}
	if err := c.SameRows("a", 3, "b", 3, "x"); err != nil {
		t.Errorf("equal rows: %v", err)
	}
	for _, k := range []int{1, 5, 9} {
		if err := c.K("k", k, 1, 9, ""); err != nil {
			t.Errorf("k = %d: %v", k, err)
		}
	}
	if err := c.Finite("v", []float64{0, -1, math.MaxFloat64, -math.MaxFloat64}, 2); err != nil {
		t.Errorf("finite extremes: %v", err)
	}
}

// TestMatrix: Matrix returns a *mat.Dense argument itself, copies other
// matrices (a transpose), and reports nil, empty and NaN inputs as Dense
// does.
func TestMatrix(t *testing.T) {
	c := New("pkg")
	a := mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})
	d, r, k, err := c.Matrix("a", a)
	if err != nil || d != a || r != 2 || k != 3 {
		t.Fatalf("dense: %p %d x %d %v", d, r, k, err)
	}
	d, r, k, err = c.Matrix("a", a.T())
	if err != nil || r != 3 || k != 2 || d.At(2, 1) != 6 {
		t.Fatalf("transpose: %v %d x %d %v", d, r, k, err)
	}
	nan := mat.NewDense(2, 2, []float64{1, 2, math.NaN(), 4})
	for _, tc := range []struct {
		m    mat.Matrix
		want string
	}{
		{nil, "pkg: X is nil (nil matrix)"},
		{(*mat.Dense)(nil), "pkg: X is nil (nil matrix)"},
		{&mat.Dense{}, "pkg: X is empty (0 x 0)"},
		{nan.T(), "pkg: X has a non-finite value NaN at row 0, column 1"},
	} {
		if _, _, _, err := c.Matrix("X", tc.m); err == nil || err.Error() != tc.want {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}
