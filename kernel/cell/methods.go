package cell

// Methods that a later cell can redeclare: yaegi v0.16.1 keeps the first
// declaration of a method and silently ignores a redeclaration, so every
// method of a non-generic type declared by a cell calls its body through a
// function variable, which a redeclaration assigns.

import (
	"context"
	"fmt"
	"go/ast"
	"strings"
)

// method is what the session keeps of a method declared through a
// function variable.
type method struct {
	fvar string // the function variable holding the body
	ftyp string // its type, e.g. func(*T, int) error
	gen  int    // the generation of the receiver type when declared
}

// methodSig returns the receiver type name, the type of the function
// variable (receiver first) and the parameter and result lists of a method
// declaration, or ok false when the method cannot go through a variable
// (generic receiver, no body).
func (rw *rewriter) methodSig(it *item, fd *ast.FuncDecl) (recv, ftyp string, ok bool) {
	if fd.Recv == nil || len(fd.Recv.List) != 1 || fd.Body == nil {
		return "", "", false
	}
	rt := fd.Recv.List[0].Type
	base := rt
	if st, isStar := base.(*ast.StarExpr); isStar {
		base = st.X
	}
	if _, isID := base.(*ast.Ident); !isID {
		return "", "", false // generic receiver T[X] or something unusual
	}
	src := func(e ast.Node) string { return rw.src[it.off(e.Pos()):it.off(e.End())] }
	types := []string{src(rt)}
	for _, f := range fd.Type.Params.List {
		for range max(1, len(f.Names)) {
			types = append(types, src(f.Type))
		}
	}
	ftyp = "func(" + strings.Join(types, ", ") + ")"
	if fd.Type.Results != nil {
		ftyp += " " + src(fd.Type.Results)
	}
	return recvTypeName(rt), ftyp, true
}

// methodLiteral returns `func(recv T, params) results body` for method fd,
// with line directives keeping the cell's positions.
func (rw *rewriter) methodLiteral(it *item, fd *ast.FuncDecl, sub func(a, b int) string) string {
	r := fd.Recv.List[0]
	name := "_"
	if len(r.Names) == 1 {
		name = r.Names[0].Name
	}
	ts, te := it.off(r.Type.Pos()), it.off(r.Type.End())
	var b strings.Builder
	b.WriteString("func(" + name + " " + sub(ts, te))
	for _, f := range fd.Type.Params.List {
		fs, fe := it.off(f.Pos()), it.off(f.End())
		b.WriteString(", " + rw.dir(fs))
		if len(f.Names) == 0 {
			b.WriteString("_ ") // the receiver is named: so must the parameters be
		}
		b.WriteString(sub(fs, fe))
	}
	b.WriteString(")")
	if fd.Type.Results != nil {
		rs, re := it.off(fd.Type.Results.Pos()), it.off(fd.Type.Results.End())
		b.WriteString(" " + rw.dir(rs) + sub(rs, re))
	}
	bs, be := it.off(fd.Body.Pos()), it.off(fd.Body.End())
	b.WriteString(" " + rw.dir(bs) + sub(bs, be))
	return b.String()
}

// methodDecl rewrites a new method declaration into a function variable, a
// method calling it, and (returned, to evaluate right after the
// declarations) the assignment of the body to the variable.
func (rw *rewriter) methodDecl(it *item, fd *ast.FuncDecl, ftyp string) (fvar string) {
	fvar = rw.fresh("__subspace_m")
	rw.add(&edit{start: it.start, end: it.end, render: func(sub func(a, b int) string) string {
		var params, args []string
		k := 0
		for _, f := range fd.Type.Params.List {
			t := rw.src[it.off(f.Type.Pos()):it.off(f.Type.End())]
			for range max(1, len(f.Names)) {
				a := fmt.Sprintf("__a%d", k)
				k++
				params = append(params, a+" "+t)
				if _, variadic := f.Type.(*ast.Ellipsis); variadic {
					a += "..."
				}
				args = append(args, a)
			}
		}
		recvType := rw.src[it.off(fd.Recv.List[0].Type.Pos()):it.off(fd.Recv.List[0].Type.End())]
		call := fvar + "(" + strings.Join(append([]string{"__r"}, args...), ", ") + ")"
		if fd.Type.Results != nil && len(fd.Type.Results.List) > 0 {
			call = "return " + call
		}
		results := ""
		if fd.Type.Results != nil {
			results = " " + rw.src[it.off(fd.Type.Results.Pos()):it.off(fd.Type.Results.End())]
		}
		return "var " + fvar + " " + ftyp + "\n" + rw.dir(it.off(fd.Pos())) +
			"func (__r " + recvType + ") " + fd.Name.Name + "(" + strings.Join(params, ", ") + ")" + results + " { " + call + " }"
	}})
	rw.methodAssigns = append(rw.methodAssigns, methodAssign{it: it, text: func() string {
		return fvar + " = " + rw.methodLiteral(it, fd, func(a, b int) string { return rw.text(a, b, nil) })
	}})
	return fvar
}

// methodAssign is the assignment of a method's body to its variable.
type methodAssign struct {
	it   *item
	text func() string
}

// methodRedecl turns a method declaration that redeclares a method of an
// earlier cell (same receiver type, same signature) into the assignment of
// its variable, a statement. Returns an error when the signature changed
// (yaegi cannot change a method's type: the type must be redeclared).
func (rw *rewriter) methodRedecl(it *item, known func(recv, name string) (method, bool), typeInCell map[string]bool) error {
	fd, ok := it.decl.(*ast.FuncDecl)
	if !ok || fd.Recv == nil {
		return nil
	}
	recv, ftyp, ok := rw.methodSig(it, fd)
	if !ok || typeInCell[recv] {
		return nil
	}
	m, ok := known(recv, fd.Name.Name)
	if !ok {
		return nil
	}
	if m.ftyp != ftyp {
		line, col := lineCol(rw.src, it.off(fd.Name.Pos()))
		return fmt.Errorf("%s:%d:%d: method %s.%s was declared as %s; yaegi cannot change a method's signature: redeclare the type %s (with its methods) in this cell", rw.name, line, col, recv, fd.Name.Name, m.ftyp, recv)
	}
	rw.add(&edit{start: it.start, end: it.end, render: func(sub func(a, b int) string) string {
		return m.fvar + " = " + rw.methodLiteral(it, fd, sub)
	}})
	it.kind = itemStmt
	rw.methodVars[it] = m.fvar
	return nil
}

// knownMethod returns the variable of method name of type recv declared by
// an earlier cell, unless the type was redeclared since.
func (s *Session) knownMethod(recv, name string) (method, bool) {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	m, ok := s.methods[recv+"."+name]
	if !ok || m.gen != s.typeGen[recv] {
		return method{}, false
	}
	return m, true
}

// recordMethods notes the method variables of a group. After a failed
// evaluation (failed), a method is noted only if its variable exists:
// yaegi declares methods before it compiles their bodies, and keeps them.
func (s *Session) recordMethods(ctx context.Context, group []*item, rw *rewriter, failed bool) {
	for _, it := range group {
		fd, ok := it.decl.(*ast.FuncDecl)
		fvar := rw.methodVars[it]
		if !ok || fvar == "" || it.kind != itemDecl {
			continue
		}
		if failed {
			if _, err := s.eval(ctx, stmtStart+"_ = "+fvar); err != nil {
				s.filter.take()
				continue
			}
		}
		recv := recvTypeName(fd.Recv.List[0].Type)
		s.symMu.Lock()
		s.methods[recv+"."+fd.Name.Name] = method{fvar: fvar, ftyp: rw.methodTypes[it], gen: s.typeGen[recv]}
		s.symMu.Unlock()
	}
}

// assignMethods evaluates the assignments of the bodies of the new methods
// of a group to their variables.
func (s *Session) assignMethods(ctx context.Context, group []*item, rw *rewriter) error {
	var b strings.Builder
	for _, a := range rw.methodAssigns {
		for _, it := range group {
			if a.it == it {
				b.WriteString(lineDirective(rw.src, rw.name, it.start) + a.text() + "\n")
			}
		}
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := s.eval(ctx, stmtStart+b.String())
	return err
}
