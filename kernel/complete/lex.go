package complete

import (
	"unicode"
	"unicode/utf8"
)

// byteOffset converts a cursor in Unicode code points to a byte offset in
// code, clamping it to [0, len(code)]. O(len(code)).
func byteOffset(code string, cursor int) int {
	if cursor <= 0 {
		return 0
	}
	n := 0
	for i := range code {
		if n == cursor {
			return i
		}
		n++
	}
	return len(code)
}

// runeOffset converts a byte offset in code to code points.
func runeOffset(code string, b int) int {
	if b > len(code) {
		b = len(code)
	}
	return utf8.RuneCountInString(code[:b])
}

func isIdentRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// identStart returns the start (bytes) of the identifier characters ending at b.
func identStart(code string, b int) int {
	for b > 0 {
		r, size := utf8.DecodeLastRuneInString(code[:b])
		if !isIdentRune(r) {
			break
		}
		b -= size
	}
	return b
}

// identEnd returns the end (bytes) of the identifier characters starting at b.
func identEnd(code string, b int) int {
	for b < len(code) {
		r, size := utf8.DecodeRuneInString(code[b:])
		if !isIdentRune(r) {
			break
		}
		b += size
	}
	return b
}

// isIdent reports whether s is a Go identifier (not starting with a digit).
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !(r == '_' || unicode.IsLetter(r)) {
		return false
	}
	for _, r := range s {
		if !isIdentRune(r) {
			return false
		}
	}
	return true
}

// selectorChain returns the identifiers of the selector expression a.b.c
// that ends at byte offset end (exclusive), where code[end] follows the last
// identifier, and the byte offset where the chain starts. It returns nil
// when the text before end is not such a chain (for example a call result
// `f().x` or a number `1.`). Spaces around dots are not allowed.
func selectorChain(code string, end int) ([]string, int) {
	var parts []string
	b := end
	for {
		s := identStart(code, b)
		id := code[s:b]
		if !isIdent(id) {
			return nil, 0
		}
		parts = append(parts, id)
		b = s
		if b > 0 && code[b-1] == '.' {
			b--
			continue
		}
		break
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return parts, b
}

// enclosingCall finds the unclosed '(' before byte offset b and returns its
// byte offset (where the called expression ends), or -1 when an unclosed
// '[' or '{' comes first or there is none. Brackets inside string literals
// are not told apart. O(b).
func enclosingCall(code string, b int) int {
	depth := 0
	for i := b - 1; i >= 0; i-- {
		switch code[i] {
		case ')', ']', '}':
			depth++
		case '(':
			if depth == 0 {
				return i
			}
			depth--
		case '[', '{':
			if depth == 0 {
				return -1
			}
			depth--
		}
	}
	return -1
}

// exprStart returns where the operand that ends at byte offset end begins:
// identifiers, dots and balanced (...) and [...] groups, as in
// `intrinsic.NewTwoNN().Fit(x, nil)` or `xs[0].T()`. Brackets inside string
// literals are not told apart. O(end).
func exprStart(code string, end int) int {
	b := end
	for b > 0 {
		switch c := code[b-1]; {
		case c == ')' || c == ']':
			open := byte('(')
			if c == ']' {
				open = '['
			}
			depth := 0
			i := b - 1
			for ; i >= 0; i-- {
				if code[i] == c {
					depth++
				} else if code[i] == open {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if i < 0 {
				return b
			}
			b = i
		case c == '.':
			b--
		default:
			s := identStart(code, b)
			if s == b {
				return b
			}
			b = s
			if b == 0 || code[b-1] != '.' && code[b-1] != ')' && code[b-1] != ']' {
				return b
			}
		}
	}
	return b
}
