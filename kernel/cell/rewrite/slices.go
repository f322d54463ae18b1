package rewrite

// Functions of the standard package slices: a call of slices.Sort,
// SortFunc, SortStableFunc, IsSorted, BinarySearch, Min or Max goes to a
// helper (Prelude, Runtime).
//
// yaegi v0.16.1 (slices): its slices is an interpreted copy of Go 1.22's
// without the sorting file; those functions are undefined.

import (
	"cmp"
	"go/ast"
	"reflect"
	"slices"
	"sort"
)

// slicesHelpers are part of Prelude, after builtinHelpers.
const slicesHelpers = `package main

import __subspace_sort "sort"

func __subspace_slices_SortFunc[E any](x []E, cmp func(a, b E) int) {
	__subspace_sort.Slice(x, func(i, j int) bool { return cmp(x[i], x[j]) < 0 })
}

func __subspace_slices_SortStableFunc[E any](x []E, cmp func(a, b E) int) {
	__subspace_sort.SliceStable(x, func(i, j int) bool { return cmp(x[i], x[j]) < 0 })
}

func __subspace_slices_IsSorted[E __subspace_ordered](x []E) bool {
	for i := 1; i < len(x); i++ {
		if x[i] < x[i-1] {
			return false
		}
	}
	return true
}

func __subspace_slices_BinarySearch[E __subspace_ordered](x []E, target E) (int, bool) {
	lo, hi := 0, len(x)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if x[m] < target || (x[m] != x[m] && target == target) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(x) && (x[lo] == target || (x[lo] != x[lo] && target != target))
}

func __subspace_slices_fold[E __subspace_ordered](x []E, max bool, name string) E {
	if len(x) < 1 {
		panic(name + ": empty list")
	}
	m := x[0]
	for i := 1; i < len(x); i++ {
		if max {
			m = __subspace_max(m, x[i])
		} else {
			m = __subspace_min(m, x[i])
		}
	}
	return m
}

func __subspace_slices_Min[E __subspace_ordered](x []E) E { return __subspace_slices_fold(x, false, "slices.Min") }

func __subspace_slices_Max[E __subspace_ordered](x []E) E { return __subspace_slices_fold(x, true, "slices.Max") }
`

// slicesFuncs maps the functions of slices that yaegi lacks to their
// helpers.
var slicesFuncs = map[string]string{
	"Sort":           "__subspace.SlicesSort",
	"SortFunc":       "__subspace_slices_SortFunc",
	"SortStableFunc": "__subspace_slices_SortStableFunc",
	"IsSorted":       "__subspace_slices_IsSorted",
	"BinarySearch":   "__subspace_slices_BinarySearch",
	"Min":            "__subspace_slices_Min",
	"Max":            "__subspace_slices_Max",
}

// slicesCall rewrites slices.F(...) when F is one of slicesFuncs and the
// qualifier is the standard package slices.
func (c *Cell) slicesCall(it *Item, call *ast.CallExpr) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || c.pkgPath(id.Name) != "slices" {
		return
	}
	helper, ok := slicesFuncs[sel.Sel.Name]
	if !ok {
		return
	}
	fs, fe := it.Off(sel.Pos()), it.Off(sel.End())
	c.add(&edit{start: fs, end: fe, text: helper + c.dir(fe)})
}

// slicesSort sorts a slice of an ordered kind in place, as slices.Sort
// does (NaNs first): compiled code for the common element types, else
// through reflection. O(n log n).
func slicesSort(x any) {
	switch s := x.(type) {
	case []float64:
		slices.Sort(s)
	case []float32:
		slices.Sort(s)
	case []int:
		slices.Sort(s)
	case []int64:
		slices.Sort(s)
	case []int32:
		slices.Sort(s)
	case []string:
		slices.Sort(s)
	case []uint8:
		slices.Sort(s)
	case nil:
	default:
		v := reflect.ValueOf(x)
		if v.Kind() != reflect.Slice {
			panic("slices.Sort: argument is a " + v.Type().String() + ", not a slice")
		}
		var less func(i, j int) bool
		switch v.Type().Elem().Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			less = func(i, j int) bool { return v.Index(i).Int() < v.Index(j).Int() }
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			less = func(i, j int) bool { return v.Index(i).Uint() < v.Index(j).Uint() }
		case reflect.Float32, reflect.Float64:
			less = func(i, j int) bool { return cmp.Less(v.Index(i).Float(), v.Index(j).Float()) }
		case reflect.String:
			less = func(i, j int) bool { return v.Index(i).String() < v.Index(j).String() }
		default:
			panic("slices.Sort: elements of type " + v.Type().Elem().String() + " are not ordered")
		}
		sort.Slice(x, less)
	}
}
