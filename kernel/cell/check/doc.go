// Package check type-checks notebook cells with go/types before they run:
// each cell is checked as Go would check it, against the declarations of
// the earlier cells and the real types of every package a cell can import,
// so that a mistake is reported with Go's own message at the cell's line
// and column, and the cell does not run. Its type information then answers
// the rewrites' questions (rewrite.Types), completion and inspection.
//
// # How a cell is checked
//
// A cell becomes a package main of two files. The first holds the earlier
// cells' declarations as stubs: `var x T`, `func f(a int) error { panic("") }`,
// `type T struct{...}` and its methods, `const c = 1`, written from the types
// the checker found when their cells ran, each package under a private
// import name. The second is the cell itself, every piece at its own line
// and column (line directives): its imports, its declarations at package
// level, and its statements in order in the body of one function, so that
// `:=`, scopes and shadowing follow Go's rules (a name a statement defines
// is that function's local, and becomes a `var` stub for later cells). A
// declaration of the cell that uses a name defined by a statement of the
// same cell is checked again with that name as a stub.
//
// Relaxed for notebooks: unused variables, imports and labels, and a bare
// expression as the cell's last statement (its value is displayed). The
// built-in must (see Must) is declared unless a cell declares its own.
//
// # Where the types of packages come from
//
// From the yaegi symbol tables the interpreter runs (the standard library,
// the built-in symbol packages and loaded plugins): each package is built
// on its first import from the reflect types of its symbols (importer.go),
// so it always matches what a cell can call, with no build step and nothing
// embedded. What reflection cannot tell: parameter names (messages show
// types only) and generic functions of compiled packages (absent from the
// tables, so yaegi cannot call them either). The generic standard
// packages yaegi interprets (cmp, maps, slices) are checked from the same
// source yaegi uses. A cell that imports a package the tables do not have
// (a GOPATH source package), or that uses a name declared by such a cell,
// is not checked (permissive mode; it runs as before).
//
// Cost: parsing and checking the cell and the stubs, O(size of the cell +
// declarations of earlier cells); a package's types are built once, on its
// first import, O(its symbols).
package check
