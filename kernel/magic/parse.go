// Package magic is the kernel's magics: it parses the magic lines at the
// top of a cell (%name args, %%name args, %time) into the steps a session
// runs before and around the cell's Go code, and keeps the registry of
// magics (the built-in ones, and those that plugins register).
package magic

import "strings"

// Kind is the kind of a step of a cell.
type Kind int

const (
	Go        Kind = iota // the cell's Go code (Code), positions as in the cell
	Line                  // %Name Args
	CellMagic             // %%Name Args, with the rest of the cell as Body
	Time                  // %time Args: Code is that statement at its place in the cell
	TimeCell              // %%time: Code is the rest of the cell
)

// Step is one step of a cell: a magic to run, Go code to time, or the Go
// code after the magics. Every Code keeps the cell's line structure (the
// magic lines are blank), so that positions stay the cell's own.
type Step struct {
	Kind       Kind
	Name, Args string
	Body       string // CellMagic: the lines after the magic line, as written
	Code       string // Go, Time, TimeCell
	Last       bool   // Time: only blank lines follow
}

// Parse splits a cell into its steps: the magic lines at its top (blank
// lines and // comments may come between them) in order, then the Go code
// that follows. A %%name line makes the rest of the cell its body and is
// the last step; so is a %time whose statement ends the cell. O(len(cell)).
func Parse(cell string) []Step {
	lines := strings.SplitAfter(cell, "\n")
	var steps []Step
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "//") {
			continue
		}
		if !strings.HasPrefix(t, "%") {
			break
		}
		if strings.HasPrefix(t, "%%") {
			name, args := split(t[2:])
			st := Step{Kind: CellMagic, Name: name, Args: args, Body: strings.Join(lines[i+1:], ""), Code: blankLines(lines, i+1)}
			if name == "time" {
				st.Kind = TimeCell
			}
			return append(steps, st)
		}
		name, args := split(t[1:])
		if name == "time" {
			// %time stmt: this line's statement; the rest of the cell follows.
			col := max(strings.Index(l, args), 0)
			st := Step{Kind: Time, Name: name, Args: args, Last: strings.TrimSpace(strings.Join(lines[i+1:], "")) == "",
				Code: blankLines(lines[:i], i) + strings.Repeat(" ", col) + strings.TrimRight(l[col:], "\n") + "\n"}
			steps = append(steps, st)
			if st.Last {
				return steps
			}
		} else {
			steps = append(steps, Step{Kind: Line, Name: name, Args: args})
		}
		lines[i] = "\n"
	}
	return append(steps, Step{Kind: Go, Code: strings.Join(lines, "")})
}

// blankLines returns lines[:k] as empty lines followed by lines[k:].
func blankLines(lines []string, k int) string {
	var b strings.Builder
	for i, l := range lines {
		if i < k {
			if strings.HasSuffix(l, "\n") {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteString(l)
	}
	return b.String()
}

// split cuts "name args" at the first space or tab.
func split(t string) (name, args string) {
	name, args, _ = strings.Cut(t, " ")
	if i := strings.IndexByte(name, '\t'); i >= 0 {
		name, args = name[:i], name[i+1:]+" "+args
	}
	return name, strings.TrimSpace(args)
}
