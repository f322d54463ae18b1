package check

import (
	"go/ast"
	"go/types"
)

// LastExpr returns the type of the cell's last item when it is an
// expression statement, and the expression; false when it is not or its
// type is unknown. O(1).
func (r *Result) LastExpr() (types.Type, ast.Expr, bool) {
	it := r.lastExpr()
	if it == nil {
		return nil, nil, false
	}
	x := it.Stmt.(*ast.ExprStmt).X
	tv, ok := r.typeOf(it, x)
	if !ok || tv.IsVoid() {
		return nil, x, false
	}
	return tv.Type, x, true
}

// TypeString writes t for messages and completion: packages by name, the
// cells' own types unqualified.
func (r *Result) TypeString(t types.Type) string { return types.TypeString(t, r.qualifier()) }

// Members lists the fields and methods that a selector on a value of type
// t reaches (promoted ones included, unexported ones only of the cells'
// own types), by name: "func" for a method, "field" for a field. The
// methods of *T are included for a T (a variable is addressable).
// O(members).
func Members(t types.Type) map[string]string {
	out := map[string]string{}
	if t == nil {
		return out
	}
	ms := types.NewMethodSet(t)
	if _, isPtr := t.Underlying().(*types.Pointer); !isPtr && !types.IsInterface(t) {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	for i := 0; i < ms.Len(); i++ {
		if o := ms.At(i).Obj(); visible(o) {
			out[o.Name()] = "func"
		}
	}
	fields(t, out, 0)
	return out
}

// fields adds the fields of the struct t (or *t) points to, and those
// promoted from embedded fields.
func fields(t types.Type, out map[string]string, depth int) {
	if depth > 4 {
		return
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return
	}
	for i := 0; i < st.NumFields(); i++ {
		f := st.Field(i)
		if visible(f) {
			if _, dup := out[f.Name()]; !dup {
				out[f.Name()] = "field"
			}
		}
		if f.Embedded() {
			fields(f.Type(), out, depth+1)
		}
	}
}

// visible reports whether a cell can select o: exported, or of the
// cells' own package.
func visible(o types.Object) bool {
	return o.Exported() || o.Pkg() != nil && o.Pkg().Path() == "main"
}
