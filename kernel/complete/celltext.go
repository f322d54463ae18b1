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
	c := &cellScan{toks: scanTokens(src), out: cellText{Imports: map[string]string{}}}
	for i := 0; i < len(c.toks); i++ {
		switch c.toks[i].t {
		case token.DEFINE:
			c.define(i)
		case token.IMPORT:
			i = c.importDecl(i)
		case token.VAR, token.CONST, token.TYPE:
			i = c.genDecl(i)
		case token.FUNC:
			c.funcDecl(i)
		}
	}
	return c.out
}

// cellScan is the state of scanCell: the tokens and what was found.
type cellScan struct {
	toks []ctok
	out  cellText
}

// at reports whether token i exists and is t.
func (c *cellScan) at(i int, t token.Token) bool {
	return i >= 0 && i < len(c.toks) && c.toks[i].t == t
}

// add notes the identifier at i (not _) as declared.
func (c *cellScan) add(i int, kind string, typ *typeRef) {
	if c.at(i, token.IDENT) && c.toks[i].lit != "_" {
		c.out.Decls = append(c.out.Decls, cellDecl{c.toks[i].lit, kind, c.toks[i].pos, typ})
	}
}

// typeAt reads `[*|&] IDENT . IDENT [( | {]` at i: a type (expr false) or
// an expression of a type (a composite literal, a call).
func (c *cellScan) typeAt(i int, expr bool) *typeRef {
	r := &typeRef{}
	if c.at(i, token.MUL) && !expr || c.at(i, token.AND) && expr {
		r.Ptr = true
		i++
	}
	if !c.at(i, token.IDENT) {
		return nil
	}
	next := i + 1
	if c.at(i+1, token.PERIOD) {
		if !c.at(i+2, token.IDENT) {
			return nil
		}
		r.Pkg, r.Name = c.toks[i].lit, c.toks[i+2].lit
		next = i + 3
	} else {
		r.Name = c.toks[i].lit // a type or function of the session
	}
	if !expr {
		return r
	}
	switch {
	case c.at(next, token.LBRACE):
	case c.at(next, token.LPAREN) && !r.Ptr:
		r.Call = true
	default:
		return nil
	}
	return r
}

// identList adds IDENT (, IDENT)* starting at i and returns the index
// after it; a single name followed by a type gets that type.
func (c *cellScan) identList(i int, kind string) int {
	first := i
	for c.at(i, token.IDENT) {
		if c.at(i+1, token.COMMA) {
			c.add(i, kind, nil)
			i += 2
			continue
		}
		var typ *typeRef
		if i == first && kind == "var" {
			if typ = c.typeAt(i+1, false); typ == nil && c.at(i+1, token.ASSIGN) {
				typ = c.typeAt(i+2, true)
			}
		}
		c.add(i, kind, typ)
		return i + 1
	}
	return i
}

// define notes the names before the := at i.
func (c *cellScan) define(i int) {
	j := i - 1
	var typ *typeRef
	if !c.at(j-1, token.COMMA) {
		typ = c.typeAt(i+1, true)
	}
	for c.at(j, token.IDENT) {
		c.add(j, "var", typ)
		if !c.at(j-1, token.COMMA) {
			return
		}
		j -= 2
	}
}

// importDecl notes the imports of the declaration at i and returns the
// index of its last token.
func (c *cellScan) importDecl(i int) int {
	j := i + 1
	if !c.at(j, token.LPAREN) {
		return c.importSpec(j) - 1
	}
	for j++; j < len(c.toks) && !c.at(j, token.RPAREN); {
		if c.at(j, token.SEMICOLON) {
			j++
			continue
		}
		k := c.importSpec(j)
		if k == j {
			k++
		}
		j = k
	}
	return j
}

// importSpec notes the import spec at j and returns the index after it.
func (c *cellScan) importSpec(j int) int {
	local := ""
	if c.at(j, token.IDENT) || c.at(j, token.PERIOD) {
		local = c.toks[j].lit
		if c.toks[j].t == token.PERIOD {
			local = "."
		}
		j++
	}
	if c.at(j, token.STRING) {
		if path, err := strconv.Unquote(c.toks[j].lit); err == nil {
			if local == "" {
				local = packageNameOf(path)
			}
			c.out.Imports[local] = path
		}
		j++
	}
	return j
}

// genDecl notes the names of the var, const or type declaration at i
// (parenthesized groups too) and returns the index of its last token.
func (c *cellScan) genDecl(i int) int {
	kind := map[token.Token]string{token.VAR: "var", token.CONST: "const", token.TYPE: "type"}[c.toks[i].t]
	if !c.at(i+1, token.LPAREN) {
		return c.identList(i+1, kind) - 1
	}
	depth := 0
	j := i + 1
	lineStart := true
	for ; j < len(c.toks); j++ {
		switch c.toks[j].t {
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
		if lineStart && depth == 1 && c.toks[j].t == token.IDENT {
			j = c.identList(j, kind) - 1
		}
		lineStart = false
	}
	return j
}

// funcDecl notes the name of the function declared at i (not of a method)
// and its parameters: identifiers directly inside the parameter list that
// are followed by a type or a comma.
func (c *cellScan) funcDecl(i int) {
	j := i + 1
	if c.at(j, token.LPAREN) {
		// method receiver: skip to its ')'.
		for j < len(c.toks) && !c.at(j, token.RPAREN) {
			j++
		}
		j++
	}
	if c.at(j, token.IDENT) {
		if j == i+1 {
			c.add(j, "func", nil)
		}
		j++
	}
	if !c.at(j, token.LPAREN) {
		return
	}
	depth := 0
	for k := j; k < len(c.toks); k++ {
		switch c.toks[k].t {
		case token.LPAREN:
			depth++
		case token.RPAREN:
			depth--
		case token.IDENT:
			if depth == 1 && (k == j+1 || c.at(k-1, token.COMMA)) && k+1 < len(c.toks) {
				switch c.toks[k+1].t {
				case token.IDENT, token.MUL, token.LBRACK, token.ELLIPSIS, token.FUNC,
					token.MAP, token.CHAN, token.STRUCT, token.INTERFACE, token.COMMA, token.ARROW:
					c.add(k, "var", c.typeAt(k+1, false))
				}
			}
		}
		if depth == 0 {
			return
		}
	}
}
