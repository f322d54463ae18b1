package knn

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// brute returns the exact K nearest neighbours by sorting all distances
// computed directly (ties by index): the definition the engine must meet.
func brute(data, queries *mat.Dense, k int, metric Metric, excludeSelf bool) *Result {
	n, _ := data.Dims()
	m, _ := queries.Dims()
	res := &Result{N: m, K: k, Index: make([]int, m*k), Dist: make([]float64, m*k)}
	for i := range m {
		x := queries.RawRowView(i)
		var cs []cand
		for j := range n {
			if excludeSelf && i == j {
				continue
			}
			y := data.RawRowView(j)
			var d float64
			switch metric {
			case Euclidean:
				d = euclid(x, y)
			case Cosine:
				d = 1 - dot(x, y)/math.Sqrt(sqNorm(x)*sqNorm(y))
			case InnerProduct:
				d = -dot(x, y)
			}
			cs = append(cs, cand{d, j})
		}
		slices.SortStableFunc(cs, func(a, b cand) int {
			if a.d < b.d {
				return -1
			}
			if a.d > b.d {
				return 1
			}
			return 0
		})
		for t := range k {
			res.Index[i*k+t] = cs[t].j
			res.Dist[i*k+t] = cs[t].d
		}
	}
	return res
}

func sameResult(t *testing.T, name string, got, want *Result, tol float64) {
	t.Helper()
	if got.N != want.N || got.K != want.K {
		t.Fatalf("%s: shape %dx%d, want %dx%d", name, got.N, got.K, want.N, want.K)
	}
	for i := range got.Index {
		if got.Index[i] != want.Index[i] {
			t.Fatalf("%s: query %d rank %d: index %d (dist %.17g), want %d (dist %.17g)",
				name, i/got.K, i%got.K, got.Index[i], got.Dist[i], want.Index[i], want.Dist[i])
		}
		if e := math.Abs(got.Dist[i] - want.Dist[i]); e > tol*math.Max(1, math.Abs(want.Dist[i])) {
			t.Fatalf("%s: query %d rank %d: dist %.17g, want %.17g", name, i/got.K, i%got.K, got.Dist[i], want.Dist[i])
		}
	}
}

// TestAgainstBruteForce checks every metric, self and cross searches, in
// both precisions and with blocks smaller than the data (several blocks,
// ragged last block) and several workers, against the sort-everything
// definition.
func TestAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, dim := range []int{17, 60} { // below and above symmetricMinDim
		againstBruteForce(t, sample.Gaussian(rng, 301, dim), sample.Gaussian(rng, 77, dim))
	}
}

func againstBruteForce(t *testing.T, data, queries *mat.Dense) {
	for _, metric := range []Metric{Euclidean, Cosine, InnerProduct} {
		for _, bs := range []int{0, 64, 1000} {
			for _, w := range []int{1, 3} {
				opts := Options{K: 9, Metric: metric, BlockSize: bs, Workers: w}
				name := metric.String()
				got, err := Search(data, queries, opts)
				if err != nil {
					t.Fatal(err)
				}
				sameResult(t, name+" cross", got, brute(data, queries, 9, metric, false), 1e-12)
				opts.ExcludeSelf = true
				got, err = SearchSelf(data, opts)
				if err != nil {
					t.Fatal(err)
				}
				sameResult(t, name+" self", got, brute(data, data, 9, metric, true), 1e-12)
				// float32: same neighbours for well separated random data,
				// distances of the float32-rounded inputs.
				d32 := mat32.FromDense(data)
				got, err = SearchSelf32(d32, opts)
				if err != nil {
					t.Fatal(err)
				}
				sameResult(t, name+" self32", got, brute(d32.ToDense(), d32.ToDense(), 9, metric, true), 1e-12)
				got, err = Search32(d32, mat32.FromDense(queries), opts)
				if err != nil {
					t.Fatal(err)
				}
				q32 := mat32.FromDense(queries).ToDense()
				sameResult(t, name+" cross32", got, brute(d32.ToDense(), q32, 9, metric, false), 1e-12)
			}
		}
	}
}

// TestDuplicatesAndTies checks that exact duplicates are neighbours at
// distance exactly 0 (ExcludeSelf removes only the point itself), and that
// equal distances on an integer lattice are ordered by index, whatever the
// block size.
func TestDuplicatesAndTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base := sample.Gaussian(rng, 40, 5)
	// Rows 40..79 duplicate rows 0..39, with a large offset to stress the
	// norm expansion.
	data := mat.NewDense(80, 5, nil)
	for i := range 80 {
		for j := range 5 {
			data.Set(i, j, 1000+base.At(i%40, j))
		}
	}
	for _, bs := range []int{7, 0} {
		res, err := SearchSelf(data, Options{K: 3, ExcludeSelf: true, BlockSize: bs})
		if err != nil {
			t.Fatal(err)
		}
		r32, err := SearchSelf32(mat32.FromDense(data), Options{K: 3, ExcludeSelf: true, BlockSize: bs})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 80 {
			twin := (i + 40) % 80
			for _, r := range []*Result{res, r32} {
				if r.Neighbors(i)[0] != twin || r.Distances(i)[0] != 0 {
					t.Fatalf("row %d: first neighbour %d at %g, want its duplicate %d at exactly 0", i, r.Neighbors(i)[0], r.Distances(i)[0], twin)
				}
				if r.Distances(i)[1] <= 0 {
					t.Fatalf("row %d: second neighbour at %g, want > 0", i, r.Distances(i)[1])
				}
			}
		}
	}
	// Lattice {0..5}^2: every interior point has 4 neighbours at distance 1.
	grid := mat.NewDense(36, 2, nil)
	for i := range 36 {
		grid.Set(i, 0, float64(i/6))
		grid.Set(i, 1, float64(i%6))
	}
	for _, bs := range []int{5, 0} {
		for _, metric := range []Metric{Euclidean, InnerProduct} {
			got, err := SearchSelf(grid, Options{K: 6, Metric: metric, ExcludeSelf: true, BlockSize: bs, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, "lattice "+metric.String(), got, brute(grid, grid, 6, metric, true), 0)
			got, err = SearchSelf32(mat32.FromDense(grid), Options{K: 6, Metric: metric, ExcludeSelf: true, BlockSize: bs})
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, "lattice32 "+metric.String(), got, brute(grid, grid, 6, metric, true), 0)
		}
	}
	// Without ExcludeSelf a point is its own first neighbour at 0.
	got, err := SearchSelf(grid, Options{K: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 36 {
		if got.Neighbors(i)[0] != i || got.Distances(i)[0] != 0 {
			t.Fatalf("row %d: first neighbour %v %v, want itself at 0", i, got.Neighbors(i), got.Distances(i))
		}
	}
}

func TestErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := sample.Gaussian(rng, 10, 3)
	bad := mat.DenseCopyOf(data)
	bad.Set(4, 2, math.NaN())
	inf := mat.DenseCopyOf(data)
	inf.Set(7, 1, math.Inf(-1))
	zero := mat.DenseCopyOf(data)
	zero.SetRow(3, []float64{0, 0, 0})
	cases := []struct {
		name string
		f    func() error
		want string
	}{
		{"k zero", func() error { _, err := SearchSelf(data, Options{K: 0}); return err }, "K = 0"},
		{"k n", func() error { _, err := SearchSelf(data, Options{K: 10}); return err }, "less than the number of data rows (10)"},
		{"k n search", func() error { _, err := Search(data, data, Options{K: 11}); return err }, "less than"},
		{"nan", func() error { _, err := SearchSelf(bad, Options{K: 2}); return err }, "row 4, column 2) is NaN"},
		{"inf queries", func() error { _, err := Search(data, inf, Options{K: 2}); return err }, "queries element (row 7, column 1) is -Inf"},
		{"nan32", func() error { _, err := SearchSelf32(mat32.FromDense(bad), Options{K: 2}); return err }, "row 4, column 2) is NaN"},
		{"dims", func() error { _, err := Search(data, sample.Gaussian(rng, 2, 4), Options{K: 2}); return err }, "queries have 4 columns, data has 3"},
		{"dims32", func() error {
			_, err := Search32(mat32.FromDense(data), mat32.Zeros(2, 4), Options{K: 2})
			return err
		}, "queries have 4 columns"},
		{"empty", func() error { _, err := SearchSelf(&mat.Dense{}, Options{K: 1}); return err }, "data is empty"},
		{"empty32", func() error { _, err := SearchSelf32(mat32.Zeros(0, 3), Options{K: 1}); return err }, "data is empty"},
		{"nil", func() error { _, err := SearchSelf(nil, Options{K: 1}); return err }, "nil matrix"},
		{"zero cosine", func() error { _, err := SearchSelf(zero, Options{K: 2, Metric: Cosine}); return err }, "data row 3 has zero norm"},
		{"metric", func() error { _, err := SearchSelf(data, Options{K: 2, Metric: 7}); return err }, "unknown metric"},
		{"abort", func() error {
			_, err := SearchSelf(data, Options{K: 2, BlockSize: 3, Progress: func(done, total int) error {
				if done >= 6 {
					return errors.New("stop here")
				}
				return nil
			}})
			return err
		}, "stop here"},
	}
	for _, c := range cases {
		err := c.f()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestCountWithin compares the blocked pair counts with a direct double
// loop, including duplicate points (pairs at distance 0) and a radius equal
// to an attained distance (strict inequality).
func TestCountWithin(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	data := sample.Gaussian(rng, 150, 6)
	data.SetRow(149, data.RawRowView(3))
	attained := euclid(data.RawRowView(10), data.RawRowView(20))
	radii := []float64{0, 1e-300, 1.5, 2.5, attained, 100}
	got, err := CountWithin(data, radii, Options{BlockSize: 37, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for ri, r := range radii {
		var want int64
		for i := range 150 {
			for j := range 150 {
				if i != j && euclid(data.RawRowView(i), data.RawRowView(j)) < r {
					want++
				}
			}
		}
		if got[ri] != want {
			t.Errorf("radius %v: %d pairs, want %d", r, got[ri], want)
		}
	}
	if got[1] != 2 {
		t.Errorf("duplicates: %d pairs within 1e-300, want 2", got[1])
	}
	if _, err := CountWithin(data, []float64{-1}, Options{}); err == nil {
		t.Error("negative radius accepted")
	}
	if got, err := CountWithin(data, nil, Options{}); err != nil || len(got) != 0 {
		t.Errorf("no radii: %v, %v", got, err)
	}
}

// TestEdgeSizes checks K = n-1 (every other point is a neighbour, the
// candidate pool is exhausted), n = 2, single queries, and that progress
// reports are increasing and end at the total.
func TestEdgeSizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{2, 3, 17} {
		data := sample.Gaussian(rng, n, 4)
		for _, metric := range []Metric{Euclidean, Cosine, InnerProduct} {
			got, err := SearchSelf(data, Options{K: n - 1, Metric: metric, ExcludeSelf: true, BlockSize: 5})
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, "K=n-1", got, brute(data, data, n-1, metric, true), 1e-12)
			got, err = Search(data, data.Slice(0, 1, 0, 4).(*mat.Dense), Options{K: n - 1, Metric: metric})
			if err != nil {
				t.Fatal(err)
			}
			sameResult(t, "one query", got, brute(data, data.Slice(0, 1, 0, 4).(*mat.Dense), n-1, metric, false), 1e-12)
		}
	}
	// A column view (stride larger than the width) is copied, not misread.
	wide := sample.Gaussian(rng, 40, 6)
	view := wide.Slice(0, 40, 1, 4).(*mat.Dense)
	got, err := SearchSelf(view, Options{K: 5, ExcludeSelf: true})
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, "view", got, brute(mat.DenseCopyOf(view), mat.DenseCopyOf(view), 5, Euclidean, true), 1e-12)

	data := sample.Gaussian(rng, 100, 3)
	var seen []int
	_, err = SearchSelf(data, Options{K: 3, BlockSize: 30, Algorithm: Brute, Progress: func(done, total int) error {
		if total != 100 {
			t.Errorf("total %d", total)
		}
		seen = append(seen, done)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(seen) || len(seen) < 2 || seen[len(seen)-1] != 100 {
		t.Errorf("progress reports %v, want several, increasing, ending at 100", seen)
	}
}
