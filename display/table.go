package display

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TableOptions control how tables (matrices, slices of structs, maps) are
// shown: at most MaxRows rows and MaxCols columns are displayed (the first
// and last halves, with an ellipsis row/column between), and floats are
// formatted with Digits significant digits.
type TableOptions struct {
	MaxRows int // default 20
	MaxCols int // default 12
	Digits  int // significant digits of floats, default 4
}

var tableOpts = TableOptions{MaxRows: 20, MaxCols: 12, Digits: 4}

// SetTableOptions replaces the table options; zero or negative fields keep
// their defaults (20 rows, 12 columns, 4 digits). Values below 2 rows or
// columns are raised to 2 so that the head and the tail both show.
func SetTableOptions(o TableOptions) {
	if o.MaxRows <= 0 {
		o.MaxRows = 20
	}
	if o.MaxCols <= 0 {
		o.MaxCols = 12
	}
	if o.Digits <= 0 {
		o.Digits = 4
	}
	o.MaxRows = max(o.MaxRows, 2)
	o.MaxCols = max(o.MaxCols, 2)
	mu.Lock()
	tableOpts = o
	mu.Unlock()
}

// CurrentTableOptions returns the options set with SetTableOptions.
func CurrentTableOptions() TableOptions {
	mu.RLock()
	defer mu.RUnlock()
	return tableOpts
}

// Table is a displayable table of pre-formatted cells. Rows and columns
// beyond the options' limits are elided when rendered; the full counts are
// kept in the caption.
type Table struct {
	Caption   string     // shown above the table, e.g. "Dense 100×3"
	Header    []string   // column names; may be nil
	RowLabels []string   // one label a row (index column); may be nil
	Rows      [][]string // cells, each row as long as Header (when set)
	// Numeric marks columns whose cells are right-aligned; may be nil.
	Numeric []bool

	// Tables built from large values hold only the shown rows/columns:
	// rowGap/colGap (>= 0) then say where the ellipsis goes, and
	// DisplayBundle does not truncate that dimension again.
	rowsTrimmed, colsTrimmed bool
	rowGap, colGap           int
}

// NewTable returns a displayable table with the given header and rows of
// cells. It reports an error when a row's length differs from the header's.
// O(cells).
func NewTable(header []string, rows [][]string) (*Table, error) {
	for i, r := range rows {
		if header != nil && len(r) != len(header) {
			return nil, fmt.Errorf("display.NewTable: row %d has %d cells, header has %d", i, len(r), len(header))
		}
	}
	return &Table{Header: header, Rows: rows}, nil
}

// FormatFloat formats x compactly with the given number of significant
// digits: 0.1235, 1.235e6, 42, NaN, +Inf. O(1).
func FormatFloat(x float64, digits int) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	}
	s := strconv.FormatFloat(x, 'g', digits, 64)
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant, exp := s[:i], s[i+1:]
		sign := ""
		if exp[0] == '-' {
			sign = "-"
		}
		exp = strings.TrimLeft(exp[1:], "0")
		s = mant + "e" + sign + exp
	}
	return s
}

// keep returns the indices shown out of n when at most limit fit, and the
// position where an ellipsis goes (-1 when nothing is elided).
func keep(n, limit int) (idx []int, gap int) {
	if n <= limit {
		idx = make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx, -1
	}
	head := (limit + 1) / 2
	tail := limit - head
	for i := 0; i < head; i++ {
		idx = append(idx, i)
	}
	for i := n - tail; i < n; i++ {
		idx = append(idx, i)
	}
	return idx, head
}

func (t *Table) numCols() int {
	n := len(t.Header)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	return n
}

// DisplayBundle renders the table as text/html (a <table> with escaped
// cells) and an aligned text/plain twin, both truncated the same way.
// O(shown cells).
func (t *Table) DisplayBundle() Bundle { return t.bundle(CurrentTableOptions()) }

func (t *Table) bundle(o TableOptions) Bundle {
	rows, rgap := keep(len(t.Rows), o.MaxRows)
	if t.rowsTrimmed {
		rows, _ = keep(len(t.Rows), len(t.Rows))
		rgap = t.rowGap
	}
	cols, cgap := keep(t.numCols(), o.MaxCols)
	if t.colsTrimmed {
		cols, _ = keep(t.numCols(), t.numCols())
		cgap = t.colGap
	}
	return Bundle{Data: map[string]any{
		"text/html":  t.html(rows, rgap, cols, cgap),
		"text/plain": t.text(rows, rgap, cols, cgap),
	}}
}

func (t *Table) cell(i, j int) string {
	if j < len(t.Rows[i]) {
		return t.Rows[i][j]
	}
	return ""
}

func (t *Table) numeric(j int) bool { return j < len(t.Numeric) && t.Numeric[j] }

func (t *Table) html(rows []int, rgap int, cols []int, cgap int) string {
	var b strings.Builder
	b.WriteString(`<div class="subspace-table"><table class="dataframe">`)
	if t.Caption != "" {
		b.WriteString("<caption>" + EscapeHTML(t.Caption) + "</caption>")
	}
	if t.Header != nil {
		b.WriteString("<thead><tr>")
		if t.RowLabels != nil {
			b.WriteString("<th></th>")
		}
		for k, j := range cols {
			if k == cgap {
				b.WriteString("<th>…</th>")
			}
			b.WriteString("<th>" + EscapeHTML(t.Header[j]) + "</th>")
		}
		b.WriteString("</tr></thead>")
	}
	b.WriteString("<tbody>")
	for k, i := range rows {
		if k == rgap {
			b.WriteString("<tr>")
			if t.RowLabels != nil {
				b.WriteString("<th>⋮</th>")
			}
			for c := range cols {
				if c == cgap {
					b.WriteString("<td>⋱</td>")
				}
				b.WriteString("<td>⋮</td>")
			}
			b.WriteString("</tr>")
		}
		b.WriteString("<tr>")
		if t.RowLabels != nil {
			b.WriteString("<th>" + EscapeHTML(t.RowLabels[i]) + "</th>")
		}
		for c, j := range cols {
			if c == cgap {
				b.WriteString("<td>…</td>")
			}
			if t.numeric(j) {
				b.WriteString(`<td style="text-align:right">`)
			} else {
				b.WriteString("<td>")
			}
			b.WriteString(EscapeHTML(t.cell(i, j)) + "</td>")
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table></div>")
	return b.String()
}

func (t *Table) text(rows []int, rgap int, cols []int, cgap int) string {
	// Build the grid of shown strings, then pad columns.
	var grid [][]string
	hasLabels := t.RowLabels != nil
	line := func(label string, get func(j int) string, gapCell string) []string {
		var r []string
		if hasLabels {
			r = append(r, label)
		}
		for c, j := range cols {
			if c == cgap {
				r = append(r, gapCell)
			}
			r = append(r, get(j))
		}
		return r
	}
	if t.Header != nil {
		grid = append(grid, line("", func(j int) string { return t.Header[j] }, "…"))
	}
	for k, i := range rows {
		if k == rgap {
			grid = append(grid, line("⋮", func(int) string { return "⋮" }, "⋱"))
		}
		label := ""
		if hasLabels {
			label = t.RowLabels[i]
		}
		grid = append(grid, line(label, func(j int) string { return t.cell(i, j) }, "…"))
	}
	if len(grid) == 0 {
		return t.Caption
	}
	width := make([]int, len(grid[0]))
	for _, r := range grid {
		for c, s := range r {
			width[c] = max(width[c], utf8.RuneCountInString(s))
		}
	}
	// Map grid column index back to the table column for alignment.
	right := make([]bool, len(width))
	g := 0
	if hasLabels {
		g = 1
	}
	for c, j := range cols {
		if c == cgap {
			g++
		}
		right[g] = t.numeric(j)
		g++
	}
	var b strings.Builder
	if t.Caption != "" {
		b.WriteString(t.Caption + "\n")
	}
	for ri, r := range grid {
		for c, s := range r {
			pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(s))
			if c > 0 {
				b.WriteString("  ")
			}
			if right[c] {
				b.WriteString(pad + s)
			} else if c < len(r)-1 {
				b.WriteString(s + pad)
			} else {
				b.WriteString(s)
			}
		}
		if ri < len(grid)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
