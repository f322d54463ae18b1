package rewrite

// Workaround is one place where the cell pipeline departs from running a
// cell as written: a yaegi v0.16.1 behaviour it works around (Yaegi true),
// or a notebook behaviour the kernel adds. Each is tagged in the source by
// a comment `// yaegi v0.16.1 (Name): ...` or `// kernel (Name): ...`
// where the code is (TestWorkaroundsTagged checks that every entry is
// tagged and every tag listed), so that it can be found and deleted when
// yaegi moves.
type Workaround struct {
	Name      string
	Yaegi     bool   // a yaegi v0.16.1 behaviour (else a kernel behaviour)
	Behaviour string // what yaegi does, or what the kernel wants
	Remedy    string // what the pipeline does about it
	Where     string // package of the code: "rewrite" or "cell"
}

// Workarounds lists every workaround of the cell pipeline.
var Workarounds = []Workaround{
	{"range-int", true, "a range over an integer (Go 1.22) does not compile", "for k := range n becomes a 3-clause loop, n evaluated once, k of n's type", "rewrite"},
	{"range-retry", true, "a range over an integer of a type the kernel could not infer panics the compiler with 'nil type'", "a group of statements is retried with every range over an operand of unknown type rewritten as over an integer", "cell"},
	{"type-redecl", true, "a type redeclared with other fields keeps the old fields", "the new declaration gets a fresh name and the type name becomes an alias of it", "rewrite"},
	{"method-redecl", true, "the first declaration of a method is kept, a redeclaration ignored", "every method of a cell type calls its body through a function variable that a redeclaration assigns", "rewrite"},
	{"method-half-declared", true, "a group that fails to compile leaves its methods declared (bodies are compiled after)", "after a failure, a method is recorded when its variable exists", "cell"},
	{"main-rerun", true, "a declared func main runs again after every later evaluation", "func main is renamed and called once when the cell ends", "rewrite"},
	{"func-main", true, "a source starting with `func` is compiled as a declaration of func main, rerun after every evaluation", "every piece of statements starts with ';'", "rewrite"},
	{"defer-top", true, "a deferred call at the top level runs again after every later evaluation", "top-level defers go to a list the session runs, last first, when the cell ends", "rewrite"},
	{"block-globals", true, "variables of a block at the top level of a cell are globals, shared by every iteration", "the arguments of go and defer are bound in a function literal", "rewrite"},
	{"go-func-value", true, "`go f()()` evaluates the function value f() in the new goroutine", "the goroutine's closure is built before the go statement", "rewrite"},
	{"go-recover", false, "a goroutine that panics must not end the kernel", "go statements run the call under a recover that reports the panic (and fails the running cell)", "rewrite"},
	{"var-define", true, "'variable definition loop' on a top-level var whose value holds a function literal or uses a variable of an earlier cell; T(v) to a compiled interface panics", "such a var becomes := (typed: var a T; a = v)", "rewrite"},
	{"closure", true, "a multi-value definition nested in a block of a top-level statement is 'undefined'; a type switch binding a variable at the top level panics", "such a statement runs in func() { ... }()", "rewrite"},
	{"scoped-vars", false, "the variables a top-level for, if, switch, select or block defines are local to it (yaegi makes them globals)", "such a statement runs in func() { ... }() unless it holds a return or goto", "rewrite"},
	{"builtins", true, "min, max and clear (Go 1.21) are undefined", "calls go to helpers unless a cell declares the name", "rewrite"},
	{"generic-variadic", true, "a generic variadic call with one argument panics; T is inferred from the first argument only", "the min/max helpers take two arguments, nested, constants last", "rewrite"},
	{"slices", true, "slices.Sort, SortFunc, SortStableFunc, IsSorted, BinarySearch, Min and Max are undefined", "calls go to helpers", "rewrite"},
	{"generic-must", true, "a generic func must[T any](v T, err error) T panics the compiler when called ('nil reflect type')", "each call of the built-in must becomes a function literal of the type the checker found", "rewrite"},
	{"generic-def", true, "x := G(a) at the top level, G generic, fails with 'nil reflect type'", "each value is evaluated as an expression, then the names are bound to the values", "rewrite"},
	{"multi-def", true, "a top-level comma-ok definition or a, b := G(x) panics ('nil type')", "it runs in a function literal handing the values (with their static types) to the session, which binds them", "rewrite"},
	{"bind-cell-struct", true, "a value of a struct type declared in a cell, handed through a compiled table, loses its methods", "the name is declared with the cell type when exactly one cell type has the value's run-time type; else a note", "cell"},
	{"file-name", true, "imported packages are keyed by the base name of the file", "every piece of a cell is named cell[N]/_.go", "rewrite"},
	{"import-batch", true, "a failed multi-import keeps the packages it imported without the session knowing", "imports are evaluated one spec at a time", "cell"},
	{"def-loop", true, "an undefined name on the right of := is reported as 'constant definition loop'", "the compiler's message for the undefined name replaces it", "cell"},
	{"undefined-qualifier", true, "`var b foo.T` or `x, y := foo.F()` with foo undefined panics with a nil pointer dereference", "the error names the undefined qualifier", "cell"},
	{"late-binding", true, "a call is bound to the function that existed when the caller was compiled", "callers of a redeclared function are re-evaluated", "cell"},
	{"broken-redecl", true, "a function whose redeclaration failed to compile is left broken", "the previous definition is evaluated again", "cell"},
	{"half-type", true, "a type declaration that failed to compile can leave a half-built type", "its next declaration gets a fresh name", "cell"},
	{"void-value", true, "the value of a void call is whatever was computed last", "a call's results are taken through __subspace.Tuple unless it is known to be void", "cell"},
	{"frame-lines", true, "a panic prints a line per interpreted frame on stderr", "those lines become the traceback of the cell's error", "cell"},
	{"blocking-call", true, "an interrupted evaluation blocked in compiled code keeps running", "the next cell waits for it when it is in native code (which sees the cancellation), and runs at once otherwise", "cell"},
	{"stale-eval", true, "an abandoned evaluation resumes the cell's top-level statements when its blocking call returns (the next evaluation renews the global frame's run id)", "a cell's time.Sleep ends when the cell is interrupted; for other calls the next cell prints a note naming the call", "cell"},
	{"nil-assign", true, "a parallel assignment with an untyped nil on the right (a, b = nil, nil) panics with 'reflect: New(nil)'", "it is split: the other pairs in one assignment, then each nil target", "rewrite"},
	{"panic-position", true, "a run-time panic is reported at the first statement of the function it happened in, often as a reflect panic (index out of range is 'reflect: slice index out of range')", "the message is translated to Go's; the failing expression is found among those of the panic's kind in that function (or in the cell statement that ran last, marked by __subspace.Step), evaluating their global operands", "cell"},
	{"nil-deref-value", true, "*p with p nil as the value of an evaluation gives no value instead of panicking", "the last expression *x evaluates x and dereferences it in the session", "cell"},
	{"restricted-env", true, "in restricted mode cells get an empty private environment and no os.Stdin", "os.Getenv and friends are the kernel's, os.Stdin reads the session's input", "cell"},
}
