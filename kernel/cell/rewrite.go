package cell

import (
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strings"
)

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

// rewriter accumulates the edits of one cell.
type rewriter struct {
	src   string // the cell source
	name  string // file name used in line directives, e.g. "cell[3]"
	edits []*edit
	n     *int // counter for fresh names, shared across the session
	// forceRange rewrites range loops over expressions of unknown type as
	// loops over an integer (the retry after yaegi's "nil type" panic).
	forceRange bool
	forced     int  // loops rewritten because of forceRange
	hasMain    bool // the cell declares func main (renamed __subspace_main)
	defers     int  // top-level defer statements rewritten
	// builtins are the names among min, max and clear that are Go's
	// builtins in this cell (not declared by the user); isConst tells
	// whether a name is a constant of the cell or of an earlier one.
	builtins map[string]bool
	isConst  func(string) bool
	// pkgPath returns the import path of a package name of the cell, ""
	// when the name is not a package there.
	pkgPath func(string) string
	// methodVars maps method declarations to the function variable
	// holding their body (see methods.go); methodAssigns are the
	// assignments of new methods, evaluated after their declarations.
	methodVars    map[*item]string
	methodTypes   map[*item]string
	methodAssigns []methodAssign
}

func (rw *rewriter) add(e *edit) {
	e.seq = len(rw.edits)
	rw.edits = append(rw.edits, e)
}

func (rw *rewriter) fresh(prefix string) string {
	*rw.n++
	return fmt.Sprintf("%s%d", prefix, *rw.n)
}

// text returns src[lo:hi] with every edit inside it applied, except skip.
func (rw *rewriter) text(lo, hi int, skip *edit) string {
	var in []*edit
	for _, e := range rw.edits {
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
		b.WriteString(rw.src[cur:e.start])
		if e.render != nil {
			self := e
			b.WriteString(e.render(func(a, c int) string { return rw.text(a, c, self) }))
		} else {
			b.WriteString(e.text)
		}
		cur = e.end
	}
	b.WriteString(rw.src[cur:hi])
	return b.String()
}

// dir returns an inline line directive for cell offset off.
func (rw *rewriter) dir(off int) string { return inlineDirective(rw.src, rw.name, off) }

// rewriteItem collects the edits for one item: range-over-int loops become
// 3-clause loops, go statements get a recovering wrapper, and types already
// declared by an earlier cell are redeclared through a fresh name and an
// alias (yaegi v0.16.1 otherwise keeps the old type when a cell redeclares
// it with different fields), calls of the builtins min, max and clear go
// to helpers (see builtinCall), and a top-level compound statement that yaegi
// cannot compile in its global scope runs in a function literal (see
// needsClosure).
func (rw *rewriter) rewriteItem(it *item, res *intResolver, declaredTypes map[string]bool) {
	res.cur = it
	var root ast.Node = it.stmt
	if it.decl != nil {
		root = it.decl
	}
	if gd, ok := it.decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
		for _, sp := range gd.Specs {
			ts := sp.(*ast.TypeSpec)
			if ts.Assign.IsValid() || ts.TypeParams != nil || !declaredTypes[ts.Name.Name] {
				continue
			}
			hidden := rw.fresh("__subspace_" + ts.Name.Name + "_")
			rw.add(&edit{start: it.off(ts.Name.Pos()), end: it.off(ts.Name.End()), text: hidden + rw.dir(it.off(ts.Name.End()))})
			renameTypeRefs(ts.Type, ts.Name.Name, func(id *ast.Ident) {
				rw.add(&edit{start: it.off(id.Pos()), end: it.off(id.End()), text: hidden})
			})
			kw := "; type "
			if gd.Lparen.IsValid() {
				kw = "; "
			}
			rw.add(&edit{start: it.off(ts.End()), end: it.off(ts.End()), text: kw + ts.Name.Name + " = " + hidden})
		}
	}
	if fd, ok := it.decl.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
		rw.hasMain = true
		rw.add(&edit{start: it.off(fd.Name.Pos()), end: it.off(fd.Name.End()), text: "__subspace_main" + rw.dir(it.off(fd.Name.End()))})
	}
	if fd, ok := it.decl.(*ast.FuncDecl); ok && it.kind == itemDecl && rw.methodVars != nil {
		if _, ftyp, ok := rw.methodSig(it, fd); ok {
			rw.methodVars[it] = rw.methodDecl(it, fd, ftyp)
			rw.methodTypes[it] = ftyp
		}
	}
	if it.kind == itemStmt && needsClosure(it.stmt) {
		defer rw.wrapClosure(it)()
	}
	var path []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			path = path[:len(path)-1]
			return true
		}
		switch s := n.(type) {
		case *ast.RangeStmt:
			if isI, known := res.isInt(s.X, path, 0); known && isI {
				rw.rangeInt(it, s, path)
			} else if !known && rw.forceRange {
				rw.forced++
				rw.rangeInt(it, s, path)
			}
		case *ast.CallExpr:
			if id, ok := s.Fun.(*ast.Ident); ok && rw.builtins[id.Name] {
				rw.builtinCall(it, s, rw.isConst)
			}
			rw.slicesCall(it, s)
		case *ast.GoStmt:
			rw.goStmt(it, s)
		case *ast.DeferStmt:
			if !inFunc(path) {
				rw.deferStmt(it, s)
			}
		}
		path = append(path, n)
		return true
	})
}

// renameTypeRefs calls f for each identifier in type expression t that
// refers to the type name (not field names or selectors).
func renameTypeRefs(t ast.Expr, name string, f func(*ast.Ident)) {
	skip := map[*ast.Ident]bool{}
	ast.Inspect(t, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Field:
			for _, id := range x.Names {
				skip[id] = true
			}
		case *ast.SelectorExpr:
			skip[x.Sel] = true
		case *ast.Ident:
			if x.Name == name && !skip[x] {
				f(x)
			}
		}
		return true
	})
}

// rangeInt rewrites `for k := range n {` into
// `{ __n := n; for k := __n - __n; k < __n; k++ {` ... `}`, which keeps Go's
// semantics (n evaluated once, k of n's type, int for an untyped constant).
func (rw *rewriter) rangeInt(it *item, s *ast.RangeStmt, path []ast.Node) {
	outer := it.off(s.For)
	if len(path) > 0 {
		if ls, ok := path[len(path)-1].(*ast.LabeledStmt); ok && ls.Stmt == s {
			outer = it.off(ls.Pos())
		}
	}
	n := rw.fresh("__subspace_n")
	xs, xe := it.off(s.X.Pos()), it.off(s.X.End())
	key := ""
	if s.Key != nil {
		key = rw.src[it.off(s.Key.Pos()):it.off(s.Key.End())]
	}
	op := ":="
	if key == "" || key == "_" {
		key = rw.fresh("__subspace_k")
	} else if s.Tok == token.ASSIGN {
		op = "="
	}
	lbrace := it.off(s.Body.Lbrace)
	rw.add(&edit{start: outer, end: outer, render: func(sub func(a, b int) string) string {
		return "{ " + n + " := " + rw.dir(xs) + sub(xs, xe) + "; " + rw.dir(outer)
	}})
	rw.add(&edit{start: it.off(s.For), end: lbrace,
		text: fmt.Sprintf("for %s %s %s - %s; %s < %s; %s++ %s", key, op, n, n, key, n, key, rw.dir(lbrace))})
	end := it.off(s.End())
	rw.add(&edit{start: end, end: end, text: " }"})
}

// goStmt rewrites `go f(a, b)` so that the goroutine recovers a panic and
// reports it through __subspace.GoPanic. Arguments that are not literals
// are evaluated before the goroutine starts, as Go does; the function
// expression itself is evaluated in the goroutine.
func (rw *rewriter) goStmt(it *item, s *ast.GoStmt) {
	// The closure is built before the go statement: yaegi would evaluate
	// `go f()()`'s function value in the new goroutine.
	g := rw.fresh("__subspace_g")
	rw.deferredCall(it, s.Pos(), s.End(), s.Call,
		"{ "+g+" := func() func() { %s; return func() { defer func() { if __r := recover(); __r != nil { __subspace.GoPanic(__r) } }(); %s } }(); go "+g+"() }")
}

// deferStmt rewrites a `defer f(a)` of the cell's top level (outside any
// function) into an append to the interpreter's __subspace_defers, which
// the session runs when the cell ends: yaegi would run a top-level
// deferred call again after every later evaluation.
func (rw *rewriter) deferStmt(it *item, s *ast.DeferStmt) {
	rw.defers++
	rw.deferredCall(it, s.Pos(), s.End(), s.Call, "__subspace_defers = append(__subspace_defers, func() func() { %s; return func() { %s } }())")
}

// deferredCall replaces the statement [pos, end) holding call by form,
// whose first %s receives `a1, a2 := args...` and second `f(a1, a2)`: the
// arguments that are not literals are evaluated at once (as Go does for go
// and defer) into locals of a function literal, so that each execution of
// the statement (in a loop) keeps its own values: at the top level of a
// cell yaegi would make block variables globals.
func (rw *rewriter) deferredCall(it *item, pos, stop token.Pos, call *ast.CallExpr, form string) {
	start, end := it.off(pos), it.off(stop)
	rw.add(&edit{start: start, end: end, render: func(sub func(a, b int) string) string {
		var names, vals, args []string
		for _, a := range call.Args {
			as, ae := it.off(a.Pos()), it.off(a.End())
			txt := rw.dir(as) + sub(as, ae)
			if isLiteral(a) {
				args = append(args, txt)
				continue
			}
			v := rw.fresh("__subspace_a")
			names = append(names, v)
			vals = append(vals, txt)
			args = append(args, v)
		}
		bind := ""
		if len(names) > 0 {
			bind = strings.Join(names, ", ") + " := " + strings.Join(vals, ", ")
		}
		fs, fe := it.off(call.Fun.Pos()), it.off(call.Fun.End())
		c := rw.dir(fs) + sub(fs, fe) + "(" + strings.Join(args, ", ")
		if call.Ellipsis.IsValid() {
			c += "..."
		}
		return fmt.Sprintf(form, bind, c+")")
	}})
}

func isLiteral(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.UnaryExpr:
		return (x.Op == token.SUB || x.Op == token.ADD) && isLiteral(x.X)
	case *ast.ParenExpr:
		return isLiteral(x.X)
	}
	return false
}

// varFuncLits converts a top-level `var` declaration whose values hold a
// function literal, or use a variable of an earlier cell (globalVar), into
// `:=` statements (typed ones into `var a T; a = v`): yaegi v0.16 fails with
// "variable definition loop" on such a declaration when a parameter of the
// literal has the name of a global, and on any `var x = y[0]` or `var x T
// = y` where y is a variable of an earlier evaluation. Returns whether it
// converted the item (which is then a statement).
func (rw *rewriter) varFuncLits(it *item, globalVar func(string) bool) bool {
	gd, ok := it.decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR {
		return false
	}
	has := false
	if globalVar != nil {
		for _, sp := range gd.Specs {
			for _, v := range sp.(*ast.ValueSpec).Values {
				ast.Inspect(v, func(n ast.Node) bool {
					switch x := n.(type) {
					case *ast.SelectorExpr:
						ast.Inspect(x.X, func(m ast.Node) bool {
							if id, ok := m.(*ast.Ident); ok && globalVar(id.Name) {
								has = true
							}
							return !has
						})
						return false
					case *ast.Ident:
						if globalVar(x.Name) {
							has = true
						}
					}
					return !has
				})
			}
		}
	}
	for _, sp := range gd.Specs {
		vs := sp.(*ast.ValueSpec)
		if len(vs.Values) != len(vs.Names) {
			if len(vs.Values) > 0 && vs.Type != nil {
				return false // var a, b T = f(): no conversion possible
			}
		}
		for _, v := range vs.Values {
			ast.Inspect(v, func(n ast.Node) bool {
				if _, ok := n.(*ast.FuncLit); ok {
					has = true
				}
				return !has
			})
		}
	}
	if !has {
		return false
	}
	for _, sp := range gd.Specs {
		if len(sp.(*ast.ValueSpec).Values) == 0 {
			return false // var f func() without value stays a declaration
		}
	}
	rw.add(&edit{start: it.start, end: it.end, render: func(sub func(a, b int) string) string {
		var b strings.Builder
		for i, sp := range gd.Specs {
			vs := sp.(*ast.ValueSpec)
			if i > 0 {
				b.WriteString("; ")
			}
			var names []string
			for _, id := range vs.Names {
				names = append(names, id.Name)
			}
			// A typed one becomes `var a T; a = v` (a conversion T(v) to a
			// compiled interface panics in yaegi where an assignment works).
			op := " := "
			if vs.Type != nil {
				typ := sub(it.off(vs.Type.Pos()), it.off(vs.Type.End()))
				b.WriteString(rw.dir(it.off(vs.Pos())) + "var " + strings.Join(names, ", ") + " " + typ + "; ")
				op = " = "
			}
			b.WriteString(rw.dir(it.off(vs.Pos())) + strings.Join(names, ", ") + op)
			for k, v := range vs.Values {
				if k > 0 {
					b.WriteString(", ")
				}
				b.WriteString(rw.dir(it.off(v.Pos())) + sub(it.off(v.Pos()), it.off(v.End())))
			}
		}
		return b.String()
	}})
	it.kind = itemStmt
	return true
}

// replaced reports whether an edit replaces the whole of item it.
func (rw *rewriter) replaced(it *item) bool {
	for _, e := range rw.edits {
		if e.start <= it.start && e.end >= it.end && e.end > e.start {
			return true
		}
	}
	return false
}
