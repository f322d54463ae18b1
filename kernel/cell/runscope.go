package cell

// The code a run-time panic happened in (scope) and the evaluation of the
// operands of its expressions after the panic.

import (
	"context"
	"go/ast"
	"go/token"
	"reflect"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// scope is the code a panic happened in: a function body, or a top-level
// item of a cell. Names other than the item's locals (parameters and
// everything declared inside its functions and blocks) are globals, whose
// values after the panic are those it saw.
type scope struct {
	src    string
	it     *rewrite.Item
	node   ast.Node
	global bool            // the statements of a cell (not a function body)
	noEval bool            // operands are not evaluated (a cell may be running)
	locals map[string]bool // names declared inside the top-level item
	types  map[ast.Node]bool
}

// scopeOf returns the scope of the innermost frame f: the body of the
// function literal or declaration whose body holds f's position, or the
// cell statement that ran last.
func (s *Session) scopeOf(f frame) (scope, bool) {
	v, src, ok := s.where.now(f.cell)
	if !ok {
		return scope{}, false
	}
	var items []*rewrite.Item
	if f.cell == v.n && v.cell != nil {
		items = v.cell.Items()
	} else if items, _ = rewrite.Split(src, rewrite.FileName(f.cell)); items == nil {
		return scope{}, false
	}
	off := offsetOf(src, f.line, f.col)
	for _, it := range items {
		if off < it.Start || off >= it.End {
			continue
		}
		if body := innermostBody(it, off); body != nil {
			return scope{src: src, it: it, node: body, locals: localNames(it), types: typeNodes(body)}, true
		}
		if f.cell == v.n && v.last != nil {
			it = v.last
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
// and if/switch variables, := and var inside blocks and function bodies,
// parameters, results and receivers. The names its own top-level := or var
// declares are globals.
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

// evalValue evaluates expression e of scope sc after a panic when it is
// made of globals, constants, selectors, operators, indexing and len/cap
// (no other calls: nothing runs twice); ok is false otherwise or when the
// evaluation fails.
func (s *Session) evalValue(sc scope, e ast.Expr) (v valueOrText, ok bool) {
	text := sc.src[sc.it.Off(e.Pos()):sc.it.Off(e.End())]
	if sc.noEval || !sc.evaluable(e) {
		return valueOrText{text: text}, false
	}
	rv, err := s.interp().EvalWithContext(context.Background(), rewrite.StmtSource(text))
	if err != nil || !rv.IsValid() {
		s.out.filter.take()
		return valueOrText{text: text, tried: true, invalid: err == nil}, false
	}
	return valueOrText{v: rv, text: text, tried: true}, true
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
