package rewrite

import "go/ast"

// mustCall rewrites a call of the cells' built-in must, typed by the
// checker (Types.MustForm), as a function literal of that type:
//
//	must(f())   -> func() T { __v, __e := f(); if __e != nil { panic(__e) }; return __v }()
//	must(v, e)  -> func() T { var __v T = v; var __e error = e; ... }()
//	must(err)   -> func() T { __e := err; if __e != nil { panic(__e) }; return __e }()
//
// yaegi v0.16.1 (generic-must): `func must[T any](v T, err error) T`
// panics yaegi's compiler ("nil reflect type") when called.
func (c *Cell) mustCall(it *Item, call *ast.CallExpr) {
	if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "must" || c.types == nil {
		return
	}
	kind, typ := c.types.MustForm(it, call)
	if kind == MustNone {
		return
	}
	start, end := it.Off(call.Pos()), it.Off(call.End())
	c.add(&edit{start: start, end: end, render: func(sub func(a, b int) string) string {
		arg := func(i int) string {
			as, ae := it.Off(call.Args[i].Pos()), it.Off(call.Args[i].End())
			return c.dir(as) + sub(as, ae)
		}
		head := "func() " + typ + " { "
		check := "; if __e != nil { panic(__e) }; "
		switch kind {
		case MustErr:
			return head + "__e := " + arg(0) + check + "return __e }()" + c.dir(end)
		case MustCallPair:
			return head + "__v, __e := " + arg(0) + check + "return __v }()" + c.dir(end)
		}
		return head + "var __v " + typ + " = " + arg(0) + "; var __e error = " + arg(1) + check + "return __v }()" + c.dir(end)
	}})
}
