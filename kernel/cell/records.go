package cell

// The session's records of what cells declared and imported, and what
// follows from them: late binding of redeclared functions, undefined-name
// diagnostics, and type information for the rewriter.

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/subspace-kernel/subspace/kernel/complete"
)

// importPath returns the path of the package a cell imported as name.
func (s *Session) importPath(name string) string {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.imports[name]
}

// live is the session as the type resolver sees it (infer.Live).
type live struct{ s *Session }

// Kind returns the kind of a declaration of an earlier cell.
func (l live) Kind(name string) string {
	if g := l.s.global(name); g != nil {
		return g.Kind
	}
	return ""
}

// TypeOf evaluates an expression made of names and selectors only (no
// calls, so no side effects) and returns its value's type.
func (l live) TypeOf(expr string) reflect.Type {
	v, err := l.s.interp().EvalWithContext(context.Background(), expr)
	if err != nil || !v.IsValid() {
		l.s.filter.take()
		return nil
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	return v.Type()
}

// Symbol returns symbol name of the compiled package with import path path.
func (l live) Symbol(path, name string) (reflect.Value, bool) {
	s := l.s
	s.symMu.Lock()
	defer s.symMu.Unlock()
	for _, e := range s.exports {
		if syms, ok := e[path+"/"+s.pkgName[path]]; ok {
			if v, ok := syms[name]; ok {
				return v, true
			}
		}
	}
	return reflect.Value{}, false
}

// TypeSource returns the source of a type declared by an earlier cell.
func (l live) TypeSource(name string) (string, bool) {
	s := l.s
	s.symMu.Lock()
	defer s.symMu.Unlock()
	if g, ok := s.globals[name]; ok && g.Kind == "type" {
		return g.Source, true
	}
	return "", false
}

// recordImport notes a successful import.
func (s *Session) recordImport(is *ast.ImportSpec) {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	if name, path := s.importNameLocked(is); name != "" {
		s.imports[name] = path
	}
}

// importName returns the local name and the path of an import spec; the
// name is "" for blank and dot imports.
func (s *Session) importName(is *ast.ImportSpec) (name, path string) {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.importNameLocked(is)
}

func (s *Session) importNameLocked(is *ast.ImportSpec) (name, path string) {
	path = strings.Trim(is.Path.Value, "\"`")
	name = s.pkgName[path]
	if name == "" {
		name = path[strings.LastIndexByte(path, '/')+1:]
	}
	if is.Name != nil {
		name = is.Name.Name
	}
	if name == "_" || name == "." {
		return "", path
	}
	return name, path
}

// record notes the declarations of a successfully evaluated group.
func (s *Session) record(group []*rewrite.Item, c *rewrite.Cell) {
	src := c.Src()
	s.symMu.Lock()
	defer s.symMu.Unlock()
	add := func(name, kind, sig, doc, source string) {
		if name == "_" || strings.HasPrefix(name, "__") {
			return
		}
		if _, ok := s.globals[name]; !ok {
			s.order = append(s.order, name)
		}
		s.globals[name] = &global{Symbol: complete.Symbol{Name: name, Kind: kind, Signature: sig, Doc: strings.TrimSpace(doc)}, Source: source}
		s.prior[name] = rewrite.Global{Kind: kind}
		if kind == "type" {
			s.types[name] = true
			// its methods are new
			for m := range s.methods {
				if strings.HasPrefix(m, name+".") {
					delete(s.methods, m)
				}
			}
		}
	}
	for _, it := range group {
		source := strings.TrimSpace(src[it.Start:it.End])
		switch d := it.Decl.(type) {
		case *ast.FuncDecl:
			sig := strings.TrimSpace(src[it.Off(d.Pos()):it.Off(d.Type.End())])
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				name = rewrite.RecvTypeName(d.Recv.List[0].Type) + "." + name
			}
			add(name, "func", sig, d.Doc.Text(), source)
			if d.Recv == nil && s.globals[name] != nil {
				g := s.globals[name]
				s.prior[name] = rewrite.Global{Kind: "func", Generic: d.Type.TypeParams != nil, Results: rewrite.ResultCount(d.Type)}
				g.evalText = rewrite.LineDirective(src, c.Name(), it.Start) + c.Text(it) + "\n"
				g.refs = map[string]bool{}
				if d.Body != nil {
					ast.Inspect(d.Body, func(n ast.Node) bool {
						if sel, ok := n.(*ast.SelectorExpr); ok {
							ast.Inspect(sel.X, func(m ast.Node) bool {
								if id, ok := m.(*ast.Ident); ok {
									g.refs[id.Name] = true
								}
								return true
							})
							return false
						}
						if id, ok := n.(*ast.Ident); ok {
							g.refs[id.Name] = true
						}
						return true
					})
				}
			}
		case *ast.GenDecl:
			kind := d.Tok.String()
			for _, sp := range d.Specs {
				doc := d.Doc.Text()
				switch x := sp.(type) {
				case *ast.TypeSpec:
					if x.Doc != nil {
						doc = x.Doc.Text()
					}
					add(x.Name.Name, kind, "type "+strings.TrimSpace(src[it.Off(x.Pos()):it.Off(x.End())]), doc, source)
				case *ast.ValueSpec:
					if x.Doc != nil {
						doc = x.Doc.Text()
					}
					for _, id := range x.Names {
						sig := kind + " " + strings.TrimSpace(src[it.Off(x.Pos()):it.Off(x.End())])
						add(id.Name, kind, sig, doc, source)
					}
				}
			}
		}
		if as, ok := it.Stmt.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					add(id.Name, "var", "", "", source)
				}
			}
		}
	}
}

// undefinedName looks in the right-hand sides of the := statements of group
// for an identifier declared nowhere (not predeclared, imported, declared by
// a cell, or in this cell) and returns a compile error naming it, or nil.
// Function literals are not searched (their parameters shadow names).
//
// yaegi v0.16.1 (def-loop): an undefined name on the right of := is
// reported as "constant definition loop".
func (s *Session) undefinedName(c *rewrite.Cell, group []*rewrite.Item) error {
	known := map[string]bool{}
	for _, it := range c.Items() {
		switch d := it.Decl.(type) {
		case *ast.FuncDecl:
			known[d.Name.Name] = true
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch x := sp.(type) {
				case *ast.TypeSpec:
					known[x.Name.Name] = true
				case *ast.ValueSpec:
					for _, id := range x.Names {
						known[id.Name] = true
					}
				}
			}
		}
		if as, ok := it.Stmt.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					known[id.Name] = true
				}
			}
		}
	}
	for _, it := range group {
		as, ok := it.Stmt.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		var bad *ast.Ident
		undefined := func(id *ast.Ident) bool {
			return id.Name != "_" && !known[id.Name] && !rewrite.Universe[id.Name] && s.importPath(id.Name) == "" && s.global(id.Name) == nil
		}
		var visit func(n ast.Node) bool
		visit = func(n ast.Node) bool {
			if bad != nil {
				return false
			}
			switch x := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok {
					if undefined(id) {
						bad = id
					}
					return false
				}
				ast.Inspect(x.X, visit)
				return false
			case *ast.KeyValueExpr:
				if _, isID := x.Key.(*ast.Ident); isID { // a field name
					ast.Inspect(x.Value, visit)
					return false
				}
			case *ast.Ident:
				if undefined(x) {
					bad = x
				}
			}
			return true
		}
		for _, r := range as.Rhs {
			ast.Inspect(r, visit)
		}
		if bad != nil {
			return fmt.Errorf("%s %s", posOf(c, it.Off(bad.Pos())), s.undefinedMsg(bad.Name))
		}
	}
	return nil
}

// taintTypes marks the types of declarations that failed to compile as
// declared, so that their next declaration gets a fresh name.
//
// yaegi v0.16.1 (half-type): a failed compilation can leave a half-built
// type behind.
func (s *Session) taintTypes(group []*rewrite.Item) {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	for _, it := range group {
		if gd, ok := it.Decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, sp := range gd.Specs {
				s.types[sp.(*ast.TypeSpec).Name.Name] = true
			}
		}
	}
}

// redeclaredFuncs returns the functions of group that an earlier cell
// declared already.
func (s *Session) redeclaredFuncs(group []*rewrite.Item) map[string]bool {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	out := map[string]bool{}
	for _, it := range group {
		if fd, ok := it.Decl.(*ast.FuncDecl); ok && fd.Recv == nil {
			if g, ok := s.globals[fd.Name.Name]; ok && g.Kind == "func" {
				out[fd.Name.Name] = true
			}
		}
	}
	return out
}

// rebind re-evaluates the functions of earlier cells that call (directly
// or through other functions) a function just redeclared: yaegi binds a
// call to the function that existed when the caller was compiled, while a
// notebook user expects the caller to use the new definition. A caller
// that no longer compiles keeps the old binding, with a note on Stderr.
// Cost: O(functions) plus compiling the callers.
//
// yaegi v0.16.1 (late-binding): a call is bound to the function that
// existed when the caller was compiled.
func (s *Session) rebind(ctx context.Context, changed map[string]bool, n int) {
	done := map[string]bool{}
	for k := range changed {
		done[k] = true
	}
	for {
		var next []*global
		s.symMu.Lock()
		for _, name := range s.order {
			g := s.globals[name]
			if g.Kind != "func" || g.evalText == "" || done[name] {
				continue
			}
			for r := range g.refs {
				if changed[r] {
					next = append(next, g)
					break
				}
			}
		}
		s.symMu.Unlock()
		if len(next) == 0 {
			return
		}
		for _, g := range next {
			done[g.Name] = true
			if _, err := s.eval(ctx, rewrite.DeclSource(g.evalText)); err != nil {
				s.filter.take()
				msg := fmt.Sprintf("%s no longer compiles after the redeclaration: %s", g.Name, mapPositions(err.Error(), n))
				fmt.Fprintf(s.stderr, "note: %s; calling it panics until it is redeclared\n", msg)
				// A failed compilation leaves the function broken in yaegi:
				// make a call say why.
				s.eval(ctx, rewrite.DeclSource(fmt.Sprintf("%s { panic(%q) }\n", g.Signature, msg)))
				continue
			}
			changed[g.Name] = true
		}
	}
}

// restoreFuncs re-evaluates the previous definitions of the functions a
// failed group tried to redeclare.
//
// yaegi v0.16.1 (broken-redecl): a function whose redeclaration failed to
// compile is left broken.
func (s *Session) restoreFuncs(ctx context.Context, group []*rewrite.Item) {
	for _, it := range group {
		fd, ok := it.Decl.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		s.symMu.Lock()
		g := s.globals[fd.Name.Name]
		s.symMu.Unlock()
		if g != nil && g.evalText != "" {
			s.eval(ctx, rewrite.DeclSource(g.evalText))
			s.filter.take()
		}
	}
}

// global returns the record of a declaration of an earlier cell, or nil.
func (s *Session) global(name string) *global {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.globals[name]
}
