package cell

// Type inference for range operands: yaegi v0.16 cannot compile a range
// over an integer, so the rewriter must know which operands are integers.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
)

// intResolver decides whether an expression is of integer type, as far as
// can be seen without a type checker: literals, len/cap/conversions,
// arithmetic, and identifiers declared in the enclosing functions, in the
// cell, or as globals of the session (whose live type is asked for).
type intResolver struct {
	items  []*item
	global func(name string) (isInt, known bool)
	// expr evaluates an expression made of names only (no calls) and tells
	// whether its value is an integer; isImport tells package names.
	expr     func(src string) (isInt, known bool)
	isImport func(name string) bool
	src      string
	cur      *item // the item being rewritten
	// typeSource returns the source of a type declared by an earlier cell.
	typeSource func(name string) (string, bool)
	// pkgSym returns a symbol of the compiled package imported as pkg.
	pkgSym func(pkg, name string) (reflect.Value, bool)
	// globalType returns the run-time type of a global of an earlier cell.
	globalType func(name string) reflect.Type
	done       map[*item]bool // items of the cell already evaluated
}

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

// isInt classifies e; path holds the ancestors of e (outermost first).
func (r *intResolver) isInt(e ast.Expr, path []ast.Node, depth int) (isInt, known bool) {
	if depth > 8 {
		return false, false
	}
	if isI, k := r.isIntSyntax(e, path, depth); k {
		return isI, k
	}
	if t := r.rtype(e, path, depth+1); t != nil {
		return isIntKind(t.Kind()), true
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

// isIntSyntax classifies e from its syntax and the declarations in view.
func (r *intResolver) isIntSyntax(e ast.Expr, path []ast.Node, depth int) (isInt, known bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT || x.Kind == token.CHAR, true
	case *ast.ParenExpr:
		return r.isInt(x.X, path, depth+1)
	case *ast.UnaryExpr:
		if x.Op == token.SUB || x.Op == token.ADD || x.Op == token.XOR {
			return r.isInt(x.X, path, depth+1)
		}
		return false, x.Op == token.NOT || x.Op == token.AND
	case *ast.BinaryExpr:
		switch x.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return false, true
		case token.SHL, token.SHR:
			return r.isInt(x.X, path, depth+1)
		}
		a, ka := r.isInt(x.X, path, depth+1)
		b, kb := r.isInt(x.Y, path, depth+1)
		if ka && kb {
			return a && b, true
		}
		if (ka && !a) || (kb && !b) {
			return false, true
		}
		return false, false
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
		return r.selector(x, path)
	case *ast.Ident:
		return r.ident(x.Name, path, depth)
	}
	return false, false
}

// ident resolves a name by scanning the enclosing scopes from the innermost.
func (r *intResolver) ident(name string, path []ast.Node, depth int) (bool, bool) {
	if name == "true" || name == "false" || name == "nil" {
		return false, true
	}
	for i := len(path) - 1; i >= 0; i-- {
		var child ast.Node
		if i+1 < len(path) {
			child = path[i+1]
		}
		switch n := path[i].(type) {
		case *ast.FuncDecl:
			if isI, k, found := r.fields(name, n.Type); found {
				return isI, k
			}
			if n.Recv != nil {
				for _, f := range n.Recv.List {
					for _, id := range f.Names {
						if id.Name == name {
							return false, true
						}
					}
				}
			}
		case *ast.FuncLit:
			if isI, k, found := r.fields(name, n.Type); found {
				return isI, k
			}
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause, *ast.SwitchStmt, *ast.TypeSwitchStmt:
			for _, st := range scopeStmts(n) {
				if st == child {
					break
				}
				if isI, k, found := r.stmtDecl(name, st, path[:i+1], depth); found {
					return isI, k
				}
			}
		case *ast.ForStmt:
			if n.Init != nil && n.Init != child {
				if isI, k, found := r.stmtDecl(name, n.Init, path[:i+1], depth); found {
					return isI, k
				}
			}
		case *ast.IfStmt:
			if n.Init != nil && n.Init != child {
				if isI, k, found := r.stmtDecl(name, n.Init, path[:i+1], depth); found {
					return isI, k
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE && child != n.X {
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == name {
					xi, xk := r.isInt(n.X, path[:i], depth+1)
					if xk && xi {
						return true, true
					}
					if _, isMap := n.X.(*ast.CompositeLit); !isMap && xk {
						return true, true // index of a slice, array or string
					}
					return false, false
				}
				if id, ok := n.Value.(*ast.Ident); ok && id.Name == name {
					return false, false
				}
			}
		}
	}
	// Cell-level declarations and statements before the current item (an
	// item already evaluated is asked at run time when its syntax does not
	// tell), then the session's globals.
	for j := r.index() - 1; j >= 0; j-- {
		it := r.items[j]
		isI, k, found := false, false, false
		if it.stmt != nil {
			isI, k, found = r.stmtDecl(name, it.stmt, nil, depth)
		}
		if gd, ok := it.decl.(*ast.GenDecl); ok && !found {
			isI, k, found = r.genDecl(name, gd, nil, depth)
		}
		if found {
			if !k && r.done[it] && r.global != nil {
				return r.global(name)
			}
			return isI, k
		}
	}
	if r.global != nil {
		return r.global(name)
	}
	return false, false
}

// index returns the position of the current item in the cell (len(items)
// when unknown).
func (r *intResolver) index() int {
	for j, it := range r.items {
		if it == r.cur {
			return j
		}
	}
	return len(r.items)
}

// selector classifies x.f at the top level of the cell (outside function
// bodies): when the chain is made of names only and its root is a global
// (of an earlier cell or of an item already evaluated), it is evaluated.
func (r *intResolver) selector(x *ast.SelectorExpr, path []ast.Node) (bool, bool) {
	if id, ok := x.X.(*ast.Ident); ok {
		if t := r.typeExprOf(id.Name, path); t != nil {
			if ft := r.fieldType(t, x.Sel.Name); ft != nil {
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
	if !ok || r.expr == nil || r.cur == nil || (r.isImport != nil && r.isImport(root.Name)) {
		return false, false
	}
	return r.expr(r.src[r.cur.off(x.Pos()):r.cur.off(x.End())])
}

func (r *intResolver) fields(name string, ft *ast.FuncType) (bool, bool, bool) {
	for _, fl := range []*ast.FieldList{ft.Params, ft.Results} {
		if fl == nil {
			continue
		}
		for _, f := range fl.List {
			for _, id := range f.Names {
				if id.Name == name {
					isI, k := isIntType(f.Type)
					return isI, k, true
				}
			}
		}
	}
	return false, false, false
}

func (r *intResolver) stmtDecl(name string, st ast.Stmt, path []ast.Node, depth int) (bool, bool, bool) {
	switch s := st.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.DEFINE {
			return false, false, false
		}
		for k, lhs := range s.Lhs {
			if id, ok := lhs.(*ast.Ident); ok && id.Name == name {
				if len(s.Lhs) == len(s.Rhs) {
					isI, kn := r.isInt(s.Rhs[k], path, depth+1)
					return isI, kn, true
				}
				return false, false, true
			}
		}
	case *ast.DeclStmt:
		if gd, ok := s.Decl.(*ast.GenDecl); ok {
			return r.genDecl(name, gd, path, depth)
		}
	}
	return false, false, false
}

func (r *intResolver) genDecl(name string, gd *ast.GenDecl, path []ast.Node, depth int) (bool, bool, bool) {
	if gd.Tok != token.VAR && gd.Tok != token.CONST {
		return false, false, false
	}
	for _, sp := range gd.Specs {
		vs := sp.(*ast.ValueSpec)
		for k, id := range vs.Names {
			if id.Name != name {
				continue
			}
			if vs.Type != nil {
				isI, kn := isIntType(vs.Type)
				return isI, kn, true
			}
			if len(vs.Values) == len(vs.Names) {
				isI, kn := r.isInt(vs.Values[k], path, depth+1)
				return isI, kn, true
			}
			return false, false, true
		}
	}
	return false, false, false
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
func (r *intResolver) typeExprOf(name string, path []ast.Node) ast.Expr {
	inStmt := func(st ast.Stmt) (ast.Expr, bool) {
		switch s := st.(type) {
		case *ast.DeclStmt:
			if gd, ok := s.Decl.(*ast.GenDecl); ok {
				return inGenDecl(name, gd)
			}
		case *ast.AssignStmt:
			if s.Tok != token.DEFINE {
				return nil, false
			}
			for k, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == name {
					if len(s.Rhs) == len(s.Lhs) {
						return literalType(s.Rhs[k]), true
					}
					return nil, true
				}
			}
		}
		return nil, false
	}
	for i := len(path) - 1; i >= 0; i-- {
		var child ast.Node
		if i+1 < len(path) {
			child = path[i+1]
		}
		switch n := path[i].(type) {
		case *ast.FuncDecl:
			if t := fieldType(name, n.Recv, n.Type.Params, n.Type.Results); t != nil {
				return t
			}
		case *ast.FuncLit:
			if t := fieldType(name, n.Type.Params, n.Type.Results); t != nil {
				return t
			}
		case *ast.BlockStmt:
			for _, st := range n.List {
				if st == child {
					break
				}
				if t, found := inStmt(st); found {
					return t
				}
			}
		}
	}
	for j := r.index() - 1; j >= 0; j-- {
		it := r.items[j]
		if it.stmt != nil {
			if t, found := inStmt(it.stmt); found {
				return t
			}
		}
		if gd, ok := it.decl.(*ast.GenDecl); ok {
			if t, found := inGenDecl(name, gd); found {
				return t
			}
		}
	}
	return nil
}

func inGenDecl(name string, gd *ast.GenDecl) (ast.Expr, bool) {
	if gd.Tok != token.VAR {
		return nil, false
	}
	for _, sp := range gd.Specs {
		vs := sp.(*ast.ValueSpec)
		for k, id := range vs.Names {
			if id.Name == name {
				if vs.Type != nil {
					return vs.Type, true
				}
				if len(vs.Values) == len(vs.Names) {
					return literalType(vs.Values[k]), true
				}
				return nil, true
			}
		}
	}
	return nil, false
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
func (r *intResolver) fieldType(t ast.Expr, f string) ast.Expr {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	id, ok := t.(*ast.Ident)
	if !ok {
		return nil
	}
	var spec *ast.TypeSpec
	for _, it := range r.items {
		if gd, ok := it.decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, sp := range gd.Specs {
				if ts := sp.(*ast.TypeSpec); ts.Name.Name == id.Name {
					spec = ts
				}
			}
		}
	}
	if spec == nil && r.typeSource != nil {
		if src, ok := r.typeSource(id.Name); ok {
			if f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution); err == nil {
				for _, d := range f.Decls {
					if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
						for _, sp := range gd.Specs {
							if ts := sp.(*ast.TypeSpec); ts.Name.Name == id.Name {
								spec = ts
							}
						}
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
	for _, fl := range stt.Fields.List {
		for _, n := range fl.Names {
			if n.Name == f {
				return fl.Type
			}
		}
	}
	return nil
}

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
func (r *intResolver) rtype(e ast.Expr, path []ast.Node, depth int) reflect.Type {
	if depth > 12 || e == nil {
		return nil
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return r.rtype(x.X, path, depth+1)
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
		if t := r.rtype(x.X, path, depth+1); t != nil && t.Kind() == reflect.Pointer {
			return t.Elem()
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			if t := r.rtype(x.X, path, depth+1); t != nil {
				return reflect.PointerTo(t)
			}
			return nil
		}
		t := r.rtype(x.X, path, depth+1)
		if x.Op == token.ARROW {
			if t != nil && t.Kind() == reflect.Chan {
				return t.Elem()
			}
			return nil
		}
		return t
	case *ast.CompositeLit:
		return r.typeOfTypeExpr(x.Type)
	case *ast.Ident:
		texpr, val, k, n, found := r.lookup(x.Name, path)
		if !found {
			if r.globalType != nil {
				return r.globalType(x.Name)
			}
			return nil
		}
		if texpr != nil {
			return r.typeOfTypeExpr(texpr)
		}
		if val == nil {
			return nil
		}
		if n > 1 { // v1, v2 := f()
			if ft := r.funcType(val, path, depth+1); ft != nil && k < ft.NumOut() {
				return ft.Out(k)
			}
			return nil
		}
		return r.rtype(val, path, depth+1)
	case *ast.CallExpr:
		if t := r.typeOfTypeExpr(x.Fun); t != nil { // conversion
			return t
		}
		if ft := r.funcType(x, path, depth+1); ft != nil && ft.NumOut() > 0 {
			return ft.Out(0)
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); ok && r.isImport != nil && r.isImport(id.Name) {
			if v, ok := r.pkgSym(id.Name, x.Sel.Name); ok && v.IsValid() && v.Kind() != reflect.Func {
				return v.Type() // a package variable
			}
			return nil
		}
		t := r.rtype(x.X, path, depth+1)
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
	case *ast.BinaryExpr:
		switch x.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ, token.LAND, token.LOR:
			return basicTypes["bool"]
		}
		if t := r.rtype(x.X, path, depth+1); t != nil {
			return t
		}
		return r.rtype(x.Y, path, depth+1)
	}
	return nil
}

// funcType returns the type of the function a call calls: a function of a
// compiled package, or a method of a value whose type is known.
func (r *intResolver) funcType(call ast.Expr, path []ast.Node, depth int) reflect.Type {
	c, ok := call.(*ast.CallExpr)
	if !ok {
		return nil
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if id, ok := sel.X.(*ast.Ident); ok && r.isImport != nil && r.isImport(id.Name) {
		if v, ok := r.pkgSym(id.Name, sel.Sel.Name); ok && v.IsValid() && v.Kind() == reflect.Func {
			return v.Type()
		}
		return nil
	}
	t := r.rtype(sel.X, path, depth+1)
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
func (r *intResolver) typeOfTypeExpr(e ast.Expr) reflect.Type {
	switch x := e.(type) {
	case *ast.Ident:
		return basicTypes[x.Name]
	case *ast.ParenExpr:
		return r.typeOfTypeExpr(x.X)
	case *ast.StarExpr:
		if t := r.typeOfTypeExpr(x.X); t != nil {
			return reflect.PointerTo(t)
		}
	case *ast.ArrayType:
		if x.Len == nil {
			if t := r.typeOfTypeExpr(x.Elt); t != nil {
				return reflect.SliceOf(t)
			}
		}
	case *ast.ChanType:
		if t := r.typeOfTypeExpr(x.Value); t != nil {
			return reflect.ChanOf(reflect.BothDir, t)
		}
	case *ast.MapType:
		k, v := r.typeOfTypeExpr(x.Key), r.typeOfTypeExpr(x.Value)
		if k != nil && v != nil && k.Comparable() {
			return reflect.MapOf(k, v)
		}
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		if !ok || r.isImport == nil || !r.isImport(id.Name) || r.pkgSym == nil {
			return nil
		}
		// Symbol tables hold a type T as a nil *T.
		if v, ok := r.pkgSym(id.Name, x.Sel.Name); ok && v.IsValid() && v.Kind() == reflect.Pointer && v.IsNil() {
			return v.Type().Elem()
		}
	}
	return nil
}

// lookup finds the declaration of a local or cell-level name in view of
// path: its type expression when it has one, else its value (the k-th of
// n names defined together).
func (r *intResolver) lookup(name string, path []ast.Node) (texpr, val ast.Expr, k, n int, found bool) {
	inStmt := func(st ast.Stmt) (ast.Expr, ast.Expr, int, int, bool) {
		switch s := st.(type) {
		case *ast.DeclStmt:
			if gd, ok := s.Decl.(*ast.GenDecl); ok && (gd.Tok == token.VAR || gd.Tok == token.CONST) {
				for _, sp := range gd.Specs {
					vs := sp.(*ast.ValueSpec)
					for i, id := range vs.Names {
						if id.Name == name {
							if vs.Type != nil {
								return vs.Type, nil, 0, 1, true
							}
							if len(vs.Values) == len(vs.Names) {
								return nil, vs.Values[i], 0, 1, true
							}
							if len(vs.Values) == 1 {
								return nil, vs.Values[0], i, len(vs.Names), true
							}
							return nil, nil, 0, 0, true
						}
					}
				}
			}
		case *ast.AssignStmt:
			if s.Tok != token.DEFINE {
				return nil, nil, 0, 0, false
			}
			for i, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == name {
					if len(s.Rhs) == len(s.Lhs) {
						return nil, s.Rhs[i], 0, 1, true
					}
					if len(s.Rhs) == 1 {
						return nil, s.Rhs[0], i, len(s.Lhs), true
					}
					return nil, nil, 0, 0, true
				}
			}
		}
		return nil, nil, 0, 0, false
	}
	for i := len(path) - 1; i >= 0; i-- {
		var child ast.Node
		if i+1 < len(path) {
			child = path[i+1]
		}
		switch nd := path[i].(type) {
		case *ast.FuncDecl:
			if t := fieldType(name, nd.Recv, nd.Type.Params, nd.Type.Results); t != nil {
				return t, nil, 0, 1, true
			}
		case *ast.FuncLit:
			if t := fieldType(name, nd.Type.Params, nd.Type.Results); t != nil {
				return t, nil, 0, 1, true
			}
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause, *ast.SwitchStmt, *ast.TypeSwitchStmt:
			for _, st := range scopeStmts(nd) {
				if st == child {
					break
				}
				if t, v, k, n, ok := inStmt(st); ok {
					return t, v, k, n, true
				}
			}
		case *ast.RangeStmt:
			if nd.Tok == token.DEFINE && child != nd.X {
				for _, e := range []ast.Expr{nd.Key, nd.Value} {
					if id, ok := e.(*ast.Ident); ok && id.Name == name {
						return nil, nil, 0, 0, true // type not inferred
					}
				}
			}
		case *ast.ForStmt:
			if nd.Init != nil && nd.Init != child {
				if t, v, k, n, ok := inStmt(nd.Init); ok {
					return t, v, k, n, true
				}
			}
		case *ast.IfStmt:
			if nd.Init != nil && nd.Init != child {
				if t, v, k, n, ok := inStmt(nd.Init); ok {
					return t, v, k, n, true
				}
			}
		}
	}
	for j := r.index() - 1; j >= 0; j-- {
		it := r.items[j]
		if it.stmt != nil {
			if t, v, k, n, ok := inStmt(it.stmt); ok {
				return t, v, k, n, true
			}
		}
		if gd, ok := it.decl.(*ast.GenDecl); ok {
			if t, v, k, n, ok := inStmt(&ast.DeclStmt{Decl: gd}); ok {
				return t, v, k, n, true
			}
		}
	}
	return nil, nil, 0, 0, false
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

// inFunc reports whether path goes through a function declaration or literal.
func inFunc(path []ast.Node) bool {
	for _, n := range path {
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return true
		}
	}
	return false
}
