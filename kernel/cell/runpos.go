package cell

// Where a run-time panic happened.
//
// yaegi v0.16.1 (panic-position): yaegi prints, for each interpreted
// function a panic leaves, the position of that function's first
// statement (runCfg's recovery looks the failing node up with a variable
// that its loop shadows). The session narrows it down: the innermost
// function's body, or for the statements of a cell the statement that ran
// last (generated sources set __subspace.Step before each statement),
// holds the expressions that can raise the panic's kind (index
// expressions for an index out of range, divisions for a divide by zero,
// ...); those whose operands are globals are evaluated after the panic
// (no calls, so no side effects) to find the one that failed and the
// values Go puts in its message.

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strings"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/traefik/yaegi/interp"
)

// where is what the session knows of the code being evaluated: cell n's
// rewriting, the items of the running step and, set by the generated
// source, the index of the item that started last.
type where struct {
	n     int
	cell  *rewrite.Cell
	items []*rewrite.Item
	step  int            // written by interpreted code (__subspace.Step)
	srcs  map[int]string // Go source of every cell run, for functions of earlier cells
}

// enterStep notes that the items of step st of plan p are evaluated next.
func (s *Session) enterStep(p *plan, items []*rewrite.Item) {
	w := &s.where
	if w.srcs == nil {
		w.srcs = map[int]string{}
	}
	w.n, w.cell, w.items, w.step = p.n, p.cell, items, 0
	w.srcs[p.n] = p.cell.Src()
}

// stepSource is p.cell.Source(group) where a group of several statements
// calls __subspace.Step with the index of each statement before it runs: one
// assignment of a compiled variable per top-level statement, not per
// iteration of loops.
func (s *Session) stepSource(p *plan, group []*rewrite.Item) string {
	s.where.items, s.where.step = group, 0
	if len(group) < 2 || group[0].Kind != rewrite.Stmt {
		return p.cell.Source(group)
	}
	var b strings.Builder
	b.WriteString(rewrite.StmtStart)
	for i, it := range group {
		if i > 0 {
			fmt.Fprintf(&b, "\n__subspace.Step(%d)", i)
		}
		b.WriteString(rewrite.LineDirective(p.cell.Src(), p.cell.Name(), it.Start) + p.cell.Text(it) + "\n")
	}
	return b.String()
}

// runtimePanic converts a run-time panic of cell n (not of the compiler)
// into an Error in Go's words, at the position of the expression that
// failed when it can be found. lines are yaegi's panic lines.
func (s *Session) runtimePanic(p interp.Panic, msg string, lines []string, n int) *api.Error {
	kind, gomsg := classify(msg)
	interpreted, user := panicOrigin(string(p.Stack))
	switch {
	case user:
		kind, gomsg = kindUser, msg
	case !interpreted && kind != kindConversion:
		kind, gomsg = kindOther, msg // compiled code's own message
	}
	var frames []frame
	for _, l := range lines {
		if f, ok := parseFrame(l); ok {
			frames = append(frames, f)
		}
	}
	var note string
	if len(frames) == len(lines) && len(frames) > 0 {
		if loc, ok := s.locateSafely(kind, msg, frames); ok {
			switch {
			case loc.msg != "":
				gomsg = loc.msg
			case loc.none && kind != kindUser && kind != kindOther && kind != kindConversion:
				// nothing of the kind in the statement: perhaps a yaegi
				// failure rather than the user's mistake
				note = fmt.Sprintf("note: yaegi reported %q, but no expression of this statement fails so in Go", msg)
				gomsg = msg
			}
			frames[0].line, frames[0].col = loc.line, loc.col
			s.callSites(frames)
			lines = lines[:0:0]
			for _, f := range frames {
				lines = append(lines, f.String())
			}
		}
	}
	tb := []string{"panic: " + gomsg}
	for _, l := range lines {
		tb = append(tb, "    "+mapPositions(l, n))
	}
	if len(lines) > 0 {
		tb = append(tb, s.snippet(lines[0])...)
	}
	if note != "" {
		tb = append(tb, note)
	}
	return &api.Error{Name: "panic", Value: gomsg, Traceback: tb}
}

// locateSafely is locate, which must not fail the conversion of the error:
// a panic of its own leaves yaegi's positions.
func (s *Session) locateSafely(kind panicKind, msg string, frames []frame) (loc location, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			loc, ok = location{}, false
		}
	}()
	return s.locate(kind, msg, frames)
}

// callSites sets the position of each outer frame (yaegi prints the first
// statement of the function) to the call of the next inner function in it,
// found by name; a cell's statements without such a call get the position
// of the statement that ran last.
func (s *Session) callSites(frames []frame) {
	for i := 1; i < len(frames); i++ {
		f := &frames[i]
		top := f.fn == "main" && f.cell == s.where.n
		if top {
			f.line, f.col = s.statementPos(*f)
		}
		callee := frames[i-1].fn
		j := strings.LastIndexByte(callee, '.')
		if j < 0 || callee[j+1:] == "func" {
			continue // a func literal: no name to look for
		}
		sc, ok := s.scopeOf(*f)
		if !ok {
			continue
		}
		var site ast.Node
		walkScope(sc.node, func(n ast.Node) {
			if site == nil && callsName(n, callee[j+1:]) {
				site = n
			}
		})
		if site != nil {
			loc := sc.at(site, "")
			f.line, f.col = loc.line, loc.col
		}
	}
}

// callsName reports whether n is a call of a function or method named name.
func callsName(n ast.Node, name string) bool {
	call, ok := n.(*ast.CallExpr)
	if !ok {
		return false
	}
	switch fn := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return fn.Name == name
	case *ast.SelectorExpr:
		return fn.Sel.Name == name
	}
	return false
}

// statementPos returns the position of the cell statement that ran last,
// or that of frame f when it is not known.
func (s *Session) statementPos(f frame) (line, col int) {
	w := &s.where
	if w.cell == nil || w.step < 0 || w.step >= len(w.items) {
		return f.line, f.col
	}
	return rewrite.LineCol(w.cell.Src(), w.items[w.step].Start)
}

// location is where a panic happened, and Go's message with its values
// when they are known.
type location struct {
	line, col int
	msg       string
	none      bool // no expression of the panic's kind: the statement that ran last
}

// locate finds the expression of kind that raised the panic whose frames
// yaegi printed (innermost first). Cost: parsing the cell of the innermost
// function when it is not the running one, and one small evaluation per
// candidate expression of the cell's statements.
func (s *Session) locate(kind panicKind, msg string, frames []frame) (location, bool) {
	if kind == kindConversion {
		return conversionLocation(msg)
	}
	sc, ok := s.scopeOf(frames[0])
	if !ok {
		return location{}, false
	}
	var cands []candidate
	walkScope(sc.node, func(n ast.Node) {
		if c, ok := s.candidate(kind, sc, n); ok {
			cands = append(cands, c)
		}
	})
	return sc.choose(cands)
}

// conversionLocation returns the position yaegi put in an interface
// conversion message.
func conversionLocation(msg string) (location, bool) {
	f, ok := parseFrame(conversionPosition(msg) + ": panic: x(...)")
	return location{line: f.line, col: f.col}, ok
}

// scope is the code a panic happened in: a function body, or a top-level
// item of a cell (whose nested declarations are locals).
type scope struct {
	src    string
	it     *rewrite.Item
	node   ast.Node
	global bool            // the statements of a cell: names other than locals are globals
	locals map[string]bool // names declared inside the top-level item
	types  map[ast.Node]bool
}

// scopeOf returns the scope of the innermost frame f: the body of the
// function literal or declaration whose body holds f's position, or the
// cell statement that ran last.
func (s *Session) scopeOf(f frame) (scope, bool) {
	w := &s.where
	src, ok := w.srcs[f.cell]
	if !ok {
		return scope{}, false
	}
	var items []*rewrite.Item
	if f.cell == w.n && w.cell != nil {
		items = w.cell.Items()
	} else if items, _ = rewrite.Split(src, rewrite.FileName(f.cell)); items == nil {
		return scope{}, false
	}
	off := offsetOf(src, f.line, f.col)
	for _, it := range items {
		if off < it.Start || off >= it.End {
			continue
		}
		if body := innermostBody(it, off); body != nil {
			return scope{src: src, it: it, node: body, types: typeNodes(body)}, true
		}
		if f.cell == w.n && w.step >= 0 && w.step < len(w.items) {
			it = w.items[w.step]
		}
		return scope{src: src, it: it, node: it.Node(), global: true, locals: localNames(it), types: typeNodes(it.Node())}, true
	}
	return scope{}, false
}

// innermostBody returns the body of the innermost function of item it
// whose braces enclose offset off, or nil.
func innermostBody(it *rewrite.Item, off int) *ast.BlockStmt {
	var body *ast.BlockStmt
	ast.Inspect(it.Node(), func(n ast.Node) bool {
		var b *ast.BlockStmt
		switch f := n.(type) {
		case *ast.FuncDecl:
			b = f.Body
		case *ast.FuncLit:
			b = f.Body
		}
		if b != nil && it.Off(b.Lbrace) < off && off < it.Off(b.Rbrace) {
			body = b
		}
		return true
	})
	return body
}

// offsetOf returns the byte offset of line:col in src.
func offsetOf(src string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	return min(off+col-1, len(src))
}

// walkScope calls visit for every node of root outside nested function
// literals (other functions, with frames of their own).
func walkScope(root ast.Node, visit func(ast.Node)) {
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if _, ok := n.(*ast.FuncDecl); ok && n != root {
			return false
		}
		visit(n)
		return true
	})
}

// localNames returns the names item it declares in nested scopes: loop
// and if/switch variables, := and var inside blocks, parameters of
// function literals. The names its own top-level := or var declares are
// globals.
func localNames(it *rewrite.Item) map[string]bool {
	locals := map[string]bool{}
	add := func(es ...ast.Expr) {
		for _, e := range es {
			if id, ok := e.(*ast.Ident); ok {
				locals[id.Name] = true
			}
		}
	}
	top := it.Node()
	ast.Inspect(top, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && n != top {
				add(x.Lhs...)
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				add(x.Key, x.Value)
			}
		case *ast.ValueSpec:
			if _, isDecl := top.(*ast.GenDecl); !isDecl {
				for _, id := range x.Names {
					locals[id.Name] = true
				}
			}
		case *ast.Field:
			for _, id := range x.Names {
				locals[id.Name] = true
			}
		}
		return true
	})
	return locals
}

// choose picks the candidate that failed: the first proven to fail; else
// the only one not proven fine; else, when several remain, the innermost
// statement that holds them all (the message then has no values); with
// none, the cell statement that ran last.
func (sc scope) choose(cands []candidate) (location, bool) {
	var open []candidate
	for _, c := range cands {
		switch c.state {
		case failed:
			return sc.at(c.node, c.msg), true
		case unknown:
			open = append(open, c)
		}
	}
	switch len(open) {
	case 0:
		if sc.global {
			loc := sc.at(sc.node, "") // at least the statement that ran last
			loc.none = true
			return loc, true
		}
		return location{}, false
	case 1:
		return sc.at(open[0].node, open[0].msg), true
	}
	line, _ := rewrite.LineCol(sc.src, sc.it.Off(open[0].node.Pos()))
	same := true
	for _, c := range open[1:] {
		if l, _ := rewrite.LineCol(sc.src, sc.it.Off(c.node.Pos())); l != line {
			same = false
		}
	}
	if same {
		return sc.at(open[0].node, ""), true
	}
	return sc.at(enclosingStmt(sc.node, open), ""), true
}

// at returns the location of node n with message msg.
func (sc scope) at(n ast.Node, msg string) location {
	line, col := rewrite.LineCol(sc.src, sc.it.Off(n.Pos()))
	return location{line: line, col: col, msg: msg}
}

// enclosingStmt returns the innermost statement of root (not a block)
// that holds every candidate, or root.
func enclosingStmt(root ast.Node, cands []candidate) ast.Node {
	lo, hi := cands[0].node.Pos(), cands[0].node.End()
	for _, c := range cands[1:] {
		lo, hi = min(lo, c.node.Pos()), max(hi, c.node.End())
	}
	best := root
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || n.Pos() > lo || n.End() < hi {
			return false
		}
		if _, ok := n.(ast.Stmt); ok {
			if _, block := n.(*ast.BlockStmt); !block {
				best = n
			}
		}
		return true
	})
	return best
}

// evalValue evaluates expression e of scope sc after a panic when it is
// made of globals, constants, selectors, operators, indexing and len/cap
// (no other calls: nothing runs twice); ok is false otherwise or when the
// evaluation fails.
func (s *Session) evalValue(sc scope, e ast.Expr) (v valueOrText, ok bool) {
	text := sc.src[sc.it.Off(e.Pos()):sc.it.Off(e.End())]
	if !sc.global || !sc.evaluable(e) {
		return valueOrText{text: text}, false
	}
	rv, err := s.interp().EvalWithContext(context.Background(), rewrite.StmtSource(text))
	if err != nil || !rv.IsValid() {
		s.out.filter.take()
		return valueOrText{text: text, invalid: err == nil}, false
	}
	return valueOrText{v: rv, text: text}, true
}

// evaluable reports whether e can be evaluated again without side effects
// and without names local to the scope's item.
func (sc scope) evaluable(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return x.Name != "_" && !sc.locals[x.Name]
	case *ast.ParenExpr:
		return sc.evaluable(x.X)
	case *ast.StarExpr:
		return sc.evaluable(x.X)
	case *ast.SelectorExpr:
		return sc.evaluable(x.X)
	case *ast.IndexExpr:
		return sc.evaluable(x.X) && sc.evaluable(x.Index)
	case *ast.BinaryExpr:
		return sc.evaluable(x.X) && sc.evaluable(x.Y)
	case *ast.UnaryExpr:
		return x.Op != token.ARROW && x.Op != token.AND && sc.evaluable(x.X)
	case *ast.CallExpr:
		id, ok := x.Fun.(*ast.Ident)
		return ok && (id.Name == "len" || id.Name == "cap") && !sc.locals[id.Name] && len(x.Args) == 1 && sc.evaluable(x.Args[0])
	}
	return false
}

// typeNodes returns the nodes of root that are part of type expressions
// (a *T is a pointer type there, not a dereference).
func typeNodes(root ast.Node) map[ast.Node]bool {
	types := map[ast.Node]bool{}
	mark := func(e ast.Node) {
		if e == nil || reflect.ValueOf(e).IsNil() {
			return
		}
		ast.Inspect(e, func(n ast.Node) bool {
			if n != nil {
				types[n] = true
			}
			return true
		})
	}
	ast.Inspect(root, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.ValueSpec:
			mark(x.Type)
		case *ast.Field:
			mark(x.Type)
		case *ast.CompositeLit:
			mark(x.Type)
		case *ast.TypeAssertExpr:
			mark(x.Type)
		case *ast.TypeSpec:
			mark(x.Type)
		case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType:
			mark(x)
		case *ast.CallExpr:
			if p, ok := x.Fun.(*ast.ParenExpr); ok {
				if _, star := p.X.(*ast.StarExpr); star {
					mark(p) // a conversion (*T)(v)
				}
			}
			if id, ok := x.Fun.(*ast.Ident); ok && (id.Name == "new" || id.Name == "make") && len(x.Args) > 0 {
				mark(x.Args[0])
			}
		}
		return true
	})
	return types
}

// keepDeclared records the variables of a group of cell statements that
// panicked while running (not while compiling): yaegi declared every name
// of the group before running it, so they exist for the next cells (those
// of the statements after the failing one with their zero values), and
// %who and completion must list them.
func (s *Session) keepDeclared(p *plan, group []*rewrite.Item, err error) {
	var pe interp.Panic
	if !errors.As(err, &pe) || compilerPanic(pe) {
		return
	}
	var vars []*rewrite.Item
	for _, it := range group {
		switch x := it.Node().(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				vars = append(vars, it)
			}
		case *ast.GenDecl:
			if x.Tok == token.VAR {
				vars = append(vars, it)
			}
		}
	}
	s.rec.record(vars, p.cell)
	for _, it := range vars {
		p.types.Ran(it)
	}
}
