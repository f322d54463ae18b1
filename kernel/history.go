package kernel

import "sync"

// history keeps the inputs (and text outputs) of the cells executed with
// store_history in this kernel's session, in memory.
type history struct {
	mu      sync.Mutex
	session int
	entries []histEntry
}

type histEntry struct {
	line   int
	input  string
	output *string // text/plain of the execute_result, nil when none
}

type historyQuery struct {
	Output     bool   `json:"output"`
	Raw        bool   `json:"raw"`
	AccessType string `json:"hist_access_type"` // "range", "tail" or "search"
	Session    int    `json:"session"`
	Start      int    `json:"start"`
	Stop       int    `json:"stop"`
	N          *int   `json:"n"`
	Pattern    string `json:"pattern"`
	Unique     bool   `json:"unique"`
}

func (h *history) add(line int, input string, output *string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, histEntry{line, input, output})
}

// query answers a history_request: a list of [session, line, input] (or
// [session, line, [input, output]] with Output), oldest first.
//   - tail: the last n entries.
//   - range: lines start <= line < stop of the session (0 or negative:
//     relative to the current session, as IPython counts; stop 0 = to the
//     end).
//   - search: entries whose whole input matches the glob pattern (SQLite
//     GLOB: * any text, ? one character, [...] a class, case sensitive);
//     with unique only the latest of equal inputs; with n the last n.
//
// O(entries x pattern length).
func (h *history) query(q historyQuery) [][]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	var sel []histEntry
	switch q.AccessType {
	case "tail":
		n := len(h.entries)
		if q.N != nil && *q.N >= 0 && *q.N < n {
			n = *q.N
		}
		sel = h.entries[len(h.entries)-n:]
	case "range":
		if q.Session > 0 && q.Session != h.session || q.Session < 0 {
			break // only the current session is kept
		}
		for _, e := range h.entries {
			if e.line >= q.Start && (q.Stop <= 0 || e.line < q.Stop) {
				sel = append(sel, e)
			}
		}
	case "search":
		pattern := q.Pattern
		if pattern == "" {
			pattern = "*"
		}
		for _, e := range h.entries {
			if globMatch(pattern, e.input) {
				sel = append(sel, e)
			}
		}
		if q.Unique {
			last := map[string]int{}
			for i, e := range sel {
				last[e.input] = i
			}
			var u []histEntry
			for i, e := range sel {
				if last[e.input] == i {
					u = append(u, e)
				}
			}
			sel = u
		}
		if q.N != nil && *q.N >= 0 && *q.N < len(sel) {
			sel = sel[len(sel)-*q.N:]
		}
	}
	out := make([][]any, 0, len(sel))
	for _, e := range sel {
		if q.Output {
			var o any
			if e.output != nil {
				o = *e.output
			}
			out = append(out, []any{h.session, e.line, []any{e.input, o}})
		} else {
			out = append(out, []any{h.session, e.line, e.input})
		}
	}
	return out
}

// globMatch reports whether the whole of s matches pattern with SQLite
// GLOB semantics: '*' matches any run of characters (newlines included),
// '?' exactly one character, "[abc]", "[a-z]" and "[^a-z]" a class. It
// backtracks only to the last '*', so it runs in O(len(pattern) x len(s)).
func globMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	starP, starT := -1, 0
	for ti < len(t) {
		if pi < len(p) {
			switch p[pi] {
			case '*':
				starP, starT = pi, ti
				pi++
				continue
			case '?':
				pi++
				ti++
				continue
			case '[':
				if end, ok := matchClass(p, pi, t[ti]); end > 0 {
					if ok {
						pi = end
						ti++
						continue
					}
				} else if t[ti] == '[' { // unterminated class: a literal '['
					pi++
					ti++
					continue
				}
			default:
				if p[pi] == t[ti] {
					pi++
					ti++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starT++
		pi, ti = starP+1, starT
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// matchClass matches c against the class starting at p[i] == '['. It
// returns the index after the closing ']' (0 when there is none) and
// whether c is in the class.
func matchClass(p []rune, i int, c rune) (int, bool) {
	j := i + 1
	neg := false
	if j < len(p) && p[j] == '^' {
		neg = true
		j++
	}
	in := false
	first := true
	for ; j < len(p); j++ {
		if p[j] == ']' && !first {
			return j + 1, in != neg
		}
		first = false
		if j+2 < len(p) && p[j+1] == '-' && p[j+2] != ']' {
			if p[j] <= c && c <= p[j+2] {
				in = true
			}
			j += 2
			continue
		}
		if p[j] == c {
			in = true
		}
	}
	return 0, false
}
