package complete

import (
	"go/scanner"
	"go/token"
	"strconv"
)

// cellDecl is an identifier declared in cell text.
type cellDecl struct {
	Name, Kind string
	Pos        int // byte offset of the identifier
	// Type is what the declaration says of the variable's type, when it is
	// one of the simple forms typeOfCellVar understands.
	Type *typeRef
}

// typeRef is a syntactic reference to a package-level type or function:
// `pkg.Name` in `var v pkg.Name`, `v := pkg.Name{...}`, `v := &pkg.Name{}`
// or `v := pkg.Name(...)`; Pkg is "" for `Name` alone (a declaration of
// the session or the cell).
type typeRef struct {
	Pkg, Name string
	Call      bool // the variable is the first result of calling Pkg.Name
	Ptr       bool // a pointer to the type (`*pkg.T` or `&pkg.T{}`)
}

// cellText is what a lenient scan of cell text finds.
type cellText struct {
	Decls   []cellDecl
	Imports map[string]string // local name -> import path
}

type ctok struct {
	t   token.Token
	lit string
	pos int
}

func scanTokens(src string) []ctok {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(src))
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	var toks []ctok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			return toks
		}
		toks = append(toks, ctok{t, lit, file.Offset(pos)})
	}
}

// cellDeclarations returns the identifiers src declares (see scanCell).
func cellDeclarations(src string) []cellDecl { return scanCell(src).Decls }

// scanCell scans src leniently (it need not parse) and returns the
// identifiers it declares: names before `:=`, after `var`, `const`, `type`
// (also in parenthesized groups), function names and parameter names;
// and its import declarations. O(len(src)).
func scanCell(src string) cellText {
	toks := scanTokens(src)
	out := cellText{Imports: map[string]string{}}
	at := func(i int, t token.Token) bool { return i >= 0 && i < len(toks) && toks[i].t == t }
	add := func(i int, kind string, typ *typeRef) {
		if at(i, token.IDENT) && toks[i].lit != "_" {
			out.Decls = append(out.Decls, cellDecl{toks[i].lit, kind, toks[i].pos, typ})
		}
	}
	// typeAt reads `[*|&] IDENT . IDENT [( | {]` at i.
	typeAt := func(i int, expr bool) *typeRef {
		r := &typeRef{}
		if at(i, token.MUL) && !expr || at(i, token.AND) && expr {
			r.Ptr = true
			i++
		}
		if !at(i, token.IDENT) {
			return nil
		}
		next := i + 1
		if at(i+1, token.PERIOD) {
			if !at(i+2, token.IDENT) {
				return nil
			}
			r.Pkg, r.Name = toks[i].lit, toks[i+2].lit
			next = i + 3
		} else {
			r.Name = toks[i].lit // a type or function of the session
		}
		if !expr {
			return r
		}
		switch {
		case at(next, token.LBRACE):
		case at(next, token.LPAREN) && !r.Ptr:
			r.Call = true
		default:
			return nil
		}
		return r
	}
	// identList adds IDENT (, IDENT)* starting at i and returns the index
	// after it; a single name followed by a type gets that type.
	identList := func(i int, kind string) int {
		first := i
		for at(i, token.IDENT) {
			if at(i+1, token.COMMA) {
				add(i, kind, nil)
				i += 2
				continue
			}
			var typ *typeRef
			if i == first && kind == "var" {
				if typ = typeAt(i+1, false); typ == nil && at(i+1, token.ASSIGN) {
					typ = typeAt(i+2, true)
				}
			}
			add(i, kind, typ)
			return i + 1
		}
		return i
	}
	for i := 0; i < len(toks); i++ {
		switch toks[i].t {
		case token.DEFINE:
			j := i - 1
			var typ *typeRef
			if !at(j-1, token.COMMA) {
				typ = typeAt(i+1, true)
			}
			for at(j, token.IDENT) {
				add(j, "var", typ)
				if at(j-1, token.COMMA) {
					j -= 2
					continue
				}
				break
			}
		case token.IMPORT:
			j := i + 1
			one := func(j int) int {
				local := ""
				if at(j, token.IDENT) || at(j, token.PERIOD) {
					local = toks[j].lit
					if toks[j].t == token.PERIOD {
						local = "."
					}
					j++
				}
				if at(j, token.STRING) {
					if path, err := strconv.Unquote(toks[j].lit); err == nil {
						if local == "" {
							local = packageNameOf(path)
						}
						out.Imports[local] = path
					}
					j++
				}
				return j
			}
			if at(j, token.LPAREN) {
				for j++; j < len(toks) && !at(j, token.RPAREN); {
					if at(j, token.SEMICOLON) {
						j++
						continue
					}
					k := one(j)
					if k == j {
						k++
					}
					j = k
				}
				i = j
			} else {
				i = one(j) - 1
			}
		case token.VAR, token.CONST, token.TYPE:
			kind := map[token.Token]string{token.VAR: "var", token.CONST: "const", token.TYPE: "type"}[toks[i].t]
			if at(i+1, token.LPAREN) {
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
			if at(j, token.LPAREN) {
				// method receiver: skip to its ')'.
				for j < len(toks) && !at(j, token.RPAREN) {
					j++
				}
				j++
			}
			if at(j, token.IDENT) {
				if j == i+1 {
					add(j, "func", nil)
				}
				j++
			}
			// Parameters: identifiers directly inside the parameter list
			// that are followed by a type or a comma.
			if at(j, token.LPAREN) {
				depth := 0
				for k := j; k < len(toks); k++ {
					switch toks[k].t {
					case token.LPAREN:
						depth++
					case token.RPAREN:
						depth--
					case token.IDENT:
						if depth == 1 && (k == j+1 || at(k-1, token.COMMA)) && k+1 < len(toks) {
							switch toks[k+1].t {
							case token.IDENT, token.MUL, token.LBRACK, token.ELLIPSIS, token.FUNC,
								token.MAP, token.CHAN, token.STRUCT, token.INTERFACE, token.COMMA, token.ARROW:
								add(k, "var", typeAt(k+1, false))
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
