package complete

import (
	"sort"
	"testing"
	"unicode/utf8"
)

// FuzzCompleteInspect checks, on arbitrary text and cursors, that Complete
// and Inspect do not panic (recovery is turned off), that the replaced range
// lies within the text and ends at the cursor, and that matches are sorted,
// unique and typed.
func FuzzCompleteInspect(f *testing.F) {
	for _, s := range []string{
		"fmt.Pri", "x := la.NewD", "s := \"été\"; fmt.Spri", "import (\n\t\"math/r", "pt.", "w.P.No",
		"func f(a, b int) { a", "var (\n\tx = 1\n)\nx", "d.Mul(", "1.e", "\"unterminated", "// comment fmt.",
		"type T struct{}\nfunc (t T) M() {}\nt := T{}\nt.", "`raw\nfmt.", "é.é", "a...b", "f((((", ")))",
	} {
		f.Add(s, utf8.RuneCountInString(s))
		f.Add(s, 0)
		f.Add(s, utf8.RuneCountInString(s)/2)
	}
	sc := newScope()
	f.Fuzz(func(t *testing.T, code string, cursor int) {
		catchPanics = false
		defer func() { catchPanics = true }()
		n := utf8.RuneCountInString(code)
		if cursor < 0 || cursor > n {
			cursor = n
		}
		c := Complete(code, cursor, sc)
		if c.CursorEnd != cursor || c.CursorStart < 0 || c.CursorStart > c.CursorEnd {
			t.Fatalf("Complete(%q, %d): range %d..%d", code, cursor, c.CursorStart, c.CursorEnd)
		}
		if len(c.Matches) != len(c.Types) || !sort.StringsAreSorted(c.Matches) {
			t.Fatalf("Complete(%q, %d): matches %q types %q", code, cursor, c.Matches, c.Types)
		}
		for i := 1; i < len(c.Matches); i++ {
			if c.Matches[i] == c.Matches[i-1] {
				t.Fatalf("Complete(%q, %d): duplicate %q", code, cursor, c.Matches[i])
			}
		}
		for _, detail := range []int{0, 1} {
			in := Inspect(code, cursor, detail, sc)
			if in.Found && in.Text == "" {
				t.Fatalf("Inspect(%q, %d): found with empty text", code, cursor)
			}
		}
	})
}
