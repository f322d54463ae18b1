package geometry

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// gram returns m m^T.
func gram(m *mat.Dense) *mat.Dense {
	var g mat.Dense
	g.Mul(m, m.T())
	return &g
}

// checkEquiangular fails t unless the rows of m are unit vectors with
// pairwise cosine want (1e-12) summing to zero.
func checkEquiangular(t *testing.T, name string, m *mat.Dense, want float64) {
	t.Helper()
	g := gram(m)
	k, d := m.Dims()
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			w := want
			if i == j {
				w = 1
			}
			if math.Abs(g.At(i, j)-w) > 1e-12 {
				t.Fatalf("%s: cos(%d, %d) = %.16g, want %.16g", name, i, j, g.At(i, j), w)
			}
		}
	}
	for j := 0; j < d; j++ {
		if s := mat.Sum(m.ColView(j)); math.Abs(s) > 1e-12 {
			t.Fatalf("%s: column %d sums to %g", name, j, s)
		}
	}
}

// TestSimplexETF: cosines -1/(K-1) to 1e-12, from d = K-1 to d >> K,
// rotated or not; the d-simplex has cosines -1/d.
func TestSimplexETF(t *testing.T) {
	for _, kd := range [][2]int{{2, 1}, {2, 7}, {3, 2}, {5, 4}, {5, 5}, {10, 9}, {10, 64}, {100, 99}, {100, 512}} {
		for _, rot := range []bool{false, true} {
			m, err := SimplexETF(kd[0], kd[1], FrameOptions{Rotate: rot, Seed: 5})
			if err != nil {
				t.Fatal(err)
			}
			if r, c := m.Dims(); r != kd[0] || c != kd[1] {
				t.Fatalf("SimplexETF%v is %d x %d", kd, r, c)
			}
			checkEquiangular(t, "SimplexETF", m, -1/float64(kd[0]-1))
		}
	}
	for _, d := range []int{1, 2, 3, 10, 127} {
		m, err := DSimplex(d, FrameOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkEquiangular(t, "DSimplex", m, -1/float64(d))
	}
	if _, err := SimplexETF(5, 3, FrameOptions{}); err == nil || !strings.Contains(err.Error(), "want K >= 2 and d >= K-1") {
		t.Errorf("SimplexETF(5, 3): %v", err)
	}
	if _, err := DSimplex(0, FrameOptions{}); err == nil {
		t.Errorf("DSimplex(0) gave no error")
	}
}

// TestEquiangularBasis: N <= d vectors are orthonormal (1e-12); N = d+1
// reaches the Welch bound 1/d (the simplex, 1e-6); the Mercedes frame
// (N = 3, d = 2) and the icosahedron's 6 diagonals (N = 6, d = 3) are
// equiangular tight frames and are found; otherwise the max |cos| stays
// above the bound and well below a random configuration's.
func TestEquiangularBasis(t *testing.T) {
	for _, nd := range [][2]int{{1, 1}, {5, 8}, {64, 64}} {
		e, err := EquiangularBasis(nd[0], nd[1], EBVOptions{Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		g := gram(e.Vectors)
		for i := 0; i < nd[0]; i++ {
			for j := 0; j < nd[0]; j++ {
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(g.At(i, j)-want) > 1e-12 {
					t.Fatalf("N=%d d=%d: gram(%d, %d) = %g", nd[0], nd[1], i, j, g.At(i, j))
				}
			}
		}
		if e.WelchBound != 0 || e.MaxAbsCos > 1e-12 {
			t.Errorf("N=%d d=%d: %+v", nd[0], nd[1], e)
		}
	}
	for _, c := range []struct {
		n, d int
		tol  float64
	}{{3, 2, 1e-6}, {6, 3, 1e-4}, {11, 10, 1e-6}, {40, 10, -1}, {100, 20, -1}} {
		e, err := EquiangularBasis(c.n, c.d, EBVOptions{Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		start, _ := MaxAbsCosine(unitGaussian(c.n, c.d, 3))
		t.Logf("N=%d d=%d: max |cos| %.6f, Welch bound %.6f, random start %.3f", c.n, c.d, e.MaxAbsCos, e.WelchBound, start)
		if e.MaxAbsCos < e.WelchBound-1e-12 {
			t.Errorf("N=%d d=%d: max |cos| %v below the Welch bound %v", c.n, c.d, e.MaxAbsCos, e.WelchBound)
		}
		if c.tol > 0 && e.MaxAbsCos-e.WelchBound > c.tol {
			t.Errorf("N=%d d=%d: max |cos| %v, want the Welch bound %v within %g", c.n, c.d, e.MaxAbsCos, e.WelchBound, c.tol)
		}
		if c.tol < 0 && !(e.MaxAbsCos < 0.6*start && e.MaxAbsCos < 2*e.WelchBound) {
			t.Errorf("N=%d d=%d: max |cos| %v, random start %v, Welch %v", c.n, c.d, e.MaxAbsCos, start, e.WelchBound)
		}
		if got, _ := MaxAbsCosine(e.Vectors); math.Abs(got-e.MaxAbsCos) > 1e-14 {
			t.Errorf("MaxAbsCos %v but the vectors have %v", e.MaxAbsCos, got)
		}
		for i := 0; i < c.n; i++ {
			if nrm := mat.Norm(e.Vectors.RowView(i), 2); math.Abs(nrm-1) > 1e-12 {
				t.Fatalf("vector %d has norm %v", i, nrm)
			}
		}
	}
	if _, err := EquiangularBasis(0, 3, EBVOptions{}); err == nil {
		t.Error("N = 0 gave no error")
	}
}

func unitGaussian(n, d int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 77))
	m := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	u, _ := unitRows(m, "m")
	return u
}

// TestNearestPrototype: noisy features around scaled ETF prototypes are
// classified by their prototype under all three metrics, the same as an
// explicit argmax of cosines.
func TestNearestPrototype(t *testing.T) {
	x, labels, etf := collapsedFeatures(t, 6, 8, 50, 0.3, 6)
	for i := 0; i < len(labels); i++ { // remove the common offset
		row := x.RawRowView(i)
		for j := range row {
			row[j] -= 0.7
		}
	}
	for _, m := range []knn.Metric{knn.Cosine, knn.InnerProduct, knn.Euclidean} {
		pred, err := NearestPrototype(x, etf, m)
		if err != nil {
			t.Fatal(err)
		}
		acc, _ := Accuracy(pred, labels)
		if acc < 0.99 {
			t.Errorf("%v: accuracy %v", m, acc)
		}
	}
	pred, _ := NearestPrototype(x, etf, knn.Cosine)
	xu, _ := unitRows(x, "x")
	var cos mat.Dense
	cos.Mul(xu, etf.T())
	for i := range pred {
		best := 0
		for c := 1; c < 6; c++ {
			if cos.At(i, c) > cos.At(i, best) {
				best = c
			}
		}
		if pred[i] != best {
			t.Fatalf("row %d: prototype %d, argmax cosine %d", i, pred[i], best)
		}
	}
	if _, err := NearestPrototype(x, etf.Slice(0, 1, 0, 8).(*mat.Dense), knn.Cosine); err == nil {
		t.Error("one prototype gave no error")
	}
	if _, err := Accuracy([]int{1}, nil); err == nil {
		t.Error("Accuracy of mismatched lengths gave no error")
	}
}
