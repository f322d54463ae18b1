package cell

// The expressions that may have raised a run-time panic of a given kind,
// and what evaluating their operands after the panic says of them.

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strconv"
)

// candState is what is known of a candidate expression.
type candState int

const (
	unknown candState = iota // its operands cannot be evaluated again
	failed                   // its operands make it panic
	fine                     // its operands are fine: it did not panic
)

// candidate is an expression that may have panicked, with Go's message
// for it (values known, or the source text of those that are not).
type candidate struct {
	node  ast.Node
	state candState
	msg   string
}

// valueOrText is an operand: its value when it could be evaluated, and its
// source text. tried is true when it was evaluated (it is made of
// globals); invalid when it evaluated to nothing (a nil interface).
type valueOrText struct {
	v       reflect.Value
	text    string
	tried   bool
	invalid bool
}

// nonValues are the predeclared functions and types whose calls are not
// calls of functions that can panic on their own.
var nonValues = map[string]bool{
	"len": true, "cap": true, "append": true, "make": true, "new": true, "copy": true, "delete": true,
	"min": true, "max": true, "clear": true, "complex": true, "real": true, "imag": true, "close": true,
	"print": true, "println": true, "panic": true, "recover": true,
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true, "uint": true, "uint8": true,
	"uint16": true, "uint32": true, "uint64": true, "uintptr": true, "float32": true, "float64": true,
	"string": true, "byte": true, "rune": true, "bool": true, "complex64": true, "complex128": true, "any": true, "error": true,
}

// candidate returns the candidate that node n is for a panic of kind, or
// false when n cannot raise it.
func (s *Session) candidate(kind panicKind, sc scope, n ast.Node) (candidate, bool) {
	switch x := n.(type) {
	case *ast.IndexExpr:
		if kind == kindIndex {
			return s.indexCandidate(sc, x), true
		}
	case *ast.SliceExpr:
		if kind == kindSlice {
			return s.sliceCandidate(sc, x), true
		}
	case *ast.BinaryExpr:
		if kind == kindDivide && (x.Op == token.QUO || x.Op == token.REM) {
			return s.divideCandidate(sc, x, x.Y), true
		}
	case *ast.AssignStmt:
		if kind == kindDivide && (x.Tok == token.QUO_ASSIGN || x.Tok == token.REM_ASSIGN) {
			return s.divideCandidate(sc, x, x.Rhs[0]), true
		}
		if ix, ok := x.Lhs[0].(*ast.IndexExpr); ok && kind == kindNilMap && x.Tok != token.DEFINE {
			return s.nilCandidate(sc, ix, ix.X, reflect.Map), true
		}
	case *ast.IncDecStmt:
		if ix, ok := x.X.(*ast.IndexExpr); ok && kind == kindNilMap {
			return s.nilCandidate(sc, ix, ix.X, reflect.Map), true
		}
	case *ast.StarExpr:
		if kind == kindNil && !sc.types[x] {
			return s.nilCandidate(sc, x, x.X, reflect.Pointer), true
		}
	case *ast.SelectorExpr:
		if id, ok := x.X.(*ast.Ident); kind == kindNil && !sc.types[x] && !(ok && s.isPackage(sc, id)) {
			return s.nilCandidate(sc, x, x.X, reflect.Pointer), true
		}
	case *ast.CallExpr:
		return s.callCandidate(kind, sc, x)
	}
	return candidate{}, false
}

// callCandidate returns the candidate of a call: a call of panic for a
// user panic, a call of a nil func variable for a nil dereference, any
// call of a function for a panic of compiled code.
func (s *Session) callCandidate(kind panicKind, sc scope, x *ast.CallExpr) (candidate, bool) {
	id, isID := x.Fun.(*ast.Ident)
	switch kind {
	case kindUser:
		return candidate{node: x}, isID && id.Name == "panic" && !sc.locals["panic"]
	case kindNil:
		if v, ok := s.evalValue(sc, x.Fun); ok && v.v.Kind() == reflect.Func && v.v.IsNil() {
			return candidate{node: x, state: failed, msg: msgNil}, true
		}
	case kindOther:
		if sc.types[x.Fun] || (isID && nonValues[id.Name] && !sc.locals[id.Name]) {
			return candidate{}, false
		}
		return candidate{node: x}, true
	}
	return candidate{}, false
}

// isPackage reports whether id names an imported package.
func (s *Session) isPackage(sc scope, id *ast.Ident) bool {
	if sc.locals[id.Name] {
		return false
	}
	return s.rec.importPath(id.Name) != ""
}

// indexCandidate checks x[i]: out of range when i < 0 or i >= len(x).
func (s *Session) indexCandidate(sc scope, x *ast.IndexExpr) candidate {
	xv, okx := s.evalValue(sc, x.X)
	iv, oki := s.evalValue(sc, x.Index)
	length, n := "len("+xv.text+")", -1
	if okx {
		v := indirectArray(xv.v)
		switch v.Kind() {
		case reflect.Slice, reflect.Array, reflect.String:
			n = v.Len()
			length = strconv.Itoa(n)
		default:
			return candidate{node: x, state: fine} // a map, a generic function, a type
		}
	}
	idx := iv.text
	st := unknown
	if i, ok := intOf(iv.v); oki && ok {
		idx = strconv.FormatInt(i, 10)
		if n >= 0 {
			st = fine
			if i < 0 || i >= int64(n) {
				st = failed
			}
		}
	}
	return candidate{node: x, state: st, msg: fmt.Sprintf("runtime error: index out of range [%s] with length %s", idx, length)}
}

// sliceCandidate checks x[lo:hi] and x[lo:hi:max] as Go does: the
// largest bound against the capacity (the length of a string), then each
// bound against the next.
func (s *Session) sliceCandidate(sc scope, x *ast.SliceExpr) candidate {
	xv, ok := s.evalValue(sc, x.X)
	if !ok {
		return candidate{node: x, msg: msgSlice}
	}
	v := indirectArray(xv.v)
	what, c := "capacity", 0
	switch v.Kind() {
	case reflect.String:
		what, c = "length", v.Len()
	case reflect.Slice:
		c = v.Cap()
	case reflect.Array:
		c = v.Len()
	default:
		return candidate{node: x, state: fine}
	}
	bound := func(e ast.Expr, def int) (int64, bool) {
		if e == nil {
			return int64(def), true
		}
		bv, ok := s.evalValue(sc, e)
		i, isInt := intOf(bv.v)
		return i, ok && isInt
	}
	lo, ok1 := bound(x.Low, 0)
	hi, ok2 := bound(x.High, v.Len())
	mx, ok3 := bound(x.Max, c)
	if !ok1 || !ok2 || !ok3 {
		return candidate{node: x, msg: msgSlice}
	}
	var msg string
	switch {
	case x.Slice3 && mx > int64(c):
		msg = fmt.Sprintf("[::%d] with %s %d", mx, what, c)
	case x.Slice3 && hi > mx:
		msg = fmt.Sprintf("[:%d:%d]", hi, mx)
	case x.Slice3 && lo > hi:
		msg = fmt.Sprintf("[%d:%d:]", lo, hi)
	case !x.Slice3 && hi > int64(c):
		msg = fmt.Sprintf("[:%d] with %s %d", hi, what, c)
	case !x.Slice3 && lo > hi:
		msg = fmt.Sprintf("[%d:%d]", lo, hi)
	default:
		return candidate{node: x, state: fine}
	}
	return candidate{node: x, state: failed, msg: msgSlice + " " + msg}
}

// divideCandidate checks a division n by divisor d: it panics when d is
// an integer zero (a float division gives an infinity).
func (s *Session) divideCandidate(sc scope, n ast.Node, d ast.Expr) candidate {
	dv, ok := s.evalValue(sc, d)
	if !ok {
		return candidate{node: n, msg: msgDivide}
	}
	if i, isInt := intOf(dv.v); isInt && i == 0 {
		return candidate{node: n, state: failed, msg: msgDivide}
	}
	return candidate{node: n, state: fine}
}

// nilCandidate checks node n whose operand x must not be a nil of kind k
// (a map to assign into, a pointer to dereference or select through; a
// nil interface counts as a nil pointer).
func (s *Session) nilCandidate(sc scope, n ast.Node, x ast.Expr, k reflect.Kind) candidate {
	msg := msgNil
	if k == reflect.Map {
		msg = msgNilMap
	}
	xv, ok := s.evalValue(sc, x)
	switch {
	case xv.invalid && k == reflect.Pointer:
		return candidate{node: n, state: failed, msg: msg}
	case !ok && xv.tried:
		return candidate{node: n, state: fine} // a type, a package, or not a value
	case !ok:
		return candidate{node: n, msg: msg}
	}
	v := xv.v
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return candidate{node: n, state: failed, msg: msg}
		}
		v = v.Elem()
	}
	if v.Kind() == k && v.IsNil() {
		return candidate{node: n, state: failed, msg: msg}
	}
	return candidate{node: n, state: fine}
}

// indirectArray returns the array a pointer to an array points to, or v.
func indirectArray(v reflect.Value) reflect.Value {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Array {
		return v.Elem()
	}
	return v
}

// intOf returns the value of an integer v.
func intOf(v reflect.Value) (int64, bool) {
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return int64(v.Uint()), true
	}
	return 0, false
}
