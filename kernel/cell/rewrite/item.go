package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// Kind classifies a top-level piece of a cell.
type Kind int

const (
	Stmt   Kind = iota // statement, evaluated in yaegi's global scope
	Import             // import declaration
	Decl               // func, method, type, var or const declaration
)

// String names the kind ("stmt", "import", "decl").
func (k Kind) String() string {
	switch k {
	case Import:
		return "import"
	case Decl:
		return "decl"
	}
	return "stmt"
}

// Item is one top-level declaration or statement of a cell, with its byte
// span in the cell source and its parsed form. Kind may change from Decl
// to Stmt when a rewrite turns a declaration into statements (New).
type Item struct {
	Kind       Kind
	Start, End int // byte offsets in the cell source [Start, End)
	Decl       ast.Decl
	Stmt       ast.Stmt
	// fset and base locate the positions of Decl/Stmt: the parsed source
	// puts the cell's byte 0 at offset base of the file.
	fset *token.FileSet
	base int
}

// Off converts a position of the item's syntax tree to a byte offset in
// the cell. O(log lines).
func (it *Item) Off(p token.Pos) int {
	return it.fset.File(p).Offset(p) - it.base
}

// Node returns the item's declaration or statement.
func (it *Item) Node() ast.Node {
	if it.Decl != nil {
		return it.Decl
	}
	return it.Stmt
}

// Split cuts src at top-level semicolons (explicit or inserted at line
// ends) outside brackets, and parses each piece as a declaration or a
// statement. Comments directly above a declaration stay with it (doc
// comments). Syntax errors are returned as a scanner.ErrorList whose
// positions are cell lines and columns (filename name). O(len(src)).
func Split(src, name string) ([]*Item, error) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile(name, -1, len(src))
	var errs scanner.ErrorList
	s.Init(file, []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)
	sp := splitter{file: file, start: -1, end: -1, commentStart: -1, commentEndLine: -1}
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.COMMENT {
			sp.comment(pos, lit)
		} else {
			sp.token(pos, tok, lit)
		}
	}
	if sp.start >= 0 {
		sp.spans = append(sp.spans, span{sp.start, sp.end})
	}
	if len(errs) == 0 && len(sp.open) > 0 {
		p := sp.open[len(sp.open)-1]
		errs.Add(file.Position(p), fmt.Sprintf("%q is not closed before the end of the cell", src[file.Offset(p)]))
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	var items []*Item
	for _, x := range sp.spans {
		it, err := parseItem(src, name, x.start, x.end)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}

// span is the byte span [start, end) of an item in the cell.
type span struct{ start, end int }

// splitter follows the tokens of a cell and cuts them into item spans.
type splitter struct {
	file     *token.File
	spans    []span
	depth    int
	open     []token.Pos // positions of the unclosed brackets
	inHeader bool        // in the header of a top-level for, if or switch
	// start and end of the item being read (-1 before its first token)
	start, end int
	// the run of comments just before it, which it takes (doc comments)
	commentStart, commentEndLine int
}

// comment notes a comment token: outside items, a run of adjacent comment
// lines.
func (sp *splitter) comment(pos token.Pos, lit string) {
	if sp.start >= 0 {
		return
	}
	if line := sp.file.Line(pos); sp.commentStart < 0 || line > sp.commentEndLine+1 {
		sp.commentStart = sp.file.Offset(pos)
	}
	sp.commentEndLine = sp.file.Line(pos + token.Pos(len(lit)))
	if strings.HasSuffix(lit, "\n") {
		sp.commentEndLine--
	}
}

// token notes any other token: a top-level semicolon ends the item.
func (sp *splitter) token(pos token.Pos, tok token.Token, lit string) {
	off := sp.file.Offset(pos)
	// Semicolons in the header of a top-level for, if or switch
	// (`for i := 0; i < n; i++ {`) do not end the statement.
	if sp.depth == 0 && (tok == token.FOR || tok == token.IF || tok == token.SWITCH) {
		sp.inHeader = true
	}
	if sp.depth == 0 && tok == token.LBRACE {
		sp.inHeader = false
	}
	if tok == token.SEMICOLON {
		if sp.depth == 0 && !sp.inHeader {
			if sp.start >= 0 {
				sp.spans = append(sp.spans, span{sp.start, sp.end})
			}
			sp.start, sp.end, sp.commentStart = -1, -1, -1
		}
		return // else inside brackets or a header: part of the item's span
	}
	if sp.start < 0 {
		sp.start = off
		if sp.commentStart >= 0 && sp.commentEndLine+1 >= sp.file.Line(pos) {
			sp.start = sp.commentStart
		}
		sp.commentStart = -1
	}
	switch tok {
	case token.LPAREN, token.LBRACE, token.LBRACK:
		sp.depth++
		sp.open = append(sp.open, pos)
	case token.RPAREN, token.RBRACE, token.RBRACK:
		if sp.depth > 0 {
			sp.depth--
			sp.open = sp.open[:len(sp.open)-1]
		}
	}
	if lit != "" {
		sp.end = off + len(lit)
	} else {
		sp.end = off + len(tok.String())
	}
}

// LineDirective returns a //line comment (on its own line) that makes the
// next line start at the cell position of byte offset off. O(off).
func LineDirective(src, name string, off int) string {
	line, col := LineCol(src, off)
	return fmt.Sprintf("\n//line %s:%d:%d\n", name, line, col)
}

// InlineDirective returns a /*line*/ comment giving the next character the
// cell position of byte offset off. O(off).
func InlineDirective(src, name string, off int) string {
	line, col := LineCol(src, off)
	return fmt.Sprintf("/*line %s:%d:%d*/", name, line, col)
}

// LineCol returns the 1-based line and byte column of offset off in src.
// O(off).
func LineCol(src string, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line = 1 + strings.Count(src[:off], "\n")
	col = off - (strings.LastIndexByte(src[:off], '\n') + 1) + 1
	return line, col
}

// parseItem parses src[start:end] as a declaration when it starts with a
// declaration keyword (a func keyword that does not parse as a declaration is
// a func literal statement), else as a statement.
func parseItem(src, name string, start, end int) (*Item, error) {
	text := src[start:end]
	first := firstToken(text)
	mode := parser.ParseComments | parser.SkipObjectResolution
	if first == token.IMPORT || first == token.TYPE || first == token.VAR || first == token.CONST || first == token.FUNC {
		prefix := "package p;" + LineDirective(src, name, start)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", prefix+text, mode)
		if err == nil && len(f.Decls) == 1 {
			it := &Item{Kind: Decl, Start: start, End: end, Decl: f.Decls[0], fset: fset, base: len(prefix) - start}
			if first == token.IMPORT {
				it.Kind = Import
			}
			return it, nil
		}
		if first != token.FUNC {
			return nil, firstError(err)
		}
	}
	prefix := "package p; func _() {" + LineDirective(src, name, start)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+text+"\n}", mode)
	if err != nil {
		return nil, firstError(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	if len(body) != 1 {
		return nil, fmt.Errorf("internal: %d statements in one cell item", len(body))
	}
	return &Item{Kind: Stmt, Start: start, End: end, Stmt: body[0], fset: fset, base: len(prefix) - start}, nil
}

// firstToken returns the first non-comment token of src.
func firstToken(src string) token.Token {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), []byte(src), nil, 0)
	_, tok, _ := s.Scan()
	return tok
}

// firstError keeps the first of a parser's errors: the later ones are
// mostly consequences of the first (or of the wrapping the cell gets).
func firstError(err error) error {
	if l, ok := err.(scanner.ErrorList); ok && len(l) > 1 {
		return l[:1]
	}
	return err
}

// BlankPackageClause replaces a leading `package name` clause (a whole
// program pasted into a cell) by spaces, keeping every position. O(1).
func BlankPackageClause(src string) string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	s.Init(file, []byte(src), nil, 0)
	pos, tok, _ := s.Scan()
	if tok != token.PACKAGE {
		return src
	}
	start := file.Offset(pos)
	npos, ntok, lit := s.Scan()
	end := start + len("package")
	if ntok == token.IDENT {
		end = file.Offset(npos) + len(lit)
	}
	return src[:start] + strings.Repeat(" ", end-start) + src[end:]
}
