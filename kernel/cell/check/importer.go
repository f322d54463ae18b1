package check

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tables maps an import path to the exported symbols of the package, in the
// form of yaegi's symbol tables (a type T as a nil *T, a variable as an
// addressable value, an untyped constant as a constant.Value).
type Tables func() map[string]map[string]reflect.Value

// importer is a types.Importer over yaegi symbol tables: each package is
// built from the reflect types of its symbols on its first import, so that
// it always matches what the interpreter can run (built-in tables and
// loaded plugins alike). The standard generic packages cmp, maps and
// slices, which yaegi interprets from source, are checked from that source
// (generic.go). Not safe for concurrent use.
type importer struct {
	tables Tables
	names  map[string]string // import path -> package name, of every table
	pkgs   map[string]*types.Package
	types  map[reflect.Type]types.Type
	errT   reflect.Type
}

// newImporter returns an importer over the symbol tables of tables. O(1).
func newImporter(tables Tables) *importer {
	return &importer{tables: tables, pkgs: map[string]*types.Package{}, types: map[reflect.Type]types.Type{},
		errT: reflect.TypeFor[error]()}
}

// Import implements types.Importer. Cost: O(symbols of the package and
// the types they reach), once per package.
func (im *importer) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p, ok := im.pkgs[path]; ok && p.Complete() {
		return p, nil
	}
	if src, ok := genericSources[path]; ok {
		return im.checkSource(path, src)
	}
	syms, ok := im.tables()[path]
	if !ok {
		if p, ok := im.pkgs[path]; ok {
			// a package known only through the types of another's symbols
			return p, nil
		}
		return nil, fmt.Errorf("package %s is not in the kernel", path)
	}
	p := im.pkg(path)
	for name, v := range syms {
		if obj := im.object(p, name, v); obj != nil {
			p.Scope().Insert(obj)
		}
	}
	p.MarkComplete()
	return p, nil
}

// has reports whether path can be imported.
func (im *importer) has(path string) bool {
	if path == "unsafe" || path == "C" {
		return path == "unsafe"
	}
	if _, ok := genericSources[path]; ok {
		return true
	}
	_, ok := im.tables()[path]
	return ok
}

// pkg returns the (possibly incomplete) package of import path path.
func (im *importer) pkg(path string) *types.Package {
	if p, ok := im.pkgs[path]; ok {
		return p
	}
	if im.names == nil {
		im.names = map[string]string{}
		for k := range im.tables() {
			im.names[k] = k[strings.LastIndexByte(k, '/')+1:]
		}
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	if n, ok := im.names[path]; ok {
		name = n
	}
	p := types.NewPackage(path, name)
	im.pkgs[path] = p
	return p
}

// object converts one symbol; nil for the tables' interface wrappers
// (names starting with "_").
func (im *importer) object(p *types.Package, name string, v reflect.Value) types.Object {
	if strings.HasPrefix(name, "_") || !v.IsValid() {
		return nil
	}
	if v.Type().Implements(constValueType) && v.CanInterface() {
		if c, ok := v.Interface().(constant.Value); ok {
			return types.NewConst(token.NoPos, p, name, untypedOf(c), c)
		}
	}
	switch {
	case v.CanAddr():
		return types.NewVar(token.NoPos, p, name, im.typeOf(v.Type()))
	case v.Kind() == reflect.Func:
		return types.NewFunc(token.NoPos, p, name, im.typeOf(v.Type()).(*types.Signature))
	case v.Kind() == reflect.Pointer && v.IsNil():
		t := im.typeOf(v.Type().Elem())
		if n, ok := t.(*types.Named); ok && n.Obj().Name() == name {
			return n.Obj()
		}
		// an alias of a type of another package, or of a basic type
		return types.NewTypeName(token.NoPos, p, name, t)
	}
	if c := constOf(v); c != nil {
		return types.NewConst(token.NoPos, p, name, im.typeOf(v.Type()), c)
	}
	return types.NewVar(token.NoPos, p, name, im.typeOf(v.Type()))
}

var constValueType = reflect.TypeFor[constant.Value]()

// untypedOf returns the untyped basic type of constant c.
func untypedOf(c constant.Value) types.Type {
	switch c.Kind() {
	case constant.Bool:
		return types.Typ[types.UntypedBool]
	case constant.String:
		return types.Typ[types.UntypedString]
	case constant.Int:
		return types.Typ[types.UntypedInt]
	case constant.Float:
		return types.Typ[types.UntypedFloat]
	case constant.Complex:
		return types.Typ[types.UntypedComplex]
	}
	return types.Typ[types.Invalid]
}

// constOf returns the constant value of a typed constant v, nil when v is
// not of a basic kind.
func constOf(v reflect.Value) constant.Value {
	switch v.Kind() {
	case reflect.Bool:
		return constant.MakeBool(v.Bool())
	case reflect.String:
		return constant.MakeString(v.String())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return constant.MakeInt64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return constant.MakeUint64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return constant.MakeFloat64(v.Float())
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return constant.BinaryOp(constant.MakeFloat64(real(c)), token.ADD, constant.MakeImag(constant.MakeFloat64(imag(c))))
	}
	return nil
}

var basicKinds = map[reflect.Kind]types.BasicKind{
	reflect.Bool: types.Bool, reflect.Int: types.Int, reflect.Int8: types.Int8, reflect.Int16: types.Int16,
	reflect.Int32: types.Int32, reflect.Int64: types.Int64, reflect.Uint: types.Uint, reflect.Uint8: types.Uint8,
	reflect.Uint16: types.Uint16, reflect.Uint32: types.Uint32, reflect.Uint64: types.Uint64,
	reflect.Uintptr: types.Uintptr, reflect.Float32: types.Float32, reflect.Float64: types.Float64,
	reflect.Complex64: types.Complex64, reflect.Complex128: types.Complex128, reflect.String: types.String,
	reflect.UnsafePointer: types.UnsafePointer,
}

// typeOf converts a reflect type; each reflect type maps to one go/types
// type, so that identity is kept. O(size of the type) once.
func (im *importer) typeOf(t reflect.Type) types.Type {
	if r, ok := im.types[t]; ok {
		return r
	}
	if t == im.errT {
		return types.Universe.Lookup("error").Type()
	}
	if t.Name() != "" && t.PkgPath() == "" {
		if k, ok := basicKinds[t.Kind()]; ok {
			return types.Typ[k]
		}
	}
	if t.Name() != "" {
		return im.named(t)
	}
	r := im.structure(t)
	im.types[t] = r
	return r
}

// named converts a named type of a package with its methods.
func (im *importer) named(t reflect.Type) types.Type {
	p := im.pkg(t.PkgPath())
	obj := types.NewTypeName(token.NoPos, p, t.Name(), nil)
	n := types.NewNamed(obj, nil, nil)
	im.types[t] = n
	if p.Scope().Lookup(obj.Name()) == nil {
		p.Scope().Insert(obj)
	}
	n.SetUnderlying(im.structure(t))
	if t.Kind() == reflect.Interface {
		return n
	}
	pt := reflect.PointerTo(t)
	for i := 0; i < pt.NumMethod(); i++ {
		m := pt.Method(i)
		var recv types.Type = types.NewPointer(n)
		if _, ok := t.MethodByName(m.Name); ok {
			recv = n
		}
		sig := im.signature(m.Type, 1, types.NewVar(token.NoPos, p, "", recv))
		n.AddMethod(types.NewFunc(token.NoPos, p, m.Name, sig))
	}
	return n
}

// structure converts the structure of t (its underlying type).
func (im *importer) structure(t reflect.Type) types.Type {
	switch t.Kind() {
	case reflect.Pointer:
		return types.NewPointer(im.typeOf(t.Elem()))
	case reflect.Slice:
		return types.NewSlice(im.typeOf(t.Elem()))
	case reflect.Array:
		return types.NewArray(im.typeOf(t.Elem()), int64(t.Len()))
	case reflect.Map:
		return types.NewMap(im.typeOf(t.Key()), im.typeOf(t.Elem()))
	case reflect.Chan:
		dir := types.SendRecv
		switch t.ChanDir() {
		case reflect.SendDir:
			dir = types.SendOnly
		case reflect.RecvDir:
			dir = types.RecvOnly
		}
		return types.NewChan(dir, im.typeOf(t.Elem()))
	case reflect.Func:
		return im.signature(t, 0, nil)
	case reflect.Struct:
		return im.structType(t)
	case reflect.Interface:
		var ms []*types.Func
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			ms = append(ms, types.NewFunc(token.NoPos, im.fieldPkg(m.PkgPath), m.Name, im.signature(m.Type, 0, nil)))
		}
		return types.NewInterfaceType(ms, nil).Complete()
	}
	if k, ok := basicKinds[t.Kind()]; ok {
		return types.Typ[k]
	}
	return types.Typ[types.Invalid]
}

// fieldPkg returns the package of an unexported field or method (nil for
// an exported one).
func (im *importer) fieldPkg(path string) *types.Package {
	if path == "" {
		return nil
	}
	return im.pkg(path)
}

func (im *importer) structType(t reflect.Type) *types.Struct {
	fields := make([]*types.Var, t.NumField())
	tags := make([]string, t.NumField())
	for i := range fields {
		f := t.Field(i)
		p := im.fieldPkg(f.PkgPath)
		if p == nil && t.PkgPath() != "" {
			p = im.pkg(t.PkgPath())
		}
		fields[i] = types.NewField(token.NoPos, p, f.Name, im.typeOf(f.Type), f.Anonymous)
		tags[i] = string(f.Tag)
	}
	return types.NewStruct(fields, tags)
}

// signature converts a function type, skipping its first skip inputs (the
// receiver of a method expression's type).
func (im *importer) signature(t reflect.Type, skip int, recv *types.Var) *types.Signature {
	var in, out []*types.Var
	for i := skip; i < t.NumIn(); i++ {
		pt := im.typeOf(t.In(i))
		in = append(in, types.NewParam(token.NoPos, nil, "", pt))
	}
	for i := 0; i < t.NumOut(); i++ {
		out = append(out, types.NewParam(token.NoPos, nil, "", im.typeOf(t.Out(i))))
	}
	return types.NewSignatureType(recv, nil, nil, types.NewTuple(in...), types.NewTuple(out...), t.IsVariadic())
}

// exported reports whether name starts with an upper-case letter.
func exported(name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	return unicode.IsUpper(r)
}
