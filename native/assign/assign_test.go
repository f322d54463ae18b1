package assign

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// randomCost returns an r x c matrix of uniform [0, scale) values, rounded
// to integers when integer is set (many ties: a degenerate problem).
func randomCost(rng *rand.Rand, r, c int, scale float64, integer bool) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	raw := m.RawMatrix().Data
	for k := range raw {
		raw[k] = rng.Float64() * scale
		if integer {
			raw[k] = math.Floor(raw[k])
		}
	}
	return m
}

// checkValid fails t unless res pairs min(r, c) distinct rows with
// distinct columns, rows increasing, and Cost is the sum of the entries.
func checkValid(t *testing.T, name string, cost *mat.Dense, res *Result) {
	t.Helper()
	r, c := cost.Dims()
	if len(res.Rows) != min(r, c) || len(res.Cols) != len(res.Rows) {
		t.Fatalf("%s: %d rows and %d columns assigned, want %d", name, len(res.Rows), len(res.Cols), min(r, c))
	}
	seen := map[int]bool{}
	var sum float64
	for k := range res.Rows {
		if k > 0 && res.Rows[k] <= res.Rows[k-1] {
			t.Fatalf("%s: rows not increasing at %d: %v", name, k, res.Rows[:k+1])
		}
		if res.Cols[k] < 0 || res.Cols[k] >= c || seen[res.Cols[k]] {
			t.Fatalf("%s: column %d invalid or repeated", name, res.Cols[k])
		}
		seen[res.Cols[k]] = true
		sum += cost.At(res.Rows[k], res.Cols[k])
	}
	if sum != res.Cost {
		t.Fatalf("%s: Cost %v but the entries sum to %v", name, res.Cost, sum)
	}
}

// bruteForce returns the best total over every injective map of the
// smaller side into the larger one (tiny matrices only).
func bruteForce(cost *mat.Dense, maximize bool) float64 {
	r, c := cost.Dims()
	at := cost.At
	if r > c {
		r, c = c, r
		at = func(i, j int) float64 { return cost.At(j, i) }
	}
	best := math.Inf(1)
	if maximize {
		best = math.Inf(-1)
	}
	used := make([]bool, c)
	var rec func(i int, s float64)
	rec = func(i int, s float64) {
		if i == r {
			if (!maximize && s < best) || (maximize && s > best) {
				best = s
			}
			return
		}
		for j := 0; j < c; j++ {
			if !used[j] {
				used[j] = true
				rec(i+1, s+at(i, j))
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

// TestBruteForce compares the total with an exhaustive search on every
// shape up to 6 x 6, minimising and maximising, continuous and integer
// (tied) costs, and with some forbidden (+Inf / -Inf) entries.
func TestBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for r := 1; r <= 6; r++ {
		for c := 1; c <= 6; c++ {
			for _, integer := range []bool{false, true} {
				for _, maximize := range []bool{false, true} {
					cost := randomCost(rng, r, c, 5, integer)
					if r*c > 4 && !maximize {
						cost.Set(rng.IntN(r), rng.IntN(c), math.Inf(1))
					}
					res, err := LinearSum(cost, Options{Maximize: maximize})
					if err != nil {
						t.Fatalf("%dx%d: %v", r, c, err)
					}
					checkValid(t, "brute", cost, res)
					if want := bruteForce(cost, maximize); math.Abs(res.Cost-want) > 1e-9 {
						t.Errorf("%dx%d integer=%v maximize=%v: cost %v, brute force %v", r, c, integer, maximize, res.Cost, want)
					}
				}
			}
		}
	}
}

// TestPlantedPermutation hides a permutation in a cost matrix whose
// planted entries are clearly the cheapest (a noisy, rescaled copy of a
// layer's correlations would look like this) and checks it is recovered.
func TestPlantedPermutation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 17, 300} {
		perm := rng.Perm(n)
		cost := randomCost(rng, n, n, 1, false)
		for i, j := range perm {
			cost.Set(i, j, -1+0.01*rng.NormFloat64())
		}
		res, err := LinearSum(cost, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkValid(t, "planted", cost, res)
		for i, j := range res.Cols {
			if j != perm[i] {
				t.Fatalf("n=%d: row %d matched to %d, planted %d", n, i, j, perm[i])
			}
		}
	}
}

// TestDegenerate covers the matrices that trip naive implementations: a
// constant matrix (every permutation is optimal), one row, one column,
// huge and tiny magnitudes.
func TestDegenerate(t *testing.T) {
	constant := mat.NewDense(5, 5, nil)
	for i := 0; i < 5; i++ {
		for j := 0; j < 5; j++ {
			constant.Set(i, j, 7)
		}
	}
	res, err := LinearSum(constant, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, "constant", constant, res)
	if res.Cost != 35 {
		t.Errorf("constant matrix: cost %v, want 35", res.Cost)
	}
	row := mat.NewDense(1, 4, []float64{3, 1, 2, 1})
	if res, _ := LinearSum(row, Options{}); res.Cols[0] != 1 || res.Cost != 1 {
		t.Errorf("one row: %+v", res)
	}
	col := mat.NewDense(4, 1, []float64{3, 1, 2, 0.5})
	if res, _ := LinearSum(col, Options{Maximize: true}); res.Rows[0] != 0 || res.Cols[0] != 0 || res.Cost != 3 {
		t.Errorf("one column, maximise: %+v", res)
	}
	big := mat.NewDense(2, 2, []float64{1e300, 1e-300, -1e300, 1e300})
	if res, _ := LinearSum(big, Options{}); res.Cost != -1e300+1e-300 {
		t.Errorf("huge magnitudes: %+v", res)
	}
	if got := res.ColumnOf(6); got[5] != -1 {
		t.Errorf("ColumnOf past the rows: %v", got)
	}
}

// TestErrors checks the messages for bad input.
func TestErrors(t *testing.T) {
	nan := mat.NewDense(2, 3, []float64{1, 2, 3, 4, math.NaN(), 6})
	inf := math.Inf(1)
	cases := []struct {
		name string
		m    mat.Matrix
		opts Options
		want string
	}{
		{"nil", nil, Options{}, "assign: cost is nil"},
		{"empty", &mat.Dense{}, Options{}, "assign: cost is empty (0 x 0)"},
		{"nan", nan, Options{}, "assign: cost has a NaN at row 1, column 1"},
		{"-inf", mat.NewDense(1, 2, []float64{1, math.Inf(-1)}), Options{}, "-Inf at row 0, column 1"},
		{"+inf max", mat.NewDense(1, 2, []float64{1, inf}), Options{Maximize: true}, "+Inf at row 0, column 1"},
		{"row forbidden", mat.NewDense(2, 2, []float64{inf, inf, 1, 2}), Options{}, "infeasible"},
		{"infeasible", mat.NewDense(3, 3, []float64{1, inf, inf, 2, inf, inf, 3, 4, 5}), Options{}, "infeasible: its forbidden (infinite) entries leave no assignment of all 3 rows"},
		{"infeasible tall", mat.NewDense(3, 2, []float64{1, inf, 2, inf, 3, inf}), Options{}, "all 2 columns"},
	}
	for _, c := range cases {
		_, err := LinearSum(c.m, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

// TestScipy compares with scipy.optimize.linear_sum_assignment in the same
// run: the same total (1e-9 relative) on square, wide and tall matrices,
// continuous and integer-valued, minimising and maximising, with forbidden
// entries; and the same pairs where the optimum is unique (continuous).
func TestScipy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	type answer struct {
		Rows []int   `json:"rows"`
		Cols []int   `json:"cols"`
		Cost float64 `json:"cost"`
	}
	cases := []struct {
		r, c     int
		scale    float64
		integer  bool
		maximize bool
		forbid   int // number of +Inf entries
	}{
		{50, 50, 100, false, false, 0}, // the row reduction stops at its step cap here and at 200
		{200, 200, 100, false, false, 0},
		{40, 90, 100, false, true, 0},
		{90, 40, 100, false, false, 0},
		{120, 120, 100, true, false, 0},
		{150, 150, 4, true, false, 0}, // many ties
		{60, 130, 3, true, true, 0},
		{64, 64, 100, false, false, 200},
	}
	var jobs []map[string]any
	var mats []*mat.Dense
	for _, c := range cases {
		m := randomCost(rng, c.r, c.c, c.scale, c.integer)
		for f := 0; f < c.forbid; f++ {
			m.Set(rng.IntN(c.r), rng.IntN(c.c), math.Inf(1))
		}
		mats = append(mats, m)
		jobs = append(jobs, map[string]any{"cost": infToNull(m), "maximize": c.maximize})
	}
	const script = `
import json, sys
import numpy as np
from scipy.optimize import linear_sum_assignment
out = []
for job in json.load(sys.stdin):
    c = np.array([[np.inf if v is None else v for v in row] for row in job["cost"]])
    r, k = linear_sum_assignment(c, maximize=job["maximize"])
    out.append({"rows": r.tolist(), "cols": k.tolist(), "cost": float(c[r, k].sum())})
print(json.dumps(out))
`
	var want []answer
	pyref.JSON(t, script, jobs, &want)
	for k, m := range mats {
		c := cases[k]
		res, err := LinearSum(m, Options{Maximize: c.maximize})
		if err != nil {
			t.Fatalf("case %d (%dx%d): %v", k, c.r, c.c, err)
		}
		checkValid(t, "scipy", m, res)
		w := want[k]
		if math.Abs(res.Cost-w.Cost) > 1e-9*math.Abs(w.Cost) {
			t.Errorf("case %d (%dx%d): cost %.12g, scipy %.12g", k, c.r, c.c, res.Cost, w.Cost)
		}
		if c.integer {
			continue // tied costs: several optima, only the total must agree
		}
		for i := range w.Rows {
			if res.Rows[i] != w.Rows[i] || res.Cols[i] != w.Cols[i] {
				t.Errorf("case %d (%dx%d): pair %d is (%d, %d), scipy (%d, %d)", k, c.r, c.c, i, res.Rows[i], res.Cols[i], w.Rows[i], w.Cols[i])
				break
			}
		}
	}
}

// infToNull returns the rows of m with +Inf as nil, which encoding/json
// writes as null (it cannot write Inf).
func infToNull(m *mat.Dense) [][]any {
	r, c := m.Dims()
	out := make([][]any, r)
	for i := range out {
		out[i] = make([]any, c)
		for j := range out[i] {
			if v := m.At(i, j); !math.IsInf(v, 1) {
				out[i][j] = v
			}
		}
	}
	return out
}
