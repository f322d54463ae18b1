package display

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/subspace-kernel/subspace/native/mat32"
	"gonum.org/v1/gonum/mat"
)

// elided writes v, whose exact text does not fit in width, as its type and
// length followed by a few elements from each end (containers), its first
// fields (structs) or its first characters (strings). Floats are short
// from here down.
func (t *valueText) elided(v reflect.Value, width int, short bool) string {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return "<nil>"
		}
		return t.format(v.Elem(), width, short)
	case reflect.Pointer:
		if v.IsNil() {
			return "<nil>"
		}
		if !t.follow(v) {
			return fmt.Sprintf("%#x", v.Pointer())
		}
		p := v.Pointer()
		t.enter(p)
		defer t.leave(p)
		return "&" + t.format(v.Elem(), width-1, true)
	case reflect.Slice, reflect.Array:
		return t.elidedList(v, width)
	case reflect.Map:
		return t.elidedMap(v, width)
	case reflect.Struct:
		return t.elidedStruct(v, width)
	case reflect.String:
		return clip(v.String(), width)
	}
	return clip(t.scalar(v, true), width)
}

// header is the type and length that start an elided container.
func header(v reflect.Value) string {
	if v.Kind() == reflect.Array {
		return typeName(v.Type())
	}
	return typeName(v.Type()) + " len " + strconv.Itoa(v.Len())
}

func (t *valueText) elidedList(v reflect.Value, width int) string {
	h := header(v)
	if width-len(h) < minWidth {
		return h
	}
	return h + " " + seq(v.Len(), width-len(h)-1, func(i, w int) string {
		return t.format(v.Index(i), w, true)
	})
}

func (t *valueText) elidedMap(v reflect.Value, width int) string {
	h := header(v)
	if width-len(h) < minWidth {
		return h
	}
	keys := v.MapKeys()
	sortValues(keys)
	return h + " " + seq(len(keys), width-len(h)-1, func(i, w int) string {
		k := t.format(keys[i], w/2, true)
		return k + ":" + t.format(v.MapIndex(keys[i]), max(w-len(k)-1, minWidth), true)
	})
}

// elidedStruct writes the struct's exported fields, each in an equal share
// of what is left of the width, and "..." for the fields that do not fit.
func (t *valueText) elidedStruct(v reflect.Value, width int) string {
	fields := exportedFields(v.Type())
	if len(fields) == 0 {
		return clip(t.scalar(v, true), width)
	}
	if width < minWidth {
		return "{" + ellipsis + "}"
	}
	var b strings.Builder
	b.WriteString("{")
	for k, i := range fields {
		left := width - b.Len()
		if k > 0 && left < minWidth {
			b.WriteString(" " + ellipsis)
			break
		}
		if k > 0 {
			b.WriteString(" ")
		}
		name := fieldName(v.Type(), i) + ":"
		b.WriteString(name)
		b.WriteString(t.format(v.Field(i), max(left/(len(fields)-k)-len(name), minWidth), true))
	}
	b.WriteString("}")
	return b.String()
}

// Most items an elided container shows from its start and from its end,
// as numpy shows a few values of a large array.
const (
	maxHead = 6
	maxTail = 3
)

// seq writes "[a b c ... y z]" for n items in about width bytes: items
// from the start (at most maxHead) while they fill two thirds of the
// width, then items from the end (at most maxTail) while they fill the
// rest; every item shown when they all fit, and at least the first and the
// last. item(i, w) formats item i in about w bytes. O(items shown).
func seq(n, width int, item func(i, w int) string) string {
	if n == 0 {
		return "[]"
	}
	budget := max(width-2-len(ellipsis)-2, minWidth)
	itemW := max(budget/6, minWidth)
	var head, tail []string
	used := 0
	i := 0
	for ; i < n && i < maxHead; i++ {
		s := item(i, itemW)
		if i > 0 && used+len(s)+1 > budget*2/3 {
			break
		}
		head = append(head, s)
		used += len(s) + 1
	}
	j := n - 1
	for ; j >= i && n-1-j < maxTail; j-- {
		s := item(j, itemW)
		if j < n-1 && used+len(s)+1 > budget {
			break
		}
		tail = append(tail, s)
		used += len(s) + 1
	}
	for a, b := 0, len(tail)-1; a < b; a, b = a+1, b-1 {
		tail[a], tail[b] = tail[b], tail[a]
	}
	parts := head
	if j >= i { // items i..j are not shown
		parts = append(parts, ellipsis)
	}
	return "[" + strings.Join(append(parts, tail...), " ") + "]"
}

// matrix writes a gonum matrix (any mat.Matrix) or a mat32.Dense as its
// type and shape followed by its rows, elided as containers are:
// *mat.Dense 100×3 [[0.1 0.2 0.3] [...] ... [...]]. It reports false for
// other values.
func (t *valueText) matrix(v reflect.Value, width int) (s string, ok bool) {
	if !v.IsValid() || !v.CanInterface() || isNilPointer(v.Interface()) {
		return "", false
	}
	var r, c int
	var at func(i, j int) float64
	switch m := v.Interface().(type) {
	case *mat32.Dense:
		r, c = m.Dims()
		at = func(i, j int) float64 { return float64(m.At(i, j)) }
	case mat.Matrix:
		r, c = m.Dims()
		at = m.At
	default:
		return "", false
	}
	defer func() {
		if p := recover(); p != nil {
			s, ok = fmt.Sprintf("%s (%v)", typeName(v.Type()), p), true
		}
	}()
	h := fmt.Sprintf("%s %d×%d", typeName(v.Type()), r, c)
	if width-len(h) < minWidth {
		return h, true
	}
	return h + " " + seq(r, width-len(h)-1, func(i, w int) string {
		return seq(c, w, func(j, _ int) string { return FormatFloat(at(i, j), t.digits) })
	}), true
}
