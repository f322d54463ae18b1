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

	"github.com/subspace-kernel/subspace/kernel/complete"
)

// importPath returns the path of the package a cell imported as name.
func (s *Session) importPath(name string) string {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.imports[name]
}

// globalIsInt tells the range rewriter whether a global is an integer.
func (s *Session) globalIsInt(name string) (bool, bool) {
	s.symMu.Lock()
	g, ok := s.globals[name]
	s.symMu.Unlock()
	if !ok || (g.Kind != "var" && g.Kind != "const") {
		return false, ok
	}
	return s.exprIsInt(name)
}

// exprIsInt evaluates an expression made of names and selectors only (no
// calls, so no side effects) and tells whether its value is an integer.
func (s *Session) exprIsInt(src string) (bool, bool) {
	v, err := s.interp().EvalWithContext(context.Background(), src)
	if err != nil || !v.IsValid() {
		s.filter.take()
		return false, false
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true, true
	}
	return false, true
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
func (s *Session) record(group []*item, src string, rw *rewriter) {
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
		if kind == "type" {
			s.types[name] = true
			s.typeGen[name]++
		}
	}
	for _, it := range group {
		source := strings.TrimSpace(src[it.start:it.end])
		switch d := it.decl.(type) {
		case *ast.FuncDecl:
			sig := strings.TrimSpace(src[it.off(d.Pos()):it.off(d.Type.End())])
			name := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				name = recvTypeName(d.Recv.List[0].Type) + "." + name
			}
			add(name, "func", sig, d.Doc.Text(), source)
			if g := s.globals[name]; g != nil && d.Recv == nil {
				g.generic = d.Type.TypeParams != nil
				g.results = resultCount(d.Type)
			}
			if d.Recv == nil && s.globals[name] != nil {
				g := s.globals[name]
				g.evalText = lineDirective(src, rw.name, it.start) + rw.text(it.start, it.end, nil) + "\n"
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
					add(x.Name.Name, kind, "type "+strings.TrimSpace(src[it.off(x.Pos()):it.off(x.End())]), doc, source)
				case *ast.ValueSpec:
					if x.Doc != nil {
						doc = x.Doc.Text()
					}
					for _, id := range x.Names {
						sig := kind + " " + strings.TrimSpace(src[it.off(x.Pos()):it.off(x.End())])
						add(id.Name, kind, sig, doc, source)
					}
				}
			}
		}
		if as, ok := it.stmt.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					add(id.Name, "var", "", "", source)
				}
			}
		}
	}
}

func recvTypeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return "?"
		}
	}
}

// universe holds Go's predeclared identifiers.
var universe = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`bool byte complex64 complex128 error float32 float64 int int8 int16
		int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any comparable true false iota nil
		append cap clear close complex copy delete imag len make max min new panic print println real recover`) {
		universe[n] = true
	}
}

// undefinedName looks in the right-hand sides of the := statements of group
// for an identifier declared nowhere (not predeclared, imported, declared by
// a cell, or in this cell) and returns a compile error naming it, or nil.
// Function literals are not searched (their parameters shadow names).
func (s *Session) undefinedName(group, all []*item, rw *rewriter) error {
	known := map[string]bool{}
	for _, it := range all {
		switch d := it.decl.(type) {
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
		if as, ok := it.stmt.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					known[id.Name] = true
				}
			}
		}
	}
	for _, it := range group {
		as, ok := it.stmt.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		var bad *ast.Ident
		undefined := func(id *ast.Ident) bool {
			return id.Name != "_" && !known[id.Name] && !universe[id.Name] && s.importPath(id.Name) == "" && s.global(id.Name) == nil
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
			line, col := lineCol(rw.src, it.off(bad.Pos()))
			return fmt.Errorf("%s:%d:%d: %s", rw.name, line, col, s.undefinedMsg(bad.Name))
		}
	}
	return nil
}

// taintTypes marks the types of declarations that failed to compile as
// declared, so that their next declaration gets a fresh name: a failed
// compilation can leave a half-built type behind in yaegi.
func (s *Session) taintTypes(group []*item) {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	for _, it := range group {
		if gd, ok := it.decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, sp := range gd.Specs {
				s.types[sp.(*ast.TypeSpec).Name.Name] = true
			}
		}
	}
}

// typeSource returns the source of a type declared by an earlier cell.
func (s *Session) typeSource(name string) (string, bool) {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	if g, ok := s.globals[name]; ok && g.Kind == "type" {
		return g.Source, true
	}
	return "", false
}

// redeclaredFuncs returns the functions of group that an earlier cell
// declared already.
func (s *Session) redeclaredFuncs(group []*item) map[string]bool {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	out := map[string]bool{}
	for _, it := range group {
		if fd, ok := it.decl.(*ast.FuncDecl); ok && fd.Recv == nil {
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
			if _, err := s.eval(ctx, "package main\n"+g.evalText); err != nil {
				s.filter.take()
				msg := fmt.Sprintf("%s no longer compiles after the redeclaration: %s", g.Name, mapPositions(err.Error(), n))
				fmt.Fprintf(s.stderr, "note: %s; calling it panics until it is redeclared\n", msg)
				// A failed compilation leaves the function broken in yaegi:
				// make a call say why.
				stub := fmt.Sprintf("package main\n%s { panic(%q) }\n", g.Signature, msg)
				s.eval(ctx, stub)
				continue
			}
			changed[g.Name] = true
		}
	}
}

// restoreFuncs re-evaluates the previous definitions of the functions a
// failed group tried to redeclare: yaegi leaves a function whose
// redeclaration failed to compile broken.
func (s *Session) restoreFuncs(ctx context.Context, group []*item) {
	for _, it := range group {
		fd, ok := it.decl.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		s.symMu.Lock()
		g := s.globals[fd.Name.Name]
		s.symMu.Unlock()
		if g != nil && g.evalText != "" {
			s.eval(ctx, "package main\n"+g.evalText)
			s.filter.take()
		}
	}
}

// pkgSym returns symbol name of the compiled package imported as pkg.
func (s *Session) pkgSym(pkg, name string) (reflect.Value, bool) {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	path := s.imports[pkg]
	if path == "" {
		return reflect.Value{}, false
	}
	for _, e := range s.exports {
		if syms, ok := e[path+"/"+s.pkgName[path]]; ok {
			if v, ok := syms[name]; ok {
				return v, true
			}
		}
	}
	return reflect.Value{}, false
}

// globalType returns the run-time type of a variable or constant declared
// by an earlier cell, or nil.
func (s *Session) globalType(name string) reflect.Type {
	s.symMu.Lock()
	g, ok := s.globals[name]
	s.symMu.Unlock()
	if !ok || (g.Kind != "var" && g.Kind != "const") {
		return nil
	}
	v, err := s.interp().EvalWithContext(context.Background(), name)
	if err != nil || !v.IsValid() {
		s.filter.take()
		return nil
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	return v.Type()
}

// global returns the record of a declaration of an earlier cell, or nil.
func (s *Session) global(name string) *global {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.globals[name]
}

// constNames returns a predicate telling whether a name is a constant
// declared at the top level of items or by an earlier cell.
func (s *Session) constNames(items []*item) func(string) bool {
	consts := map[string]bool{}
	for _, it := range items {
		if gd, ok := it.decl.(*ast.GenDecl); ok && gd.Tok == token.CONST {
			for _, sp := range gd.Specs {
				for _, id := range sp.(*ast.ValueSpec).Names {
					consts[id.Name] = true
				}
			}
		}
	}
	return func(name string) bool {
		if consts[name] {
			return true
		}
		g := s.global(name)
		return g != nil && g.Kind == "const"
	}
}

// resultCount returns the number of results of a function type.
func resultCount(ft *ast.FuncType) int {
	n := 0
	if ft.Results != nil {
		for _, f := range ft.Results.List {
			n += max(1, len(f.Names))
		}
	}
	return n
}
