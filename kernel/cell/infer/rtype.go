package infer

import (
	"go/ast"
	"go/token"
	"reflect"
)

// basicTypes are the predeclared types by name.
var basicTypes = map[string]reflect.Type{
	"int": reflect.TypeFor[int](), "int8": reflect.TypeFor[int8](), "int16": reflect.TypeFor[int16](),
	"int32": reflect.TypeFor[int32](), "int64": reflect.TypeFor[int64](), "uint": reflect.TypeFor[uint](),
	"uint8": reflect.TypeFor[uint8](), "uint16": reflect.TypeFor[uint16](), "uint32": reflect.TypeFor[uint32](),
	"uint64": reflect.TypeFor[uint64](), "uintptr": reflect.TypeFor[uintptr](), "byte": reflect.TypeFor[byte](),
	"rune": reflect.TypeFor[rune](), "float32": reflect.TypeFor[float32](), "float64": reflect.TypeFor[float64](),
	"string": reflect.TypeFor[string](), "bool": reflect.TypeFor[bool](), "error": reflect.TypeFor[error](),
	"complex64": reflect.TypeFor[complex64](), "complex128": reflect.TypeFor[complex128](), "any": reflect.TypeFor[any](),
}

// rtype infers the type of e when it involves compiled packages, whose
// types are known from the symbol tables (e.g. `r, c := m.Dims()` with m a
// *mat.Dense parameter), or globals of earlier cells. nil when unknown.
func (q query) rtype(e ast.Expr, path []ast.Node, depth int) reflect.Type {
	if depth > 12 || e == nil {
		return nil
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return q.rtype(x.X, path, depth+1)
	case *ast.BasicLit:
		switch x.Kind {
		case token.INT:
			return basicTypes["int"]
		case token.FLOAT:
			return basicTypes["float64"]
		case token.STRING:
			return basicTypes["string"]
		}
	case *ast.StarExpr:
		if t := q.rtype(x.X, path, depth+1); t != nil && t.Kind() == reflect.Pointer {
			return t.Elem()
		}
	case *ast.UnaryExpr:
		return q.unaryType(x, path, depth)
	case *ast.CompositeLit:
		return q.typeOfTypeExpr(x.Type)
	case *ast.Ident:
		return q.identType(x.Name, path, depth)
	case *ast.CallExpr:
		if t := q.typeOfTypeExpr(x.Fun); t != nil { // conversion
			return t
		}
		if ft := q.funcType(x, path, depth+1); ft != nil && ft.NumOut() > 0 {
			return ft.Out(0)
		}
	case *ast.SelectorExpr:
		return q.selectorType(x, path, depth)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return basicTypes["bool"]
		}
		if t := q.rtype(x.X, path, depth+1); t != nil {
			return t
		}
		return q.rtype(x.Y, path, depth+1)
	}
	return nil
}

func (q query) unaryType(x *ast.UnaryExpr, path []ast.Node, depth int) reflect.Type {
	if x.Op == token.AND {
		if t := q.rtype(x.X, path, depth+1); t != nil {
			return reflect.PointerTo(t)
		}
		return nil
	}
	t := q.rtype(x.X, path, depth+1)
	if x.Op == token.ARROW {
		if t != nil && t.Kind() == reflect.Chan {
			return t.Elem()
		}
		return nil
	}
	return t
}

// identType is the type of a name: from its declaration in view, else the
// live type of a global of an earlier cell.
func (q query) identType(name string, path []ast.Node, depth int) reflect.Type {
	b, found := q.find(name, path)
	switch {
	case !found:
		if k := q.r.live.Kind(name); k == "var" || k == "const" {
			return q.r.live.TypeOf(name)
		}
		return nil
	case b.typ != nil:
		return q.typeOfTypeExpr(b.typ)
	case b.value == nil:
		return nil
	case b.n > 1: // v1, v2 := f()
		if ft := q.funcType(b.value, b.path, depth+1); ft != nil && b.k < ft.NumOut() {
			return ft.Out(b.k)
		}
		return nil
	}
	return q.rtype(b.value, b.path, depth+1)
}

func (q query) selectorType(x *ast.SelectorExpr, path []ast.Node, depth int) reflect.Type {
	if id, ok := x.X.(*ast.Ident); ok && q.isImport(id.Name) {
		if v, ok := q.r.live.Symbol(q.r.imports[id.Name], x.Sel.Name); ok && v.IsValid() && v.Kind() != reflect.Func {
			return v.Type() // a package variable
		}
		return nil
	}
	t := q.rtype(x.X, path, depth+1)
	if t == nil {
		return nil
	}
	if m, ok := t.MethodByName(x.Sel.Name); ok {
		return m.Type
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		if f, ok := st.FieldByName(x.Sel.Name); ok {
			return f.Type
		}
	}
	return nil
}

// funcType returns the type of the function a call calls: a function of a
// compiled package, or a method of a value whose type is known.
func (q query) funcType(call ast.Expr, path []ast.Node, depth int) reflect.Type {
	c, ok := call.(*ast.CallExpr)
	if !ok {
		return nil
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if id, ok := sel.X.(*ast.Ident); ok && q.isImport(id.Name) {
		if v, ok := q.r.live.Symbol(q.r.imports[id.Name], sel.Sel.Name); ok && v.IsValid() && v.Kind() == reflect.Func {
			return v.Type()
		}
		return nil
	}
	t := q.rtype(sel.X, path, depth+1)
	if t == nil {
		return nil
	}
	if m, ok := t.MethodByName(sel.Sel.Name); ok {
		return m.Type
	}
	return nil
}

// typeOfTypeExpr maps a type expression to a reflect.Type when it is made
// of predeclared types and types of compiled packages.
func (q query) typeOfTypeExpr(e ast.Expr) reflect.Type {
	switch x := e.(type) {
	case *ast.Ident:
		return basicTypes[x.Name]
	case *ast.ParenExpr:
		return q.typeOfTypeExpr(x.X)
	case *ast.StarExpr:
		if t := q.typeOfTypeExpr(x.X); t != nil {
			return reflect.PointerTo(t)
		}
	case *ast.ArrayType:
		if x.Len == nil {
			if t := q.typeOfTypeExpr(x.Elt); t != nil {
				return reflect.SliceOf(t)
			}
		}
	case *ast.ChanType:
		if t := q.typeOfTypeExpr(x.Value); t != nil {
			return reflect.ChanOf(reflect.BothDir, t)
		}
	case *ast.MapType:
		k, v := q.typeOfTypeExpr(x.Key), q.typeOfTypeExpr(x.Value)
		if k != nil && v != nil && k.Comparable() {
			return reflect.MapOf(k, v)
		}
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		if !ok || !q.isImport(id.Name) {
			return nil
		}
		// Symbol tables hold a type T as a nil *T.
		if v, ok := q.r.live.Symbol(q.r.imports[id.Name], x.Sel.Name); ok && v.IsValid() && v.Kind() == reflect.Pointer && v.IsNil() {
			return v.Type().Elem()
		}
	}
	return nil
}
