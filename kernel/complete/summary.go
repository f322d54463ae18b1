package complete

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// maxSummary bounds the length of value renderings in a summary.
const maxSummary = 400

// stats are the minimum, mean and maximum of the finite elements of a
// numeric collection, with counts of NaN and infinite elements.
type stats struct {
	n, nan, inf    int
	min, max, mean float64
	sum            float64
}

func newStats() stats { return stats{min: math.Inf(1), max: math.Inf(-1)} }

func (s *stats) add(x float64) {
	switch {
	case math.IsNaN(x):
		s.nan++
		return
	case math.IsInf(x, 0):
		s.inf++
	}
	s.n++
	s.sum += x
	if x < s.min {
		s.min = x
	}
	if x > s.max {
		s.max = x
	}
}

func (s *stats) String() string {
	if s.n == 0 {
		if s.nan > 0 {
			return fmt.Sprintf("all %d elements are NaN", s.nan)
		}
		return "empty"
	}
	out := fmt.Sprintf("min %.6g, mean %.6g, max %.6g", s.min, s.sum/float64(s.n), s.max)
	if s.nan > 0 {
		out += fmt.Sprintf(" (%d NaN ignored)", s.nan)
	}
	if s.inf > 0 {
		out += fmt.Sprintf(" (%d ±Inf)", s.inf)
	}
	return out
}

// Summarize describes a live value in a few lines: its runtime type, then
// for matrices (gonum mat.Matrix, mat32.Dense) the shape and min/mean/max of
// the elements; for slices and arrays the length, first elements and, when
// numeric, min/mean/max; for maps the length and first keys; for structs
// their fields as %+v renders them, truncated to 400 characters, and their
// String method's result when they have one. NaN elements are counted
// and left out of the statistics. Cost: O(number of elements) for matrices
// and numeric slices, O(len) for maps (keys are sorted), otherwise the cost
// of fmt.
//
// A panic in a method the summary calls (String, Error, At of a user type)
// is recovered and reported in the summary.
func Summarize(x any) (out string) {
	if x == nil {
		return "nil"
	}
	v := reflect.ValueOf(x)
	lines := []string{"type: " + v.Type().String()}
	defer func() {
		if p := recover(); p != nil {
			out = strings.Join(append(lines, fmt.Sprintf("summary failed: panic: %v", p)), "\n")
		}
	}()
	lines = append(lines, summarizeValue(v)...)
	return strings.Join(lines, "\n")
}

func summarizeValue(v reflect.Value) []string {
	x := v.Interface()
	switch m := x.(type) {
	case *mat32.Dense:
		if m == nil {
			return []string{"nil"}
		}
		r, c := m.Dims()
		s := newStats()
		for _, e := range m.RawData() {
			s.add(float64(e))
		}
		return []string{fmt.Sprintf("shape: %dx%d", r, c), "values: " + s.String()}
	case mat.Matrix:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return []string{"nil"}
		}
		return matrixSummary(m)
	case error:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return []string{"nil"}
		}
		return []string{"error: " + truncate(safeString(m.Error), maxSummary)}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return []string{"nil"}
		}
		if e := v.Elem(); e.Kind() == reflect.Struct || e.Kind() == reflect.Slice || e.Kind() == reflect.Array || e.Kind() == reflect.Map {
			return summarizeValue(e)
		}
	case reflect.Slice, reflect.Array:
		return sliceSummary(v)
	case reflect.Map:
		return mapSummary(v)
	case reflect.String:
		return []string{fmt.Sprintf("len: %d bytes", v.Len()), "value: " + truncate(fmt.Sprintf("%q", v.String()), maxSummary)}
	case reflect.Struct:
		return structSummary(v)
	}
	return []string{"value: " + truncate(fmt.Sprintf("%v", x), maxSummary)}
}

// matrixSummary gives the shape and element statistics of m, reading a
// *mat.Dense's backing array directly and other matrices through At.
func matrixSummary(m mat.Matrix) []string {
	r, c := m.Dims()
	s := newStats()
	if d, ok := m.(mat.RawMatrixer); ok {
		raw := d.RawMatrix()
		for i := 0; i < raw.Rows; i++ {
			for _, e := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
				s.add(e)
			}
		}
	} else {
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				s.add(m.At(i, j))
			}
		}
	}
	out := []string{fmt.Sprintf("shape: %dx%d", r, c), "values: " + s.String()}
	if r > 0 && c > 0 {
		f := fmt.Sprintf("%.4g", mat.Formatted(m, mat.Prefix("  "), mat.Excerpt(3)))
		out = append(out, "excerpt:\n  "+f)
	}
	return out
}

// sliceSummary gives the length, the first elements and, for numeric
// elements (also nested slices of numbers), min/mean/max.
func sliceSummary(v reflect.Value) []string {
	n := v.Len()
	out := []string{fmt.Sprintf("len: %d", n)}
	if v.Kind() == reflect.Slice && v.Cap() != n {
		out[0] += fmt.Sprintf(", cap: %d", v.Cap())
	}
	if shape, ok := rectShape(v); ok && len(shape) > 1 {
		dims := make([]string, len(shape))
		for i, d := range shape {
			dims[i] = fmt.Sprint(d)
		}
		out = append(out, "shape: "+strings.Join(dims, "x"))
	}
	const first = 8
	var elems []string
	for i := 0; i < n && i < first; i++ {
		elems = append(elems, truncate(fmt.Sprintf("%v", v.Index(i).Interface()), 60))
	}
	more := ""
	if n > first {
		more = ", ..."
	}
	out = append(out, "first: ["+strings.Join(elems, ", ")+more+"]")
	s := newStats()
	if numericStats(v, &s) && (s.n > 0 || s.nan > 0) {
		out = append(out, "values: "+s.String())
	}
	return out
}

// rectShape returns the dimensions of nested slices when every level is
// rectangular.
func rectShape(v reflect.Value) ([]int, bool) {
	shape := []int{v.Len()}
	k := v.Type().Elem().Kind()
	if k != reflect.Slice && k != reflect.Array {
		return shape, true
	}
	if v.Len() == 0 {
		return shape, true
	}
	inner, ok := rectShape(v.Index(0))
	if !ok {
		return nil, false
	}
	for i := 1; i < v.Len(); i++ {
		if v.Index(i).Len() != inner[0] {
			return nil, false
		}
	}
	return append(shape, inner...), true
}

// numericStats accumulates the elements of a (nested) slice of numbers into
// s. It returns false when the elements are not numbers.
func numericStats(v reflect.Value, s *stats) bool {
	et := v.Type().Elem()
	switch et.Kind() {
	case reflect.Float64:
		if v.Kind() == reflect.Slice {
			for _, x := range v.Interface().([]float64) {
				s.add(x)
			}
			return true
		}
		fallthrough
	case reflect.Float32:
		for i := 0; i < v.Len(); i++ {
			s.add(v.Index(i).Float())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		for i := 0; i < v.Len(); i++ {
			s.add(float64(v.Index(i).Int()))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		for i := 0; i < v.Len(); i++ {
			s.add(float64(v.Index(i).Uint()))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if !numericStats(v.Index(i), s) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// mapSummary gives the length and the first keys in sorted order; maps of
// more than sortedKeysMax entries show 8 keys in iteration order instead,
// to keep the summary O(8) rather than O(n log n).
func mapSummary(v reflect.Value) []string {
	const first, sortedKeysMax = 8, 10000
	out := []string{fmt.Sprintf("len: %d", v.Len())}
	var keys []string
	label := "keys: "
	if v.Len() <= sortedKeysMax {
		for _, k := range v.MapKeys() {
			keys = append(keys, fmt.Sprintf("%v", k))
		}
		sort.Strings(keys)
	} else {
		label = "some keys: "
		for it := v.MapRange(); it.Next() && len(keys) <= first; {
			keys = append(keys, fmt.Sprintf("%v", it.Key()))
		}
	}
	if len(keys) > first {
		keys = append(keys[:first], "...")
	}
	if len(keys) > 0 {
		out = append(out, label+truncate(strings.Join(keys, ", "), maxSummary))
	}
	return out
}

// truncate cuts s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// structSummary renders the fields of a struct as %+v would, without
// calling the struct's own String method, and adds that method's result
// when there is one.
func structSummary(v reflect.Value) []string {
	var b strings.Builder
	b.WriteString("{")
	t := v.Type()
	for i := 0; i < v.NumField(); i++ {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s:%+v", t.Field(i).Name, v.Field(i))
		if b.Len() > maxSummary {
			break
		}
	}
	b.WriteString("}")
	out := []string{"value: " + truncate(b.String(), maxSummary)}
	if v.CanInterface() {
		if s, ok := v.Interface().(fmt.Stringer); ok {
			out = append(out, "String(): "+truncate(safeString(s.String), maxSummary))
		}
	}
	return out
}

// safeString calls f, reporting a panic in its result.
func safeString(f func() string) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("panic: %v", p)
		}
	}()
	return f()
}
