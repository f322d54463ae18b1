package complete

import (
	"go/scanner"
	"go/token"
	"reflect"
	"strings"

	"github.com/subspace-kernel/subspace/api"
)

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

func lineStartOf(code string, b int) int {
	return strings.LastIndexByte(code[:b], '\n') + 1
}

// funcSource returns the text of `func name(...) ... { ... }` declared in
// code (top level, not a method), or "".
func funcSource(code, name string) string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(code))
	s.Init(file, []byte(code), func(token.Position, string) {}, scanner.ScanComments)
	start, depth, prevFunc := -1, 0, -1
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			return ""
		}
		off := file.Offset(pos)
		switch {
		case start < 0 && t == token.FUNC:
			prevFunc = off
			continue
		case start < 0 && t == token.IDENT && prevFunc >= 0 && lit == name:
			start = prevFunc
		case start >= 0 && t == token.LBRACE:
			depth++
		case start >= 0 && t == token.RBRACE:
			depth--
			if depth == 0 {
				return code[start : off+1]
			}
		}
		prevFunc = -1
	}
}
