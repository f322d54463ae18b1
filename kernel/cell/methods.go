package cell

import (
	"context"
	"go/ast"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// recordMethods notes the method variables of a group (see
// rewrite.Cell.NewMethod) for later redeclarations.
//
// yaegi v0.16.1 (method-half-declared): a group that fails to compile
// keeps its methods declared (their bodies are compiled after): after a
// failure (failed), a method is noted only if its variable exists.
func (s *Session) recordMethods(ctx context.Context, c *rewrite.Cell, group []*rewrite.Item, failed bool) {
	for _, it := range group {
		fvar, ftyp, ok := c.NewMethod(it)
		if !ok {
			continue
		}
		if failed {
			if _, err := s.eval(ctx, rewrite.StmtSource("_ = "+fvar)); err != nil {
				s.out.filter.take()
				continue
			}
		}
		fd := it.Decl.(*ast.FuncDecl)
		recv := rewrite.RecvTypeName(fd.Recv.List[0].Type)
		s.rec.addMethod(recv+"."+fd.Name.Name, rewrite.Method{Var: fvar, Type: ftyp})
	}
}

// assignMethods evaluates the assignments of the bodies of the new methods
// of a group to their variables.
func (s *Session) assignMethods(ctx context.Context, c *rewrite.Cell, group []*rewrite.Item) error {
	src := c.MethodAssigns(group)
	if src == "" {
		return nil
	}
	_, err := s.eval(ctx, src)
	return err
}
