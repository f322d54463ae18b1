// Package api is the plain data that crosses the boundaries of the
// kernel: between the Jupyter protocol server (package kernel) and the
// engine that runs cells, the completer, plugins and display. MIME bundles,
// execution errors, completions, inspections and documentation entries are
// defined here once, with the Engine and Sink interfaces between the
// kernel and an engine. It depends on the standard library only, and every
// value is plain data that encodes to JSON, so that an engine can run in
// another process behind a proxy.
package api

// Bundle is a MIME bundle: data keyed by MIME type ("text/plain",
// "text/html", "application/vnd.echarts.v5+json", ...) plus metadata keyed
// the same way. Data values are strings, or JSON-encodable values for JSON
// MIME types.
type Bundle struct {
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

// PlainText returns the bundle's text/plain part, or "".
func (b Bundle) PlainText() string {
	s, _ := b.Data["text/plain"].(string)
	return s
}

// Error describes a failed execution the way Jupyter's error message does.
type Error struct {
	Name      string   `json:"ename"`     // e.g. "CompileError", "panic", "Interrupted"
	Value     string   `json:"evalue"`    // the message
	Traceback []string `json:"traceback"` // lines to show
}

// Error implements error as "Name: Value".
func (e *Error) Error() string { return e.Name + ": " + e.Value }

// Completion is the answer to a complete request. Cursor positions are in
// Unicode code points (Jupyter protocol >= 5.2), not bytes.
type Completion struct {
	Matches     []string `json:"matches"`
	CursorStart int      `json:"cursor_start"`
	CursorEnd   int      `json:"cursor_end"`
	// Types gives, per match, a kind ("func", "var", "type", "const",
	// "package", "keyword") for clients that show it.
	Types []string `json:"types,omitempty"`
}

// Inspection is the answer to an inspect request.
type Inspection struct {
	Found    bool   `json:"found"`
	Text     string `json:"text"`               // text/plain
	Markdown string `json:"markdown,omitempty"` // text/markdown, may be empty
}

// DocEntry is the documentation of one exported name of a package.
type DocEntry struct {
	// Kind is "func", "method", "type", "var" or "const".
	Kind string `json:"k"`
	// Signature is the declaration without its body, as gofmt prints it
	// (e.g. "func Println(a ...any) (n int, err error)").
	Signature string `json:"s"`
	// Doc is the doc comment (raw go/doc comment syntax).
	Doc string `json:"d,omitempty"`
}
