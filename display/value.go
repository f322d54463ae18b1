package display

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// Compact text of values: what a table cell, a struct field or the element
// of a container shows. A value whose text fits in the width it is given
// is written as fmt's %+v writes it (struct fields named, exported fields
// only, pointers to structs, slices and maps followed once); a longer one
// is elided to its type, its length and a few values from each end:
//
//	[]float64 len 2000 [0.1235 0.4 0.3 ... 1.2]
//
// Matrices always show their shape: *mat.Dense 2×2 [[1 2] [3 4]]. Only
// the shown elements are read, so the cost is O(width) per value whatever
// its size (maps: O(n log n) to sort their n keys).

// ellipsis separates the head and the tail of an elided container.
const ellipsis = "..."

// minWidth is the width below which a container shows only its type and
// length (or {...} for a struct).
const minWidth = 12

// valueText formats one value in about width bytes; digits is the number
// of significant digits of floats once a container is elided.
type valueText struct {
	digits int
	// seen holds the pointers being followed on the current path: a cycle
	// prints the address, as fmt does.
	seen map[uintptr]bool
}

// Compact returns v's text in about width characters (see the rules above;
// width <= 0 means unlimited, which is fmt's %+v with structs' exported
// fields and pointers followed). Floats of elided containers keep the
// table options' Digits significant digits. O(width) time.
func Compact(v any, width int) string {
	if width <= 0 {
		width = int(^uint(0) >> 1)
	}
	t := valueText{digits: CurrentTableOptions().Digits}
	return t.format(reflect.ValueOf(v), width, false)
}

// format writes v exactly when it fits in width, else elided. short makes
// floats use t.digits (inside an elided container and in matrices).
func (t *valueText) format(v reflect.Value, width int, short bool) string {
	if s, ok := t.method(v); ok {
		return clip(s, width)
	}
	if s, ok := t.matrix(v, width); ok {
		return s
	}
	w := &limited{limit: width}
	t.exact(w, v, short)
	if !w.over {
		return w.String()
	}
	return t.elided(v, width, short)
}

// method returns the text of an error or fmt.Stringer (as fmt prints
// them), recovering from a panicking method as fmt does.
func (t *valueText) method(v reflect.Value) (s string, ok bool) {
	if !v.IsValid() || !v.CanInterface() {
		return "", false
	}
	if k := v.Kind(); (k == reflect.Pointer || k == reflect.Interface) && v.IsNil() {
		return "", false
	}
	defer func() {
		if r := recover(); r != nil {
			s, ok = fmt.Sprintf("%%!v(PANIC=%v)", r), true
		}
	}()
	switch x := v.Interface().(type) {
	case *mat32.Dense:
		return "", false
	case error:
		return x.Error(), true
	case fmt.Stringer:
		return x.String(), true
	}
	return "", false
}

// clip cuts s to about width bytes, saying how long it was.
func clip(s string, width int) string {
	if len(s) <= width {
		return s
	}
	keep := max(width-len(ellipsis)-12, 1)
	for keep > 0 && keep < len(s) && !utf8Start(s[keep]) {
		keep--
	}
	return s[:keep] + ellipsis + " (len " + strconv.Itoa(len(s)) + ")"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// limited is a builder that stops growing past limit bytes.
type limited struct {
	strings.Builder
	limit int
	over  bool
}

func (w *limited) write(s string) {
	if w.over {
		return
	}
	if w.Len()+len(s) > w.limit {
		w.over = true
		return
	}
	w.WriteString(s)
}

// exact writes v as fmt's %+v does (see Compact), stopping once w is full.
func (t *valueText) exact(w *limited, v reflect.Value, short bool) {
	if w.over {
		return
	}
	if s, ok := t.method(v); ok {
		w.write(s)
		return
	}
	if s, ok := t.matrix(v, w.limit-w.Len()); ok {
		w.write(s)
		return
	}
	switch v.Kind() {
	case reflect.Invalid:
		w.write("<nil>")
	case reflect.Interface:
		if v.IsNil() {
			w.write("<nil>")
			return
		}
		t.exact(w, v.Elem(), short)
	case reflect.Pointer:
		t.exactPointer(w, v, short)
	case reflect.Slice, reflect.Array:
		w.write("[")
		for i := 0; i < v.Len() && !w.over; i++ {
			if i > 0 {
				w.write(" ")
			}
			t.exact(w, v.Index(i), short)
		}
		w.write("]")
	case reflect.Map:
		w.write("map[")
		keys := v.MapKeys()
		if len(keys) > w.limit { // cannot fit: do not sort them
			w.over = true
			return
		}
		sortValues(keys)
		for i, k := range keys {
			if i > 0 {
				w.write(" ")
			}
			t.exact(w, k, short)
			w.write(":")
			t.exact(w, v.MapIndex(k), short)
		}
		w.write("]")
	case reflect.Struct:
		t.exactStruct(w, v, short)
	default:
		w.write(t.scalar(v, short))
	}
}

func (t *valueText) exactPointer(w *limited, v reflect.Value, short bool) {
	if v.IsNil() {
		w.write("<nil>")
		return
	}
	if !t.follow(v) {
		w.write(fmt.Sprintf("%#x", v.Pointer()))
		return
	}
	p := v.Pointer()
	t.enter(p)
	defer t.leave(p)
	w.write("&")
	t.exact(w, v.Elem(), short)
}

func (t *valueText) exactStruct(w *limited, v reflect.Value, short bool) {
	fields := exportedFields(v.Type())
	if len(fields) == 0 {
		w.write(t.scalar(v, short))
		return
	}
	w.write("{")
	for k, i := range fields {
		if k > 0 {
			w.write(" ")
		}
		w.write(fieldName(v.Type(), i) + ":")
		t.exact(w, v.Field(i), short)
	}
	w.write("}")
}

// follow reports whether a non-nil pointer is shown as what it points to
// (structs, slices, arrays, maps) and is not already being shown.
func (t *valueText) follow(v reflect.Value) bool {
	switch v.Type().Elem().Kind() {
	case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map:
		return !t.seen[v.Pointer()]
	}
	return false
}

func (t *valueText) enter(p uintptr) {
	if t.seen == nil {
		t.seen = map[uintptr]bool{}
	}
	t.seen[p] = true
}

func (t *valueText) leave(p uintptr) { delete(t.seen, p) }

// exportedFields returns the indices of the exported fields of struct
// type st.
func exportedFields(st reflect.Type) []int {
	var idx []int
	for i := 0; i < st.NumField(); i++ {
		if st.Field(i).IsExported() {
			idx = append(idx, i)
		}
	}
	return idx
}

// fieldName is the name of field i of struct type st as the cell that
// declared it spelled it: yaegi builds the struct types of cells with
// reflect.StructOf, which only takes exported names, so it prefixes an
// unexported name with "X" (x becomes Xx); that prefix is dropped for
// unnamed struct types.
func fieldName(st reflect.Type, i int) string {
	name := st.Field(i).Name
	if st.Name() == "" && len(name) > 1 && name[0] == 'X' {
		if r, _ := utf8.DecodeRuneInString(name[1:]); r == '_' || unicode.IsLower(r) {
			return name[1:]
		}
	}
	return name
}

// structName is an unnamed struct type as a cell declared it: its fields
// with their own names and types when that is short, else the names of
// its first fields (struct{Measure, Rotated, ...}).
func structName(st reflect.Type) string {
	const long = 40
	typed := make([]string, 0, st.NumField())
	names := make([]string, st.NumField())
	n := 0
	for i := range names {
		names[i] = fieldName(st, i)
		if n <= long {
			typed = append(typed, names[i]+" "+typeName(st.Field(i).Type))
			n += len(typed[i]) + 2
		}
	}
	if s := "struct{" + strings.Join(typed, "; ") + "}"; len(typed) == len(names) && len(s) <= long+8 {
		return s
	}
	for len(names) > 1 && len(strings.Join(names, ", ")) > long {
		names = names[:len(names)-1]
	}
	if len(names) < st.NumField() {
		names = append(names, ellipsis)
	}
	return "struct{" + strings.Join(names, ", ") + "}"
}

// scalar formats a value that is not a container as fmt's %v does (floats
// with t.digits significant digits when short).
func (t *valueText) scalar(v reflect.Value, short bool) string {
	switch v.Kind() {
	case reflect.Float32:
		if short {
			return FormatFloat(v.Float(), min(t.digits, 7))
		}
		return strconv.FormatFloat(v.Float(), 'g', -1, 32)
	case reflect.Float64:
		if short {
			return FormatFloat(v.Float(), t.digits)
		}
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	}
	if v.CanInterface() {
		return fmt.Sprintf("%v", v.Interface())
	}
	return fmt.Sprintf("%v", v)
}

// typeName is t's name, shortened when long: yaegi's types of cells are
// unnamed structs whose full text runs over several lines.
func typeName(t reflect.Type) string {
	if t.Name() == "" {
		switch t.Kind() {
		case reflect.Struct:
			return structName(t)
		case reflect.Pointer:
			return "*" + typeName(t.Elem())
		case reflect.Slice:
			return "[]" + typeName(t.Elem())
		case reflect.Array:
			return "[" + strconv.Itoa(t.Len()) + "]" + typeName(t.Elem())
		case reflect.Map:
			return "map[" + typeName(t.Key()) + "]" + typeName(t.Elem())
		}
	}
	if s := t.String(); len(s) <= 40 {
		return s
	}
	return t.String()[:37] + ellipsis
}
