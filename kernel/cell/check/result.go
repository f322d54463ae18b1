package check

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
)

// Result is the checking of one cell: its errors and, when it was checked,
// its type information, keyed by the cell's byte offsets. It implements
// rewrite.Types.
type Result struct {
	// Checked is false when the cell could not be checked (permissive
	// mode): Errors is then empty and every type question is unknown.
	Checked bool
	// Errors are the cell's type errors in source order (Go's messages).
	Errors []Error

	cell  Cell
	segs  []seg
	fset  *token.FileSet
	file  *ast.File
	pkg   *types.Package
	info  *types.Info
	raw   []rawError
	exprs map[span]types.TypeAndValue
	musts map[span]mustCall
	probe bool // from Probe: not to be committed
}

var _ rewrite.Types = (*Result)(nil)

// span is a byte span of the cell.
type span struct{ start, end int }

// rawError is an error of the cell's file before the notebook relaxations.
type rawError struct {
	off int // cell offset
	pos token.Position
	msg string
}

// addError notes an error of the checker; errors outside the cell's
// pieces (in the stubs) are dropped.
func (r *Result) addError(err error) {
	te, ok := err.(types.Error)
	if !ok {
		return
	}
	pos := te.Fset.Position(te.Pos)
	if pos.Filename != r.cell.Name {
		return
	}
	raw := te.Fset.PositionFor(te.Pos, false)
	if raw.Filename != "cell.go" {
		return
	}
	r.raw = append(r.raw, rawError{off: cellOff(r.segs, raw.Offset), pos: pos, msg: te.Msg})
}

// maxErrors is the number of errors reported, as go build's.
const maxErrors = 10

// relaxed lists the messages of rules that do not fit notebooks.
var relaxed = []string{"declared and not used", "imported and not used", "imported as "}

// finish keeps the errors Go would report in a notebook, sorted, and
// indexes the types of the cell's expressions.
func (r *Result) finish() {
	last := r.lastExpr()
	for _, e := range r.raw {
		if isRelaxed(e.msg) || strings.HasSuffix(e.msg, " is not used") && last != nil && e.off >= last.Start && e.off < last.End {
			continue
		}
		r.Errors = append(r.Errors, Error{Line: e.pos.Line, Col: e.pos.Column, Msg: e.msg})
	}
	r.Errors = append(r.Errors, r.mustErrors()...)
	sort.SliceStable(r.Errors, func(i, j int) bool {
		a, b := r.Errors[i], r.Errors[j]
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	if len(r.Errors) > maxErrors {
		r.Errors = append(r.Errors[:maxErrors], Error{Line: r.Errors[maxErrors].Line, Col: r.Errors[maxErrors].Col, Msg: "too many errors"})
	}
	r.exprs = map[span]types.TypeAndValue{}
	for e, tv := range r.info.Types {
		if s, ok := r.spanOf(e); ok {
			r.exprs[s] = tv
		}
	}
}

func isRelaxed(msg string) bool {
	for _, m := range relaxed {
		if strings.Contains(msg, m) && (m != "imported as " || strings.HasSuffix(msg, "and not used")) {
			return true
		}
	}
	return false
}

// Items returns the items of the cell checked.
func (r *Result) Items() []*rewrite.Item { return r.cell.Items }

// lastExpr returns the cell's last item when it is an expression
// statement (its value is displayed), else nil.
func (r *Result) lastExpr() *rewrite.Item {
	items := r.cell.Items
	if len(items) == 0 {
		return nil
	}
	it := items[len(items)-1]
	if _, ok := it.Stmt.(*ast.ExprStmt); ok {
		return it
	}
	return nil
}

// spanOf returns the cell span of a node of the cell's file.
func (r *Result) spanOf(n ast.Node) (span, bool) {
	f := r.fset.File(n.Pos())
	if f == nil || f.Name() != "cell.go" {
		return span{}, false
	}
	s, e := cellOff(r.segs, f.Offset(n.Pos())), cellOff(r.segs, f.Offset(n.End()))
	if s < 0 || e < 0 {
		return span{}, false
	}
	return span{s, e}, true
}

// wrapperScope returns the scope of the function holding the cell's
// statements.
func (r *Result) wrapperScope() *types.Scope {
	if r.file == nil {
		return nil
	}
	for _, d := range r.file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == wrapperName {
			return r.info.Scopes[fd.Type]
		}
	}
	return nil
}

// declLocals returns the names that a declaration of the cell uses and
// that a statement of the cell defines at its top level, with their types:
// in a notebook the declaration sees that variable (not an earlier cell's
// of the same name, nor nothing).
func (r *Result) declLocals() map[string]types.Type {
	ws := r.wrapperScope()
	if ws == nil {
		return nil
	}
	out := map[string]types.Type{}
	for _, it := range r.cell.Items {
		if it.Kind != rewrite.Decl {
			continue
		}
		ast.Inspect(it.Node(), func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v, ok := ws.Lookup(id.Name).(*types.Var); ok {
					out[id.Name] = v.Type()
				}
			}
			return true
		})
	}
	return out
}

// typeOf returns the type and value of expression e of item it.
func (r *Result) typeOf(it *rewrite.Item, e ast.Expr) (types.TypeAndValue, bool) {
	if !r.Checked || r.exprs == nil {
		return types.TypeAndValue{}, false
	}
	tv, ok := r.exprs[span{it.Off(e.Pos()), it.Off(e.End())}]
	return tv, ok && tv.Type != nil
}

// IsInt implements rewrite.Types: whether e has an integer type (an
// untyped integer constant included). O(1).
func (r *Result) IsInt(it *rewrite.Item, e ast.Expr, path []ast.Node) (isInt, known bool) {
	tv, ok := r.typeOf(it, e)
	if !ok {
		return false, false
	}
	b, isBasic := tv.Type.Underlying().(*types.Basic)
	return isBasic && b.Info()&types.IsInteger != 0, true
}

// Results implements rewrite.Types: the number of results of call and
// whether the last is of type error. O(1).
func (r *Result) Results(it *rewrite.Item, call *ast.CallExpr) (n int, lastIsError, known bool) {
	tv, ok := r.typeOf(it, call)
	if !ok {
		return 0, false, false
	}
	if t, isTuple := tv.Type.(*types.Tuple); isTuple { // a void call has a nil tuple
		n = t.Len()
		return n, n > 0 && isError(t.At(n-1).Type()), true
	}
	if tv.IsVoid() {
		return 0, false, true
	}
	return 1, isError(tv.Type), true
}

// isError reports whether t is the predeclared error type.
func isError(t types.Type) bool { return types.Identical(t, types.Universe.Lookup("error").Type()) }
