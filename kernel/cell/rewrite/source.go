package rewrite

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"strings"
)

// The pieces of source the session gives yaegi. Every piece of a cell is
// named cell[N]/_.go (FileName) and keeps the cell's positions through
// line directives.

// StmtStart begins every piece of statements given to yaegi.
//
// yaegi v0.16.1 (func-main): a source whose first token is `func` (a
// function literal called at the top level, `func() { ... }()`) is
// compiled as a declaration of func main, which then runs again after
// every later evaluation.
const StmtStart = ";"

// FileName returns the file name of cell n's positions, "cell[n]/_.go".
//
// yaegi v0.16.1 (file-name): imported packages are keyed by the base name
// of the file ("fmt/_.go"): every piece of every cell must have the base
// name _.go to see the imports of earlier cells.
func FileName(n int) string { return fmt.Sprintf("cell[%d]/_.go", n) }

// Source returns the source of a group of consecutive items of one kind:
// declarations in a file, statements in the global scope, each at its
// cell position.
func (c *Cell) Source(items []*Item) string {
	var b strings.Builder
	if items[0].Kind == Decl {
		b.WriteString("package main\n")
	} else {
		b.WriteString(StmtStart)
	}
	for _, it := range items {
		b.WriteString(LineDirective(c.src, c.name, it.Start) + c.Text(it) + "\n")
	}
	return b.String()
}

// ValueSource returns expression e of item it as a statement of its own
// at its cell position.
func (c *Cell) ValueSource(it *Item, e ast.Expr) string {
	vs, ve := it.Off(e.Pos()), it.Off(e.End())
	return StmtStart + LineDirective(c.src, c.name, vs) + c.Span(vs, ve) + "\n"
}

// TupleSource returns the expression statement it as a call of
// __subspace.Tuple, whose value is the []any of the expression's results.
func (c *Cell) TupleSource(it *Item) string {
	return LineDirective(c.src, c.name, it.Start) + "__subspace.Tuple(" + InlineDirective(c.src, c.name, it.Start) + c.Text(it) + ")\n"
}

// ImportSource returns the import of spec (an import path, possibly
// named, as written in the cell) at cell offset off of src.
func ImportSource(src, name string, off int, spec string) string {
	return "package main\nimport " + InlineDirective(src, name, off) + spec + "\n"
}

// DeclSource returns declarations (text) as a piece of source.
func DeclSource(text string) string { return "package main\n" + text }

// StmtSource returns statements (text) as a piece of source.
func StmtSource(text string) string { return StmtStart + text }

// ExprSource returns an expression of a user_expressions request, with
// positions named expr:LINE:COL.
func ExprSource(expr string) string { return "\n//line expr/_.go:1:1\n" + expr }

// CalleeSource returns the function expression of call as a statement, and
// false when it cannot be printed.
func CalleeSource(call *ast.CallExpr) (string, bool) {
	var b strings.Builder
	if err := format.Node(&b, token.NewFileSet(), call.Fun); err != nil {
		return "", false
	}
	return StmtStart + b.String(), true
}

// MainCall calls the cell's func main (see mainRename).
const MainCall = "\n//line main/_.go:1:1\n__subspace_main()"

// RunDefers runs the cell's top-level deferred calls, last first (see
// deferStmt); DropDefers forgets them.
const (
	RunDefers  = "\n{ __d := __subspace_defers; __subspace_defers = nil; for __i := len(__d) - 1; __i >= 0; __i-- { __d[__i]() } }"
	DropDefers = "__subspace_defers = nil"
)
