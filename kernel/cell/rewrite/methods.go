package rewrite

// Methods that a later cell can redeclare: every method of a non-generic
// type declared by a cell calls its body through a function variable,
// which a redeclaration assigns.
//
// yaegi v0.16.1 (method-redecl): the first declaration of a method is
// kept; a redeclaration is silently ignored.

import (
	"fmt"
	"go/ast"
	"strings"
)

// methodSig returns the receiver type name, the type of the function
// variable (receiver first) and the parameter and result lists of a method
// declaration, or ok false when the method cannot go through a variable
// (generic receiver, no body).
func (c *Cell) methodSig(it *Item, fd *ast.FuncDecl) (recv, ftyp string, ok bool) {
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
	src := func(e ast.Node) string { return c.src[it.Off(e.Pos()):it.Off(e.End())] }
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
	return RecvTypeName(rt), ftyp, true
}

// methodLiteral returns `func(recv T, params) results body` for method fd,
// with line directives keeping the cell's positions.
func (c *Cell) methodLiteral(it *Item, fd *ast.FuncDecl, sub func(a, b int) string) string {
	r := fd.Recv.List[0]
	name := "_"
	if len(r.Names) == 1 {
		name = r.Names[0].Name
	}
	ts, te := it.Off(r.Type.Pos()), it.Off(r.Type.End())
	var b strings.Builder
	b.WriteString("func(" + name + " " + sub(ts, te))
	for _, f := range fd.Type.Params.List {
		fs, fe := it.Off(f.Pos()), it.Off(f.End())
		b.WriteString(", " + c.dir(fs))
		if len(f.Names) == 0 {
			b.WriteString("_ ") // the receiver is named: so must the parameters be
		}
		b.WriteString(sub(fs, fe))
	}
	b.WriteString(")")
	if fd.Type.Results != nil {
		rs, re := it.Off(fd.Type.Results.Pos()), it.Off(fd.Type.Results.End())
		b.WriteString(" " + c.dir(rs) + sub(rs, re))
	}
	bs, be := it.Off(fd.Body.Pos()), it.Off(fd.Body.End())
	b.WriteString(" " + c.dir(bs) + sub(bs, be))
	return b.String()
}

// methodDecl rewrites a new method declaration into a function variable and
// a method calling it, and notes the assignment of the body to the
// variable (MethodAssigns, evaluated right after the declarations).
func (c *Cell) methodDecl(it *Item, fd *ast.FuncDecl, ftyp string) (fvar string) {
	fvar = c.fresh("__subspace_m")
	c.add(&edit{start: it.Start, end: it.End, render: func(sub func(a, b int) string) string {
		var params, args []string
		k := 0
		for _, f := range fd.Type.Params.List {
			t := c.src[it.Off(f.Type.Pos()):it.Off(f.Type.End())]
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
		recvType := c.src[it.Off(fd.Recv.List[0].Type.Pos()):it.Off(fd.Recv.List[0].Type.End())]
		call := fvar + "(" + strings.Join(append([]string{"__r"}, args...), ", ") + ")"
		if fd.Type.Results != nil && len(fd.Type.Results.List) > 0 {
			call = "return " + call
		}
		results := ""
		if fd.Type.Results != nil {
			results = " " + c.src[it.Off(fd.Type.Results.Pos()):it.Off(fd.Type.Results.End())]
		}
		return "var " + fvar + " " + ftyp + "\n" + c.dir(it.Off(fd.Pos())) +
			"func (__r " + recvType + ") " + fd.Name.Name + "(" + strings.Join(params, ", ") + ")" + results + " { " + call + " }"
	}})
	c.methodAssigns = append(c.methodAssigns, methodAssign{it: it, text: func() string {
		return fvar + " = " + c.methodLiteral(it, fd, c.Span)
	}})
	return fvar
}

// methodAssign is the assignment of a method's body to its variable.
type methodAssign struct {
	it   *Item
	text func() string
}

// methodRedecl turns a method declaration that redeclares a method of an
// earlier cell (same receiver type, same signature) into the assignment of
// its variable, a statement. Returns an error when the signature changed
// (yaegi cannot change a method's type: the type must be redeclared).
func (c *Cell) methodRedecl(it *Item, typeInCell map[string]bool) error {
	fd, ok := it.Decl.(*ast.FuncDecl)
	if !ok || fd.Recv == nil {
		return nil
	}
	recv, ftyp, ok := c.methodSig(it, fd)
	if !ok || typeInCell[recv] {
		return nil
	}
	m, ok := c.prior.Methods[recv+"."+fd.Name.Name]
	if !ok {
		return nil
	}
	if m.Type != ftyp {
		line, col := LineCol(c.src, it.Off(fd.Name.Pos()))
		return fmt.Errorf("%s:%d:%d: method %s.%s was declared as %s; yaegi cannot change a method's signature: redeclare the type %s (with its methods) in this cell", c.name, line, col, recv, fd.Name.Name, m.Type, recv)
	}
	c.add(&edit{start: it.Start, end: it.End, render: func(sub func(a, b int) string) string {
		return m.Var + " = " + c.methodLiteral(it, fd, sub)
	}})
	it.Kind = Stmt
	c.methodVars[it] = m.Var
	return nil
}

// NewMethod returns the function variable and its type of a method that
// item it (rewritten) declares through a variable, and ok false for any
// other item.
func (c *Cell) NewMethod(it *Item) (fvar, ftyp string, ok bool) {
	fvar = c.methodVars[it]
	if fvar == "" || it.Kind != Decl {
		return "", "", false
	}
	return fvar, c.methodTypes[it], true
}

// MethodAssigns returns the statements assigning the bodies of the new
// methods declared by items to their variables (with line directives),
// "" when there are none.
func (c *Cell) MethodAssigns(items []*Item) string {
	var b strings.Builder
	for _, a := range c.methodAssigns {
		for _, it := range items {
			if a.it == it {
				b.WriteString(LineDirective(c.src, c.name, it.Start) + a.text() + "\n")
			}
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return StmtStart + b.String()
}
