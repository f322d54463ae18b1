package linalg

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

func randGeneral(rng *rand.Rand, m, n, stride int) blas64.General {
	g := blas64.General{Rows: m, Cols: n, Stride: stride, Data: make([]float64, m*stride)}
	for i := range g.Data {
		g.Data[i] = rng.NormFloat64()
	}
	return g
}

// TestThinSVD checks the factorisation on tall, wide, square, strided and
// rank-deficient matrices: a = U S Vt to 1e-12 relative, U^T U = I,
// Vt Vt^T = I, singular values descending and equal to gonum's (the
// pure Go path) to 1e-12 relative.
func TestThinSVD(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name         string
		m, n, stride int
		rank         int
	}{
		{"tall", 40, 7, 7, 0},
		{"wide", 6, 30, 30, 0},
		{"square", 25, 25, 25, 0},
		{"strided", 12, 5, 9, 0},
		{"rank 3", 20, 10, 10, 3},
		{"one", 1, 1, 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := randGeneral(rng, c.m, c.n, c.stride)
			if c.rank > 0 {
				l := randGeneral(rng, c.m, c.rank, c.rank)
				r := randGeneral(rng, c.rank, c.n, c.n)
				blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, l, r, 0, a)
			}
			orig := append([]float64(nil), a.Data...)
			s, ok := ThinSVD(a)
			if !ok {
				t.Fatal("ThinSVD failed")
			}
			for i := range orig {
				if orig[i] != a.Data[i] {
					t.Fatal("ThinSVD modified its input")
				}
			}
			k := min(c.m, c.n)
			if len(s.S) != k || s.U.Rows != c.m || s.U.Cols != k || s.Vt.Rows != k || s.Vt.Cols != c.n {
				t.Fatalf("shapes: S %d U %dx%d Vt %dx%d", len(s.S), s.U.Rows, s.U.Cols, s.Vt.Rows, s.Vt.Cols)
			}
			var norm float64
			for i := 0; i < c.m; i++ {
				for j := 0; j < c.n; j++ {
					norm = math.Max(norm, math.Abs(a.Data[i*a.Stride+j]))
				}
			}
			for i := 0; i < c.m; i++ {
				for j := 0; j < c.n; j++ {
					var v float64
					for l := 0; l < k; l++ {
						v += s.U.Data[i*s.U.Stride+l] * s.S[l] * s.Vt.Data[l*s.Vt.Stride+j]
					}
					if e := math.Abs(v - a.Data[i*a.Stride+j]); e > 1e-12*norm*float64(k) {
						t.Fatalf("reconstruction error %g at (%d, %d)", e, i, j)
					}
				}
			}
			checkOrthonormal(t, "U columns", s.U, true)
			checkOrthonormal(t, "Vt rows", s.Vt, false)
			ref, ok := gonumSVD(a, false)
			if !ok {
				t.Fatal("gonum SVD failed")
			}
			for i := range ref.S {
				if i > 0 && s.S[i] > s.S[i-1] {
					t.Fatalf("singular values not descending: %v", s.S)
				}
				if math.Abs(ref.S[i]-s.S[i]) > 1e-12*ref.S[0] {
					t.Fatalf("singular value %d: %v, gonum %v", i, s.S[i], ref.S[i])
				}
			}
			vals, ok := SingularValues(a)
			if !ok {
				t.Fatal("SingularValues failed")
			}
			for i := range vals {
				if math.Abs(vals[i]-s.S[i]) > 1e-12*s.S[0] {
					t.Fatalf("SingularValues[%d] = %v, ThinSVD %v", i, vals[i], s.S[i])
				}
			}
		})
	}
}

// checkOrthonormal checks G^T G = I (cols) or G G^T = I (rows) to 1e-12,
// skipping directions of zero singular value is not needed: LAPACK and
// gonum both complete the thin bases to orthonormal ones.
func checkOrthonormal(t *testing.T, name string, g blas64.General, cols bool) {
	t.Helper()
	k := g.Rows
	tr := blas.NoTrans
	if cols {
		k = g.Cols
		tr = blas.Trans
	}
	c := blas64.General{Rows: k, Cols: k, Stride: k, Data: make([]float64, k*k)}
	if cols {
		blas64.Gemm(tr, blas.NoTrans, 1, g, g, 0, c)
	} else {
		blas64.Gemm(blas.NoTrans, blas.Trans, 1, g, g, 0, c)
	}
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(c.Data[i*k+j]-want) > 1e-12 {
				t.Fatalf("%s not orthonormal: (%d, %d) = %v", name, i, j, c.Data[i*k+j])
			}
		}
	}
}

// TestEmpty: empty matrices factorise to empty factors without calling
// LAPACK.
func TestEmpty(t *testing.T) {
	s, ok := ThinSVD(blas64.General{Rows: 0, Cols: 3, Stride: 3})
	if !ok || len(s.S) != 0 {
		t.Fatalf("empty: %v %v", s, ok)
	}
	v, ok := SingularValues(blas64.General{Rows: 2, Cols: 0, Stride: 1})
	if !ok || len(v) != 0 {
		t.Fatalf("empty values: %v %v", v, ok)
	}
}
