package rewrite

import "reflect"

// RuntimePath is the import path of the compiled helpers that rewritten
// code calls as __subspace.Name: those of Runtime and the session's own
// (GoPanic, Put). ValuesPath is that of the table through which the
// session binds the values of two-step definitions (__subspace_vals).
const (
	RuntimePath = "subspace/cellrt"
	ValuesPath  = "subspace/cellvals"
)

// Runtime returns the compiled helpers of rewritten code that need nothing
// of a session: Tuple (the results of a call as []any), Clear (clear) and
// SlicesSort (slices.Sort). O(1).
func Runtime() map[string]reflect.Value {
	return map[string]reflect.Value{
		"Tuple":      reflect.ValueOf(func(v ...any) []any { return v }),
		"Clear":      reflect.ValueOf(clearValue),
		"SlicesSort": reflect.ValueOf(slicesSort),
	}
}

// Prelude returns the sources that every new interpreter evaluates, in
// order, once RuntimePath and ValuesPath are in its symbol tables: the
// imports of both, the list of top-level defers, and the helpers of min,
// max and slices.
func Prelude() []string {
	return []string{
		`import __subspace "` + RuntimePath + `"`,
		`var __subspace_defers []func()`,
		`import __subspace_vals "` + ValuesPath + `"`,
		builtinHelpers,
		slicesHelpers,
	}
}
