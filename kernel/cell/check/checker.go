package check

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// Checker checks the cells of one session and keeps the stubs of their
// declarations. Not safe for concurrent use.
type Checker struct {
	mu     sync.Mutex // one check at a time (cells, completion probes)
	tables Tables
	im     *importer
	stubs  map[string]string // "name" or "T.M" (methods) -> stub source
	paths  map[string]int    // import path -> index of its private name __iN
	// unknown are names declared by cells that were not checked; a cell
	// that uses one is not checked either.
	unknown map[string]bool
	stale   atomic.Bool // the tables changed (Refresh)
}

// New returns a checker over the symbol tables of tables. O(1).
func New(tables Tables) *Checker {
	c := &Checker{tables: tables}
	c.reset()
	return c
}

// Reset forgets every earlier cell (the session restarted).
func (c *Checker) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset()
}

func (c *Checker) reset() {
	c.im = newImporter(c.tables)
	c.stubs = map[string]string{}
	c.paths = map[string]int{}
	c.unknown = map[string]bool{}
}

// Refresh makes the next check rebuild the packages (a plugin was loaded:
// the tables changed). The stubs stay: they are source. Safe to call
// while a cell is checked.
func (c *Checker) Refresh() { c.stale.Store(true) }

// Error is one type error of a cell, at the cell's line and column.
type Error struct {
	Line, Col int
	Msg       string
}

// Cell is a cell to check: its source (package clause blanked), the name
// of its positions (rewrite.FileName), its items (rewrite.Split) and the
// package names in scope (earlier cells', its own imports and the
// automatic ones) with their import paths.
type Cell struct {
	Src, Name string
	Items     []*rewrite.Item
	Imports   map[string]string
}

// MustName is the built-in must of the cells: must(v, err) returns v, or
// fails the cell with err when it is not nil; must(err) fails the cell
// with a non-nil err.
const MustName = "must"

const (
	wrapperName = "__subspace_cell"
	mustStub    = "func " + MustName + "[T any](v T, err ...error) T { panic(\"\") }\n"
)

// Check type-checks cell x against the stubs of the earlier cells. The
// result is never nil: Checked is false when the cell could not be
// checked (permissive mode, see the package documentation). Cost:
// O(size of the cell and of the stubs), plus building the types of a
// package on its first import.
func (c *Checker) Check(x Cell) *Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.check(x)
	if !r.Checked {
		for n := range rewrite.DeclaredNames(x.Items) {
			c.unknown[n] = true
		}
	}
	return r
}

// Probe checks cell x as Check does but leaves no trace: for completion
// and inspection of code not run yet. Its result must not be committed.
func (c *Checker) Probe(x Cell) *Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.check(x)
	r.probe = true
	return r
}

func (c *Checker) check(x Cell) *Result {
	if c.stale.Swap(false) {
		c.im = newImporter(c.tables)
	}
	r := &Result{cell: x}
	if !c.checkable(x) {
		return r
	}
	r.Checked = true
	extra := map[string]string{}
	c.run(r, extra)
	if locals := r.declLocals(); len(locals) > 0 {
		for name, t := range locals {
			if s, ok := c.varStub(name, t); ok {
				extra[name] = s
			}
		}
		if len(extra) > 0 {
			r2 := &Result{cell: x, Checked: true}
			c.run(r2, extra)
			*r = *r2
		}
	}
	return r
}

// checkable reports whether every package the cell can name is known and
// the cell uses no name of an unchecked cell.
func (c *Checker) checkable(x Cell) bool {
	used := map[string]bool{}
	defs := map[*ast.Ident]bool{} // names being declared are not uses
	for _, it := range x.Items {
		ast.Inspect(it.Node(), func(n ast.Node) bool {
			switch v := n.(type) {
			case *ast.AssignStmt:
				if v.Tok == token.DEFINE {
					for _, l := range v.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							defs[id] = true
						}
					}
				}
			case *ast.ValueSpec:
				for _, id := range v.Names {
					defs[id] = true
				}
			case *ast.TypeSpec:
				defs[v.Name] = true
			case *ast.FuncDecl:
				defs[v.Name] = true
			case *ast.Ident:
				if !defs[v] {
					used[v.Name] = true
				}
			case *ast.ImportSpec:
				if p := strings.Trim(v.Path.Value, "\"`"); !c.im.has(p) {
					used["\x00"] = true
				}
			}
			return true
		})
	}
	if used["\x00"] {
		return false
	}
	for name, path := range x.Imports {
		if used[name] && !c.im.has(path) {
			return false
		}
	}
	for name := range c.unknown {
		if used[name] {
			return false
		}
	}
	return true
}

// run checks the cell's file with the stubs and extra stubs.
func (c *Checker) run(r *Result, extra map[string]string) {
	fset := token.NewFileSet()
	cf := c.cellFile(r.cell)
	r.segs = cf.segs
	declared := cf.declared
	prior := c.priorSource(declared, cf.methods, extra)
	pf, err := parser.ParseFile(fset, "prior.go", prior, parser.SkipObjectResolution)
	if err != nil {
		// a stub that does not parse: a bug of this package; check
		// without the stubs rather than fail the cell
		pf, _ = parser.ParseFile(fset, "prior.go", "package main\n", 0)
	}
	f, err := parser.ParseFile(fset, "cell.go", cf.text, parser.SkipObjectResolution|parser.ParseComments)
	if err != nil {
		r.Checked = false // the splitter accepted it; yaegi will report
		return
	}
	r.fset, r.file = fset, f
	r.info = &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
		Implicits:  map[ast.Node]types.Object{},
	}
	conf := types.Config{Importer: c.im, Error: func(err error) { r.addError(err) }}
	r.pkg, _ = conf.Check("main", fset, []*ast.File{pf, f}, r.info)
	r.finish()
}

// priorSource returns the source of the stubs, without those the cell
// redeclares (names, and methods "T.M"; a type the cell declares loses
// its old methods), with extra stubs added.
func (c *Checker) priorSource(declared, methods map[string]bool, extra map[string]string) string {
	var b strings.Builder
	b.WriteString("package main\n")
	paths := make([]string, 0, len(c.paths))
	for p := range c.paths {
		paths = append(paths, p)
	}
	// packages of the tables first: importing them makes the others
	// (known only through their types) known
	sort.Slice(paths, func(i, j int) bool {
		ti, tj := c.im.has(paths[i]), c.im.has(paths[j])
		if ti != tj {
			return ti
		}
		return paths[i] < paths[j]
	})
	for _, p := range paths {
		b.WriteString("import " + privateName(c.paths[p]) + " " + quote(p) + "\n")
	}
	keys := make([]string, 0, len(c.stubs))
	for k := range c.stubs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if t, _, isMethod := strings.Cut(k, "."); isMethod && (declared[t] || methods[k]) || !isMethod && (declared[k] || extra[k] != "") {
			continue
		}
		b.WriteString(c.stubs[k])
	}
	for _, s := range extra {
		b.WriteString(s)
	}
	if !declared[MustName] && c.stubs[MustName] == "" && extra[MustName] == "" {
		b.WriteString(mustStub)
	}
	return b.String()
}
