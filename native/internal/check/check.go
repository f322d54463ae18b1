// Package check validates the arguments every estimator of the native
// packages takes: matrices that must be non-nil, non-empty and finite, pairs
// of matrices whose row (or column) counts must agree, and neighbour counts
// k that must lie in a range.
//
// A Checker carries the calling package's name, which starts every message
// ("similarity: X is nil (nil matrix)"), an optional sentinel error that
// errors about empty matrices wrap (so that errors.Is keeps working for
// packages exporting one), and the wording of NaN/Inf positions. Every
// error names the argument and the offending value, shape or position.
package check

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// Style selects how a non-finite element is worded.
type Style int

const (
	// ValueAt words a NaN/Inf as "X has a non-finite value NaN at row 3,
	// column 2" (float32: "X has a non-finite value: element (3, 2) is NaN",
	// the wording of mat32.Dense.CheckFinite).
	ValueAt Style = iota
	// ElementIs words a NaN/Inf as "X element (row 3, column 2) is NaN", for
	// float64 and float32 alike.
	ElementIs
)

// Checker validates arguments on behalf of one package. The zero value is
// usable but its messages have an empty prefix; set Prefix.
type Checker struct {
	// Prefix starts every message, followed by ": " (e.g. "knn").
	Prefix string
	// Empty, when non-nil, is wrapped by the errors about empty matrices:
	// their text starts with Empty's and errors.Is(err, Empty) holds.
	Empty error
	// Style is the wording of NaN/Inf positions.
	Style Style
}

// New returns a Checker whose messages start with prefix + ": ", in the
// ValueAt style, with no empty-input sentinel. O(1).
func New(prefix string) Checker { return Checker{Prefix: prefix} }

// Errorf formats an error whose text starts with the checker's prefix. It
// wraps an error given for a %w verb, as fmt.Errorf does. O(len(format)).
func (c Checker) Errorf(format string, args ...any) error {
	return fmt.Errorf(c.Prefix+": "+format, args...)
}

func (c Checker) nilErr(name string) error {
	return c.Errorf("%s is nil (nil matrix)", name)
}

func (c Checker) emptyErr(name string, r, cols int) error {
	if c.Empty != nil {
		return fmt.Errorf("%w: %s is empty (%d x %d)", c.Empty, name, r, cols)
	}
	return c.Errorf("%s is empty (%d x %d)", name, r, cols)
}

func (c Checker) nonFinite(name string, i, j int, v float64, f32 bool) error {
	switch {
	case c.Style == ElementIs && f32:
		return c.Errorf("%s element (row %d, column %d) is %v", name, i, j, float32(v))
	case c.Style == ElementIs:
		return c.Errorf("%s element (row %d, column %d) is %v", name, i, j, v)
	case f32:
		return c.Errorf("%s has a non-finite value: element (%d, %d) is %v", name, i, j, float32(v))
	}
	return c.Errorf("%s has a non-finite value %v at row %d, column %d", name, v, i, j)
}

// Shape returns the dimensions of m, or an error when m is nil or has no
// rows or no columns. It does not look at the values. O(1).
func (c Checker) Shape(name string, m *mat.Dense) (rows, cols int, err error) {
	if m == nil {
		return 0, 0, c.nilErr(name)
	}
	if m.IsEmpty() {
		return 0, 0, c.emptyErr(name, 0, 0)
	}
	rows, cols = m.Dims()
	return rows, cols, nil
}

// Shape32 is Shape for a float32 matrix. O(1).
func (c Checker) Shape32(name string, m *mat32.Dense) (rows, cols int, err error) {
	if m == nil {
		return 0, 0, c.nilErr(name)
	}
	rows, cols = m.Dims()
	if rows == 0 || cols == 0 {
		return 0, 0, c.emptyErr(name, rows, cols)
	}
	return rows, cols, nil
}

// Dense returns the dimensions of m, or an error when m is nil, empty or
// holds a NaN or an Inf (the first one in row-major order, with its row and
// column). O(rows cols) time, no allocation.
func (c Checker) Dense(name string, m *mat.Dense) (rows, cols int, err error) {
	if rows, cols, err = c.Shape(name, m); err != nil {
		return 0, 0, err
	}
	raw := m.RawMatrix()
	for i := 0; i < rows; i++ {
		if j, ok := firstNonFinite(raw.Data[i*raw.Stride : i*raw.Stride+cols]); !ok {
			return 0, 0, c.nonFinite(name, i, j, raw.Data[i*raw.Stride+j], false)
		}
	}
	return rows, cols, nil
}

// Matrix is Dense for any mat.Matrix: it returns m itself when it is a
// *mat.Dense, otherwise a *mat.Dense copy of it, after checking that it is
// non-nil, non-empty and finite. For APIs that only read their input and
// accept any gonum matrix (a transpose, a view). O(rows cols) time; the
// copy, when made, O(rows cols) memory.
func (c Checker) Matrix(name string, m mat.Matrix) (d *mat.Dense, rows, cols int, err error) {
	if m == nil {
		return nil, 0, 0, c.nilErr(name)
	}
	d, ok := m.(*mat.Dense)
	if !ok {
		if r, cc := m.Dims(); r == 0 || cc == 0 {
			return nil, 0, 0, c.emptyErr(name, r, cc)
		}
		d = mat.DenseCopyOf(m)
	}
	if rows, cols, err = c.Dense(name, d); err != nil {
		return nil, 0, 0, err
	}
	return d, rows, cols, nil
}

// Dense32 is Dense for a float32 matrix. O(rows cols) time, no allocation.
func (c Checker) Dense32(name string, m *mat32.Dense) (rows, cols int, err error) {
	if rows, cols, err = c.Shape32(name, m); err != nil {
		return 0, 0, err
	}
	data := m.RawData()
	if k, ok := firstNonFinite(data); !ok {
		return 0, 0, c.nonFinite(name, k/cols, k%cols, float64(data[k]), true)
	}
	return rows, cols, nil
}

// Finite returns an error naming the first NaN or Inf of v, a row-major
// matrix with the given number of columns (cols >= 1), with its row and
// column. O(len(v)).
func (c Checker) Finite(name string, v []float64, cols int) error {
	if k, ok := firstNonFinite(v); !ok {
		return c.nonFinite(name, k/cols, k%cols, v[k], false)
	}
	return nil
}

// Finite32 is Finite for float32 values. O(len(v)).
func (c Checker) Finite32(name string, v []float32, cols int) error {
	if k, ok := firstNonFinite(v); !ok {
		return c.nonFinite(name, k/cols, k%cols, float64(v[k]), true)
	}
	return nil
}

// firstNonFinite returns the index of the first NaN or Inf of v and false,
// or (0, true) when every value is finite. O(len(v)).
func firstNonFinite[T float32 | float64](v []T) (int, bool) {
	for k, x := range v {
		f := float64(x)
		// x - x is NaN exactly for NaN and ±Inf.
		if f-f != 0 {
			return k, false
		}
	}
	return 0, true
}

// SameRows returns an error when the row counts nx of x and ny of y differ:
// "X has 10 rows but Y has 9", followed by ": " and why when why is not
// empty. O(1).
func (c Checker) SameRows(x string, nx int, y string, ny int, why string) error {
	return c.same("rows", x, nx, y, ny, why)
}

// SameCols is SameRows for column counts. O(1).
func (c Checker) SameCols(x string, nx int, y string, ny int, why string) error {
	return c.same("columns", x, nx, y, ny, why)
}

func (c Checker) same(what, x string, nx int, y string, ny int, why string) error {
	if nx == ny {
		return nil
	}
	if why != "" {
		return c.Errorf("%s has %d %s but %s has %d: %s", x, nx, what, y, ny, why)
	}
	return c.Errorf("%s has %d %s but %s has %d", x, nx, what, y, ny)
}

// K returns an error unless lo <= k <= hi: "k = 5 must be in [1, 4]",
// followed by ": " and why when why is not empty; name is how the count is
// called in the package ("k", "K"). O(1).
func (c Checker) K(name string, k, lo, hi int, why string) error {
	if k >= lo && k <= hi {
		return nil
	}
	if why != "" {
		return c.Errorf("%s = %d must be in [%d, %d]: %s", name, k, lo, hi, why)
	}
	return c.Errorf("%s = %d must be in [%d, %d]", name, k, lo, hi)
}
