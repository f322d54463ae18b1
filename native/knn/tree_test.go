package knn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/synthetic"
)

// identical fails unless a and b hold the same indices and bitwise the
// same distances.
func identical(t *testing.T, name string, a, b *Result) {
	t.Helper()
	if a.N != b.N || a.K != b.K {
		t.Fatalf("%s: shapes %dx%d and %dx%d", name, a.N, a.K, b.N, b.K)
	}
	for i := range a.Index {
		if a.Index[i] != b.Index[i] || math.Float64bits(a.Dist[i]) != math.Float64bits(b.Dist[i]) {
			t.Fatalf("%s: query %d rank %d: %s (%d, %.17g), %s (%d, %.17g)", name, i/a.K, i%a.K,
				a.Algorithm, a.Index[i], a.Dist[i], b.Algorithm, b.Index[i], b.Dist[i])
		}
	}
}

// treeCases are the data sets the tree and brute force must agree on:
// random, clustered, far from the origin, duplicated (pairs and a point
// repeated 30 times), tied (integer lattices, where many distances are
// equal), and a low-dimensional manifold in more dimensions.
func treeCases(t *testing.T) map[string]*mat.Dense {
	rng := rand.New(rand.NewPCG(21, 22))
	cases := map[string]*mat.Dense{}
	for _, d := range []int{1, 2, 3, 5, 9} {
		cases[fmt.Sprintf("gauss%d", d)] = sample.Gaussian(rng, 203, d)
	}
	mix, _, err := synthetic.GaussianMixture(300, 6, 4, 0.05, 5, 3)
	if err != nil {
		t.Fatal(err)
	}
	cases["clustered"] = mix
	// Above symmetricMinDim brute force multiplies each block pair once.
	cases["gauss60"] = sample.Gaussian(rng, 203, 60)
	wide := mat.NewDense(150, 50, nil)
	for i := range 150 {
		wide.SetRow(i, cases["gauss60"].RawRowView(i % 70)[:50])
	}
	cases["duplicates50"] = wide
	far := sample.Gaussian(rng, 150, 3)
	for i := range 150 {
		for j := range 3 {
			far.Set(i, j, far.At(i, j)*1e-3+1e4)
		}
	}
	cases["far"] = far
	dup := mat.NewDense(240, 4, nil)
	base := sample.Gaussian(rng, 100, 4)
	for i := range 240 {
		src := i % 100
		if i >= 200 {
			src = 7 // one point 41 times in all
		}
		dup.SetRow(i, base.RawRowView(src))
	}
	cases["duplicates"] = dup
	lat := mat.NewDense(216, 3, nil)
	for i := range 216 {
		lat.SetRow(i, []float64{float64(i / 36), float64(i / 6 % 6), float64(i % 6)})
	}
	cases["lattice3"] = lat
	lat2 := mat.NewDense(225, 2, nil)
	for i := range 225 {
		lat2.SetRow(i, []float64{float64(i/15) * 0.5, float64(i%15) * 0.5})
	}
	cases["lattice2"] = lat2
	roll, _, err := synthetic.SwissRoll(400, 0, 4)
	if err != nil {
		t.Fatal(err)
	}
	cases["swissroll"] = roll
	return cases
}

// TestTreeMatchesBrute checks that the KD-tree returns exactly (indices
// and bitwise distances) the brute-force result for self searches with
// and without ExcludeSelf, cross searches, the Euclidean and cosine
// metrics, float64 and float32, several K, leaf and block sizes and worker
// counts; and that brute force meets the sort-everything definition.
func TestTreeMatchesBrute(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for name, x := range treeCases(t) {
		n, d := x.Dims()
		queries := sample.Gaussian(rng, 37, d)
		x32 := mat32.FromDense(x)
		for _, k := range []int{1, 4, 23, n - 1} {
			for _, metric := range []Metric{Euclidean, Cosine} {
				if metric == Cosine && (name == "lattice3" || name == "lattice2") {
					continue // the origin is a lattice point
				}
				for v, o := range []Options{{LeafSize: 2, Workers: 1, BlockSize: 16}, {LeafSize: 7, Workers: 3, BlockSize: 64}, {}} {
					o.K, o.Metric = k, metric
					label := fmt.Sprintf("%s K=%d %v variant %d", name, k, metric, v)
					for _, excl := range []bool{true, false} {
						o.ExcludeSelf = excl
						if !excl && k == n-1 {
							continue
						}
						sameAlgorithms(t, label+fmt.Sprintf(" self exclude=%v", excl), o, func(o Options) (*Result, error) { return SearchSelf(x, o) })
						sameAlgorithms(t, label+" self32", o, func(o Options) (*Result, error) { return SearchSelf32(x32, o) })
					}
					sameAlgorithms(t, label+" cross", o, func(o Options) (*Result, error) { return Search(x, queries, o) })
					sameAlgorithms(t, label+" cross32", o, func(o Options) (*Result, error) {
						return Search32(x32, mat32.FromDense(queries), o)
					})
				}
			}
			if metric := Euclidean; k <= 23 {
				got, err := SearchSelf(x, Options{K: k, ExcludeSelf: true, Algorithm: KDTree, Metric: metric})
				if err != nil {
					t.Fatal(err)
				}
				sameResult(t, name+" definition", got, brute(x, x, k, metric, true), 0)
				got, err = SearchSelf32(x32, Options{K: k, ExcludeSelf: true, Algorithm: KDTree, Metric: metric})
				if err != nil {
					t.Fatal(err)
				}
				sameResult(t, name+" definition32", got, brute(x32.ToDense(), x32.ToDense(), k, metric, true), 0)
			}
		}
	}
}

// sameAlgorithms runs f with the brute force and the tree and checks the
// results are identical.
func sameAlgorithms(t *testing.T, name string, o Options, f func(Options) (*Result, error)) {
	t.Helper()
	o.Algorithm = Brute
	b, err := f(o)
	if err != nil {
		t.Fatalf("%s brute: %v", name, err)
	}
	o.Algorithm = KDTree
	k, err := f(o)
	if err != nil {
		t.Fatalf("%s tree: %v", name, err)
	}
	if b.Algorithm != Brute || k.Algorithm != KDTree {
		t.Fatalf("%s: ran %v and %v", name, b.Algorithm, k.Algorithm)
	}
	identical(t, name, b, k)
}

// TestCountWithinAlgorithms checks the tree and brute-force pair counts
// against a double loop, on the data sets above with radii at attained
// distances (the inequality is strict) and at 0.
func TestCountWithinAlgorithms(t *testing.T) {
	for name, x := range treeCases(t) {
		n, _ := x.Dims()
		radii := []float64{0, 1e-300, 1, 0.5, 2}
		radii = append(radii, euclid(x.RawRowView(0), x.RawRowView(n-1)), euclid(x.RawRowView(3), x.RawRowView(5)))
		want := make([]int64, len(radii))
		for i := range n {
			for j := range n {
				if i == j {
					continue
				}
				dist := euclid(x.RawRowView(i), x.RawRowView(j))
				for t, r := range radii {
					if dist < r {
						want[t]++
					}
				}
			}
		}
		for _, alg := range []Algorithm{KDTree, Brute, Auto} {
			for _, o := range []Options{{LeafSize: 2, BlockSize: 16, Workers: 3}, {}} {
				o.Algorithm = alg
				got, err := CountWithin(x, radii, o)
				if err != nil {
					t.Fatal(err)
				}
				for r := range radii {
					if got[r] != want[r] {
						t.Errorf("%s %v: radius %v: %d pairs, want %d", name, alg, radii[r], got[r], want[r])
					}
				}
			}
		}
	}
}

// TestTreeErrors checks the tree's own argument errors.
func TestTreeErrors(t *testing.T) {
	x := sample.Gaussian(rand.New(rand.NewPCG(1, 1)), 10, 2)
	if _, err := SearchSelf(x, Options{K: 2, Metric: InnerProduct, Algorithm: KDTree}); err == nil {
		t.Error("KD-tree with the inner product accepted")
	}
	if _, err := SearchSelf(x, Options{K: 2, Algorithm: 9}); err == nil {
		t.Error("unknown algorithm accepted")
	}
	if _, err := CountWithin(x, []float64{1}, Options{Algorithm: 9}); err == nil {
		t.Error("unknown algorithm accepted by CountWithin")
	}
	for _, c := range []struct {
		n, d, k int
		metric  Metric
		want    Algorithm
	}{
		{1000, 3, 10, InnerProduct, Brute},
		{2500, 5, 20, Euclidean, KDTree},
		{2500, 5, 100, Euclidean, Brute},
		{2500, 6, 2, Cosine, Brute},
		{20000, 7, 20, Euclidean, KDTree},
		{100000, 8, 20, Euclidean, KDTree},
		{100000, 9, 2, Euclidean, Brute},
	} {
		if got := Choose(c.n, c.n, c.d, c.k, c.metric, false); got != c.want {
			t.Errorf("Choose(n=%d, d=%d, K=%d, %v) = %v, want %v", c.n, c.d, c.k, c.metric, got, c.want)
		}
	}
}

// FuzzTree builds small data sets from the fuzzer's bytes, values from a
// few levels so that duplicates and ties are common, and checks that the
// tree, brute force and the definition agree, for searches and counts.
func FuzzTree(f *testing.F) {
	f.Add([]byte{3, 2, 1, 0, 1, 2, 3, 3, 2, 1, 0, 0, 0, 0, 9, 9}, uint8(2), uint8(3))
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, uint8(1), uint8(1))
	f.Add([]byte{0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 200, 7, 7, 7, 7, 1}, uint8(3), uint8(4))
	f.Fuzz(func(t *testing.T, raw []byte, dim, kk uint8) {
		d := int(dim%4) + 1
		n := len(raw) / d
		if n < 3 || n > 200 {
			return
		}
		x := mat.NewDense(n, d, nil)
		for i := range n {
			for j := range d {
				x.Set(i, j, float64(raw[i*d+j]%8)*0.25-0.5)
			}
		}
		k := int(kk)%(n-1) + 1
		o := Options{K: k, ExcludeSelf: true, LeafSize: 2 + int(kk)%5, BlockSize: 8 + int(kk)%9}
		sameAlgorithms(t, "fuzz self", o, func(o Options) (*Result, error) { return SearchSelf(x, o) })
		sameAlgorithms(t, "fuzz self32", o, func(o Options) (*Result, error) { return SearchSelf32(mat32.FromDense(x), o) })
		o.Algorithm = KDTree
		got, err := SearchSelf(x, o)
		if err != nil {
			t.Fatal(err)
		}
		sameResult(t, "fuzz definition", got, brute(x, x, k, Euclidean, true), 0)
		radii := []float64{0.25, 0.5, 1}
		a, err := CountWithin(x, radii, Options{Algorithm: KDTree, LeafSize: 2})
		if err != nil {
			t.Fatal(err)
		}
		b, err := CountWithin(x, radii, Options{Algorithm: Brute, BlockSize: 8})
		if err != nil {
			t.Fatal(err)
		}
		for r := range radii {
			if a[r] != b[r] {
				t.Fatalf("radius %v: tree %d pairs, brute %d", radii[r], a[r], b[r])
			}
		}
	})
}

// TestTreeProgressAndCancel checks that the KD-tree's self and cross
// searches and its pair count report progress (increasing, ending at the
// number of queries) and stop with the callback's error, for float64 and
// float32, on one worker and on several.
func TestTreeProgressAndCancel(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	x := sample.Gaussian(rng, 3000, 3)
	q := sample.Gaussian(rng, 1500, 3)
	x32, q32 := mat32.FromDense(x), mat32.FromDense(q)
	stop := errors.New("stop here")
	runs := []struct {
		name  string
		total int
		f     func(o Options) error
	}{
		{"self", 3000, func(o Options) error { _, err := SearchSelf(x, o); return err }},
		{"self32", 3000, func(o Options) error { _, err := SearchSelf32(x32, o); return err }},
		{"cross", 1500, func(o Options) error { _, err := Search(x, q, o); return err }},
		{"cross32", 1500, func(o Options) error { _, err := Search32(x32, q32, o); return err }},
		{"count", 3000, func(o Options) error { _, err := CountWithin(x, []float64{0.1, 0.5}, o); return err }},
	}
	for _, r := range runs {
		for _, workers := range []int{1, 3} {
			name := fmt.Sprintf("%s workers=%d", r.name, workers)
			var seen []int
			var mu sync.Mutex
			o := Options{K: 5, ExcludeSelf: r.name == "self" || r.name == "self32", Algorithm: KDTree, Workers: workers,
				Progress: func(done, total int) error {
					mu.Lock()
					defer mu.Unlock()
					if total != r.total {
						t.Errorf("%s: total %d, want %d", name, total, r.total)
					}
					seen = append(seen, done)
					return nil
				}}
			if err := r.f(o); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !slices.IsSorted(seen) || len(seen) < 2 || seen[len(seen)-1] != r.total {
				t.Errorf("%s: progress reports %v, want several, increasing, ending at %d", name, seen, r.total)
			}
			calls := 0
			o.Progress = func(done, total int) error {
				mu.Lock()
				defer mu.Unlock()
				calls++
				if done >= total/4 {
					return stop
				}
				return nil
			}
			if err := r.f(o); !errors.Is(err, stop) {
				t.Errorf("%s: cancelled search returned %v, want %v", name, err, stop)
			}
			if calls >= len(seen) {
				t.Errorf("%s: %d progress calls after cancelling, as many as a full run (%d)", name, calls, len(seen))
			}
		}
	}
}
