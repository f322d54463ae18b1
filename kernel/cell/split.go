package cell

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// itemKind classifies a top-level piece of a cell.
type itemKind int

const (
	itemStmt   itemKind = iota // statement, evaluated in yaegi's global scope
	itemImport                 // import declaration
	itemDecl                   // func, method, type, var or const declaration
)

// item is one top-level declaration or statement of a cell, with its byte
// span in the cell source and its parsed form.
type item struct {
	kind       itemKind
	start, end int // byte offsets in the cell source [start, end)
	decl       ast.Decl
	stmt       ast.Stmt
	// fset and base locate the positions of decl/stmt: the parsed source
	// puts the cell's byte 0 at offset base of the file.
	fset *token.FileSet
	base int
}

// off converts a position of the item's AST to a byte offset in the cell.
func (it *item) off(p token.Pos) int {
	return it.fset.File(p).Offset(p) - it.base
}

// splitItems cuts src at top-level semicolons (explicit or inserted at line
// ends) outside brackets, and parses each piece as a declaration or a
// statement. Comments directly above a declaration stay with it (doc
// comments). Syntax errors are returned as a scanner.ErrorList whose
// positions are cell lines and columns (filename name).
func splitItems(src, name string) ([]*item, error) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile(name, -1, len(src))
	var errs scanner.ErrorList
	s.Init(file, []byte(src), func(pos token.Position, msg string) { errs.Add(pos, msg) }, scanner.ScanComments)

	type span struct{ start, end int }
	var spans []span
	depth := 0
	var open []token.Pos // positions of the unclosed brackets
	inHeader := false
	start, end := -1, -1
	commentStart, commentEndLine := -1, -1
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(pos)
		if tok == token.COMMENT {
			if start < 0 {
				line := file.Line(pos)
				if commentStart < 0 || line > commentEndLine+1 {
					commentStart = off
				}
				commentEndLine = file.Line(pos + token.Pos(len(lit)))
				if strings.HasSuffix(lit, "\n") {
					commentEndLine--
				}
			}
			continue
		}
		// Semicolons in the header of a top-level for, if or switch
		// (`for i := 0; i < n; i++ {`) do not end the statement.
		if depth == 0 && (tok == token.FOR || tok == token.IF || tok == token.SWITCH) {
			inHeader = true
		}
		if depth == 0 && tok == token.LBRACE {
			inHeader = false
		}
		if tok == token.SEMICOLON && depth == 0 && !inHeader {
			if start >= 0 {
				spans = append(spans, span{start, end})
			}
			start, end = -1, -1
			commentStart = -1
			continue
		}
		if tok == token.SEMICOLON {
			continue // inside brackets or a header: part of the item's span
		}
		if start < 0 {
			start = off
			if commentStart >= 0 && commentEndLine+1 >= file.Line(pos) {
				start = commentStart
			}
			commentStart = -1
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
			open = append(open, pos)
		case token.RPAREN, token.RBRACE, token.RBRACK:
			if depth > 0 {
				depth--
				open = open[:len(open)-1]
			}
		}
		if lit != "" && tok != token.SEMICOLON {
			end = off + len(lit)
		} else {
			end = off + len(tok.String())
		}
	}
	if start >= 0 {
		spans = append(spans, span{start, end})
	}
	if len(errs) == 0 && len(open) > 0 {
		p := open[len(open)-1]
		errs.Add(file.Position(p), fmt.Sprintf("%q is not closed before the end of the cell", src[file.Offset(p)]))
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	var items []*item
	for _, sp := range spans {
		it, err := parseItem(src, name, sp.start, sp.end)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, nil
}

// lineDirective returns a //line comment (on its own line) that makes the
// next line start at the cell position of byte offset off.
func lineDirective(src, name string, off int) string {
	line, col := lineCol(src, off)
	return fmt.Sprintf("\n//line %s:%d:%d\n", name, line, col)
}

// inlineDirective returns a /*line*/ comment giving the next character the
// cell position of byte offset off.
func inlineDirective(src, name string, off int) string {
	line, col := lineCol(src, off)
	return fmt.Sprintf("/*line %s:%d:%d*/", name, line, col)
}

// lineCol returns the 1-based line and byte column of offset off in src.
func lineCol(src string, off int) (line, col int) {
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
func parseItem(src, name string, start, end int) (*item, error) {
	text := src[start:end]
	first := firstToken(text)
	mode := parser.ParseComments | parser.SkipObjectResolution
	if first == token.IMPORT || first == token.TYPE || first == token.VAR || first == token.CONST || first == token.FUNC {
		prefix := "package p;" + lineDirective(src, name, start)
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", prefix+text, mode)
		if err == nil && len(f.Decls) == 1 {
			it := &item{kind: itemDecl, start: start, end: end, decl: f.Decls[0], fset: fset, base: len(prefix) - start}
			if first == token.IMPORT {
				it.kind = itemImport
			}
			return it, nil
		}
		if first != token.FUNC {
			return nil, firstError(err)
		}
	}
	prefix := "package p; func _() {" + lineDirective(src, name, start)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+text+"\n}", mode)
	if err != nil {
		return nil, firstError(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	if len(body) != 1 {
		return nil, fmt.Errorf("internal: %d statements in one cell item", len(body))
	}
	return &item{kind: itemStmt, start: start, end: end, stmt: body[0], fset: fset, base: len(prefix) - start}, nil
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

// blankPackageClause replaces a leading `package name` clause (a whole
// program pasted into a cell) by spaces, keeping every position.
func blankPackageClause(src string) string {
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
