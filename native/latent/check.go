package latent

import (
	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// chk words latent's argument errors ("latent: X has 10 rows but Y has 9").
var chk = check.New("latent")

// dense validates a matrix argument (non-nil, non-empty, finite) and
// returns it as a *mat.Dense with its shape. O(n d).
func dense(name string, m mat.Matrix) (*mat.Dense, int, int, error) {
	return chk.Matrix(name, m)
}

// dense32 validates a float32 matrix argument. O(n d).
func dense32(name string, m *mat32.Dense) (int, int, error) {
	return chk.Dense32(name, m)
}

// pair validates x and y as the two sides of paired points: both valid,
// same number of rows. O(n (dx + dy)).
func pair(xname string, x mat.Matrix, yname string, y mat.Matrix) (xd, yd *mat.Dense, err error) {
	xd, nx, _, err := dense(xname, x)
	if err != nil {
		return nil, nil, err
	}
	yd, ny, _, err := dense(yname, y)
	if err != nil {
		return nil, nil, err
	}
	if err := chk.SameRows(xname, nx, yname, ny, "row i of both must be the same point"); err != nil {
		return nil, nil, err
	}
	return xd, yd, nil
}

// rows copies the rows idx of x into a new len(idx) x d matrix.
// O(len(idx) d).
func rows(x *mat.Dense, idx []int) *mat.Dense {
	_, d := x.Dims()
	out := mat.NewDense(len(idx), d, nil)
	for i, j := range idx {
		copy(out.RawRowView(i), x.RawRowView(j))
	}
	return out
}

// Rows returns the rows idx of x as a new matrix (the anchors' vectors
// from their indices), after checking x and that every index is in
// range. O(len(idx) d).
func Rows(x mat.Matrix, idx []int) (*mat.Dense, error) {
	xd, n, _, err := dense("x", x)
	if err != nil {
		return nil, err
	}
	if err := checkIndices("idx", idx, n); err != nil {
		return nil, err
	}
	return rows(xd, idx), nil
}

// checkIndices returns an error naming the first index outside [0, n).
func checkIndices(name string, idx []int, n int) error {
	if len(idx) == 0 {
		return chk.Errorf("%s is empty: no rows selected", name)
	}
	for i, j := range idx {
		if j < 0 || j >= n {
			return chk.Errorf("%s[%d] = %d is outside [0, %d)", name, i, j, n)
		}
	}
	return nil
}
