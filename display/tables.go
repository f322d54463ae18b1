package display

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"

	"github.com/subspace-kernel/subspace/native/mat32"
	"gonum.org/v1/gonum/mat"
)

// MatrixTable returns the table of a gonum matrix (any mat.Matrix: *Dense,
// *VecDense, *SymDense, ...) with row and column indices as labels. Only the
// shown cells are read, formatted and stored: O(MaxRows*MaxCols) time and
// memory whatever the matrix size.
func MatrixTable(m mat.Matrix) *Table {
	return matrixTableOf(m, CurrentTableOptions())
}

func matrixTableOf(m mat.Matrix, o TableOptions) *Table {
	r, c := m.Dims()
	return matrixTable(fmt.Sprintf("%T %d×%d", m, r, c), r, c, m.At, o)
}

// Mat32Table is MatrixTable for a float32 mat32.Dense.
func Mat32Table(m *mat32.Dense) *Table {
	return mat32Table(m, CurrentTableOptions())
}

func mat32Table(m *mat32.Dense, o TableOptions) *Table {
	r, c := m.Dims()
	return matrixTable(fmt.Sprintf("mat32.Dense %d×%d", r, c), r, c,
		func(i, j int) float64 { return float64(m.At(i, j)) }, o)
}

func matrixTable(caption string, r, c int, at func(i, j int) float64, o TableOptions) *Table {
	rows, rgap := keep(r, o.MaxRows)
	cols, cgap := keep(c, o.MaxCols)
	// Only the shown cells are read, formatted and stored.
	t := &Table{Caption: caption, Header: make([]string, len(cols)), RowLabels: make([]string, len(rows)),
		Rows: make([][]string, len(rows)), Numeric: make([]bool, len(cols)),
		rowsTrimmed: true, colsTrimmed: true, rowGap: rgap, colGap: cgap}
	for k, j := range cols {
		t.Header[k] = strconv.Itoa(j)
		t.Numeric[k] = true
	}
	for k, i := range rows {
		t.RowLabels[k] = strconv.Itoa(i)
		row := make([]string, len(cols))
		for m, j := range cols {
			row[m] = FormatFloat(at(i, j), o.Digits)
		}
		t.Rows[k] = row
	}
	return t
}

// formatValue formats one table cell: numbers compactly (floats with
// digits significant digits), anything else as Compact does in width
// characters. It reports whether the cell is a number.
func formatValue(v reflect.Value, digits, width int) (string, bool) {
	t := valueText{digits: digits}
	if s, ok := t.method(v); ok {
		return clip(s, width), false
	}
	switch v.Kind() {
	case reflect.Float32:
		return FormatFloat(v.Float(), min(digits, 7)), true
	case reflect.Float64:
		return FormatFloat(v.Float(), digits), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10), true
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return FormatFloat(real(c), digits) + sign(imag(c)) + FormatFloat(math.Abs(imag(c)), digits) + "i", true
	case reflect.String:
		return clip(v.String(), width), false
	case reflect.Interface:
		if v.IsNil() {
			return "<nil>", false
		}
		return formatValue(v.Elem(), digits, width)
	}
	return t.format(v, width, false), false
}

func sign(x float64) string {
	if x < 0 {
		return "-"
	}
	return "+"
}

// StructsTable returns the table of a slice (or array) of structs or
// pointers to structs: one column per exported field, one row per element
// (row labels are indices); nested values are elided to Limits.Cell
// characters (see Compact). It reports false when v is not such a slice.
// Only the shown rows are formatted and stored: O(MaxRows*fields*Cell).
func StructsTable(v any) (*Table, bool) { return structsTable(v, currentConfig()) }

func structsTable(v any, c config) (*Table, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	et := rv.Type().Elem()
	ptr := et.Kind() == reflect.Pointer
	if ptr {
		et = et.Elem()
	}
	if et.Kind() != reflect.Struct {
		return nil, false
	}
	fields := exportedFields(et)
	if len(fields) == 0 {
		return nil, false
	}
	header := make([]string, len(fields))
	for k, i := range fields {
		header[k] = fieldName(et, i)
	}
	o := c.table
	n := rv.Len()
	rows, rgap := keep(n, o.MaxRows)
	t := &Table{Caption: fmt.Sprintf("%s (%d rows)", typeName(rv.Type()), n), Header: header,
		RowLabels: make([]string, len(rows)), Rows: make([][]string, len(rows)), Numeric: make([]bool, len(fields)),
		rowsTrimmed: true, rowGap: rgap}
	for k, i := range rows {
		t.RowLabels[k] = strconv.Itoa(i)
		e := rv.Index(i)
		row := make([]string, len(fields))
		t.Rows[k] = row
		if ptr && e.IsNil() {
			for f := range row {
				row[f] = "<nil>"
			}
			continue
		}
		e = reflect.Indirect(e)
		for f, fi := range fields {
			s, num := formatValue(e.Field(fi), o.Digits, c.limits.Cell)
			row[f] = s
			t.Numeric[f] = t.Numeric[f] || num
		}
	}
	return t, true
}

// StructTable returns the table of one struct, or of the struct a pointer
// points to: a row per exported field, its name and its value as fmt
// prints it, nested values elided to Limits.Cell characters (see
// Compact); the caption is the type. It reports false when v is neither,
// or has no exported field. O(fields*Cell).
func StructTable(v any) (*Table, bool) { return structTable(v, currentConfig()) }

func structTable(v any, c config) (*Table, bool) {
	rv := reflect.ValueOf(v)
	caption := ""
	vt := valueText{digits: c.table.Digits}
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		caption = "&"
		vt.enter(rv.Pointer()) // a field pointing back is not followed
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, false
	}
	fields := exportedFields(rv.Type())
	if len(fields) == 0 {
		return nil, false
	}
	t := &Table{Caption: caption + typeName(rv.Type()), RowLabels: make([]string, len(fields)),
		Rows: make([][]string, len(fields)), rowsTrimmed: true, rowGap: -1}
	for k, i := range fields {
		t.RowLabels[k] = fieldName(rv.Type(), i)
		t.Rows[k] = []string{vt.format(rv.Field(i), c.limits.Cell, false)}
	}
	return t, true
}

// MapTable returns the table of a map: a "key" and a "value" column, keys
// sorted (numbers numerically, anything else by its text), nested values
// elided to Limits.Cell characters. It reports false when v is not a map.
// O(n log n) for the sort of n keys.
func MapTable(v any) (*Table, bool) { return mapTable(v, currentConfig()) }

func mapTable(v any, c config) (*Table, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, false
	}
	o := c.table
	keys := rv.MapKeys()
	sortValues(keys)
	rows, rgap := keep(len(keys), o.MaxRows)
	t := &Table{Caption: fmt.Sprintf("%s (%d entries)", typeName(rv.Type()), len(keys)),
		Header: []string{"key", "value"}, Rows: make([][]string, len(rows)), Numeric: make([]bool, 2),
		rowsTrimmed: true, rowGap: rgap}
	for k, i := range rows {
		ks, kn := formatValue(keys[i], o.Digits, c.limits.Cell)
		vs, vn := formatValue(rv.MapIndex(keys[i]), o.Digits, c.limits.Cell)
		t.Rows[k] = []string{ks, vs}
		t.Numeric[0] = t.Numeric[0] || kn
		t.Numeric[1] = t.Numeric[1] || vn
	}
	return t, true
}

func sortValues(keys []reflect.Value) {
	if len(keys) == 0 {
		return
	}
	switch keys[0].Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		sort.Slice(keys, func(a, b int) bool { return keys[a].Int() < keys[b].Int() })
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		sort.Slice(keys, func(a, b int) bool { return keys[a].Uint() < keys[b].Uint() })
	case reflect.Float32, reflect.Float64:
		sort.Slice(keys, func(a, b int) bool { return keys[a].Float() < keys[b].Float() })
	case reflect.String:
		sort.Slice(keys, func(a, b int) bool { return keys[a].String() < keys[b].String() })
	default:
		s := make([]string, len(keys))
		for i, k := range keys {
			s[i] = fmt.Sprintf("%v", k)
		}
		idx := make([]int, len(keys))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return s[idx[a]] < s[idx[b]] })
		sorted := make([]reflect.Value, len(keys))
		for i, j := range idx {
			sorted[i] = keys[j]
		}
		copy(keys, sorted)
	}
}

// tableConverter renders matrices, structs, slices of structs and maps as
// tables; a value with a String or Error method is left to Text, as fmt
// prints it.
func tableConverter(v any, c config) (Bundle, bool) {
	switch m := v.(type) {
	case nil:
		return Bundle{}, false
	case *mat32.Dense:
		if m == nil {
			return Bundle{}, false
		}
		return mat32Table(m, c.table).bundle(c.table), true
	case mat.Matrix:
		if isNilPointer(v) {
			return Bundle{}, false
		}
		return matrixTableOf(m, c.table).bundle(c.table), true
	case error, fmt.Stringer:
		return Bundle{}, false
	}
	if isNilPointer(v) {
		return Bundle{}, false
	}
	for _, table := range []func(any, config) (*Table, bool){structTable, structsTable, mapTable} {
		if t, ok := table(v, c); ok {
			return t.bundle(c.table), true
		}
	}
	return Bundle{}, false
}
