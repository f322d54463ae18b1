package check

import (
	"fmt"
	"go/ast"
	"go/types"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// The built-in must. The checker sees it as
//
//	func must[T any](v T, err ...error) T
//
// and then accepts two forms: must(v, err) and must(f()) where f returns
// (T, error), which give v; and must(err) with err an error, which gives
// err (nil, since a non-nil one fails the cell). At run time a rewrite
// replaces each call by a function literal of the checked type (yaegi
// v0.16.1 cannot compile a generic must), see MustForm.

// mustCall is a checked call of the built-in must.
type mustCall struct {
	form rewrite.MustKind
	typ  string // type of the result, as the cell can write it
}

// mustErrors checks the calls of the built-in must and notes their forms.
func (r *Result) mustErrors() []Error {
	var errs []Error
	add := func(n ast.Node, format string, a ...any) {
		p := r.fset.Position(n.Pos())
		errs = append(errs, Error{Line: p.Line, Col: p.Column, Msg: fmt.Sprintf(format, a...)})
	}
	r.musts = map[span]mustCall{}
	ast.Inspect(r.file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !r.isMust(call.Fun) {
			return true
		}
		s, ok := r.spanOf(call)
		if !ok {
			return true
		}
		mc := mustCall{form: rewrite.MustPair}
		switch len(call.Args) {
		case 1:
			tv := r.info.Types[call.Args[0]]
			if t, ok := tv.Type.(*types.Tuple); ok {
				if t.Len() != 2 || !isError(t.At(1).Type()) {
					add(call, "must(%s): want a value and an error, have %s", types.ExprString(call.Args[0]), types.TypeString(t, r.qualifier()))
					return true
				}
				mc.form = rewrite.MustCallPair
			} else if tv.Type != nil {
				if !types.Implements(tv.Type, errorIface) {
					add(call, "must(%s): %s is not an error (must takes a value and an error, or an error)", types.ExprString(call.Args[0]), types.TypeString(tv.Type, r.qualifier()))
					return true
				}
				mc.form = rewrite.MustErr
			}
		case 2:
		default:
			add(call, "too many arguments in call to must (must takes a value and an error, or an error)")
			return true
		}
		t := r.info.Types[call].Type
		if t == nil {
			return true
		}
		typ, missing := r.cellTypeString(t)
		if missing != "" {
			add(call, "must: the value's type %s is from package %q, which this cell cannot name: import it", typ, missing)
			return true
		}
		mc.typ = typ
		r.musts[s] = mc
		return true
	})
	return errs
}

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// isMust reports whether e names the built-in must (its stub).
func (r *Result) isMust(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	if !ok || id.Name != MustName {
		return false
	}
	obj := r.info.Uses[id]
	if obj == nil || obj.Pkg() == nil || obj.Pkg() != r.pkg {
		return false
	}
	f := r.fset.File(obj.Pos())
	return f != nil && f.Name() == "prior.go"
}

// qualifier names packages by their name (for messages).
func (r *Result) qualifier() types.Qualifier {
	return func(p *types.Package) string {
		if p == r.pkg {
			return ""
		}
		return p.Name()
	}
}

// cellTypeString writes t as the cell can write it: packages under the
// names the cell has for them; missing is the path of a package the cell
// has no name for.
func (r *Result) cellTypeString(t types.Type) (s, missing string) {
	s = types.TypeString(t, func(p *types.Package) string {
		if p == r.pkg || p.Path() == "main" {
			return ""
		}
		for name, path := range r.cell.Imports {
			if path == p.Path() {
				return name
			}
		}
		missing = p.Path()
		return p.Name()
	})
	return s, missing
}

// MustForm implements rewrite.Types: the form of a call of the built-in
// must and the type of its result. O(1).
func (r *Result) MustForm(it *rewrite.Item, call *ast.CallExpr) (kind rewrite.MustKind, typ string) {
	if !r.Checked || r.musts == nil {
		return rewrite.MustNone, ""
	}
	mc, ok := r.musts[span{it.Off(call.Pos()), it.Off(call.End())}]
	if !ok {
		return rewrite.MustNone, ""
	}
	return mc.form, mc.typ
}
