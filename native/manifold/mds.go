// Package manifold embeds point sets from their distances: classical
// (Torgerson) multidimensional scaling, its raw stress, and heat-geodesic
// distances on a k-nearest-neighbour graph (Varadhan's formula on the
// graph heat kernel, as HeatGeo) with their MDS embedding.
//
// Distance matrices are n x n, symmetric, with a zero diagonal; points
// are rows.
package manifold

import (
	"math"

	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/check"
)

var chk = check.New("manifold")

// MDS is a classical multidimensional scaling embedding.
type MDS struct {
	// Embedding is n x k: row i holds point i's coordinates.
	Embedding *mat.Dense
	// Eigenvalues are the k largest eigenvalues of the double-centred
	// Gram matrix B = -1/2 J D^2 J, decreasing (negative ones give zero
	// coordinates: the distances are not Euclidean in k dimensions).
	Eigenvalues []float64
	// Stress is the raw stress of the embedding (see Stress).
	Stress float64
}

// ClassicalMDS embeds the n points whose pairwise distances are dist
// (n x n, symmetric, zero diagonal, finite, non-negative) in k dimensions
// (Torgerson 1952): the top k eigenpairs (lambda_i, v_i) of
// B = -1/2 J D^(2) J (J the centring matrix, D^(2) the squared
// distances) give coordinates v_i sqrt(max(lambda_i, 0)). For Euclidean
// distances of points in k dimensions it recovers the points up to a
// rigid motion exactly. Each coordinate's sign is fixed so that its
// largest-magnitude entry is positive. Cost: O(n^3) for the
// eigen-decomposition, O(n^2) memory.
func ClassicalMDS(dist mat.Matrix, k int) (*MDS, error) {
	d, n, err := squareDistances("dist", dist)
	if err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, n, "at most the number of points"); err != nil {
		return nil, err
	}
	// B = -1/2 J D2 J by row, column and grand means of D2.
	rm := make([]float64, n)
	var g float64
	for i := range n {
		for j := range n {
			v := d.At(i, j)
			rm[i] += v * v
		}
		g += rm[i]
		rm[i] /= float64(n)
	}
	g /= float64(n * n)
	b := mat.NewSymDense(n, nil)
	for i := range n {
		for j := i; j < n; j++ {
			v := d.At(i, j)
			b.SetSym(i, j, -0.5*(v*v-rm[i]-rm[j]+g))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(b, true) {
		return nil, chk.Errorf("the eigen-decomposition of the %d x %d Gram matrix did not converge", n, n)
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	out := &MDS{Embedding: mat.NewDense(n, k, nil), Eigenvalues: make([]float64, k)}
	for c := range k {
		src := n - 1 - c
		l := vals[src]
		out.Eigenvalues[c] = l
		s := math.Sqrt(math.Max(l, 0))
		col := mat.Col(nil, src, &vecs)
		big := 0
		for i, v := range col {
			if math.Abs(v) > math.Abs(col[big]) {
				big = i
			}
		}
		if col[big] < 0 {
			s = -s
		}
		for i, v := range col {
			out.Embedding.Set(i, c, v*s)
		}
	}
	out.Stress, _ = Stress(d, out.Embedding)
	return out, nil
}

// Stress returns the raw stress sum_{i<j} (||e_i - e_j|| - dist_ij)^2 of
// the embedding emb (n x k) against dist (n x n): scikit-learn's MDS
// stress_ (its SMACOF minimises it). O(n^2 k).
func Stress(dist mat.Matrix, emb *mat.Dense) (float64, error) {
	d, n, err := squareDistances("dist", dist)
	if err != nil {
		return 0, err
	}
	ne, _, err := chk.Dense("emb", emb)
	if err != nil {
		return 0, err
	}
	if err := chk.SameRows("emb", ne, "dist", n, "one embedded point a distance row"); err != nil {
		return 0, err
	}
	var s float64
	for i := range n {
		ei := emb.RawRowView(i)
		for j := i + 1; j < n; j++ {
			var q float64
			for c, v := range emb.RawRowView(j) {
				t := ei[c] - v
				q += t * t
			}
			r := math.Sqrt(q) - d.At(i, j)
			s += r * r
		}
	}
	return s, nil
}

// squareDistances validates a distance matrix: square, finite,
// non-negative, zero diagonal, symmetric to 1e-9 relative.
func squareDistances(name string, m mat.Matrix) (*mat.Dense, int, error) {
	if m == nil {
		return nil, 0, chk.Errorf("%s is nil (nil matrix)", name)
	}
	r, c := m.Dims()
	if r != c || r == 0 {
		return nil, 0, chk.Errorf("%s is %d x %d: a distance matrix is square and non-empty", name, r, c)
	}
	d := mat.DenseCopyOf(m)
	if _, _, err := chk.Dense(name, d); err != nil {
		return nil, 0, err
	}
	scale := mat.Max(d)
	for i := range r {
		if d.At(i, i) != 0 {
			return nil, 0, chk.Errorf("%s has %v on the diagonal at %d: distances to self must be 0", name, d.At(i, i), i)
		}
		for j := range r {
			v := d.At(i, j)
			if v < 0 {
				return nil, 0, chk.Errorf("%s has a negative distance %v at row %d, column %d", name, v, i, j)
			}
			if math.Abs(v-d.At(j, i)) > 1e-9*scale {
				return nil, 0, chk.Errorf("%s is not symmetric at row %d, column %d (%v vs %v)", name, i, j, v, d.At(j, i))
			}
		}
	}
	return d, r, nil
}
