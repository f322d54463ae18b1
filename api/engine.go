package api

import "context"

// ExecuteRequest is what the kernel asks an engine to execute.
type ExecuteRequest struct {
	Code string `json:"code"`
	// Silent: no value is shown (the engine need not render it).
	Silent bool `json:"silent,omitempty"`
}

// ExecuteResult is the outcome of an execution: the MIME bundle of the
// cell's value (nil when it has none or the request was silent), or the
// error that stopped it.
type ExecuteResult struct {
	Value *Bundle `json:"value,omitempty"`
	Err   *Error  `json:"error,omitempty"`
}

// Engine runs cells for the kernel. The kernel calls Execute and Evaluate
// from one goroutine at a time, and Complete, Inspect and IsComplete
// between executions (shell requests are processed in order). Cancelling
// the context of Execute or Evaluate interrupts it. Output goes to the
// Sink the engine was created with.
type Engine interface {
	// Execute runs a cell.
	Execute(ctx context.Context, req ExecuteRequest) ExecuteResult
	// Evaluate evaluates an expression (user_expressions) and returns the
	// bundle of its value, or an error.
	Evaluate(ctx context.Context, expr string) (Bundle, *Error)
	// Complete completes code at cursor (Unicode code points).
	Complete(code string, cursor int) Completion
	// Inspect describes the identifier at cursor; detail is 0 or 1.
	Inspect(code string, cursor, detail int) Inspection
	// IsComplete reports "complete", "incomplete", "invalid" (or
	// "unknown") and, for incomplete code, the indentation of the next line.
	IsComplete(code string) (status, indent string)
}

// Sink receives an engine's output for the request being executed (or, for
// output that comes later, the last one): the kernel publishes it on
// iopub and asks the client for input on stdin. Its methods are safe for
// concurrent use. Display, Update and ClearOutput have the signatures of
// display.Publisher, so a Sink can serve as one.
type Sink interface {
	// Stream writes text to the stream "stdout" or "stderr".
	Stream(name, text string)
	// Display shows a new output (display_data); displayID, when not
	// empty, names it so that Update can replace it later.
	Display(b Bundle, displayID string) error
	// Update replaces every output shown with displayID
	// (update_display_data).
	Update(b Bundle, displayID string) error
	// ClearOutput clears the cell's output; with wait, when the next
	// output arrives.
	ClearOutput(wait bool) error
	// Input asks the client for a line of input (input_request) and
	// returns it without its line end. The prompt is the text given here
	// after what the cell printed on its last, unterminated line. It fails
	// when the request did not allow input or was interrupted.
	Input(prompt string, password bool) (string, error)
}
