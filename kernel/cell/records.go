package cell

import (
	"go/ast"
	"go/token"
	"strings"
	"sync"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/subspace-kernel/subspace/kernel/complete"
)

// records are what the session keeps of the declarations and imports of
// the cells run so far: for completion and inspection (scope.go), for
// diagnostics, for re-evaluating the callers of a redeclared function, and
// as the rewrites' Prior. The maps are replaced by reset; they are written
// only by the goroutine that runs cells, under mu.
type records struct {
	mu      sync.Mutex
	globals map[string]*global
	order   []string                  // globals in declaration order
	imports map[string]string         // local name -> import path
	types   map[string]bool           // type names the interpreter has
	prior   map[string]rewrite.Global // globals as the rewrites see them
	methods map[string]rewrite.Method // "T.M" -> methods declared through a variable
}

// global is the record of a user declaration.
type global struct {
	complete.Symbol
	Source string
	// For functions: the source as it was evaluated (rewritten, with line
	// directives) and the identifiers its body uses, to re-evaluate it when
	// a function it calls is redeclared.
	evalText string
	refs     map[string]bool
}

// reset forgets every record.
func (r *records) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.globals = map[string]*global{}
	r.order = nil
	r.imports = map[string]string{}
	r.types = map[string]bool{}
	r.prior = map[string]rewrite.Global{}
	r.methods = map[string]rewrite.Method{}
}

// global returns the record of a declaration of an earlier cell, or nil.
func (r *records) global(name string) *global {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.globals[name]
}

// importPath returns the path of the package a cell imported as name.
func (r *records) importPath(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.imports[name]
}

// addImport notes that name now imports path.
func (r *records) addImport(name, path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.imports[name] = path
}

// addMethod notes a method declared through a function variable.
func (r *records) addMethod(key string, m rewrite.Method) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.methods[key] = m
}

// prior returns what the rewrites of a cell know of the cells before it,
// with the cell's own imports and automatic imports in scope. The maps
// other than Imports are the records' own.
func (r *records) priorWith(imports []cellImport, autos []autoImport) rewrite.Prior {
	r.mu.Lock()
	defer r.mu.Unlock()
	scope := make(map[string]string, len(r.imports)+len(imports)+len(autos))
	for k, v := range r.imports {
		scope[k] = v
	}
	for _, ci := range imports {
		if ci.name != "" {
			scope[ci.name] = ci.path
		}
	}
	for _, a := range autos {
		scope[a.name] = a.path
	}
	return rewrite.Prior{Globals: r.prior, Imports: scope, Types: r.types, Methods: r.methods}
}

// add notes one declaration; called with mu held.
func (r *records) add(name, kind, sig, doc, source string) *global {
	if name == "_" || strings.HasPrefix(name, "__") {
		return nil
	}
	if _, ok := r.globals[name]; !ok {
		r.order = append(r.order, name)
	}
	g := &global{Symbol: complete.Symbol{Name: name, Kind: kind, Signature: sig, Doc: strings.TrimSpace(doc)}, Source: source}
	r.globals[name] = g
	r.prior[name] = rewrite.Global{Kind: kind}
	if kind == "type" {
		r.types[name] = true
		for m := range r.methods { // its methods are new
			if strings.HasPrefix(m, name+".") {
				delete(r.methods, m)
			}
		}
	}
	return g
}

// record notes the declarations of a group of cell c that ran.
func (r *records) record(group []*rewrite.Item, c *rewrite.Cell) {
	r.mu.Lock()
	defer r.mu.Unlock()
	src := c.Src()
	for _, it := range group {
		source := strings.TrimSpace(src[it.Start:it.End])
		switch d := it.Decl.(type) {
		case *ast.FuncDecl:
			r.recordFunc(c, it, d, source)
		case *ast.GenDecl:
			kind := d.Tok.String()
			for _, sp := range d.Specs {
				doc := d.Doc.Text()
				switch x := sp.(type) {
				case *ast.TypeSpec:
					if x.Doc != nil {
						doc = x.Doc.Text()
					}
					r.add(x.Name.Name, kind, "type "+strings.TrimSpace(src[it.Off(x.Pos()):it.Off(x.End())]), doc, source)
				case *ast.ValueSpec:
					if x.Doc != nil {
						doc = x.Doc.Text()
					}
					for _, id := range x.Names {
						r.add(id.Name, kind, kind+" "+strings.TrimSpace(src[it.Off(x.Pos()):it.Off(x.End())]), doc, source)
					}
				}
			}
		}
		if as, ok := it.Stmt.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					r.add(id.Name, "var", "", "", source)
				}
			}
		}
	}
}

// recordFunc notes a function or method declaration; for a function, also
// the source it was evaluated as and the names its body uses.
func (r *records) recordFunc(c *rewrite.Cell, it *rewrite.Item, d *ast.FuncDecl, source string) {
	src := c.Src()
	sig := strings.TrimSpace(src[it.Off(d.Pos()):it.Off(d.Type.End())])
	name := d.Name.Name
	if d.Recv != nil && len(d.Recv.List) == 1 {
		name = rewrite.RecvTypeName(d.Recv.List[0].Type) + "." + name
	}
	g := r.add(name, "func", sig, d.Doc.Text(), source)
	if d.Recv != nil || g == nil {
		return
	}
	r.prior[name] = rewrite.Global{Kind: "func", Generic: d.Type.TypeParams != nil, Results: rewrite.ResultCount(d.Type)}
	g.evalText = rewrite.LineDirective(src, c.Name(), it.Start) + c.Text(it) + "\n"
	g.refs = map[string]bool{}
	if d.Body == nil {
		return
	}
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

// taint marks the types of declarations that failed to compile as
// declared, so that their next declaration gets a fresh name.
//
// yaegi v0.16.1 (half-type): a failed compilation can leave a half-built
// type behind.
func (r *records) taint(group []*rewrite.Item) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, it := range group {
		if gd, ok := it.Decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, sp := range gd.Specs {
				r.types[sp.(*ast.TypeSpec).Name.Name] = true
			}
		}
	}
}

// redeclaredFuncs returns the functions of group that an earlier cell
// declared already.
func (r *records) redeclaredFuncs(group []*rewrite.Item) map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]bool{}
	for _, it := range group {
		if fd, ok := it.Decl.(*ast.FuncDecl); ok && fd.Recv == nil {
			if g, ok := r.globals[fd.Name.Name]; ok && g.Kind == "func" {
				out[fd.Name.Name] = true
			}
		}
	}
	return out
}

// callers returns the functions not in done whose bodies use a name in
// changed, in declaration order.
func (r *records) callers(changed, done map[string]bool) []*global {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*global
	for _, name := range r.order {
		g := r.globals[name]
		if g.Kind != "func" || g.evalText == "" || done[name] {
			continue
		}
		for ref := range g.refs {
			if changed[ref] {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// symbols returns the records' declarations in declaration order.
func (r *records) symbols() []complete.Symbol {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]complete.Symbol, 0, len(r.order))
	for _, name := range r.order {
		out = append(out, r.globals[name].Symbol)
	}
	return out
}

// importsInScope returns a copy of the imports of the cells, without the
// session's own (named __...).
func (r *records) importsInScope() map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := make(map[string]string, len(r.imports))
	for k, v := range r.imports {
		if !strings.HasPrefix(k, "__") {
			m[k] = v
		}
	}
	return m
}
