package assign

import "math"

// The initialisation of Jonker and Volgenant ("A shortest augmenting path
// algorithm for dense and sparse linear assignment problems", Computing
// 38, 1987): cheap O(r c) passes that assign most rows and leave column
// prices v such that every assigned row sits at the minimum of its reduced
// costs c_ij - v_j. The row duals are then u_i = min_j (c_ij - v_j), a
// feasible dual solution in which every assigned pair is tight, which is
// all the shortest augmenting path phase needs.
//
// Column reduction gives v_j = min_i c_ij > 0 possibly, which is optimal
// only when every column ends up assigned: it runs on square problems. The
// augmenting row reduction only lowers the price of a column it assigns,
// so it is valid on rectangular ones too (an unassigned column keeps
// v_j = 0, as the rectangular problem's dual requires). Both need finite
// costs; with forbidden (+Inf) entries a plain row reduction starts.

// arrPasses is the number of augmenting row reduction passes (JV use 2);
// each stops after arrSteps r + 64 steps, leaving the rows it has not
// settled to the shortest path phase. Unbounded, the reduction can spend
// long on small price decrements; 2 to 4 r steps was fastest on uniform
// random 1024 x 1024 and 2048 x 2048 matrices (3 r: 0.7 of the time with
// 8 r, about 0.4 of scipy's).
const (
	arrPasses = 2
	arrSteps  = 3
)

// initialise assigns what it cheaply can and returns the free rows.
func (p *problem) initialise() ([]int, error) {
	if !p.finite || p.nc < 2 {
		return p.rowReduction()
	}
	var free []int
	if p.nr == p.nc {
		free = p.columnReduction()
	} else {
		free = make([]int, p.nr)
		for i := range free {
			free[i] = i
		}
	}
	for pass := 0; pass < arrPasses && len(free) > 0; pass++ {
		free = p.augmentingRowReduction(free)
	}
	p.rowDuals()
	return free, nil
}

// rowReduction sets u_i = min_j c_ij, v = 0, and assigns each row to its
// first minimum when that column is still free. O(r c).
func (p *problem) rowReduction() ([]int, error) {
	var free []int
	for i := 0; i < p.nr; i++ {
		row := p.c[i*p.nc : (i+1)*p.nc]
		best, arg := math.Inf(1), -1
		for j, x := range row {
			if x < best {
				best, arg = x, j
			}
		}
		if arg < 0 {
			return nil, p.infeasible()
		}
		p.u[i] = best
		if p.row4col[arg] < 0 {
			p.col4row[i], p.row4col[arg] = arg, i
		} else {
			free = append(free, i)
		}
	}
	return free, nil
}

// columnReduction (square problems) sets v_j to the minimum of column j and
// gives each column, from the last, to the first row reaching it unless
// that row has a column already; then it transfers the slack of each row
// that is the minimum of exactly one column onto that column's price (JV's
// reduction transfer). Returns the rows that are no column's minimum.
// O(n^2), reading the matrix row by row.
func (p *problem) columnReduction() []int {
	nr, nc := p.nr, p.nc
	argmin := make([]int, nc)
	v := p.v
	copy(v, p.c[:nc])
	for i := 1; i < nr; i++ {
		row := p.c[i*nc : (i+1)*nc]
		for j, x := range row {
			if x < v[j] {
				v[j], argmin[j] = x, i
			}
		}
	}
	matches := make([]int, nr)
	for j := nc - 1; j >= 0; j-- {
		i := argmin[j]
		matches[i]++
		if matches[i] == 1 {
			p.col4row[i], p.row4col[j] = j, i
		}
	}
	var free []int
	for i, m := range matches {
		switch m {
		case 0:
			free = append(free, i)
		case 1:
			j1 := p.col4row[i]
			row := p.c[i*nc : (i+1)*nc]
			mu := math.Inf(1)
			for j, x := range row {
				if r := x - v[j]; j != j1 && r < mu {
					mu = r
				}
			}
			v[j1] -= mu
		}
	}
	return free
}

// twoSmallest returns the smallest and second smallest reduced costs
// c_ij - v_j of a row and their columns (j1 the first column reaching the
// minimum). The row has at least two columns. O(c).
func twoSmallest(row, v []float64) (u1 float64, j1 int, u2 float64, j2 int) {
	u1, j1 = row[0]-v[0], 0
	u2, j2 = math.Inf(1), -1
	for j := 1; j < len(row); j++ {
		h := row[j] - v[j]
		if h < u2 {
			if h >= u1 {
				u2, j2 = h, j
			} else {
				u2, j2 = u1, j1
				u1, j1 = h, j
			}
		}
	}
	return u1, j1, u2, j2
}

// augmentingRowReduction is one pass of JV's augmenting row reduction over
// the free rows: each takes the column of its smallest reduced cost,
// lowering that column's price until it ties with its second smallest, and
// the row it displaces is processed next (or in the next pass when nothing
// could be lowered). Returns the rows still free. The pass stops after
// arrSteps r + 64 steps. O(c) a step.
func (p *problem) augmentingRowReduction(free []int) []int {
	nc := p.nc
	v := p.v
	k, prev, numFree := 0, len(free), 0
	for steps := 0; k < prev; steps++ {
		if steps > arrSteps*p.nr+64 {
			numFree += copy(free[numFree:], free[k:prev])
			break
		}
		i := free[k]
		k++
		u1, j1, u2, j2 := twoSmallest(p.c[i*nc:(i+1)*nc], v)
		i0 := p.row4col[j1]
		if u1 < u2 {
			v[j1] -= u2 - u1
		} else if i0 >= 0 {
			j1, i0 = j2, p.row4col[j2]
		}
		if i0 >= 0 {
			p.col4row[i0] = -1
		}
		p.col4row[i], p.row4col[j1] = j1, i
		if i0 >= 0 {
			if u1 < u2 {
				k--
				free[k] = i0
			} else {
				free[numFree] = i0
				numFree++
			}
		}
	}
	return free[:numFree]
}

// rowDuals sets u_i = min_j (c_ij - v_j): feasible, and tight at every
// assigned pair since the assigned rows sit at their minimum. O(r c).
func (p *problem) rowDuals() {
	nc := p.nc
	for i := range p.u {
		row := p.c[i*nc : (i+1)*nc]
		m := math.Inf(1)
		for j, x := range row {
			if r := x - p.v[j]; r < m {
				m = r
			}
		}
		p.u[i] = m
	}
}
