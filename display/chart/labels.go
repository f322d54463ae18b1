package chart

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
)

// labelTexts returns the text of each label of labels, which is nil or a
// slice of strings, integers (int, uint8, ...), floats or booleans: the
// classes of the points of a chart, whatever type a cell holds them in.
// It reports an error when labels is another type or its length is not n.
// O(n).
func labelTexts(labels any, n int) ([]string, error) {
	if labels == nil {
		return nil, nil
	}
	if s, ok := labels.([]string); ok {
		if len(s) != n {
			return nil, fmt.Errorf("%d labels for %d points", len(s), n)
		}
		return s, nil
	}
	v := reflect.ValueOf(labels)
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return nil, fmt.Errorf("labels are a %T, want a slice of strings, integers or floats", labels)
	}
	if v.Kind() == reflect.Slice && v.IsNil() {
		return nil, nil
	}
	var text func(e reflect.Value) string
	switch v.Type().Elem().Kind() {
	case reflect.String:
		text = func(e reflect.Value) string { return e.String() }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		text = func(e reflect.Value) string { return strconv.FormatInt(e.Int(), 10) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		text = func(e reflect.Value) string { return strconv.FormatUint(e.Uint(), 10) }
	case reflect.Float32, reflect.Float64:
		text = func(e reflect.Value) string { return strconv.FormatFloat(e.Float(), 'g', -1, 64) }
	case reflect.Bool:
		text = func(e reflect.Value) string { return strconv.FormatBool(e.Bool()) }
	default:
		return nil, fmt.Errorf("labels are a %T, want a slice of strings, integers or floats", labels)
	}
	if v.Len() != n {
		return nil, fmt.Errorf("%d labels for %d points", v.Len(), n)
	}
	out := make([]string, n)
	for i := range out {
		out[i] = text(v.Index(i))
	}
	return out, nil
}

// sortLabels sorts distinct label texts for a legend: numerically when
// they are all numbers (2 before 10, -1 before 0), else in natural order,
// where runs of digits compare as numbers ("layer 2" before "layer 10").
// O(k log k · length) for k labels.
func sortLabels(names []string) {
	nums := make([]float64, len(names))
	numeric := true
	for i, s := range names {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			numeric = false
			break
		}
		nums[i] = x
	}
	if numeric {
		idx := make([]int, len(names))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return nums[idx[a]] < nums[idx[b]] })
		sorted := make([]string, len(names))
		for k, i := range idx {
			sorted[k] = names[i]
		}
		copy(names, sorted)
		return
	}
	sort.SliceStable(names, func(a, b int) bool { return naturalLess(names[a], names[b]) })
}

// naturalLess compares a and b byte by byte, except that runs of ASCII
// digits compare by their numeric value (then by length: "02" after "2").
func naturalLess(a, b string) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			ei, ej := digitsEnd(a, i), digitsEnd(b, j)
			if c := compareDigits(a[i:ei], b[j:ej]); c != 0 {
				return c < 0
			}
			if ei-i != ej-j {
				return ei-i < ej-j
			}
			i, j = ei, ej
			continue
		}
		if a[i] != b[j] {
			return a[i] < b[j]
		}
		i++
		j++
	}
	return len(a)-i < len(b)-j
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digitsEnd(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// compareDigits compares two runs of digits by value, whatever their
// length.
func compareDigits(a, b string) int {
	for len(a) > 1 && a[0] == '0' {
		a = a[1:]
	}
	for len(b) > 1 && b[0] == '0' {
		b = b[1:]
	}
	switch {
	case len(a) != len(b):
		return len(a) - len(b)
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
