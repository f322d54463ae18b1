// Package assign solves the linear sum assignment problem: given an r x c
// cost matrix, pick at most one entry in every row and every column,
// min(r, c) entries in all, with the smallest (or largest) total. It is
// scipy.optimize.linear_sum_assignment in Go.
//
// The solver is the shortest augmenting path method of Jonker and
// Volgenant in Crouse's rectangular form ("On implementing 2D rectangular
// assignment algorithms", IEEE TAES 2016), which scipy also uses: the
// smaller side is assigned one vertex at a time along a shortest path
// (Dijkstra on reduced costs c_ij - u_i - v_j, which the dual variables
// u, v keep non-negative). It starts from a row reduction (u_i = min_j
// c_ij) with the rows whose minimum lies in a free column already
// assigned, which leaves the Dijkstra searches only the contended rows.
// Cost O(r^2 c) time in the worst case for r <= c (O(n^3) square), much
// less on typical matrices; memory O(r c) for a working copy plus O(c).
//
// +Inf entries are forbidden pairs (an assignment avoiding them is found,
// or an error says none exists); NaN is an error, and so is -Inf (+Inf
// when maximising), as in scipy.
package assign

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/check"
)

// chk words assign's argument errors ("assign: cost is nil (nil matrix)").
var chk = check.New("assign")

// Options configures LinearSum. The zero value minimises.
type Options struct {
	// Maximize finds the assignment of largest total instead of smallest.
	Maximize bool
}

// Result is an optimal assignment: row Rows[k] goes with column Cols[k],
// for k < min(r, c), with Rows increasing (scipy's row_ind, col_ind).
type Result struct {
	Rows, Cols []int
	// Cost is the sum of the assigned entries of the cost matrix as given.
	Cost float64
}

// ColumnOf returns, for each of the r rows, its assigned column or -1 when
// the row is left out (r > c). O(r).
func (res *Result) ColumnOf(r int) []int {
	out := make([]int, r)
	for i := range out {
		out[i] = -1
	}
	for k, i := range res.Rows {
		if i < r {
			out[i] = res.Cols[k]
		}
	}
	return out
}

// LinearSum returns an optimal assignment of the rows and columns of cost
// (r x c): min(r, c) pairs, no row or column twice, with the smallest total
// (the largest with opts.Maximize). When several assignments are optimal
// (tied costs) the one returned may differ from scipy's; the total agrees. It returns an error for a nil or empty matrix, a NaN
// or a -Inf entry (+Inf when maximising), and when the +Inf (forbidden)
// entries leave no complete assignment. Cost O(min^2 max) time in the worst
// case (O(n^3) square), O(r c) memory.
func LinearSum(cost mat.Matrix, opts Options) (*Result, error) {
	if cost == nil {
		return nil, chk.Errorf("cost is nil (nil matrix)")
	}
	if e, ok := cost.(interface{ IsEmpty() bool }); ok && e.IsEmpty() {
		return nil, chk.Errorf("cost is empty (0 x 0)")
	}
	r, c := cost.Dims()
	if r == 0 || c == 0 {
		return nil, chk.Errorf("cost is empty (%d x %d)", r, c)
	}
	p, err := newProblem(cost, r, c, opts.Maximize)
	if err != nil {
		return nil, err
	}
	if err := p.solve(); err != nil {
		return nil, err
	}
	return p.result(cost), nil
}

// problem is the working state: costs row-major with nr <= nc rows (the
// transpose of the input when it is tall), negated when maximising.
type problem struct {
	nr, nc    int
	transpose bool
	finite    bool // no forbidden (infinite) entries
	c         []float64
	u, v      []float64 // dual variables of rows and columns
	col4row   []int     // assigned column of each row, -1 when free
	row4col   []int     // assigned row of each column, -1 when free
	// Scratch of the shortest path search, reused for every row.
	spc       []float64 // shortest path cost to each column
	path      []int     // predecessor row of each column on the path
	remaining []int     // columns not yet scanned, then the scanned ones
}

// newProblem copies cost into the working layout and checks its values.
func newProblem(cost mat.Matrix, r, c int, maximize bool) (*problem, error) {
	p := &problem{nr: r, nc: c, transpose: c < r, finite: true}
	if p.transpose {
		p.nr, p.nc = c, r
	}
	p.c = make([]float64, r*c)
	sign := 1.0
	if maximize {
		sign = -1
	}
	raw, isDense := cost.(*mat.Dense)
	for i := 0; i < r; i++ {
		var row []float64
		if isDense {
			row = raw.RawRowView(i)
		}
		for j := 0; j < c; j++ {
			var x float64
			if row != nil {
				x = row[j]
			} else {
				x = cost.At(i, j)
			}
			if math.IsInf(x, 0) {
				if err := entryErr(x, i, j, maximize); err != nil {
					return nil, err
				}
				p.finite = false
			} else if x != x {
				return nil, entryErr(x, i, j, maximize)
			}
			if p.transpose {
				p.c[j*r+i] = sign * x
			} else {
				p.c[i*c+j] = sign * x
			}
		}
	}
	return p, nil
}

// entryErr rejects NaN, and the infinity that cannot mean "forbidden".
func entryErr(x float64, i, j int, maximize bool) error {
	switch {
	case math.IsNaN(x):
		return chk.Errorf("cost has a NaN at row %d, column %d", i, j)
	case math.IsInf(x, -1) && !maximize:
		return chk.Errorf("cost has -Inf at row %d, column %d (only +Inf, a forbidden pair, is allowed when minimising)", i, j)
	case math.IsInf(x, 1) && maximize:
		return chk.Errorf("cost has +Inf at row %d, column %d (only -Inf, a forbidden pair, is allowed when maximising)", i, j)
	}
	return nil
}

func (p *problem) infeasible() error {
	return chk.Errorf("cost matrix is infeasible: its forbidden (infinite) entries leave no assignment of all %d %s",
		p.nr, map[bool]string{false: "rows", true: "columns"}[p.transpose])
}

// solve finds a feasible dual solution with as many rows assigned as it
// cheaply can (Jonker-Volgenant's initialisation, see jv.go), then runs one
// shortest augmenting path search for every row still free.
func (p *problem) solve() error {
	nr, nc := p.nr, p.nc
	p.u = make([]float64, nr)
	p.v = make([]float64, nc)
	p.col4row = make([]int, nr)
	p.row4col = make([]int, nc)
	for i := range p.col4row {
		p.col4row[i] = -1
	}
	for j := range p.row4col {
		p.row4col[j] = -1
	}
	free, err := p.initialise()
	if err != nil {
		return err
	}
	p.spc = make([]float64, nc)
	p.path = make([]int, nc)
	p.remaining = make([]int, nc)
	for _, i := range free {
		if err := p.augment(i); err != nil {
			return err
		}
	}
	return nil
}

// augment assigns the free row cur along a shortest augmenting path and
// updates the duals so that every reduced cost stays >= 0 and the
// assigned pairs stay at reduced cost 0. O(nr nc) time at worst.
func (p *problem) augment(cur int) error {
	nc := p.nc
	spc, path, rem := p.spc, p.path, p.remaining
	for it := range rem {
		rem[it] = nc - 1 - it
		spc[it] = math.Inf(1)
	}
	num := nc
	minVal := 0.0
	i, sink := cur, -1
	v, row4col := p.v[:nc], p.row4col[:nc]
	for sink < 0 {
		row := p.c[i*nc : (i+1)*nc]
		base := minVal - p.u[i]
		index, lowest := -1, math.Inf(1)
		for it, j := range rem[:num] {
			r, s := base+row[j]-v[j], spc[j]
			if r < s {
				path[j], spc[j], s = i, r, r
			}
			// Among equal costs prefer a free column: it ends the search.
			if s < lowest || (s == lowest && row4col[j] < 0) {
				lowest, index = s, it
			}
		}
		if index < 0 || math.IsInf(lowest, 1) {
			return p.infeasible()
		}
		minVal = lowest
		j := rem[index]
		if p.row4col[j] < 0 {
			sink = j
		} else {
			i = p.row4col[j]
		}
		num--
		rem[index], rem[num] = rem[num], j
	}
	// The scanned columns are rem[num:]; the rows reached are cur and the
	// rows assigned to the scanned columns other than the sink.
	p.u[cur] += minVal
	for _, j := range rem[num:] {
		if j != sink {
			p.u[p.row4col[j]] += minVal - spc[j]
		}
		p.v[j] -= minVal - spc[j]
	}
	for j := sink; ; {
		i := path[j]
		p.row4col[j] = i
		p.col4row[i], j = j, p.col4row[i]
		if i == cur {
			break
		}
	}
	return nil
}

// result maps the solution back to the input's orientation, rows sorted.
func (p *problem) result(cost mat.Matrix) *Result {
	res := &Result{Rows: make([]int, p.nr), Cols: make([]int, p.nr)}
	if !p.transpose {
		for i, j := range p.col4row {
			res.Rows[i], res.Cols[i] = i, j
		}
	} else {
		order := make([]int, p.nr)
		for k := range order {
			order[k] = k
		}
		sort.Slice(order, func(a, b int) bool { return p.col4row[order[a]] < p.col4row[order[b]] })
		for k, col := range order {
			res.Rows[k], res.Cols[k] = p.col4row[col], col
		}
	}
	for k := range res.Rows {
		res.Cost += cost.At(res.Rows[k], res.Cols[k])
	}
	return res
}
