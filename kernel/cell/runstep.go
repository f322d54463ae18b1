package cell

// What the session knows of the cell code being evaluated, for locating
// run-time panics (runpos.go), and what it keeps of a group of statements
// that panicked.

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/traefik/yaegi/interp"
)

// where is what the session knows of the code being evaluated: cell n's
// rewriting, the items of the running step and, set by the generated
// source, the index of the item that started last.
type where struct {
	mu    sync.Mutex // guards n, cell, items and srcs: a goroutine's panic reads them while a cell runs
	n     int
	cell  *rewrite.Cell
	items []*rewrite.Item
	step  atomic.Int64   // written by interpreted code (__subspace.Step), perhaps still running after an interrupt
	srcs  map[int]string // Go source of every cell run, for functions of earlier cells
}

// enterStep notes that the items of step st of plan p are evaluated next.
func (s *Session) enterStep(p *plan, items []*rewrite.Item) {
	w := &s.where
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.srcs == nil {
		w.srcs = map[int]string{}
	}
	w.n, w.cell, w.items = p.n, p.cell, items
	w.step.Store(0)
	w.srcs[p.n] = p.cell.Src()
}

// setStep is __subspace.Step: item i of the running group starts.
func (w *where) setStep(i int) { w.step.Store(int64(i)) }

// view is what a panic's location needs of where.
type view struct {
	n    int           // the running cell
	cell *rewrite.Cell // its rewriting
	last *rewrite.Item // the item of the running group that started last, or nil
}

// now returns the view of the running cell and the Go source of cell k
// (ok false when cell k never ran).
func (w *where) now(k int) (v view, src string, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	v = view{n: w.n, cell: w.cell}
	if i := w.step.Load(); i >= 0 && i < int64(len(w.items)) {
		v.last = w.items[i]
	}
	src, ok = w.srcs[k]
	return v, src, ok
}

// stepSource is p.cell.Source(group) where a group of several statements
// calls __subspace.Step with the index of each statement before it runs: one
// assignment of a compiled variable per top-level statement, not per
// iteration of loops.
func (s *Session) stepSource(p *plan, group []*rewrite.Item) string {
	s.where.mu.Lock()
	s.where.items = group
	s.where.step.Store(0)
	s.where.mu.Unlock()
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
	s.rec.record(vars, p.cell) // the checker keeps a checked cell's declarations itself
}
