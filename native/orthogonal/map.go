// Package orthogonal builds the norm-preserving adaptations of weight
// matrices used by orthogonal fine-tuning: Householder reflections and
// chains of them (HRA), ETHER and ETHER+ (one or two reflections per
// diagonal block), OFT's block-diagonal Cayley maps and BOFT's butterfly
// products of them, and the low-rank Householder projector. Each is a Map M
// of the layer's input space that adapts a weight W (out x in, PyTorch's
// nn.Linear layout) as W' = W M, which rotates every neuron (row of W) the
// same way and so keeps the angles between neurons: Analyze reports the
// orthogonality error of M, the change in hyperspherical energy of the
// neurons, and the parameter count next to LoRA's at a given rank.
//
// HRA and OFT also give the gradient of a loss with respect to their
// parameters from the gradient with respect to W', which native/nn uses to
// train them. Conventions follow Hugging Face PEFT (HRA, OFT, BOFT) and the
// ETHER paper (Bini et al. 2024); the Cayley map is R = (I + S)(I - S)^-1.
package orthogonal

import (
	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/check"
)

// chk words orthogonal's argument errors.
var chk = check.New("orthogonal")

// Map is an adaptation of a layer's input space: W' = W M for a weight W
// with Dim() columns.
type Map interface {
	// Name says which construction the map is ("hra", "oft", ...).
	Name() string
	// Dim returns n, the size of the square matrix M.
	Dim() int
	// Params returns the number of trainable parameters.
	Params() int
	// Matrix returns M (n x n).
	Matrix() *mat.Dense
	// Apply returns W M for W with n columns, using the map's structure
	// (cheaper than multiplying by Matrix()).
	Apply(w *mat.Dense) (*mat.Dense, error)
}

// checkWeight validates w (out x n) for a map of size n.
func checkWeight(w *mat.Dense, n int) (int, error) {
	m, c, err := chk.Dense("weight", w)
	if err != nil {
		return 0, err
	}
	if c != n {
		return 0, chk.Errorf("weight is %d x %d but the map acts on %d inputs (the weight needs %d columns)", m, c, n, n)
	}
	return m, nil
}

// checkGrad validates a gradient with the same shape as w.
func checkGrad(w, g *mat.Dense) error {
	m, n := w.Dims()
	gm, gn, err := chk.Dense("gradient", g)
	if err != nil {
		return err
	}
	if gm != m || gn != n {
		return chk.Errorf("gradient is %d x %d but the weight is %d x %d", gm, gn, m, n)
	}
	return nil
}

func identity(n int) *mat.Dense {
	e := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		e.Set(i, i, 1)
	}
	return e
}

// Apply returns W M for any map (through its Apply). O(the map's Apply).
func Apply(w *mat.Dense, m Map) (*mat.Dense, error) {
	if m == nil {
		return nil, chk.Errorf("map is nil")
	}
	return m.Apply(w)
}
