package cell

import (
	"context"
	"fmt"
	"go/ast"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// rebind re-evaluates the functions of earlier cells that call (directly
// or through other functions) a function just redeclared, so that they call
// the new definition, as a notebook user expects. A caller that no longer
// compiles keeps the old binding, with a note on Stderr, and panics with
// the reason when called. Cost: O(functions) plus compiling the callers.
//
// yaegi v0.16.1 (late-binding): a call is bound to the function that
// existed when the caller was compiled.
func (s *Session) rebind(ctx context.Context, changed map[string]bool, n int) {
	done := map[string]bool{}
	for k := range changed {
		done[k] = true
	}
	for {
		next := s.rec.callers(changed, done)
		if len(next) == 0 {
			return
		}
		for _, g := range next {
			done[g.Name] = true
			if _, err := s.eval(ctx, rewrite.DeclSource(g.evalText)); err != nil {
				s.out.filter.take()
				msg := fmt.Sprintf("%s no longer compiles after the redeclaration: %s", g.Name, mapPositions(err.Error(), n))
				fmt.Fprintf(s.out.stderr, "note: %s; calling it panics until it is redeclared\n", msg)
				// A failed compilation leaves the function broken in yaegi:
				// make a call say why.
				s.eval(ctx, rewrite.DeclSource(fmt.Sprintf("%s { panic(%q) }\n", g.Signature, msg)))
				continue
			}
			changed[g.Name] = true
		}
	}
}

// restoreFuncs re-evaluates the previous definitions of the functions a
// failed group tried to redeclare.
//
// yaegi v0.16.1 (broken-redecl): a function whose redeclaration failed to
// compile is left broken.
func (s *Session) restoreFuncs(ctx context.Context, group []*rewrite.Item) {
	for _, it := range group {
		fd, ok := it.Decl.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		if g := s.rec.global(fd.Name.Name); g != nil && g.evalText != "" {
			s.eval(ctx, rewrite.DeclSource(g.evalText))
			s.out.filter.take()
		}
	}
}
