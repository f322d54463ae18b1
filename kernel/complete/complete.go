package complete

import (
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
		if ts, ok := sc.(TypeScope); ok && len(cands) == 0 {
			if ms, ok := ts.Members(code, exprStart(code, start-1), start-1); ok {
				for name, kind := range ms {
					cands.add(name, kind)
				}
			}
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
