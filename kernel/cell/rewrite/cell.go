package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strings"
)

// Types answers the questions about types that the rewrites and the
// session's planning of a cell ask. It is the only way they learn types:
// an implementation may read the syntax, the session's state or a type
// checker's results.
type Types interface {
	// IsInt reports whether e, an expression inside item it whose
	// ancestors are path (outermost first), has an integer type; known is
	// false when that cannot be told.
	IsInt(it *Item, e ast.Expr, path []ast.Node) (isInt, known bool)
	// Results tells the number of results of the function call calls (a
	// top-level expression statement of it) and whether the last one is
	// of type error; known is false when that cannot be told.
	Results(it *Item, call *ast.CallExpr) (n int, lastIsError, known bool)
	// MustForm tells the form of call, a call of the built-in must
	// (MustNone when it is not one, or when that cannot be told), and the
	// type of its result as the cell can write it.
	MustForm(it *Item, call *ast.CallExpr) (kind MustKind, typ string)
}

// MustKind is the form of a call of the cells' built-in must.
type MustKind int

const (
	MustNone     MustKind = iota // not a call of the built-in must
	MustPair                     // must(v, err)
	MustCallPair                 // must(f()), f returning (v, error)
	MustErr                      // must(err)
)

// Global is what the rewrites know of a declaration of an earlier cell.
type Global struct {
	Kind    string // "func", "var", "const" or "type"
	Generic bool   // a function with type parameters
	Results int    // number of results of a function
}

// Method is a method of an earlier cell declared through a function
// variable (see methods.go).
type Method struct {
	Var  string // the function variable holding the body
	Type string // its type, e.g. func(*T, int) error
}

// Prior is what the cells before this one left that the rewrites depend
// on: plain data, read and never written here. The session may update the
// maps between the steps of a cell (a declaration of the cell's first
// step is a global for its later steps).
type Prior struct {
	// Globals are the declarations of earlier cells by name.
	Globals map[string]Global
	// Imports maps the package names in scope (of earlier cells and of
	// this cell's imports) to import paths.
	Imports map[string]string
	// Types are the type names the interpreter already has: declared by an
	// earlier cell, or left half-declared by a failed one.
	Types map[string]bool
	// Methods are the redeclarable methods of earlier cells, by
	// "Type.Method", for the current declaration of Type.
	Methods map[string]Method
}

// edit replaces src[start:end] (end == start for an insertion). When render
// is set, the replacement is computed by render, which receives a function
// giving the rewritten text of any sub-span (so that edits nested inside the
// replaced span still apply).
type edit struct {
	start, end int
	text       string
	render     func(sub func(a, b int) string) string
	seq        int // insertion order, to keep zero-width edits stable
}

// Cell holds the rewriting of one cell: its items and the edits collected
// for them. Its methods are not safe for concurrent use.
type Cell struct {
	src   string // the cell source
	name  string // file name used in line directives, e.g. "cell[3]/_.go"
	items []*Item
	prior Prior
	types Types
	edits []*edit
	n     *int // counter for fresh names, shared across the session
	// forceRange rewrites range loops over expressions of unknown type as
	// loops over an integer (see ForceRange).
	forceRange bool
	forced     int  // loops rewritten because of forceRange
	hasMain    bool // the cell declares func main (renamed __subspace_main)
	defers     int  // top-level defer statements rewritten
	// builtins are the names among min, max and clear that are Go's
	// builtins in this cell (not declared by the user); consts and
	// declared are the constants and all names the cell declares.
	builtins map[string]bool
	consts   map[string]bool
	declared map[string]bool
	// local holds the functions the cell declares: generic, results.
	local map[string]Global
	// methodVars maps method declarations to the function variable
	// holding their body (see methods.go); methodAssigns are the
	// assignments of new methods, evaluated after their declarations.
	methodVars    map[*Item]string
	methodTypes   map[*Item]string
	methodAssigns []methodAssign
}

// New prepares the rewriting of the items of cell source src (file name
// name in line directives): declarations that must run as statements are
// converted (see varFuncLits) and redeclared methods become assignments
// (see methodRedecl), which fails when a method's signature changed.
// fresh counts the fresh names of the session. Cost: O(len(src)).
func New(src, name string, items []*Item, prior Prior, types Types, fresh *int) (*Cell, error) {
	c := &Cell{src: src, name: name, items: items, prior: prior, types: types, n: fresh,
		methodVars: map[*Item]string{}, methodTypes: map[*Item]string{}}
	c.declared = DeclaredNames(items)
	c.builtins = builtinNames(c.declared, prior.Globals)
	c.consts, c.local = map[string]bool{}, map[string]Global{}
	typeInCell := map[string]bool{}
	for _, it := range items {
		switch d := it.Decl.(type) {
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch x := sp.(type) {
				case *ast.ValueSpec:
					for _, id := range x.Names {
						c.consts[id.Name] = c.consts[id.Name] || d.Tok == token.CONST
					}
				case *ast.TypeSpec:
					typeInCell[x.Name.Name] = true
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil {
				c.local[d.Name.Name] = Global{Kind: "func", Generic: d.Type.TypeParams != nil, Results: ResultCount(d.Type)}
			}
			if d.Recv == nil && d.Name.Name == "main" {
				c.hasMain = true
			}
		}
	}
	for _, it := range items {
		if _, _, gd := c.GenericDef(it); !gd {
			c.varFuncLits(it)
		}
		if err := c.methodRedecl(it, typeInCell); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Src returns the cell source and Name its file name.
func (c *Cell) Src() string { return c.src }

// Name returns the file name of the cell's positions.
func (c *Cell) Name() string { return c.name }

// Items returns the cell's items.
func (c *Cell) Items() []*Item { return c.items }

// Declares reports whether the cell declares name, in any scope.
func (c *Cell) Declares(name string) bool { return c.declared[name] }

// HasMain reports whether the cell declares func main (renamed
// __subspace_main, see MainCall).
func (c *Cell) HasMain() bool { return c.hasMain }

// Defers returns the number of top-level defer statements rewritten so far.
func (c *Cell) Defers() int { return c.defers }

func (c *Cell) add(e *edit) {
	e.seq = len(c.edits)
	c.edits = append(c.edits, e)
}

func (c *Cell) fresh(prefix string) string {
	*c.n++
	return fmt.Sprintf("%s%d", prefix, *c.n)
}

// Span returns src[lo:hi] with every edit inside it applied. O(hi-lo +
// edits log edits).
func (c *Cell) Span(lo, hi int) string { return c.text(lo, hi, nil) }

// Text returns the rewritten text of item it (Rewrite adds its edits).
func (c *Cell) Text(it *Item) string { return c.text(it.Start, it.End, nil) }

// text returns src[lo:hi] with every edit inside it applied, except skip.
func (c *Cell) text(lo, hi int, skip *edit) string {
	var in []*edit
	for _, e := range c.edits {
		if e != skip && e.start >= lo && e.end <= hi {
			in = append(in, e)
		}
	}
	sort.SliceStable(in, func(i, j int) bool {
		if in[i].start != in[j].start {
			return in[i].start < in[j].start
		}
		if (in[i].end == in[i].start) != (in[j].end == in[j].start) {
			return in[i].end == in[i].start // insertions before replacements
		}
		if in[i].end != in[j].end {
			return in[i].end > in[j].end // outer spans first
		}
		return in[i].seq < in[j].seq
	})
	var b strings.Builder
	cur := lo
	for _, e := range in {
		if e.start < cur {
			continue // nested in a replacement already applied
		}
		b.WriteString(c.src[cur:e.start])
		if e.render != nil {
			self := e
			b.WriteString(e.render(func(a, d int) string { return c.text(a, d, self) }))
		} else {
			b.WriteString(e.text)
		}
		cur = e.end
	}
	b.WriteString(c.src[cur:hi])
	return b.String()
}

// dir returns an inline line directive for cell offset off.
func (c *Cell) dir(off int) string { return InlineDirective(c.src, c.name, off) }

// Replaced reports whether an edit replaces the whole of item it.
func (c *Cell) Replaced(it *Item) bool {
	for _, e := range c.edits {
		if e.start <= it.Start && e.end >= it.End && e.end > e.start {
			return true
		}
	}
	return false
}

// Rewrite collects the edits for item it (once per item): see the
// workarounds (Workarounds) tagged in this package. O(size of the item)
// plus the Types questions about its range loops.
func (c *Cell) Rewrite(it *Item) {
	c.typeRedecl(it)
	if fd, ok := it.Decl.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
		c.mainRename(it, fd)
	}
	if fd, ok := it.Decl.(*ast.FuncDecl); ok && it.Kind == Decl {
		if _, ftyp, ok := c.methodSig(it, fd); ok {
			c.methodVars[it] = c.methodDecl(it, fd, ftyp)
			c.methodTypes[it] = ftyp
		}
	}
	if it.Kind == Stmt && needsClosure(it.Stmt) {
		defer c.wrapClosure(it)()
	}
	var path []ast.Node
	ast.Inspect(it.Node(), func(n ast.Node) bool {
		if n == nil {
			path = path[:len(path)-1]
			return true
		}
		switch s := n.(type) {
		case *ast.RangeStmt:
			c.rangeStmt(it, s, path)
		case *ast.CallExpr:
			if id, ok := s.Fun.(*ast.Ident); ok && c.builtins[id.Name] {
				c.builtinCall(it, s)
			}
			c.mustCall(it, s)
			c.slicesCall(it, s)
		case *ast.AssignStmt:
			c.nilAssign(it, s, path)
		case *ast.GoStmt:
			c.goStmt(it, s)
		case *ast.DeferStmt:
			if !inFunc(path) {
				c.deferStmt(it, s)
			}
		}
		path = append(path, n)
		return true
	})
}

// ForceRange returns a rewriting of items in which every range loop over
// an expression of unknown type is also rewritten as a loop over an
// integer, and how many such loops there are (the retry after yaegi's "nil
// type" panic, see Workarounds). Whole-item edits of c (declarations
// turned into statements) are kept.
func (c *Cell) ForceRange(items []*Item) (*Cell, int) {
	r := &Cell{src: c.src, name: c.name, items: c.items, prior: c.prior, types: c.types, n: c.n,
		forceRange: true, builtins: c.builtins, consts: c.consts, declared: c.declared, local: c.local,
		methodVars: map[*Item]string{}, methodTypes: map[*Item]string{}}
	for _, it := range items {
		for _, e := range c.edits {
			if e.start <= it.Start && e.end >= it.End && e.end > e.start {
				r.add(&edit{start: e.start, end: e.end, text: e.text, render: e.render})
			}
		}
		r.Rewrite(it)
	}
	return r, r.forced
}

// pkgPath returns the import path of a package name of the cell, "" when
// the name is not a package there.
func (c *Cell) pkgPath(name string) string {
	if c.declared[name] {
		return ""
	}
	return c.prior.Imports[name]
}

// isConst reports whether name is a constant of the cell or of an earlier
// one.
func (c *Cell) isConst(name string) bool {
	return c.consts[name] || c.prior.Globals[name].Kind == "const"
}

// isGeneric tells whether name is a generic function declared by the cell
// or an earlier one, and how many results it has.
func (c *Cell) isGeneric(name string) (bool, int) {
	if f, ok := c.local[name]; ok {
		return f.Generic, f.Results
	}
	if g, ok := c.prior.Globals[name]; ok && g.Generic {
		return true, g.Results
	}
	return false, 0
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
