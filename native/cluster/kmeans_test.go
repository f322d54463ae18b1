package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// blobs returns k Gaussian blobs of per points in d dimensions with unit
// spread around centres drawn with spread sep, and the true labels.
func blobs(seed uint64, k, per, d int, sep float64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := sample.Gaussian(rng, k, d)
	centres.Scale(sep, centres)
	x := sample.Gaussian(rng, k*per, d)
	truth := make([]int, k*per)
	for i := range truth {
		truth[i] = i % k
		row := x.RawRowView(i)
		for j := range row {
			row[j] += centres.At(truth[i], j)
		}
	}
	return x, truth
}

// TestKMeansMatchesSklearn runs sklearn's KMeans(algorithm="lloyd") from the
// same initial centres in the same test: labels, iteration count, centres
// and inertia must agree, including a run where a centre placed far away
// loses all its points and is relocated, and runs stopped by max_iter or by
// the tolerance.
func TestKMeansMatchesSklearn(t *testing.T) {
	x, _ := blobs(3, 6, 400, 8, 2.5) // overlapping blobs: several iterations
	rng := rand.New(rand.NewPCG(9, 9))
	pick := func(k int) *mat.Dense {
		return rowsOf(x, rng.Perm(2400)[:k])
	}
	far := pick(7)
	for j := 0; j < 8; j++ {
		far.Set(6, j, 1000)
	}
	cases := []struct {
		name    string
		init    *mat.Dense
		maxIter int
		tol     float64 // ours; sklearn gets max(tol, 0)
	}{
		{"converged", pick(6), 300, 1e-4},
		{"exact labels", pick(10), 300, -1},
		{"max_iter 3", pick(12), 3, -1},
		{"empty cluster relocated", far, 300, -1},
		{"loose tol", pick(8), 300, 1e-1},
	}
	type ref struct {
		Labels  []int       `json:"labels"`
		Centers [][]float64 `json:"centers"`
		Inertia float64     `json:"inertia"`
		NIter   int         `json:"n_iter"`
	}
	var in []map[string]any
	for _, c := range cases {
		in = append(in, map[string]any{"init": pyref.Rows(c.init), "max_iter": c.maxIter, "tol": max(c.tol, 0)})
	}
	var want []ref
	pyref.JSON(t, "testdata/kmeans_ref.py", map[string]any{"x": pyref.WriteNPY(t, x), "cases": in}, &want)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := FitKMeans(x, KMeansOptions{K: len(want[i].Centers), Init: c.init, MaxIter: c.maxIter, Tol: c.tol})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Labels, want[i].Labels) {
				t.Errorf("labels differ from sklearn's")
			}
			if got.Iter != want[i].NIter {
				t.Errorf("iterations %d, sklearn %d", got.Iter, want[i].NIter)
			}
			if r := math.Abs(got.Inertia-want[i].Inertia) / want[i].Inertia; r > 1e-10 {
				t.Errorf("inertia %v, sklearn %v (rel. diff %.2g)", got.Inertia, want[i].Inertia, r)
			}
			for l, row := range want[i].Centers {
				for j, v := range row {
					if e := math.Abs(got.Centers.At(l, j) - v); e > 1e-10 {
						t.Fatalf("centre %d, column %d: %v, sklearn %v", l, j, got.Centers.At(l, j), v)
					}
				}
			}
		})
	}
}

// TestKMeansRecoversBlobs: on well separated blobs, k-means++ puts one
// centre in each blob (uniform draws would do so for 8 blobs with
// probability 8!/8^8 < 0.3%) and the clustering is the true partition.
func TestKMeansRecoversBlobs(t *testing.T) {
	x, truth := blobs(5, 8, 250, 16, 20)
	for seed := uint64(0); seed < 5; seed++ {
		idx, err := KMeansPlusPlus(x, 8, seed)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, i := range idx {
			seen[truth[i]] = true
		}
		if len(seen) != 8 {
			t.Errorf("seed %d: k-means++ covered %d of 8 blobs", seed, len(seen))
		}
		fit, err := FitKMeans(x, KMeansOptions{K: 8, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if !samePartition(fit.Labels, truth) {
			t.Errorf("seed %d: labels are not the blobs", seed)
		}
		if !fit.Converged {
			t.Errorf("seed %d: not converged after %d iterations", seed, fit.Iter)
		}
		pred, err := fit.Predict(x)
		if err != nil || !slices.Equal(pred, fit.Labels) {
			t.Errorf("seed %d: Predict on the training points differs from Labels (%v)", seed, err)
		}
	}
}

// samePartition reports whether a and b group the points identically.
func samePartition(a, b []int) bool {
	ab, ba := map[int]int{}, map[int]int{}
	for i := range a {
		if v, ok := ab[a[i]]; ok && v != b[i] {
			return false
		}
		if v, ok := ba[b[i]]; ok && v != a[i] {
			return false
		}
		ab[a[i]], ba[b[i]] = b[i], a[i]
	}
	return true
}

// TestKMeansProperties: the inertia never grows with more iterations from
// the same start, it equals the exact sum of squared distances to the
// centres, each centre is the mean of its points, more runs never give a
// worse fit, the same seed gives the same fit, and float32 input agrees.
func TestKMeansProperties(t *testing.T) {
	x, _ := blobs(11, 5, 300, 6, 1.5)
	init := rowsOf(x, []int{0, 1, 2, 3, 4, 5, 6})
	prev := math.Inf(1)
	for it := 1; it <= 12; it++ {
		fit, err := FitKMeans(x, KMeansOptions{K: 7, Init: init, MaxIter: it, Tol: -1})
		if err != nil {
			t.Fatal(err)
		}
		if fit.Inertia > prev*(1+1e-12) {
			t.Errorf("inertia grew from %v to %v at %d iterations", prev, fit.Inertia, it)
		}
		prev = fit.Inertia
	}
	one, _ := FitKMeans(x, KMeansOptions{K: 7, Seed: 1})
	var s float64
	mean := mat.NewDense(7, 6, nil)
	count := make([]float64, 7)
	for i, l := range one.Labels {
		row := x.RawRowView(i)
		s += linalg.SqDist(row, one.Centers.RawRowView(l))
		count[l]++
		for j, v := range row {
			mean.Set(l, j, mean.At(l, j)+v)
		}
	}
	if math.Abs(s-one.Inertia) > 1e-9*s {
		t.Errorf("inertia %v, sum of squared distances %v", one.Inertia, s)
	}
	for l := range 7 {
		for j := range 6 {
			if e := math.Abs(mean.At(l, j)/count[l] - one.Centers.At(l, j)); e > 1e-12 {
				t.Fatalf("centre %d is not the mean of its points (column %d off by %g)", l, j, e)
			}
		}
	}
	many, _ := FitKMeans(x, KMeansOptions{K: 7, Seed: 1, Runs: 6})
	if many.Inertia > one.Inertia {
		t.Errorf("6 runs gave inertia %v > 1 run %v", many.Inertia, one.Inertia)
	}
	again, _ := FitKMeans(x, KMeansOptions{K: 7, Seed: 1})
	if !slices.Equal(again.Labels, one.Labels) || again.Inertia != one.Inertia {
		t.Error("the same seed gave a different fit")
	}
	x32 := mat32.FromDense(x)
	f32, err := FitKMeans32(x32, KMeansOptions{K: 7, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r := math.Abs(f32.Inertia-one.Inertia) / one.Inertia; r > 1e-5 {
		t.Errorf("float32 inertia %v vs float64 %v", f32.Inertia, one.Inertia)
	}
}

// TestKMeansBadInput: every bad argument is an error naming it.
func TestKMeansBadInput(t *testing.T) {
	x, _ := blobs(1, 2, 10, 3, 5)
	nan := mat.DenseCopyOf(x)
	nan.Set(4, 1, math.NaN())
	fit, _ := FitKMeans(x, KMeansOptions{K: 2})
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"nil", func() error { _, err := FitKMeans(nil, KMeansOptions{K: 2}); return err }, "x is nil"},
		{"empty", func() error { _, err := FitKMeans(&mat.Dense{}, KMeansOptions{K: 2}); return err }, "x is empty"},
		{"NaN", func() error { _, err := FitKMeans(nan, KMeansOptions{K: 2}); return err }, "row 4, column 1"},
		{"K 0", func() error { _, err := FitKMeans(x, KMeansOptions{}); return err }, "K = 0 must be in [1, 20]"},
		{"K > n", func() error { _, err := FitKMeans(x, KMeansOptions{K: 21}); return err }, "K = 21 must be in [1, 20]"},
		{"Init shape", func() error {
			_, err := FitKMeans(x, KMeansOptions{K: 2, Init: mat.NewDense(3, 3, nil)})
			return err
		}, "Init is 3 x 3 but K = 2"},
		{"Init NaN", func() error {
			_, err := FitKMeans(x, KMeansOptions{K: 4, Init: rowsOf(nan, []int{1, 2, 3, 4})})
			return err
		}, "Init has a non-finite value"},
		{"Predict columns", func() error { _, err := fit.Predict(mat.NewDense(2, 4, nil)); return err }, "x has 4 columns but the centres have 3"},
		{"plus plus k", func() error { _, err := KMeansPlusPlus(x, 0, 1); return err }, "k = 0 must be in [1, 20]"},
		{"float32 NaN", func() error {
			_, err := FitKMeans32(mat32.FromDense(nan), KMeansOptions{K: 2})
			return err
		}, "x has a non-finite value"},
	}
	for _, c := range cases {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "cluster: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestKMeansStop: a progress callback that returns an error stops the fit.
func TestKMeansStop(t *testing.T) {
	x, _ := blobs(2, 4, 100, 4, 1)
	stop := errStop{}
	_, err := FitKMeans(x, KMeansOptions{K: 4, Tol: -1, Progress: func(done, total int) error {
		if done == 2 {
			return stop
		}
		return nil
	}})
	if err != stop {
		t.Fatalf("error %v, want the callback's", err)
	}
}

type errStop struct{}

func (errStop) Error() string { return "stop" }
