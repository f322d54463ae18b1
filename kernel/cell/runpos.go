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
	"fmt"
	"go/ast"
	"strings"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/traefik/yaegi/interp"
)

// runtimePanic converts a run-time panic of cell n (not of the compiler)
// into an Error in Go's words, at the position of the expression that
// failed when it can be found. lines are yaegi's panic lines.
func (s *Session) runtimePanic(p interp.Panic, msg string, lines []string, n int) *api.Error {
	gomsg, lines, note := s.place(msg, string(p.Stack), lines, true)
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

// place returns the run-time panic message msg in Go's words and yaegi's
// panic lines with the position of each frame of the cells' code set to
// the expression that failed (the innermost) or to the call of the next
// (the others), and a note when the translation is doubtful. stack is the
// Go stack of the panic's recovery. evaluate allows evaluating operands
// (not while a cell runs: the panic of a goroutine).
func (s *Session) place(msg, stack string, lines []string, evaluate bool) (gomsg string, out []string, note string) {
	kind, gomsg := classify(msg)
	interpreted, user := panicOrigin(stack)
	switch {
	case user:
		kind, gomsg = kindUser, msg
	case !interpreted && kind != kindConversion:
		kind, gomsg = kindOther, msg // compiled code's own message
	}
	var frames []frame // the cells' frames, innermost first (then those of the session's own code)
	for _, l := range lines {
		f, ok := parseFrame(l)
		if !ok {
			break
		}
		frames = append(frames, f)
	}
	if len(frames) == 0 || !safely(func() {
		if loc, ok := s.locate(kind, msg, frames, evaluate); ok {
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
		}
		s.callSites(frames)
	}) {
		return gomsg, lines, note
	}
	// the frames after the cells' are the session's own calls (MainCall,
	// RunDefers): dropped
	for _, f := range frames {
		if f.fn == "main.__subspace_main" { // see rewrite.MainCall
			f.fn = "main.main"
		}
		out = append(out, f.String())
	}
	return gomsg, out, note
}

// safely runs f, which must not fail the conversion of an error: it
// reports false when f panicked (yaegi's positions are then kept).
func safely(f func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = false
		}
	}()
	f()
	return true
}

// callSites sets the position of each outer frame (yaegi prints the first
// statement of the function) to the call of the next inner function in it,
// found by name; a cell's statements without such a call get the position
// of the statement that ran last.
func (s *Session) callSites(frames []frame) {
	for i := 1; i < len(frames); i++ {
		f := &frames[i]
		if v, _, _ := s.where.now(f.cell); f.fn == "main" && f.cell == v.n {
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
	v, _, _ := s.where.now(f.cell)
	if v.cell == nil || v.last == nil {
		return f.line, f.col
	}
	return rewrite.LineCol(v.cell.Src(), v.last.Start)
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
func (s *Session) locate(kind panicKind, msg string, frames []frame, evaluate bool) (location, bool) {
	if kind == kindConversion {
		return conversionLocation(msg)
	}
	sc, ok := s.scopeOf(frames[0])
	if !ok {
		return location{}, false
	}
	sc.noEval = !evaluate
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
	if st := enclosingStmt(sc.node, open); st != sc.node {
		return sc.at(st, ""), true
	}
	return location{}, false // somewhere in the function: yaegi's position of it
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
