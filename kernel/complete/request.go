package complete

import (
	"go/token"
	"reflect"
)

// request holds what one Complete or Inspect call learns from the Scope
// (asked once each) and from the cell text.
type request struct {
	sc      Scope
	imports map[string]string // session imports, then the cell's own
	globals []Symbol
	pkgs    map[string]map[string]reflect.Value // nil until needed
	cell    cellText
}

func newRequest(text string, sc Scope) *request {
	r := &request{sc: sc, imports: map[string]string{}, cell: scanCell(text)}
	if sc != nil {
		for k, v := range sc.Imports() {
			r.imports[k] = v
		}
		r.globals = sc.Globals()
	}
	for k, v := range r.cell.Imports {
		r.imports[k] = v
	}
	return r
}

func (r *request) packages() map[string]map[string]reflect.Value {
	if r.pkgs == nil && r.sc != nil {
		r.pkgs = r.sc.Packages()
	}
	return r.pkgs
}

func (r *request) value(name string) (reflect.Value, bool) {
	if r.sc == nil {
		return reflect.Value{}, false
	}
	x, ok := r.sc.Value(name)
	if !ok {
		return reflect.Value{}, false
	}
	return reflect.ValueOf(x), true
}

func (r *request) global(name string) (Symbol, bool) {
	for _, g := range r.globals {
		if g.Name == name {
			return g, true
		}
	}
	return Symbol{}, false
}

// cellDecl returns the last declaration of name in the cell text.
func (r *request) cellDecl(name string) (cellDecl, bool) {
	for i := len(r.cell.Decls) - 1; i >= 0; i-- {
		if r.cell.Decls[i].Name == name {
			return r.cell.Decls[i], true
		}
	}
	return cellDecl{}, false
}

// target is what a selector chain denotes: a package, a value, or (for a
// variable declared in the cell text but not run yet) only a type.
type target struct {
	path string
	v    reflect.Value
	t    reflect.Type
}

// resolve resolves a selector chain a.b.c. Go's scoping decides between
// names: a variable declared in the cell hides a live global of the same
// name (its declared type is newer), which hides a package name.
func (r *request) resolve(chain []string) (target, bool) {
	name, rest := chain[0], chain[1:]
	if d, ok := r.cellDecl(name); ok {
		if d.Type != nil {
			if t := r.typeOf(d.Type); t != nil {
				return walkType(t, rest)
			}
		}
		if _, live := r.value(name); !live || d.Kind != "var" {
			return target{}, false
		}
	}
	if v, ok := r.value(name); ok {
		return walkValue(v, rest)
	}
	path := r.packagePath(name)
	if path == "" {
		return target{}, false
	}
	if len(rest) == 0 {
		return target{path: path}, true
	}
	sym, ok := r.packages()[path][rest[0]]
	if !ok || kindOfSymbol(sym) != "var" {
		return target{}, false
	}
	return walkValue(sym, rest[1:])
}

// typeOf resolves a type reference from the cell text through the
// session's symbol tables.
func (r *request) typeOf(ref *typeRef) reflect.Type {
	path := r.packagePath(ref.Pkg)
	sym, ok := r.packages()[path][ref.Name]
	if !ok || !sym.IsValid() {
		return nil
	}
	var t reflect.Type
	switch kindOfSymbol(sym) {
	case "func":
		if !ref.Call || sym.Type().NumOut() == 0 {
			return nil
		}
		t = sym.Type().Out(0)
	case "type":
		t = sym.Type().Elem()
		if ref.Ptr {
			t = reflect.PointerTo(t)
		}
	default:
		return nil
	}
	return t
}

func walkValue(v reflect.Value, fields []string) (target, bool) {
	for _, f := range fields {
		var ok bool
		if v, ok = field(v, f); !ok {
			return target{}, false
		}
	}
	return target{v: v}, v.IsValid()
}

func walkType(t reflect.Type, fields []string) (target, bool) {
	for _, name := range fields {
		st := t
		if st.Kind() == reflect.Pointer {
			st = st.Elem()
		}
		if st.Kind() != reflect.Struct || !token.IsExported(name) {
			return target{}, false
		}
		f, ok := st.FieldByName(name)
		if !ok {
			return target{}, false
		}
		t = f.Type
	}
	return target{t: t}, true
}

// members adds the members of the expression chain (a.b.c) to cands.
func (r *request) members(chain []string, cands candidates) {
	if len(chain) == 1 {
		if typ := r.userType(chain[0]); typ != "" {
			r.userTypeMembers(typ, cands)
		}
	}
	tg, ok := r.resolve(chain)
	if !ok {
		if len(chain) == 1 {
			r.docMembers(chain[0], cands)
		}
		return
	}
	switch {
	case tg.path != "":
		for name, kind := range packageMembers(tg.path, r.packages()) {
			cands.add(name, kind)
		}
	case tg.t != nil:
		typeMembers(tg.t, cands)
	default:
		v := tg.v
		if v.Kind() == reflect.Interface && !v.IsNil() {
			v = v.Elem()
		}
		typeMembers(v.Type(), cands)
	}
}

// field returns the exported field name of the struct v (or *v).
func field(v reflect.Value, name string) (reflect.Value, bool) {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}, false
		}
		v = v.Elem()
	}
	if !v.IsValid() || v.Kind() != reflect.Struct || !token.IsExported(name) {
		return reflect.Value{}, false
	}
	sf, ok := v.Type().FieldByName(name)
	if !ok {
		return reflect.Value{}, false
	}
	f, err := v.FieldByIndexErr(sf.Index)
	if err != nil {
		return reflect.Value{}, false
	}
	return f, true
}

// typeMembers adds the exported fields and methods of type t to cands. For
// a non-pointer type the methods of *T are included too, since a variable
// is addressable.
func typeMembers(t reflect.Type, cands candidates) {
	addMethods := func(t reflect.Type) {
		for i := 0; i < t.NumMethod(); i++ {
			cands.add(t.Method(i).Name, "method")
		}
	}
	addMethods(t)
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		addMethods(reflect.PointerTo(t))
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		for _, f := range reflect.VisibleFields(st) {
			if f.IsExported() {
				cands.add(f.Name, "field")
			}
		}
	}
}
