package complete

import (
	"go/constant"
	"go/scanner"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
// imported package names. After `pkg.` it lists the exported members of the
// package (imported under any local name, or a well-known package not yet
// imported). After `v.` where v is a live variable (or `v.f.g` through
// exported fields) it lists the value's exported fields and methods found by
// reflection. Matching is by prefix, case-sensitive, with a case-insensitive
// fallback when nothing matches. Matches are sorted and unique; Types gives
// each one's kind ("keyword", "func", "var", "type", "const", "package",
// "field", "method").
//
// CursorStart..CursorEnd is the prefix being replaced. Cost: O(len(code))
// plus the size of the candidate sets.
func Complete(code string, cursor int, sc Scope) Completion {
	b := byteOffset(code, cursor)
	start := identStart(code, b)
	// An identifier cannot start with a digit: `1.5` or `x1` are fine, but
	// "12ab" is not a prefix to complete.
	prefix := code[start:b]
	if r, _ := utf8.DecodeRuneInString(prefix); prefix != "" && unicode.IsDigit(r) {
		return Completion{CursorStart: cursor, CursorEnd: cursor, Matches: []string{}, Types: []string{}}
	}
	res := Completion{CursorStart: runeOffset(code, start), CursorEnd: runeOffset(code, b)}
	cands := candidates{}
	if start > 0 && code[start-1] == '.' {
		chain, _ := selectorChain(code, start-1)
		if chain != nil {
			memberCandidates(chain, sc, cands)
		}
	} else if !inStringOrComment(code, start) {
		for _, k := range keywords {
			cands.add(k, "keyword")
		}
		for name, kind := range predeclared {
			cands.add(name, kind)
		}
		if sc != nil {
			for _, g := range sc.Globals() {
				if !strings.Contains(g.Name, ".") {
					cands.add(g.Name, kindOr(g.Kind, "var"))
				}
			}
			for local := range sc.Imports() {
				if local != "_" && local != "." {
					cands.add(local, "package")
				}
			}
		}
		for _, d := range cellDeclarations(code[:start]) {
			cands.add(d.Name, d.Kind)
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

// memberCandidates adds the members of the expression chain (a.b.c) to cands.
func memberCandidates(chain []string, sc Scope, cands candidates) {
	v, path, ok := resolveChain(chain, sc)
	if !ok {
		return
	}
	if path != "" {
		for name, kind := range packageMembers(path, sc) {
			cands.add(name, kind)
		}
		return
	}
	valueMembers(v, cands)
}

// resolveChain resolves a selector chain to either a package path (when the
// chain is a package name) or a reflect value (a live variable, a package
// variable, or a field reached from one).
func resolveChain(chain []string, sc Scope) (reflect.Value, string, bool) {
	var v reflect.Value
	rest := chain[1:]
	if sc != nil {
		if x, ok := sc.Value(chain[0]); ok {
			v = reflect.ValueOf(x)
		}
	}
	if !v.IsValid() {
		path := packagePath(chain[0], sc)
		if path == "" {
			return reflect.Value{}, "", false
		}
		if len(rest) == 0 {
			return reflect.Value{}, path, true
		}
		if sc == nil {
			return reflect.Value{}, "", false
		}
		m, ok := sc.Packages()[path][rest[0]]
		if !ok || kindOfSymbol(m) != "var" {
			return reflect.Value{}, "", false
		}
		v, rest = m, rest[1:]
	}
	for _, f := range rest {
		var ok bool
		if v, ok = field(v, f); !ok {
			return reflect.Value{}, "", false
		}
	}
	return v, "", true
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

// valueMembers adds the exported fields and methods of v to cands. For a
// non-pointer value the methods of *T are included too, since a variable
// is addressable.
func valueMembers(v reflect.Value, cands candidates) {
	if !v.IsValid() {
		return
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	t := v.Type()
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
// session imported under that local name, else a known package whose name
// is name (preferring the table of well-known packages, then the standard
// library, then the shortest path), else "".
func packagePath(name string, sc Scope) string {
	if sc != nil {
		if p, ok := sc.Imports()[name]; ok {
			return p
		}
	}
	var all map[string]map[string]reflect.Value
	if sc != nil {
		all = sc.Packages()
	}
	if p, ok := preferred[name]; ok {
		if _, in := all[p]; in || all == nil {
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
func packageMembers(path string, sc Scope) map[string]string {
	out := map[string]string{}
	var syms map[string]reflect.Value
	if sc != nil {
		syms = sc.Packages()[path]
	}
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

// cellDecl is an identifier declared in cell text.
type cellDecl struct {
	Name, Kind string
	Pos        int // byte offset of the identifier
}

// cellDeclarations scans src leniently (it need not parse) and returns the
// identifiers it declares: names before `:=`, after `var`, `const`, `type`
// (also in parenthesized groups), function names, and parameter names.
// O(len(src)).
func cellDeclarations(src string) []cellDecl {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	type tok struct {
		t   token.Token
		lit string
		pos int
	}
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{t, lit, file.Offset(pos)})
	}
	var out []cellDecl
	add := func(i int, kind string) {
		if i < len(toks) && toks[i].t == token.IDENT && toks[i].lit != "_" {
			out = append(out, cellDecl{toks[i].lit, kind, toks[i].pos})
		}
	}
	// identList adds IDENT (, IDENT)* starting at i and returns the index
	// after it.
	identList := func(i int, kind string) int {
		for i < len(toks) && toks[i].t == token.IDENT {
			add(i, kind)
			if i+1 < len(toks) && toks[i+1].t == token.COMMA {
				i += 2
				continue
			}
			return i + 1
		}
		return i
	}
	for i := 0; i < len(toks); i++ {
		switch toks[i].t {
		case token.DEFINE:
			j := i - 1
			for j >= 0 && toks[j].t == token.IDENT {
				add(j, "var")
				if j-1 >= 0 && toks[j-1].t == token.COMMA {
					j -= 2
					continue
				}
				break
			}
		case token.VAR, token.CONST, token.TYPE:
			kind := map[token.Token]string{token.VAR: "var", token.CONST: "const", token.TYPE: "type"}[toks[i].t]
			if i+1 < len(toks) && toks[i+1].t == token.LPAREN {
				depth := 0
				j := i + 1
				lineStart := true
				for ; j < len(toks); j++ {
					switch toks[j].t {
					case token.LPAREN, token.LBRACE, token.LBRACK:
						depth++
						lineStart = depth == 1
						continue
					case token.RPAREN, token.RBRACE, token.RBRACK:
						depth--
					case token.SEMICOLON:
						lineStart = depth == 1
						continue
					}
					if depth <= 0 {
						break
					}
					if lineStart && depth == 1 && toks[j].t == token.IDENT {
						j = identList(j, kind) - 1
					}
					lineStart = false
				}
				i = j
			} else {
				i = identList(i+1, kind) - 1
			}
		case token.FUNC:
			j := i + 1
			if j < len(toks) && toks[j].t == token.LPAREN {
				// method receiver: skip to its ')'; the receiver name is in
				// scope in the body.
				for j < len(toks) && toks[j].t != token.RPAREN {
					j++
				}
				j++
			}
			if j < len(toks) && toks[j].t == token.IDENT {
				if j == i+1 {
					add(j, "func")
				}
				j++
			}
			// parameters: identifiers directly inside the parameter list
			// that are followed by a type or a comma.
			if j < len(toks) && toks[j].t == token.LPAREN {
				depth := 0
				for k := j; k < len(toks); k++ {
					switch toks[k].t {
					case token.LPAREN:
						depth++
					case token.RPAREN:
						depth--
					case token.IDENT:
						if depth == 1 && k+1 < len(toks) && (k == j+1 || toks[k-1].t == token.COMMA) {
							switch toks[k+1].t {
							case token.IDENT, token.MUL, token.LBRACK, token.ELLIPSIS, token.FUNC,
								token.MAP, token.CHAN, token.STRUCT, token.INTERFACE, token.COMMA, token.ARROW:
								add(k, "var")
							}
						}
					}
					if depth == 0 {
						break
					}
				}
			}
		}
	}
	return out
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
