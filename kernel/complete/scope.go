package complete

import "reflect"

// Scope is what the completer needs to know about a live session. The cell
// package implements it on its Session; tests use a fake.
type Scope interface {
	// Imports maps each local package name the session imported to its
	// import path ("la" -> "gonum.org/v1/gonum/mat" for `import la "..."`).
	Imports() map[string]string
	// Globals lists the user's top-level declarations (functions, variables,
	// types, constants) made by earlier cells. A method may be listed with
	// Name "Type.Method".
	Globals() []Symbol
	// Value returns the live value of a global variable.
	Value(name string) (any, bool)
	// Packages maps every importable package path to its exported names and
	// values, as in yaegi's symbol tables (interp.Exports keys are
	// "import/path/pkgname": the last element is stripped). Types appear as
	// nil pointers to the type, variables as addressable values, constants
	// as go/constant values, like yaegi's extract tool writes them.
	Packages() map[string]map[string]reflect.Value
}

// Symbol is a user declaration known to the session.
type Symbol struct {
	Name      string // identifier, or "Type.Method" for a method
	Kind      string // "func", "var", "type", "const"
	Signature string // e.g. "func f(x int) float64", "var m map[string]int"
	Doc       string // doc comment text, without comment markers
}

// SourceScope is optionally implemented by a Scope that keeps the source of
// user declarations; Inspect with detail >= 1 shows it.
type SourceScope interface {
	Source(name string) (string, bool)
}

// TypeScope is optionally implemented by a Scope that type-checks code:
// it tells what a call chain (`intrinsic.NewTwoNN()`, `x.T()`) gives,
// where names and live values do not. code[start:end] is the expression;
// the code before it is the cell's.
type TypeScope interface {
	// Members lists the fields ("field") and methods ("func") of the
	// expression's value.
	Members(code string, start, end int) (map[string]string, bool)
	// Describe returns the expression and its type, "expr T".
	Describe(code string, start, end int) (string, bool)
}
