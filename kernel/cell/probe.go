package cell

import (
	"go/types"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/check"
	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/subspace-kernel/subspace/kernel/complete"
)

var _ complete.TypeScope = (*Session)(nil)

// Members lists the fields ("field") and methods ("func") of the value of
// the expression code[start:end] (a call chain such as
// `intrinsic.NewTwoNN()` or `x.T()`), as the type checker sees it in the
// cell code and after the earlier cells. Nothing runs. Cost: a type check
// of the cell's lines before the expression.
func (s *Session) Members(code string, start, end int) (map[string]string, bool) {
	r := s.probe(code, start, end)
	if r == nil {
		return nil, false
	}
	t, _, _ := r.LastExpr()
	return check.Members(t), true
}

// Describe returns "expr T", the expression code[start:end] and its type
// as the type checker sees it (a method value shows its signature).
func (s *Session) Describe(code string, start, end int) (string, bool) {
	r := s.probe(code, start, end)
	if r == nil {
		return "", false
	}
	t, x, _ := r.LastExpr()
	return types.ExprString(x) + " " + r.TypeString(t), true
}

// probe type-checks the lines of code before the expression code[start:end]
// followed by the expression, or the expression alone when those lines do
// not parse; nil when its type is unknown.
func (s *Session) probe(code string, start, end int) *check.Result {
	if start < 0 || end > len(code) || start >= end {
		return nil
	}
	expr := code[start:end]
	ls := strings.LastIndexByte(code[:start], '\n') + 1
	for _, src := range []string{code[:ls] + expr, expr} {
		src = rewrite.BlankPackageClause(src)
		name := rewrite.FileName(0)
		items, err := rewrite.Split(src, name)
		if err != nil || len(items) == 0 {
			continue
		}
		imports := s.cellImports(items)
		prior := s.rec.priorWith(imports, s.autoImports(items, imports))
		r := s.check.Probe(check.Cell{Src: src, Name: name, Items: items, Imports: prior.Imports})
		if _, _, ok := r.LastExpr(); ok {
			return r
		}
	}
	return nil
}
