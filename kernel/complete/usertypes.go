package complete

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// userType returns the name of the session type (a "type" global) that the
// variable name has, found from its declaration in the cell text, its
// global Signature ("var p T" or "var p *T"), or its source (`p := T{...}`,
// `p := &T{}`, `p := NewT(...)` with NewT a session function returning T or
// *T); "" when unknown. yaegi's own types are invisible to reflection
// (unnamed, no methods), so their members come from the declarations.
func (r *request) userType(name string) string {
	if d, ok := r.cellDecl(name); ok {
		if d.Type != nil && d.Type.Pkg == "" {
			return r.userTypeOfRef(d.Type)
		}
		return ""
	}
	g, ok := r.global(name)
	if !ok || g.Kind != "var" {
		return ""
	}
	if t := declaredType(g.Signature, name); r.isUserType(t) {
		return t
	}
	if ss, ok := r.sc.(SourceScope); ok {
		if src, ok := ss.Source(name); ok {
			for _, d := range scanCell(src).Decls {
				if d.Name == name && d.Type != nil && d.Type.Pkg == "" {
					return r.userTypeOfRef(d.Type)
				}
			}
		}
	}
	return ""
}

func (r *request) isUserType(name string) bool {
	g, ok := r.global(name)
	return ok && g.Kind == "type"
}

func (r *request) userTypeOfRef(ref *typeRef) string {
	if !ref.Call {
		if r.isUserType(ref.Name) {
			return ref.Name
		}
		return ""
	}
	if g, ok := r.global(ref.Name); ok && g.Kind == "func" {
		if t := resultTypeName(g.Signature); r.isUserType(t) {
			return t
		}
	}
	return ""
}

// parseDecl parses one declaration (a signature without body is valid Go).
func parseDecl(src string) ast.Decl {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return nil
	}
	return f.Decls[0]
}

// baseTypeName returns T for the type expressions T and *T.
func baseTypeName(e ast.Expr) string {
	if st, ok := e.(*ast.StarExpr); ok {
		e = st.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// resultTypeName returns T when the function signature sig has the single
// (or first) result T or *T.
func resultTypeName(sig string) string {
	fd, ok := parseDecl(sig).(*ast.FuncDecl)
	if !ok || fd.Type.Results == nil || len(fd.Type.Results.List) == 0 {
		return ""
	}
	return baseTypeName(fd.Type.Results.List[0].Type)
}

// docMembers adds the members of a variable declared in the cell as
// `v := pkg.F(...)`, `v := pkg.T{}` or `var v pkg.T` when the session has
// no symbol table for pkg: the exported fields (or interface methods)
// parsed from the type's declaration in the doc index and the methods the
// index lists for the type.
func (r *request) docMembers(name string, cands candidates) {
	path, typ, ok := r.docTypeOf(name)
	if !ok {
		return
	}
	e, _ := LookupDoc(path, typ)
	for _, f := range structFields(e.Signature, true) {
		cands.add(f, "field")
	}
	for _, m := range interfaceMethods(e.Signature) {
		cands.add(m, "method")
	}
	for m, kind := range indexedMethods(path, typ) {
		cands.add(m, kind)
	}
}

// docTypeOf returns the package and name of the type of a variable
// declared in the cell (`v := pkg.F(...)`, `v := pkg.T{}`, `var v pkg.T`)
// according to the doc index.
func (r *request) docTypeOf(name string) (path, typ string, ok bool) {
	d, ok := r.cellDecl(name)
	if !ok || d.Type == nil || d.Type.Pkg == "" {
		return "", "", false
	}
	path = r.packagePath(d.Type.Pkg)
	typ = d.Type.Name
	if d.Type.Call {
		e, ok := LookupDoc(path, typ)
		if !ok || e.Kind != "func" {
			return "", "", false
		}
		typ = resultTypeName(e.Signature)
	}
	if e, ok := LookupDoc(path, typ); !ok || e.Kind != "type" {
		return "", "", false
	}
	return path, typ, true
}

// declaredTypeExpr returns the type expression of the one type declared by
// sig ("type T ..."), or nil.
func declaredTypeExpr(sig string) ast.Expr {
	gd, ok := parseDecl(sig).(*ast.GenDecl)
	if !ok || len(gd.Specs) != 1 {
		return nil
	}
	ts, ok := gd.Specs[0].(*ast.TypeSpec)
	if !ok {
		return nil
	}
	return ts.Type
}

// interfaceMethods returns the exported method names of the interface
// type declared by sig ("type T interface { ... }").
func interfaceMethods(sig string) []string {
	it, ok := declaredTypeExpr(sig).(*ast.InterfaceType)
	if !ok {
		return nil
	}
	var out []string
	for _, m := range it.Methods.List {
		for _, n := range m.Names {
			if n.IsExported() {
				out = append(out, n.Name)
			}
		}
	}
	return out
}

// structFields returns the field names of the struct type declared by sig
// ("type T struct { ... }"), only the exported ones when exported is set.
// An embedded field is named after its type.
func structFields(sig string, exported bool) []string {
	st, ok := declaredTypeExpr(sig).(*ast.StructType)
	if !ok {
		return nil
	}
	var out []string
	add := func(n string) {
		if n != "" && (!exported || token.IsExported(n)) {
			out = append(out, n)
		}
	}
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			if se, ok := f.Type.(*ast.StarExpr); ok {
				f.Type = se.X
			}
			switch x := f.Type.(type) {
			case *ast.Ident:
				add(x.Name)
			case *ast.SelectorExpr:
				add(x.Sel.Name)
			}
		}
		for _, n := range f.Names {
			add(n.Name)
		}
	}
	return out
}

// userTypeMembers adds the fields of the session type typ (parsed from its
// "type" global's Signature) and its methods (the "typ.M" globals).
func (r *request) userTypeMembers(typ string, cands candidates) {
	if g, ok := r.global(typ); ok {
		for _, f := range structFields(g.Signature, false) {
			cands.add(f, "field")
		}
	}
	for _, m := range r.globals {
		if recv, meth, ok := strings.Cut(m.Name, "."); ok && recv == typ {
			cands.add(meth, "method")
		}
	}
}

// declaredType returns T from "var name T" or "var name *T", or "".
func declaredType(sig, name string) string {
	rest, ok := strings.CutPrefix(sig, "var "+name+" ")
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(strings.TrimSpace(rest), "*")
	if i := strings.IndexAny(rest, " =["); i >= 0 {
		rest = rest[:i]
	}
	if !isIdent(rest) {
		return ""
	}
	return rest
}
