package rewrite

import (
	"errors"
	"go/scanner"
	"go/token"
	"strings"
)

// Indent is the indentation IsComplete suggests per open bracket: a tab,
// as gofmt indents.
const Indent = "\t"

// IsComplete tells a console whether code can run as it is: "complete",
// "incomplete" (more lines could finish it: an open brace, parenthesis or
// bracket, an unterminated raw string or block comment, a trailing
// operator, comma or keyword such as else, or any syntax error found at the
// very end), with indent the suggested indentation of the next line (one
// tab per open bracket), or "invalid" (a syntax error before the end, which
// no additional input can fix). Line magics are complete; a %% cell magic
// is complete once it ends with an empty line. O(len(code)).
func IsComplete(code string) (status, indent string) {
	t := strings.TrimSpace(code)
	if t == "" {
		return "complete", ""
	}
	if strings.HasPrefix(t, "%") {
		if strings.HasPrefix(t, "%%") && !strings.HasSuffix(code, "\n\n") {
			return "incomplete", ""
		}
		return "complete", ""
	}
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(code))
	var scanErrs []string
	s.Init(file, []byte(code), func(pos token.Position, msg string) { scanErrs = append(scanErrs, msg) }, 0)
	depth := 0
	var lastTok token.Token
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
			if depth < 0 {
				return "invalid", ""
			}
		}
		if tok != token.SEMICOLON || lit == ";" {
			lastTok = tok
		}
	}
	for _, m := range scanErrs {
		if m == "raw string literal not terminated" || m == "comment not terminated" {
			return "incomplete", strings.Repeat(Indent, max(depth, 0))
		}
	}
	if len(scanErrs) > 0 {
		return "invalid", ""
	}
	if depth > 0 {
		return "incomplete", strings.Repeat(Indent, depth)
	}
	switch {
	case lastTok.IsOperator() && lastTok != token.RPAREN && lastTok != token.RBRACE && lastTok != token.RBRACK &&
		lastTok != token.INC && lastTok != token.DEC && lastTok != token.SEMICOLON:
		return "incomplete", ""
	case lastTok.IsKeyword() && lastTok != token.BREAK && lastTok != token.CONTINUE &&
		lastTok != token.FALLTHROUGH && lastTok != token.RETURN:
		return "incomplete", "" // `} else`, `go`, `var`, `func`...
	}
	if _, err := Split(code, "cell"); err != nil {
		// An error at the very end means more input could fix it.
		var list scanner.ErrorList
		if errors.As(err, &list) && len(list) > 0 && atEnd(code, list[0].Pos) {
			return "incomplete", ""
		}
		return "invalid", ""
	}
	return "complete", ""
}

// atEnd reports whether pos is at or after the last non-space character
// of code.
func atEnd(code string, pos token.Position) bool {
	t := strings.TrimRight(code, " \t\r\n")
	line, col := LineCol(t, len(t))
	return pos.Line > line || (pos.Line == line && pos.Column >= col)
}
