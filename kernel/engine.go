package kernel

import (
	"context"
	"io"

	"github.com/traefik/yaegi/interp"
)

// Engine evaluates cells for the kernel. The production engine is package
// cell's Session (adapted in cmd/subspace); tests use fakes. The kernel
// calls Execute and Eval from one goroutine at a time; Complete, Inspect
// and IsComplete are called between executions (shell requests are
// processed in order).
type Engine interface {
	// Execute runs a cell; cancelling ctx interrupts it.
	Execute(ctx context.Context, code string) ExecResult
	// Eval evaluates an expression (user_expressions). A returned error
	// that is an *ExecError is reported with its name and traceback.
	Eval(ctx context.Context, expr string) (any, error)
	// Complete completes code at cursor (Unicode code points).
	Complete(code string, cursor int) Completion
	// Inspect describes the identifier at cursor; detail is 0 or 1.
	Inspect(code string, cursor, detail int) Inspection
	// IsComplete reports "complete", "incomplete", "invalid" (or
	// "unknown") and, for incomplete code, the indentation of the next line.
	IsComplete(code string) (status, indent string)
}

// ExecResult is the outcome of Engine.Execute.
type ExecResult struct {
	Value    any  // the value of the cell's last expression
	HasValue bool // whether there is such a value
	Err      *ExecError
}

// ExecError describes a failed cell as Jupyter's error message does.
type ExecError struct {
	Name      string
	Value     string
	Traceback []string
}

// Error implements error as "Name: Value".
func (e *ExecError) Error() string { return e.Name + ": " + e.Value }

// EngineConfig is what the kernel gives an EngineFactory: writers whose
// output goes to the currently executing request as stream messages, and a
// reader that asks the client for input (input_request on the stdin
// channel). All three are safe for concurrent use.
type EngineConfig struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	// Symbols are the compiled packages cells may import (from WithSymbols).
	Symbols []interp.Exports
}

// EngineFactory creates the kernel's engine once its sockets are bound.
type EngineFactory func(EngineConfig) (Engine, error)

// Completion is the answer to a complete request (the same fields as
// package complete's Completion, which the cell engine returns). Cursor
// positions are in Unicode code points.
type Completion struct {
	Matches     []string
	CursorStart int
	CursorEnd   int
	Types       []string // per match: "func", "var", "type", "const", "package", "keyword"
}

// Inspection is the answer to an inspect request.
type Inspection struct {
	Found    bool
	Text     string // text/plain
	Markdown string // text/markdown, may be empty
}
