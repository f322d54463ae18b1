package cell

import (
	"go/ast"
	"go/scanner"
	"go/token"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/check"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// stepKind is the kind of a step of a cell's plan.
type stepKind int

const (
	stepImports    stepKind = iota // the cell's imports, then the automatic ones
	stepDecls                      // consecutive declarations, evaluated together
	stepStmts                      // consecutive statements, evaluated together
	stepMultiDef                   // a definition of several names from one value (rewrite.Cell.MultiDef)
	stepGenericDef                 // a definition from generic calls (rewrite.Cell.GenericDef)
	stepLast                       // the last expression statement, whose value is the cell's
	stepMain                       // the call of the cell's func main
)

// planStep is one step of a plan: the items it evaluates and, for two-step
// definitions, the names and values.
type planStep struct {
	kind   stepKind
	items  []*rewrite.Item
	names  []*ast.Ident
	values []ast.Expr // stepGenericDef
	rhs    ast.Expr   // stepMultiDef
}

// plan is a cell split into steps, with its rewriting: the imports first,
// then declarations and statements in source order, consecutive items of a
// kind together, two-step definitions and the last expression on their
// own. Items are rewritten just before their step runs (the types of
// earlier steps' names are known then).
type plan struct {
	src, name string
	n         int // the cell's number
	cell      *rewrite.Cell
	checked   *check.Result // the cell's type checking; its rewrite.Types
	imports   []cellImport
	autos     []autoImport
	steps     []planStep
}

// planCell splits cell n's source src (its package clause blanked) into
// items and plans their evaluation. A nil plan and nil error mean an empty
// cell. Cost: O(len(src)) plus the type questions of range loops.
func (s *Session) planCell(src string, n int) (*plan, error) {
	name := rewrite.FileName(n)
	items, err := rewrite.Split(src, name)
	if err != nil || len(items) == 0 {
		return nil, err
	}
	p := &plan{src: src, name: name, n: n}
	p.imports = s.cellImports(items)
	p.autos = s.autoImports(items, p.imports)
	prior := s.rec.priorWith(p.imports, p.autos)
	p.checked = s.check.Check(check.Cell{Src: src, Name: name, Items: items, Imports: prior.Imports})
	if err := s.typeErrors(name, p.checked); err != nil {
		return nil, err
	}
	if p.cell, err = rewrite.New(src, name, items, prior, p.checked, &s.fresh); err != nil {
		return nil, err
	}
	p.steps = append(p.steps, planStep{kind: stepImports})
	var rest []*rewrite.Item
	for _, it := range items {
		if it.Kind != rewrite.Import {
			rest = append(rest, it)
		}
	}
	p.group(rest)
	if p.cell.HasMain() {
		p.steps = append(p.steps, planStep{kind: stepMain})
	}
	return p, nil
}

// group appends the steps of the non-import items rest.
func (p *plan) group(rest []*rewrite.Item) {
	last := -1
	if k := len(rest); k > 0 {
		if _, ok := rest[k-1].Stmt.(*ast.ExprStmt); ok {
			last = k - 1
		}
	}
	for i := 0; i < len(rest); {
		it := rest[i]
		if st, ok := p.definition(it); ok {
			p.steps = append(p.steps, st)
			i++
			continue
		}
		if i == last {
			p.steps = append(p.steps, planStep{kind: stepLast, items: rest[i:]})
			break
		}
		j := i + 1
		for j < len(rest) && rest[j].Kind == it.Kind && j != last && !p.unknownRange(rest[j]) && !p.isDefinition(rest[j]) {
			j++
		}
		kind := stepStmts
		if it.Kind == rewrite.Decl {
			kind = stepDecls
		}
		p.steps = append(p.steps, planStep{kind: kind, items: rest[i:j]})
		i = j
	}
}

// isDefinition reports whether it is a two-step definition (whether or
// not a rewrite replaced it).
func (p *plan) isDefinition(it *rewrite.Item) bool {
	_, _, multi := p.cell.MultiDef(it)
	_, _, generic := p.cell.GenericDef(it)
	return multi || generic
}

// definition returns the step of a two-step definition; a definition that
// a rewrite replaced as a whole (a var turned into statements) runs as a
// group of its own.
func (p *plan) definition(it *rewrite.Item) (planStep, bool) {
	if !p.isDefinition(it) {
		return planStep{}, false
	}
	if !p.cell.Replaced(it) {
		if names, rhs, ok := p.cell.MultiDef(it); ok {
			return planStep{kind: stepMultiDef, items: []*rewrite.Item{it}, names: names, rhs: rhs}, true
		}
		if names, values, ok := p.cell.GenericDef(it); ok {
			return planStep{kind: stepGenericDef, items: []*rewrite.Item{it}, names: names, values: values}, true
		}
	}
	kind := stepStmts
	if it.Kind == rewrite.Decl {
		kind = stepDecls
	}
	return planStep{kind: kind, items: []*rewrite.Item{it}}, true
}

// unknownRange reports whether it is a top-level range loop whose
// operand's type is unknown before the cell runs: it starts a step of its
// own, so that the statements before it have run when it is rewritten.
func (p *plan) unknownRange(it *rewrite.Item) bool {
	st := it.Stmt
	if ls, ok := st.(*ast.LabeledStmt); ok {
		st = ls.Stmt
	}
	rs, ok := st.(*ast.RangeStmt)
	if !ok {
		return false
	}
	_, known := p.checked.IsInt(it, rs.X, []ast.Node{it.Stmt})
	return !known
}

// typeErrors returns the type errors of a checked cell as a
// scanner.ErrorList at the cell's positions (name), nil when there are
// none.
func (s *Session) typeErrors(name string, r *check.Result) error {
	if len(r.Errors) == 0 {
		return nil
	}
	var list scanner.ErrorList
	for _, e := range r.Errors {
		msg := e.Msg
		if undef, ok := strings.CutPrefix(msg, "undefined: "); ok && !strings.Contains(undef, ".") {
			msg = s.undefinedMsg(undef)
		}
		list.Add(token.Position{Filename: name, Line: e.Line, Column: e.Col}, msg)
	}
	return list
}
