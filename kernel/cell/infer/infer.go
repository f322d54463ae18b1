// Package infer is the kernel's hand-written answer to the type questions
// of the cell rewrites (rewrite.Types): it tells whether a range operand is
// an integer and how many results a call has, from the syntax of the cell,
// the declarations of its scopes, the symbol tables of compiled packages
// and, for globals of earlier cells, their live values. It is replaceable
// by a type checker as a whole: nothing but the session's construction of
// a Resolver depends on it.
package infer

import (
	"go/ast"
	"go/token"
	"reflect"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// Live is what the Resolver asks of the running session.
type Live interface {
	// Kind returns the kind of a declaration of an earlier cell ("var",
	// "const", "func" or "type"), "" when there is none.
	Kind(name string) string
	// TypeOf evaluates an expression made of names and selectors only (no
	// calls, so no side effects) and returns the type of its value (the
	// dynamic type of a non-nil interface), nil when it cannot.
	TypeOf(expr string) reflect.Type
	// Symbol returns the exported symbol name of the compiled package
	// with import path path (a type T as a nil *T, as in yaegi's tables).
	Symbol(path, name string) (reflect.Value, bool)
	// TypeSource returns the source of a type declared by an earlier cell.
	TypeSource(name string) (string, bool)
}

// Resolver implements rewrite.Types for the items of one cell. Its answers
// about an item may use the live values of the items that ran before it
// (Ran). Not safe for concurrent use.
type Resolver struct {
	items   []*rewrite.Item
	src     string
	imports map[string]string // package names in scope -> import paths
	live    Live
	ran     map[*rewrite.Item]bool
}

var _ rewrite.Types = (*Resolver)(nil)

// New returns a resolver for the items of cell source src, with imports
// the package names in scope. O(1).
func New(items []*rewrite.Item, src string, imports map[string]string, live Live) *Resolver {
	return &Resolver{items: items, src: src, imports: imports, live: live, ran: map[*rewrite.Item]bool{}}
}

// Ran records that item it has run: the types of the names it declared may
// now be read from their values.
func (r *Resolver) Ran(it *rewrite.Item) { r.ran[it] = true }

// IsInt implements rewrite.Types. Cost: O(size of the cell) per name
// looked up, plus an evaluation of a global's name when only its value
// tells.
func (r *Resolver) IsInt(it *rewrite.Item, e ast.Expr, path []ast.Node) (isInt, known bool) {
	return query{r, it}.isInt(e, path, 0)
}

// errorType is the reflect type of the error interface.
var errorType = reflect.TypeFor[error]()

// Results implements rewrite.Types for calls of functions of compiled
// packages and of methods of values whose type is known.
func (r *Resolver) Results(it *rewrite.Item, call *ast.CallExpr) (n int, lastIsError, known bool) {
	t := query{r, it}.funcType(call, nil, 0)
	if t == nil {
		return 0, false, false
	}
	n = t.NumOut()
	return n, n > 0 && t.Out(n-1) == errorType, true
}

// MustForm implements rewrite.Types: the resolver does not know the
// built-in must.
func (r *Resolver) MustForm(*rewrite.Item, *ast.CallExpr) (rewrite.MustKind, string) {
	return rewrite.MustNone, ""
}

// query answers questions about expressions of item it.
type query struct {
	r  *Resolver
	it *rewrite.Item
}

func (q query) isImport(name string) bool { return q.r.imports[name] != "" }

var intTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"uintptr": true, "byte": true, "rune": true,
}

// isIntType reports whether a type expression names a predeclared integer type.
func isIntType(e ast.Expr) (isInt, known bool) {
	id, ok := e.(*ast.Ident)
	if !ok {
		return false, true
	}
	if intTypes[id.Name] {
		return true, true
	}
	switch id.Name {
	case "float32", "float64", "string", "bool", "complex64", "complex128", "any", "error":
		return false, true
	}
	return false, false
}

func isIntKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

// isInt classifies e; path holds the ancestors of e (outermost first).
func (q query) isInt(e ast.Expr, path []ast.Node, depth int) (isInt, known bool) {
	if depth > 8 {
		return false, false
	}
	if isI, k := q.isIntSyntax(e, path, depth); k {
		return isI, k
	}
	if t := q.rtype(e, path, depth+1); t != nil {
		return isIntKind(t.Kind()), true
	}
	return false, false
}

// isIntSyntax classifies e from its syntax and the declarations in view.
func (q query) isIntSyntax(e ast.Expr, path []ast.Node, depth int) (isInt, known bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT || x.Kind == token.CHAR, true
	case *ast.ParenExpr:
		return q.isInt(x.X, path, depth+1)
	case *ast.UnaryExpr:
		if x.Op == token.SUB || x.Op == token.ADD || x.Op == token.XOR {
			return q.isInt(x.X, path, depth+1)
		}
		return false, x.Op == token.NOT || x.Op == token.AND
	case *ast.BinaryExpr:
		return q.binaryIsInt(x, path, depth)
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok {
			if id.Name == "len" || id.Name == "cap" || id.Name == "copy" {
				return true, true
			}
			if _, k := isIntType(id); k {
				return isIntType(id)
			}
		}
		if _, ok := x.Fun.(*ast.ArrayType); ok {
			return false, true
		}
		return false, false
	case *ast.CompositeLit, *ast.SliceExpr, *ast.FuncLit:
		return false, true
	case *ast.SelectorExpr:
		return q.selector(x, path)
	case *ast.Ident:
		return q.ident(x.Name, path, depth)
	}
	return false, false
}

func (q query) binaryIsInt(x *ast.BinaryExpr, path []ast.Node, depth int) (isInt, known bool) {
	switch x.Op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
		return false, true
	case token.SHL, token.SHR:
		return q.isInt(x.X, path, depth+1)
	}
	a, ka := q.isInt(x.X, path, depth+1)
	b, kb := q.isInt(x.Y, path, depth+1)
	if ka && kb {
		return a && b, true
	}
	if (ka && !a) || (kb && !b) {
		return false, true
	}
	return false, false
}

// ident classifies a name from its declaration in view, or from the live
// value of a global.
func (q query) ident(name string, path []ast.Node, depth int) (bool, bool) {
	if name == "true" || name == "false" || name == "nil" {
		return false, true
	}
	b, found := q.find(name, path)
	if !found {
		return q.global(name)
	}
	isI, known := q.bindingIsInt(b, depth)
	if !known && b.item != nil && q.r.ran[b.item] {
		// declared by an item of the cell that ran: ask its value
		return q.global(name)
	}
	return isI, known
}

// bindingIsInt classifies a name from what its declaration tells.
func (q query) bindingIsInt(b binding, depth int) (bool, bool) {
	switch {
	case b.recv:
		return false, true
	case b.typ != nil:
		return isIntType(b.typ)
	case b.rangeKey != nil:
		xi, xk := q.isInt(b.rangeKey.X, b.path, depth+1)
		if xk && xi {
			return true, true
		}
		if _, isMap := b.rangeKey.X.(*ast.CompositeLit); !isMap && xk {
			return true, true // index of a slice, array or string
		}
		return false, false
	case b.value != nil && b.n == 1:
		return q.isInt(b.value, b.path, depth+1)
	}
	return false, false
}

// global classifies a global of an earlier cell from its live value.
func (q query) global(name string) (bool, bool) {
	switch q.r.live.Kind(name) {
	case "":
		return false, false
	case "var", "const":
		if t := q.r.live.TypeOf(name); t != nil {
			return isIntKind(t.Kind()), true
		}
		return false, false
	}
	return false, true
}

// selector classifies x.f: from the field's declared type when x's type is
// a struct type declared by a cell, else, at the top level of the cell
// (outside function bodies) when the chain is made of names only and its
// root is not a package, from the live value.
func (q query) selector(x *ast.SelectorExpr, path []ast.Node) (bool, bool) {
	if id, ok := x.X.(*ast.Ident); ok {
		if t := q.typeExprOf(id.Name, path); t != nil {
			if ft := q.fieldType(t, x.Sel.Name); ft != nil {
				return isIntType(ft)
			}
		}
	}
	for _, n := range path {
		switch n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false, false
		}
	}
	var e ast.Expr = x
	for {
		if s, ok := e.(*ast.SelectorExpr); ok {
			e = s.X
			continue
		}
		break
	}
	root, ok := e.(*ast.Ident)
	if !ok || q.it == nil || q.isImport(root.Name) {
		return false, false
	}
	if t := q.r.live.TypeOf(q.r.src[q.it.Off(x.Pos()):q.it.Off(x.End())]); t != nil {
		return isIntKind(t.Kind()), true
	}
	return false, false
}
