package infer

import (
	"go/ast"
	"go/parser"
	"go/token"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// binding is what the declaration of a name in view tells about it.
type binding struct {
	typ        ast.Expr       // declared type (parameter, result, receiver, var x T)
	value      ast.Expr       // the value it is defined from: the k-th of n names
	k, n       int            //
	recv       bool           // a method's receiver
	rangeKey   *ast.RangeStmt // the key of this range statement
	rangeValue bool           // the value of a range statement
	path       []ast.Node     // the ancestors of the declaration's scope
	item       *rewrite.Item  // the item of a cell-level declaration
}

// find looks up the declaration of name in view from path (the ancestors of
// a node of the current item, outermost first): the enclosing functions'
// parameters, results and receivers, the statements before it in enclosing
// blocks, clauses and headers, range variables, then the cell-level items
// before the current one. This is the resolver's one scope walker.
// O(size of the cell).
func (q query) find(name string, path []ast.Node) (binding, bool) {
	for i := len(path) - 1; i >= 0; i-- {
		var child ast.Node
		if i+1 < len(path) {
			child = path[i+1]
		}
		if b, ok := scopeBinding(name, path[i], child); ok {
			if b.rangeKey != nil {
				b.path = path[:i]
			} else {
				b.path = path[:i+1]
			}
			return b, true
		}
	}
	for j := q.index() - 1; j >= 0; j-- {
		it := q.r.items[j]
		b, ok := stmtBinding(name, it.Stmt)
		if gd, isGen := it.Decl.(*ast.GenDecl); isGen && !ok {
			b, ok = genDeclBinding(name, gd)
		}
		if ok {
			b.item = it
			return b, true
		}
	}
	return binding{}, false
}

// scopeBinding looks for name among the declarations that scope node n
// makes visible to its child (the node on the way to the use).
func scopeBinding(name string, n, child ast.Node) (binding, bool) {
	switch x := n.(type) {
	case *ast.FuncDecl:
		if t := fieldType(name, x.Recv); t != nil {
			return binding{typ: t, recv: true}, true
		}
		if t := fieldType(name, x.Type.Params, x.Type.Results); t != nil {
			return binding{typ: t, n: 1}, true
		}
	case *ast.FuncLit:
		if t := fieldType(name, x.Type.Params, x.Type.Results); t != nil {
			return binding{typ: t, n: 1}, true
		}
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause, *ast.SwitchStmt, *ast.TypeSwitchStmt:
		for _, st := range scopeStmts(x) {
			if st == child {
				break
			}
			if b, ok := stmtBinding(name, st); ok {
				return b, true
			}
		}
	case *ast.ForStmt:
		if x.Init != nil && x.Init != child {
			return stmtBinding(name, x.Init)
		}
	case *ast.IfStmt:
		if x.Init != nil && x.Init != child {
			return stmtBinding(name, x.Init)
		}
	case *ast.RangeStmt:
		if x.Tok == token.DEFINE && child != x.X {
			if id, ok := x.Key.(*ast.Ident); ok && id.Name == name {
				return binding{rangeKey: x}, true
			}
			if id, ok := x.Value.(*ast.Ident); ok && id.Name == name {
				return binding{rangeValue: true}, true
			}
		}
	}
	return binding{}, false
}

// stmtBinding looks for a declaration of name by statement st: a := or a
// var or const declaration.
func stmtBinding(name string, st ast.Stmt) (binding, bool) {
	switch s := st.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE {
			return binding{}, false
		}
		for k, l := range s.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == name {
				switch {
				case len(s.Rhs) == len(s.Lhs):
					return binding{value: s.Rhs[k], n: 1}, true
				case len(s.Rhs) == 1:
					return binding{value: s.Rhs[0], k: k, n: len(s.Lhs)}, true
				}
				return binding{}, true
			}
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			return genDeclBinding(name, gd)
		}
	}
	return binding{}, false
}

// genDeclBinding looks for name in a var or const declaration.
func genDeclBinding(name string, gd *ast.GenDecl) (binding, bool) {
	if gd.Tok != token.VAR && gd.Tok != token.CONST {
		return binding{}, false
	}
	for _, sp := range gd.Specs {
		vs := sp.(*ast.ValueSpec)
		for k, id := range vs.Names {
			if id.Name != name {
				continue
			}
			switch {
			case vs.Type != nil:
				return binding{typ: vs.Type, n: 1}, true
			case len(vs.Values) == len(vs.Names):
				return binding{value: vs.Values[k], n: 1}, true
			case len(vs.Values) == 1:
				return binding{value: vs.Values[0], k: k, n: len(vs.Names)}, true
			}
			return binding{}, true
		}
	}
	return binding{}, false
}

// index returns the position of the current item in the cell (len(items)
// when unknown).
func (q query) index() int {
	for j, it := range q.r.items {
		if it == q.it {
			return j
		}
	}
	return len(q.r.items)
}

// scopeStmts returns the statements of n that declare names visible to
// later statements or children of n: a block's or clause's statements, and
// the init and guard of switches and of select cases.
func scopeStmts(n ast.Node) []ast.Stmt {
	var out []ast.Stmt
	switch x := n.(type) {
	case *ast.BlockStmt:
		out = x.List
	case *ast.CaseClause:
		out = x.Body
	case *ast.CommClause:
		if x.Comm != nil {
			out = append(out, x.Comm)
		}
		out = append(out, x.Body...)
	case *ast.SwitchStmt:
		if x.Init != nil {
			out = append(out, x.Init)
		}
	case *ast.TypeSwitchStmt:
		if x.Init != nil {
			out = append(out, x.Init)
		}
		if as, ok := x.Assign.(*ast.AssignStmt); ok {
			// v := x.(type): v's type depends on the clause; declare it
			// with no known value.
			out = append(out, &ast.AssignStmt{Lhs: as.Lhs, Tok: token.DEFINE})
		}
	}
	return out
}

// fieldType returns the type expression of the parameter, result or
// receiver called name in the field lists, or nil.
func fieldType(name string, fls ...*ast.FieldList) ast.Expr {
	for _, fl := range fls {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				if id.Name == name {
					return f.Type
				}
			}
		}
	}
	return nil
}

// typeExprOf finds the declared type of a variable from the syntax: a
// parameter or receiver, `var v T`, or `v := T{...}` / `v := &T{...}`.
func (q query) typeExprOf(name string, path []ast.Node) ast.Expr {
	b, found := q.find(name, path)
	switch {
	case !found:
		return nil
	case b.typ != nil:
		return b.typ
	case b.value != nil && b.n == 1:
		return literalType(b.value)
	}
	return nil
}

// literalType returns T for T{...} and &T{...}.
func literalType(e ast.Expr) ast.Expr {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	if cl, ok := e.(*ast.CompositeLit); ok {
		return cl.Type
	}
	return nil
}

// fieldType returns the type of field f of the struct type named by t
// (T or *T), declared in this cell or by an earlier one.
func (q query) fieldType(t ast.Expr, f string) ast.Expr {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	id, ok := t.(*ast.Ident)
	if !ok {
		return nil
	}
	var spec *ast.TypeSpec
	for _, it := range q.r.items {
		if ts := typeSpec(it.Decl, id.Name); ts != nil {
			spec = ts
		}
	}
	if spec == nil {
		if src, ok := q.r.live.TypeSource(id.Name); ok {
			if file, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution); err == nil {
				for _, d := range file.Decls {
					if ts := typeSpec(d, id.Name); ts != nil {
						spec = ts
					}
				}
			}
		}
	}
	if spec == nil {
		return nil
	}
	stt, ok := spec.Type.(*ast.StructType)
	if !ok {
		return nil
	}
	return fieldType(f, stt.Fields)
}

// typeSpec returns the spec of type name in declaration d, or nil.
func typeSpec(d ast.Decl, name string) *ast.TypeSpec {
	gd, ok := d.(*ast.GenDecl)
	if !ok || gd.Tok != token.TYPE {
		return nil
	}
	var out *ast.TypeSpec
	for _, sp := range gd.Specs {
		if ts := sp.(*ast.TypeSpec); ts.Name.Name == name {
			out = ts
		}
	}
	return out
}
