package rewrite

// Go 1.21's builtins min, max and clear: calls become calls of helpers
// declared in every interpreter (min, max; see Prelude) or of a compiled
// helper (clear; see Runtime), unless the cell or an earlier one declares
// the name itself.
//
// yaegi v0.16.1 (builtins): min, max and clear are undefined.

import (
	"go/ast"
	"go/constant"
	"go/token"
	"reflect"
	"strings"
)

// builtinHelpers is part of Prelude. The helpers take two arguments (a
// call with more nests them).
//
// yaegi v0.16.1 (generic-variadic): a generic variadic call with one
// argument panics, and T is inferred from the first argument only.
const builtinHelpers = `package main

type __subspace_ordered interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr | ~float32 | ~float64 | ~string
}

func __subspace_min[T __subspace_ordered](x, y T) T {
	if x != x {
		return x
	}
	if y < x || y != y {
		return y
	}
	return x
}

func __subspace_max[T __subspace_ordered](x, y T) T {
	if x != x {
		return x
	}
	if y > x || y != y {
		return y
	}
	return x
}
`

// clearValue implements clear for the cells: it deletes every entry of a
// map, or sets every element of a slice to its zero value. O(len(x)).
func clearValue(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	case reflect.Invalid:
	default:
		panic("invalid argument: clear(" + v.Type().String() + "): argument must be a map or a slice")
	}
}

// builtinNames returns which of min, max and clear the cell may use as Go's
// builtins: those that neither the cell (declared: anywhere, as any kind of
// name) nor an earlier cell (globals) declares.
func builtinNames(declared map[string]bool, globals map[string]Global) map[string]bool {
	out := map[string]bool{}
	for _, n := range []string{"min", "max", "clear"} {
		if _, g := globals[n]; !g && !declared[n] {
			out[n] = true
		}
	}
	return out
}

// builtinCall rewrites a call of min, max or clear (the caller checked that
// the name is Go's builtin here). min and max of constant literals only
// are folded into a constant (so that `const c = max(1, 2.5)` keeps
// working); otherwise constant arguments go last (they have no side
// effects, and the helper infers its type parameter from its first
// argument) and the calls nest: min(a, b, c) becomes
// __subspace_min(__subspace_min(a, b), c); min(a) is (a).
func (c *Cell) builtinCall(it *Item, call *ast.CallExpr) {
	name := call.Fun.(*ast.Ident).Name
	if len(call.Args) == 0 || call.Ellipsis.IsValid() {
		return // let yaegi report the error
	}
	start, end := it.Off(call.Pos()), it.Off(call.End())
	if name == "clear" {
		if len(call.Args) != 1 {
			return
		}
		fs, fe := it.Off(call.Fun.Pos()), it.Off(call.Fun.End())
		c.add(&edit{start: fs, end: fe, text: "__subspace.Clear" + c.dir(fe)})
		return
	}
	if lit, ok := foldMinMax(name, call.Args); ok {
		c.add(&edit{start: start, end: end, text: lit})
		return
	}
	var vars, consts []ast.Expr
	for _, a := range call.Args {
		if isConstExpr(a, c.isConst) {
			consts = append(consts, a)
		} else {
			vars = append(vars, a)
		}
	}
	args := append(vars, consts...)
	c.add(&edit{start: start, end: end, render: func(sub func(a, b int) string) string {
		text := func(a ast.Expr) string {
			as, ae := it.Off(a.Pos()), it.Off(a.End())
			return c.dir(as) + sub(as, ae)
		}
		if len(args) == 1 {
			return "(" + text(args[0]) + ")"
		}
		acc := text(args[0])
		for _, a := range args[1:] {
			acc = "__subspace_" + name + "(" + acc + ", " + text(a) + ")"
		}
		return acc + c.dir(end)
	}})
}

// isConstExpr reports whether e is a constant expression made of literals
// and named constants.
func isConstExpr(e ast.Expr, isConst func(string) bool) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return x.Name == "true" || x.Name == "false" || isConst(x.Name)
	case *ast.ParenExpr:
		return isConstExpr(x.X, isConst)
	case *ast.UnaryExpr:
		return isConstExpr(x.X, isConst)
	case *ast.BinaryExpr:
		return isConstExpr(x.X, isConst) && isConstExpr(x.Y, isConst)
	}
	return false
}

// foldMinMax computes min or max of literal arguments (numbers, possibly
// negated, or strings) as Go does for untyped constants: the result is an
// integer when every argument is one, else a floating-point constant.
func foldMinMax(name string, args []ast.Expr) (string, bool) {
	var best constant.Value
	bestText := ""
	kinds := map[constant.Kind]bool{}
	for _, a := range args {
		v, text, ok := literalValue(a)
		if !ok {
			return "", false
		}
		kinds[v.Kind()] = true
		if best == nil {
			best, bestText = v, text
			continue
		}
		op := token.LSS
		if name == "max" {
			op = token.GTR
		}
		if (v.Kind() == constant.String) != (best.Kind() == constant.String) {
			return "", false
		}
		if constant.Compare(v, op, best) {
			best, bestText = v, text
		}
	}
	switch {
	case len(kinds) == 1:
		return "(" + bestText + ")", true
	case len(kinds) == 2 && kinds[constant.Int] && kinds[constant.Float]:
		if best.Kind() == constant.Float {
			return "(" + bestText + ")", true
		}
		s := constant.ToFloat(best).String()
		if !strings.ContainsAny(s, ".eE") {
			s += ".0"
		}
		return "(" + s + ")", true
	}
	return "", false
}

// literalValue returns the constant value of a number or string literal,
// possibly parenthesized or with a sign.
func literalValue(e ast.Expr) (constant.Value, string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.INT && x.Kind != token.FLOAT && x.Kind != token.STRING {
			return nil, "", false
		}
		v := constant.MakeFromLiteral(x.Value, x.Kind, 0)
		return v, x.Value, v.Kind() != constant.Unknown
	case *ast.ParenExpr:
		return literalValue(x.X)
	case *ast.UnaryExpr:
		v, text, ok := literalValue(x.X)
		if !ok || v.Kind() == constant.String || (x.Op != token.SUB && x.Op != token.ADD) {
			return nil, "", false
		}
		return constant.UnaryOp(x.Op, v, 0), x.Op.String() + text, true
	}
	return nil, "", false
}
