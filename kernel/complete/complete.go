package complete

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/scanner"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/subspace-kernel/subspace/api"
)

// catchPanics makes Complete and Inspect recover panics; the fuzz test
// turns it off to see them.
var catchPanics = true

// keywords are Go's 25 keywords.
var keywords = []string{
	"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface",
	"map", "package", "range", "return", "select", "struct", "switch", "type", "var",
}

// predeclared maps Go's predeclared identifiers to their kinds.
var predeclared = map[string]string{
	"any": "type", "bool": "type", "byte": "type", "comparable": "type",
	"complex64": "type", "complex128": "type", "error": "type",
	"float32": "type", "float64": "type", "int": "type", "int8": "type",
	"int16": "type", "int32": "type", "int64": "type", "rune": "type",
	"string": "type", "uint": "type", "uint8": "type", "uint16": "type",
	"uint32": "type", "uint64": "type", "uintptr": "type",
	"true": "const", "false": "const", "iota": "const", "nil": "var",
	"append": "func", "cap": "func", "clear": "func", "close": "func",
	"complex": "func", "copy": "func", "delete": "func", "imag": "func",
	"len": "func", "make": "func", "max": "func", "min": "func", "new": "func",
	"panic": "func", "print": "func", "println": "func", "real": "func",
	"recover": "func",
}

// preferred resolves package names that several well-known packages share
// when a cell uses the name without importing it.
var preferred = map[string]string{
	"rand":     "math/rand",
	"template": "text/template",
	"scanner":  "text/scanner",
	"parse":    "text/template/parse",
	"pprof":    "runtime/pprof",
	"mat":      "gonum.org/v1/gonum/mat",
	"stat":     "gonum.org/v1/gonum/stat",
	"floats":   "gonum.org/v1/gonum/floats",
	"blas64":   "gonum.org/v1/gonum/blas/blas64",
	"distuv":   "gonum.org/v1/gonum/stat/distuv",
	"optimize": "gonum.org/v1/gonum/optimize",
	"charts":   "github.com/go-echarts/go-echarts/v2/charts",
	"opts":     "github.com/go-echarts/go-echarts/v2/opts",
	"types":    "github.com/go-echarts/go-echarts/v2/types",
}

// candidates collects completion matches, keeping the first kind given for
// a name.
type candidates map[string]string

func (c candidates) add(name, kind string) {
	if _, ok := c[name]; !ok {
		c[name] = kind
	}
}

// Complete returns the completions of the identifier, `pkg.Prefix` or
// `v.Prefix` that ends at cursor (in Unicode code points) in code.
//
// Plain identifiers match Go keywords, predeclared identifiers, the
// session's globals, identifiers declared earlier in the cell text and
// package names imported by the session or by the cell. After `pkg.` it
// lists the exported members of the package (imported under any local
// name, or a well-known package not yet imported). After `v.` it lists the
// exported fields and methods of v found by reflection, where v is a live
// variable (also `v.f.g` through exported fields, and methods the session
// lists as "Type.Method" globals for v's declared type), a package variable
// (`os.Stdout.`), or a variable declared earlier in the cell as
// `v := pkg.F(...)`, `v := pkg.T{...}`, `v := &pkg.T{...}` or
// `var v [*]pkg.T`. At a key position of a composite literal
// (`opts.Title{Ti`, `&pkg.T{A: 1, B`, `T{X`) it adds the struct's exported
// fields (kind "field") to the identifiers. Matching is by prefix, case-sensitive, with a
// case-insensitive fallback when nothing matches. Matches are sorted and
// unique; Types gives each one's kind ("keyword", "func", "var", "type",
// "const", "package", "field", "method").
//
// Inside the string of an import declaration it completes import paths
// (the session's packages and those of the doc index).
//
// CursorStart..CursorEnd is the prefix being replaced. A panic raised by
// the Scope is recovered and answered with no matches. Cost: O(len(code))
// plus the size of the candidate sets; the first call also decodes the
// embedded doc index (40-80 ms here, BenchmarkDecodeIndex; see Preload).
func Complete(code string, cursor int, sc Scope) (res api.Completion) {
	defer func() {
		// A Scope or a reflected value misbehaving must not take the
		// kernel down: answer with no matches.
		if !catchPanics {
			return
		}
		if p := recover(); p != nil {
			res = api.Completion{CursorStart: cursor, CursorEnd: cursor, Matches: []string{}, Types: []string{}}
		}
	}()
	b := byteOffset(code, cursor)
	start := identStart(code, b)
	prefix := code[start:b]
	res = api.Completion{CursorStart: runeOffset(code, start), CursorEnd: runeOffset(code, b), Matches: []string{}, Types: []string{}}
	// An identifier cannot start with a digit ("12ab").
	if r, _ := utf8.DecodeRuneInString(prefix); prefix != "" && unicode.IsDigit(r) {
		return res
	}
	if inStringOrComment(code, start) {
		if q, ok := importPathAt(code, b); ok {
			return importCompletion(code, q, b, sc)
		}
		return res
	}
	r := newRequest(code[:start], sc)
	cands := candidates{}
	if start > 0 && code[start-1] == '.' {
		if chain, _ := selectorChain(code, start-1); chain != nil {
			r.members(chain, cands)
		}
	} else {
		r.literalFields(code, start, cands)
		for _, k := range keywords {
			cands.add(k, "keyword")
		}
		for name, kind := range predeclared {
			cands.add(name, kind)
		}
		for _, d := range r.cell.Decls {
			cands.add(d.Name, d.Kind)
		}
		for _, g := range r.globals {
			if !strings.Contains(g.Name, ".") {
				cands.add(g.Name, kindOr(g.Kind, "var"))
			}
		}
		for local := range r.imports {
			if local != "_" && local != "." {
				cands.add(local, "package")
			}
		}
	}
	res.Matches, res.Types = filter(cands, prefix)
	return res
}

func kindOr(k, def string) string {
	if k == "" {
		return def
	}
	return k
}

// filter returns the sorted names of cands that start with prefix (falling
// back to a case-insensitive match when none does) and their kinds.
func filter(cands candidates, prefix string) ([]string, []string) {
	names := []string{}
	for name := range cands {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	if len(names) == 0 && prefix != "" {
		lp := strings.ToLower(prefix)
		for name := range cands {
			if strings.HasPrefix(strings.ToLower(name), lp) {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	kinds := make([]string, len(names))
	for i, n := range names {
		kinds[i] = cands[n]
	}
	return names, kinds
}

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

// userType returns the name of the session type (a "type" global) that the
// variable name has, found from its declaration in the cell text, its
// global Signature ("var p T" or "var p *T"), or its source (`p := T{...}`,
// `p := &T{}`, `p := NewT(...)` with NewT a session function returning T or
// *T); "" when unknown. yaegi's own types are invisible to reflection
// (unnamed, no methods), so their members come from the declarations.
func (r *request) userType(name string) string {
	if d, ok := r.cellDecl(name); ok {
		if d.Type != nil && d.Type.Pkg == "" {
			return r.userTypeOfRef(d.Type)
		}
		return ""
	}
	g, ok := r.global(name)
	if !ok || g.Kind != "var" {
		return ""
	}
	if t := declaredType(g.Signature, name); r.isUserType(t) {
		return t
	}
	if ss, ok := r.sc.(SourceScope); ok {
		if src, ok := ss.Source(name); ok {
			for _, d := range scanCell(src).Decls {
				if d.Name == name && d.Type != nil && d.Type.Pkg == "" {
					return r.userTypeOfRef(d.Type)
				}
			}
		}
	}
	return ""
}

func (r *request) isUserType(name string) bool {
	g, ok := r.global(name)
	return ok && g.Kind == "type"
}

func (r *request) userTypeOfRef(ref *typeRef) string {
	if !ref.Call {
		if r.isUserType(ref.Name) {
			return ref.Name
		}
		return ""
	}
	if g, ok := r.global(ref.Name); ok && g.Kind == "func" {
		if t := resultTypeName(g.Signature); r.isUserType(t) {
			return t
		}
	}
	return ""
}

// parseDecl parses one declaration (a signature without body is valid Go).
func parseDecl(src string) ast.Decl {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return nil
	}
	return f.Decls[0]
}

// baseTypeName returns T for the type expressions T and *T.
func baseTypeName(e ast.Expr) string {
	if st, ok := e.(*ast.StarExpr); ok {
		e = st.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// resultTypeName returns T when the function signature sig has the single
// (or first) result T or *T.
func resultTypeName(sig string) string {
	fd, ok := parseDecl(sig).(*ast.FuncDecl)
	if !ok || fd.Type.Results == nil || len(fd.Type.Results.List) == 0 {
		return ""
	}
	return baseTypeName(fd.Type.Results.List[0].Type)
}

// docMembers adds the members of a variable declared in the cell as
// `v := pkg.F(...)`, `v := pkg.T{}` or `var v pkg.T` when the session has
// no symbol table for pkg: the exported fields (or interface methods)
// parsed from the type's declaration in the doc index and the methods the
// index lists for the type.
func (r *request) docMembers(name string, cands candidates) {
	path, typ, ok := r.docTypeOf(name)
	if !ok {
		return
	}
	e, _ := LookupDoc(path, typ)
	for _, f := range structFields(e.Signature, true) {
		cands.add(f, "field")
	}
	for _, m := range interfaceMethods(e.Signature) {
		cands.add(m, "method")
	}
	for m, kind := range indexedMethods(path, typ) {
		cands.add(m, kind)
	}
}

// docTypeOf returns the package and name of the type of a variable
// declared in the cell (`v := pkg.F(...)`, `v := pkg.T{}`, `var v pkg.T`)
// according to the doc index.
func (r *request) docTypeOf(name string) (path, typ string, ok bool) {
	d, ok := r.cellDecl(name)
	if !ok || d.Type == nil || d.Type.Pkg == "" {
		return "", "", false
	}
	path = r.packagePath(d.Type.Pkg)
	typ = d.Type.Name
	if d.Type.Call {
		e, ok := LookupDoc(path, typ)
		if !ok || e.Kind != "func" {
			return "", "", false
		}
		typ = resultTypeName(e.Signature)
	}
	if e, ok := LookupDoc(path, typ); !ok || e.Kind != "type" {
		return "", "", false
	}
	return path, typ, true
}

// declaredTypeExpr returns the type expression of the one type declared by
// sig ("type T ..."), or nil.
func declaredTypeExpr(sig string) ast.Expr {
	gd, ok := parseDecl(sig).(*ast.GenDecl)
	if !ok || len(gd.Specs) != 1 {
		return nil
	}
	ts, ok := gd.Specs[0].(*ast.TypeSpec)
	if !ok {
		return nil
	}
	return ts.Type
}

// interfaceMethods returns the exported method names of the interface
// type declared by sig ("type T interface { ... }").
func interfaceMethods(sig string) []string {
	it, ok := declaredTypeExpr(sig).(*ast.InterfaceType)
	if !ok {
		return nil
	}
	var out []string
	for _, m := range it.Methods.List {
		for _, n := range m.Names {
			if n.IsExported() {
				out = append(out, n.Name)
			}
		}
	}
	return out
}

// structFields returns the field names of the struct type declared by sig
// ("type T struct { ... }"), only the exported ones when exported is set.
// An embedded field is named after its type.
func structFields(sig string, exported bool) []string {
	st, ok := declaredTypeExpr(sig).(*ast.StructType)
	if !ok {
		return nil
	}
	var out []string
	add := func(n string) {
		if n != "" && (!exported || token.IsExported(n)) {
			out = append(out, n)
		}
	}
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 {
			if se, ok := f.Type.(*ast.StarExpr); ok {
				f.Type = se.X
			}
			switch x := f.Type.(type) {
			case *ast.Ident:
				add(x.Name)
			case *ast.SelectorExpr:
				add(x.Sel.Name)
			}
		}
		for _, n := range f.Names {
			add(n.Name)
		}
	}
	return out
}

// userTypeMembers adds the fields of the session type typ (parsed from its
// "type" global's Signature) and its methods (the "typ.M" globals).
func (r *request) userTypeMembers(typ string, cands candidates) {
	if g, ok := r.global(typ); ok {
		for _, f := range structFields(g.Signature, false) {
			cands.add(f, "field")
		}
	}
	for _, m := range r.globals {
		if recv, meth, ok := strings.Cut(m.Name, "."); ok && recv == typ {
			cands.add(meth, "method")
		}
	}
}

// declaredType returns T from "var name T" or "var name *T", or "".
func declaredType(sig, name string) string {
	rest, ok := strings.CutPrefix(sig, "var "+name+" ")
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(strings.TrimSpace(rest), "*")
	if i := strings.IndexAny(rest, " =["); i >= 0 {
		rest = rest[:i]
	}
	if !isIdent(rest) {
		return ""
	}
	return rest
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

// packagePath returns the import path that name refers to: a package the
// session or the cell imported under that local name, else a known package
// whose name is name (preferring the table of well-known packages, then the
// standard library, then the shortest path), else "".
func (r *request) packagePath(name string) string {
	if p, ok := r.imports[name]; ok {
		return p
	}
	return knownPackage(name, r.packages())
}

// knownPackage finds a package named name among all (or, when all lacks
// it, the doc index).
func knownPackage(name string, all map[string]map[string]reflect.Value) string {
	if p, ok := preferred[name]; ok {
		if _, in := all[p]; in {
			return p
		}
		if _, in := lookupPackage(p); in {
			return p
		}
	}
	var matches []string
	for p := range all {
		if packageNameOf(p) == name {
			matches = append(matches, p)
		}
	}
	if len(matches) == 0 {
		matches = indexedPaths(name)
	}
	if len(matches) == 0 {
		return ""
	}
	sort.Slice(matches, func(i, j int) bool {
		si, sj := isStd(matches[i]), isStd(matches[j])
		if si != sj {
			return si
		}
		if len(matches[i]) != len(matches[j]) {
			return len(matches[i]) < len(matches[j])
		}
		return matches[i] < matches[j]
	})
	return matches[0]
}

// isStd reports whether path looks like a standard-library path (no dot in
// its first element).
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// packageMembers returns the exported names of the package at path with
// their kinds: from the session's symbol table when it has the package,
// else from the documentation index.
func packageMembers(path string, all map[string]map[string]reflect.Value) map[string]string {
	out := map[string]string{}
	syms := all[path]
	idx := indexedMembers(path)
	for name, v := range syms {
		if !token.IsExported(name) {
			continue // yaegi's interface wrappers are "_Name"
		}
		if k, ok := idx[name]; ok {
			out[name] = k
		} else {
			out[name] = kindOfSymbol(v)
		}
	}
	if len(syms) == 0 {
		for name, k := range idx {
			out[name] = k
		}
	}
	return out
}

var constantValue = reflect.TypeOf((*constant.Value)(nil)).Elem()

// kindOfSymbol guesses the kind of a symbol-table value the way yaegi's
// extract tool writes it: types as nil pointers, variables addressable,
// constants as go/constant values or plain values.
func kindOfSymbol(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return "var"
	case v.CanAddr():
		return "var"
	case v.Kind() == reflect.Func:
		return "func"
	case v.Kind() == reflect.Pointer && v.IsNil():
		return "type"
	case v.Type().Implements(constantValue):
		return "const"
	}
	return "const"
}

// inStringOrComment reports whether byte offset b of code is inside a string
// literal, rune literal or comment.
func inStringOrComment(code string, b int) bool {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(code))
	s.Init(file, []byte(code), func(token.Position, string) {}, scanner.ScanComments)
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			return false
		}
		off := file.Offset(pos)
		if off >= b {
			return false
		}
		end := off + len(lit)
		switch t {
		case token.STRING, token.CHAR:
			closed := len(lit) >= 2 && lit[len(lit)-1] == lit[0]
			if b < end || (!closed && b == end) {
				return true
			}
		case token.COMMENT:
			if b < end || (strings.HasPrefix(lit, "//") && b == end) {
				return true
			}
		}
	}
}

// importPathAt reports whether byte offset b is inside the (unterminated up
// to b) string literal of an import declaration, and where its opening
// quote is.
func importPathAt(code string, b int) (int, bool) {
	q := strings.LastIndexAny(code[:b], "\"`")
	if q < 0 || strings.ContainsAny(code[q+1:b], "\n\"`") {
		return 0, false
	}
	toks := scanTokens(code[:q])
	n := len(toks)
	if n > 0 && toks[n-1].t == token.SEMICOLON && toks[n-1].lit == "\n" {
		n-- // inserted by the scanner at the end of the text
	}
	at := func(i int, t token.Token) bool { return i >= 0 && i < n && toks[i].t == t }
	switch {
	case at(n-1, token.IMPORT), at(n-1, token.IDENT) && at(n-2, token.IMPORT), at(n-1, token.PERIOD) && at(n-2, token.IMPORT):
		return q, true
	}
	// Inside `import ( ... )`: an IMPORT LPAREN with no RPAREN after it.
	for i := n - 1; i >= 0; i-- {
		switch toks[i].t {
		case token.STRING, token.SEMICOLON, token.IDENT, token.PERIOD:
			continue
		case token.LPAREN:
			return q, at(i-1, token.IMPORT)
		}
		return 0, false
	}
	return 0, false
}

// importCompletion completes the import path between the quote at q and b
// with the paths of the session's packages and of the doc index.
func importCompletion(code string, q, b int, sc Scope) api.Completion {
	prefix := code[q+1 : b]
	cands := candidates{}
	if sc != nil {
		for p := range sc.Packages() {
			cands.add(p, "package")
		}
	}
	for _, p := range IndexedPackages() {
		if p != "builtin" {
			cands.add(p, "package")
		}
	}
	res := api.Completion{CursorStart: runeOffset(code, q+1), CursorEnd: runeOffset(code, b)}
	res.Matches, res.Types = filter(cands, prefix)
	return res
}

// literalFields adds the fields of the struct type of the composite literal
// whose key position is at byte offset start (`T{`, `T{A: 1, ` then the
// prefix): a package type, or a session type whose fields are parsed from
// its declaration.
func (r *request) literalFields(code string, start int, cands candidates) {
	// Only spaces between the prefix and the preceding '{' or ','.
	i := start
	for i > 0 && strings.ContainsRune(" \t\r\n", rune(code[i-1])) {
		i--
	}
	if i == 0 || (code[i-1] != '{' && code[i-1] != ',') {
		return
	}
	brace := -1
	depth := 0
	for j := i - 1; j >= 0 && brace < 0; j-- {
		switch code[j] {
		case ')', ']', '}':
			depth++
		case '(', '[':
			if depth == 0 {
				return // in a call or index, not a literal
			}
			depth--
		case '{':
			if depth == 0 {
				brace = j
			} else {
				depth--
			}
		}
	}
	if brace <= 0 {
		return
	}
	chain, _ := selectorChain(code, brace)
	switch len(chain) {
	case 1:
		if r.isUserType(chain[0]) {
			fields := candidates{}
			r.userTypeMembers(chain[0], fields)
			for name, kind := range fields {
				if kind == "field" {
					cands.add(name, kind)
				}
			}
		}
	case 2:
		path := r.packagePath(chain[0])
		sym, ok := r.packages()[path][chain[1]]
		if !ok {
			// Not in the session's symbol tables: the declaration in the
			// doc index.
			if e, ok := LookupDoc(path, chain[1]); ok && e.Kind == "type" {
				for _, f := range structFields(e.Signature, true) {
					cands.add(f, "field")
				}
			}
			return
		}
		if kindOfSymbol(sym) != "type" {
			return
		}
		t := sym.Type().Elem()
		if t.Kind() != reflect.Struct {
			return
		}
		for _, f := range reflect.VisibleFields(t) {
			if f.IsExported() && len(f.Index) == 1 {
				cands.add(f.Name, "field")
			}
		}
	}
}
