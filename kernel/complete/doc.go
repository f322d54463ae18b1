// Package complete answers completion and inspection requests for Go cells:
// identifiers in scope, keywords, members of imported packages, signatures
// and doc comments of standard-library, gonum, plugin and user-declared
// symbols, and summaries of live values.
package complete
