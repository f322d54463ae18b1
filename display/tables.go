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
	r, c := m.Dims()
	return matrixTable(fmt.Sprintf("%T %d×%d", m, r, c), r, c, m.At)
}

// Mat32Table is MatrixTable for a float32 mat32.Dense.
func Mat32Table(m *mat32.Dense) *Table {
	r, c := m.Dims()
	return matrixTable(fmt.Sprintf("mat32.Dense %d×%d", r, c), r, c,
		func(i, j int) float64 { return float64(m.At(i, j)) })
}

func matrixTable(caption string, r, c int, at func(i, j int) float64) *Table {
	o := CurrentTableOptions()
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

// formatValue formats one table cell: floats compactly, everything else
// with %v.
func formatValue(v reflect.Value, digits int) (string, bool) {
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
		return v.String(), false
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return "<nil>", false
		}
		if v.Kind() == reflect.Interface {
			return formatValue(v.Elem(), digits)
		}
	}
	if v.CanInterface() {
		return fmt.Sprintf("%v", v.Interface()), false
	}
	return fmt.Sprintf("%v", v), false
}

func sign(x float64) string {
	if x < 0 {
		return "-"
	}
	return "+"
}

// StructsTable returns the table of a slice (or array) of structs or
// pointers to structs: one column per exported field, one row per element
// (row labels are indices). It reports false when v is not such a slice.
// Only the shown rows are formatted and stored: O(MaxRows*fields).
func StructsTable(v any) (*Table, bool) {
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
	var fields []int
	var header []string
	for i := 0; i < et.NumField(); i++ {
		if f := et.Field(i); f.IsExported() {
			fields = append(fields, i)
			header = append(header, f.Name)
		}
	}
	if len(fields) == 0 {
		return nil, false
	}
	o := CurrentTableOptions()
	n := rv.Len()
	rows, rgap := keep(n, o.MaxRows)
	t := &Table{Caption: fmt.Sprintf("%s (%d rows)", rv.Type(), n), Header: header,
		RowLabels: make([]string, len(rows)), Rows: make([][]string, len(rows)), Numeric: make([]bool, len(fields)),
		rowsTrimmed: true, rowGap: rgap}
	for k, i := range rows {
		t.RowLabels[k] = strconv.Itoa(i)
		e := rv.Index(i)
		row := make([]string, len(fields))
		if ptr {
			if e.IsNil() {
				for f := range row {
					row[f] = "<nil>"
				}
				t.Rows[k] = row
				continue
			}
			e = e.Elem()
		}
		for f, fi := range fields {
			s, num := formatValue(e.Field(fi), o.Digits)
			row[f] = s
			t.Numeric[f] = t.Numeric[f] || num
		}
		t.Rows[k] = row
	}
	return t, true
}

// MapTable returns the table of a map: a "key" and a "value" column, keys
// sorted (numbers numerically, anything else by its text). It reports false
// when v is not a map. O(n log n) for the sort of n keys.
func MapTable(v any) (*Table, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map {
		return nil, false
	}
	o := CurrentTableOptions()
	keys := rv.MapKeys()
	sortValues(keys)
	rows, rgap := keep(len(keys), o.MaxRows)
	t := &Table{Caption: fmt.Sprintf("%s (%d entries)", rv.Type(), len(keys)),
		Header: []string{"key", "value"}, Rows: make([][]string, len(rows)), Numeric: make([]bool, 2),
		rowsTrimmed: true, rowGap: rgap}
	for k, i := range rows {
		ks, kn := formatValue(keys[i], o.Digits)
		vs, vn := formatValue(rv.MapIndex(keys[i]), o.Digits)
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

// tableConverter renders matrices, slices of structs and maps as tables.
func tableConverter(v any) (Bundle, bool) {
	switch m := v.(type) {
	case nil:
		return Bundle{}, false
	case *mat32.Dense:
		if m == nil {
			return Bundle{}, false
		}
		return Mat32Table(m).DisplayBundle(), true
	case mat.Matrix:
		if isNilPointer(v) {
			return Bundle{}, false
		}
		return MatrixTable(m).DisplayBundle(), true
	}
	if isNilPointer(v) {
		return Bundle{}, false
	}
	if t, ok := StructsTable(v); ok {
		return t.DisplayBundle(), true
	}
	if t, ok := MapTable(v); ok {
		return t.DisplayBundle(), true
	}
	return Bundle{}, false
}
