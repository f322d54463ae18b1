package check

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// Commit records the declarations of a checked cell without errors as
// stubs for the cells after it: its package-level declarations, its
// methods, and the variables its statements define at the top level. A
// cell that was not checked makes its names unknown instead (Check did).
// Cost: O(declarations of the cell).
func (c *Checker) Commit(r *Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r == nil || !r.Checked || r.probe || len(r.Errors) > 0 || r.pkg == nil {
		return
	}
	q := c.qualifier(r.pkg)
	for _, d := range r.file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.Name == wrapperName && d.Recv == nil {
				continue
			}
			obj, ok := r.info.Defs[d.Name].(*types.Func)
			if !ok {
				continue
			}
			if d.Recv == nil {
				c.setStub(d.Name.Name, funcStub(obj, q))
			} else if recv := obj.Type().(*types.Signature).Recv(); recv != nil {
				if base := rewrite.RecvTypeName(d.Recv.List[0].Type); base != "?" {
					c.setStub(base+"."+d.Name.Name, methodStub(obj, q))
				}
			}
		case *ast.GenDecl:
			c.commitGen(r, d, q)
		}
	}
	if ws := r.wrapperScope(); ws != nil {
		for _, name := range ws.Names() {
			if v, ok := ws.Lookup(name).(*types.Var); ok && name != "_" {
				c.setVar(name, v.Type())
			}
		}
	}
}

// commitGen records the names of a var, const or type declaration.
func (c *Checker) commitGen(r *Result, d *ast.GenDecl, q types.Qualifier) {
	for _, sp := range d.Specs {
		switch s := sp.(type) {
		case *ast.ValueSpec:
			for _, id := range s.Names {
				switch o := r.info.Defs[id].(type) {
				case *types.Var:
					c.setVar(id.Name, o.Type())
				case *types.Const:
					c.setStub(id.Name, constStub(o, q))
				}
			}
		case *ast.TypeSpec:
			if o, ok := r.info.Defs[s.Name].(*types.TypeName); ok {
				for k := range c.stubs {
					if strings.HasPrefix(k, s.Name.Name+".") {
						delete(c.stubs, k)
					}
				}
				c.setStub(s.Name.Name, typeStub(o, q))
			}
		}
	}
}

// setVar records the stub `var name t`; a type that cannot be written
// makes the name unknown.
func (c *Checker) setVar(name string, t types.Type) {
	st, ok := c.varStub(name, t)
	if !ok {
		st = "\x00" // does not parse: unknown
	}
	c.setStub(name, st)
}

// setStub records the stub of name (a name of a checked cell is known).
// A stub that does not parse (a type reflection names in a way Go cannot,
// such as an instance of a compiled generic type) makes the name unknown
// instead: cells that use it are not checked.
func (c *Checker) setStub(name, src string) {
	if name == "_" {
		return
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution); err != nil {
		delete(c.stubs, name)
		c.unknown[name] = true
		return
	}
	c.stubs[name] = src
	delete(c.unknown, name)
}

// qualifier names the packages in stubs: "" for the cell's own, the
// private import name of the others.
func (c *Checker) qualifier(self *types.Package) types.Qualifier {
	return func(p *types.Package) string {
		if p == self || p.Path() == "main" {
			return ""
		}
		i, ok := c.paths[p.Path()]
		if !ok {
			i = len(c.paths)
			c.paths[p.Path()] = i
		}
		return privateName(i)
	}
}

// varStub returns `var name T`; false when T cannot be written (a type
// declared inside a function, or invalid).
func (c *Checker) varStub(name string, t types.Type) (string, bool) {
	if !writable(t) {
		return "", false
	}
	var self *types.Package
	return "var " + name + " " + types.TypeString(t, c.qualifier(self)) + "\n", true
}

// writable reports whether t can be written at package level: no invalid
// type and no named type local to a function.
func writable(t types.Type) bool {
	ok := true
	s := types.TypeString(t, func(p *types.Package) string { return p.Path() })
	if strings.Contains(s, "invalid type") {
		return false
	}
	var walk func(t types.Type, depth int)
	walk = func(t types.Type, depth int) {
		if !ok || depth > 20 {
			return
		}
		switch x := t.(type) {
		case *types.Named:
			if o := x.Obj(); o.Pkg() != nil && o.Parent() != nil && o.Parent() != o.Pkg().Scope() {
				ok = false
			}
			for i := 0; i < x.TypeArgs().Len(); i++ {
				walk(x.TypeArgs().At(i), depth+1)
			}
		case *types.Pointer:
			walk(x.Elem(), depth+1)
		case *types.Slice:
			walk(x.Elem(), depth+1)
		case *types.Array:
			walk(x.Elem(), depth+1)
		case *types.Map:
			walk(x.Key(), depth+1)
			walk(x.Elem(), depth+1)
		case *types.Chan:
			walk(x.Elem(), depth+1)
		case *types.Signature:
			walk(x.Params(), depth+1)
			walk(x.Results(), depth+1)
		case *types.Tuple:
			for i := 0; i < x.Len(); i++ {
				walk(x.At(i).Type(), depth+1)
			}
		case *types.Struct:
			for i := 0; i < x.NumFields(); i++ {
				walk(x.Field(i).Type(), depth+1)
			}
		}
	}
	walk(t, 0)
	return ok
}

// funcStub returns `func f(...) ... { panic("") }`.
func funcStub(f *types.Func, q types.Qualifier) string {
	sig := types.TypeString(f.Type(), q)
	return "func " + f.Name() + strings.TrimPrefix(sig, "func") + " { panic(\"\") }\n"
}

// methodStub returns `func (r R) M(...) ... { panic("") }`.
func methodStub(f *types.Func, q types.Qualifier) string {
	sig := f.Type().(*types.Signature)
	recv := types.TypeString(sig.Recv().Type(), q)
	return "func (" + recv + ") " + f.Name() + strings.TrimPrefix(types.TypeString(sig, q), "func") + " { panic(\"\") }\n"
}

// typeStub returns `type T[P C] U` or `type A = T`.
func typeStub(o *types.TypeName, q types.Qualifier) string {
	if o.IsAlias() {
		return "type " + o.Name() + " = " + types.TypeString(types.Unalias(o.Type()), q) + "\n"
	}
	n, ok := o.Type().(*types.Named)
	if !ok {
		return "type " + o.Name() + " " + types.TypeString(o.Type(), q) + "\n"
	}
	var b strings.Builder
	b.WriteString("type " + o.Name())
	if tp := n.TypeParams(); tp.Len() > 0 {
		b.WriteString("[")
		for i := 0; i < tp.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tp.At(i).Obj().Name() + " " + types.TypeString(tp.At(i).Constraint(), q))
		}
		b.WriteString("]")
	}
	b.WriteString(" " + types.TypeString(n.Underlying(), q) + "\n")
	return b.String()
}

// constStub returns `const c T = v` (`const c = v` when untyped).
func constStub(o *types.Const, q types.Qualifier) string {
	v := constText(o.Val())
	if b, ok := o.Type().(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		return "const " + o.Name() + " = " + v + "\n"
	}
	return "const " + o.Name() + " " + types.TypeString(o.Type(), q) + " = " + v + "\n"
}

// constText writes a constant as an exact constant expression.
func constText(v constant.Value) string {
	switch v.Kind() {
	case constant.Float:
		num, den := constant.Num(v), constant.Denom(v)
		if num.Kind() == constant.Int && den.Kind() == constant.Int {
			return "(" + num.ExactString() + ".0/" + den.ExactString() + ")"
		}
		return v.String()
	case constant.Complex:
		return "complex(" + constText(constant.Real(v)) + ", " + constText(constant.Imag(v)) + ")"
	case constant.Unknown:
		return "0"
	}
	return v.ExactString()
}
