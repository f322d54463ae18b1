// Package cell runs notebook cells of Go in a yaegi interpreter (a
// Session): one interpreter per session, whose state persists from cell to
// cell; panics, os.Exit and compile errors become Errors whose positions
// are the cell's own lines. The package knows nothing of ZeroMQ or Jupyter
// messages: the kernel drives it through an engine.
//
// # A cell, step by step
//
// Execute runs one cell and never panics:
//
//   - Magic lines (%name args) at the top run first; %%name on the first
//     line makes the rest of the cell its body. Go code after magic lines
//     runs as usual, with its positions unchanged.
//   - The Go code is type-checked first (package check: go/types against
//     the earlier cells' declarations and the real types of every
//     importable package): a type error fails the cell before anything
//     runs, as a CompileError with Go's message at cell:LINE:COL; unused
//     variables, imports and labels, and a bare last expression, are
//     allowed. The built-in must(v, err), must(f()) and must(err) gives v
//     or fails the cell with the error (a panic whose value is the error);
//     a cell may declare its own must instead.
//   - The Go code is split at top-level statements: imports are evaluated
//     first, one at a time (a package already imported under the same name
//     is skipped; a missing package fails the cell but the others stay
//     imported), then declarations and statements in source order,
//     consecutive ones of a kind together. A package the cell uses as
//     pkg.Name without importing it, and that nothing declares, is imported
//     when exactly one package has that name (the standard library's first;
//     "rand" or "template" stay undefined), with a note on Stderr. A
//     leading package clause is ignored and a func main
//     declared by the cell is run once at its end.
//   - Rewrites before evaluation (package rewrite; each for a yaegi
//     v0.16.1 failure, listed in rewrite.Workarounds):
//     `for i := range n` over an integer becomes a 3-clause loop (n
//     evaluated once, i of n's type). `go f(a)` gets a wrapper that recovers
//     a panic of the goroutine (arguments that are not literals are
//     evaluated before it starts, the function value in it). A `defer`
//     outside functions runs once when the cell ends (last first, also after
//     a panic, not after an interrupt; yaegi would rerun it after every later
//     evaluation), and so does a top-level `func() { ... }()`. A type
//     already declared by an earlier cell is redeclared through a fresh name
//     and an alias (yaegi would keep the old fields). A top-level `var`
//     whose value holds a function literal or uses a variable of an earlier
//     cell becomes `:=` (`var a T; a = v` when typed; yaegi: "variable
//     definition loop"). A top-level for, if, switch, select or block
//     holding a multi-value definition (`v, err := f()`, `a, ok := m[k]`,
//     `var a, b = f()`) or a type switch that binds a variable, or that
//     defines any variable (`for i := 0; ...`, `if q := f(); ...`), runs
//     inside `func() { ... }()` unless it holds a return or goto; the
//     variables it declares are local to it, as in Go.
//   - Go 1.21's min, max and clear (unknown to yaegi) go to helpers unless
//     the cell or an earlier one declares the name: min/max of literals
//     fold to a constant, other calls nest a two-argument generic helper
//     (ints, floats with NaN winning, strings; min(0.0, -0.0) may keep the
//     +0); clear works on maps and slices. slices.Sort (compiled),
//     SortFunc, SortStableFunc, IsSorted, BinarySearch, Min and Max,
//     missing from yaegi's slices, go to helpers too.
//   - A top-level `x := G(a)` or `var x = G(a)` whose value calls a generic
//     function (declared by a cell, min/max, or of slices, maps or cmp)
//     runs on its own, in two steps: each value is evaluated as an
//     expression, then the names are bound to the values (yaegi cannot type
//     such a global). Likewise a top-level comma-ok definition (`v, ok :=
//     m[k]`, `x.(T)`, `<-ch`) or `a, b := G(x)` runs in a function literal
//     that hands the values over. The names get the values' types when the
//     kernel can name them (cell struct types included); otherwise a value
//     of a cell struct type loses its methods (a note on Stderr says so),
//     and one of a named non-struct cell type gets its underlying type.
//   - Methods: a method of a non-generic type declared by a cell calls its
//     body through a function variable, so that a later cell can redeclare
//     it (yaegi keeps the first declaration): the new body applies to every
//     value, also those made before. Changing a method's signature needs
//     the type redeclared (its methods are then new); a redeclaration that
//     fails to compile keeps the old body. Cost: a method call is about
//     twice as slow as yaegi's direct call (BenchmarkMethodCall).
//   - Redeclaration: a func, var, const or type may be redeclared. Functions
//     of earlier cells that call a redeclared function are re-evaluated so
//     that they call the new one (transitively); one that no longer compiles
//     panics with the reason when called. A redeclaration that fails to
//     compile keeps the previous function (a variable whose redeclaration
//     fails is left at its zero value by yaegi).
//   - Value: the last statement's value when it is an expression. A call
//     with one result gives it, a call with several gives []any of all of
//     them, a void call and fmt.Print*/Fprint* give none (HasValue false).
//     A nil last result whose static type is error is left out: a call
//     returning only a nil error (display.Show(x)) gives none, (v, nil)
//     gives v, (a, b, nil) gives [a b]; a non-nil error is shown. The type
//     is the checker's (any callee); in a cell that was not checked, it is
//     known when the function is named by identifiers and selectors (f,
//     pkg.F, v.Method), and for other callees (f()()) the nil is shown.
//     The expression is evaluated once: the callee's type is known before
//     (from its declaration or by evaluating its name), so it runs either
//     as a statement (void) or with its results collected.
//   - Errors (Result.Err): "CompileError" (syntax and type errors, and
//     yaegi compiler panics), "panic" (including run-time errors), "Exit"
//     (os.Exit: the process does not exit), "Interrupted" (ctx cancelled;
//     a loop stops within milliseconds, a blocking compiled call is waited
//     for up to 1 s, then by the next cell), "UnknownMagic", "UsageError",
//     "MagicError". Positions read cell:LINE:COL for this cell and
//     cell[N]:LINE:COL for code of cell N; the traceback shows the source
//     line with a caret. A compile error means none of the failing group
//     ran; groups before it did.
//   - A goroutine that panics is reported on Stderr at once; if a cell is
//     running, that cell also fails with Error{Name: "panic", Value:
//     "goroutine: ..."}; a panic between cells only reaches Stderr.
//   - progress.SetContext(ctx) is set while the cell runs, so native code
//     that reports progress stops on interrupt.
//
// Output is written while the cell runs and is flushed before Execute
// returns. The session's state survives every error. Cost: O(len(code))
// parsing and rewriting plus yaegi's compile and run time.
//
// # Where things are
//
//   - session.go, interp.go: the interpreter's lifecycle (New, Use, Reset,
//     Close; the symbol tables, the prelude of helpers).
//   - execute.go: Execute and Eval; magics at the top of a cell.
//   - plan.go, exec.go, last.go, bind.go, imports.go, methods.go: planning
//     a cell into typed steps (imports, declarations, statements,
//     multi-value and generic definitions, the last expression, main) and
//     running them. Splitting and rewriting are package rewrite's; the
//     cell is type-checked first by package check, whose results answer the
//     type questions of the rewrites.
//   - output.go: output capture (pipes, stderr filter); panics.go:
//     goroutine panics; interrupt.go: interrupts and evaluations blocked
//     in compiled code.
//   - records.go, rebind.go, diagnose.go: the records of what
//     cells declared and what follows from them; scope.go: the same for
//     completion and inspection; errors.go: errors mapped to cell lines.
package cell
