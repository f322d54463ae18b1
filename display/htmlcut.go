package display

import "strings"

// voidElements have no closing tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "param": true, "source": true, "track": true, "wbr": true}

// rawElements hold text that is not HTML (a '<' in a script is not a tag).
var rawElements = map[string]bool{"script": true, "style": true, "textarea": true, "title": true}

// cutHTML returns at most limit bytes of the HTML fragment s, cut between
// two tags or inside text, never inside a tag, a comment, a character
// reference or a script/style element, followed by the closing tags of the
// elements left open, so that the fragment stays well formed where it is
// inserted (the notebook's output area, an nbconvert page). O(limit).
func cutHTML(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	var open []string // names of the elements open at pos
	safe, safeOpen := 0, 0
	pos := 0
	for pos < limit {
		lt := strings.IndexByte(s[pos:limit], '<')
		if lt < 0 {
			safe, safeOpen = textCut(s, pos, limit), len(open)
			break
		}
		// Text before the tag can be cut anywhere but in an entity.
		safe, safeOpen = pos+lt, len(open)
		pos += lt
		end, name, closing, selfClosing := scanTag(s, pos)
		if end < 0 || end > limit {
			break
		}
		if name != "" && !closing && rawElements[name] {
			close := strings.Index(strings.ToLower(s[end:]), "</"+name)
			if close < 0 || end+close > limit {
				break
			}
			end += close
			if gt := strings.IndexByte(s[end:], '>'); gt >= 0 {
				end += gt + 1
			}
			if end > limit {
				break
			}
		} else if name != "" && closing {
			for k := len(open) - 1; k >= 0; k-- {
				if open[k] == name {
					open = open[:k]
					break
				}
			}
		} else if name != "" && !selfClosing && !voidElements[name] {
			open = append(open, name)
		}
		pos = end
		safe, safeOpen = pos, len(open)
	}
	var b strings.Builder
	b.WriteString(s[:safe])
	for k := safeOpen - 1; k >= 0; k-- {
		b.WriteString("</" + open[k] + ">")
	}
	return b.String()
}

// textCut is the cut at limit inside the text that starts at from: before
// a character reference (&...;) that limit would split, at a character
// boundary.
func textCut(s string, from, limit int) int {
	cut := limit
	lo := max(from, cut-10)
	if amp := strings.LastIndexByte(s[lo:cut], '&'); amp >= 0 && !strings.Contains(s[lo+amp:cut], ";") {
		cut = lo + amp
	}
	for cut > from && !utf8Start(s[cut]) {
		cut--
	}
	return cut
}

// scanTag reads the markup starting with '<' at pos: it returns the
// position after it (-1 when it does not end), the lower-case element name
// ("" for comments, doctypes and stray '<'), whether it is a closing tag,
// and whether it closes itself (<br/>).
func scanTag(s string, pos int) (end int, name string, closing, selfClosing bool) {
	if strings.HasPrefix(s[pos:], "<!--") {
		e := strings.Index(s[pos+4:], "-->")
		if e < 0 {
			return -1, "", false, false
		}
		return pos + 4 + e + 3, "", false, false
	}
	i := pos + 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(s) && (isAlnum(s[i]) || s[i] == '-') {
		i++
	}
	name = strings.ToLower(s[start:i])
	if name == "" && !closing && (i >= len(s) || s[i] != '!') {
		return pos + 1, "", false, false // a stray '<' in text
	}
	// Find the tag's '>' outside quoted attribute values.
	var quote byte
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1, name, closing, s[i-1] == '/'
		}
	}
	return -1, "", false, false
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
