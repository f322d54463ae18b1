// Package complete answers completion and inspection requests for Go cells:
// identifiers in scope, keywords, members of imported packages, signatures
// and doc comments of standard-library, gonum, plugin and user-declared
// symbols, and summaries of live values.
package complete

// Completion is the answer to a complete request. Cursor positions are in
// Unicode code points (Jupyter protocol >= 5.2), not bytes.
type Completion struct {
	Matches     []string
	CursorStart int
	CursorEnd   int
	// Types gives, per match, a kind ("func", "var", "type", "const",
	// "package", "keyword") for clients that show it.
	Types []string
}

// Inspection is the answer to an inspect request.
type Inspection struct {
	Found    bool
	Text     string // text/plain
	Markdown string // text/markdown, may be empty
}
