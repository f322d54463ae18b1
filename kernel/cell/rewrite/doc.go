// Package rewrite turns the source of a notebook cell into the pieces of
// Go that yaegi v0.16.1 runs as a notebook user expects: it splits a cell
// into top-level items (Split), and rewrites each (Cell.Rewrite) where
// yaegi would fail or behave unlike Go, keeping the cell's positions
// through line directives.
//
// Every function is pure: a rewrite depends on the cell's source, on what
// earlier cells left (Prior, plain data) and on the answers of Types about
// the types of expressions; nothing reaches back into a session. Each
// workaround is tagged where it is implemented and listed in Workarounds.
package rewrite
