// Package lowrank analyses and splits weight matrices into low-rank parts:
// exact and randomized truncated SVD, the singular spectrum with energy
// curves, Eckart-Young bounds, stable and effective rank, the
// initialisations of parameter-efficient fine-tuning that split a weight W
// (out x in, PyTorch's nn.Linear layout) into a frozen residual and a
// trainable product B A (LoRA, PiSSA, MiLoRA, OLoRA, and SVFit-style
// singular-value tuning), the reconstruction error of each split against
// the Eckart-Young optimum, and the utilized rank of a weight against the
// activations that feed it.
//
// Conventions follow Hugging Face PEFT: A is r x in, B is out x r, the
// adapter adds Scaling * B A with Scaling = Alpha / r (Alpha / sqrt(r) with
// rsLoRA), and the split guarantees Residual + Scaling * B A = W.
// Randomized SVD is native/subspace's RandomizedSVD (Halko, Martinsson and
// Tropp); this package does not implement a second one.
package lowrank

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/subspace"
)

// chk words lowrank's argument errors ("lowrank: weight is nil ...").
var chk = check.New("lowrank")

// SVD is a truncated singular value decomposition w ~ U diag(S) V^T with U
// (m x k) and V (n x k) orthonormal and S descending (native/subspace's
// type).
type SVD = subspace.SVD

// SVDOptions selects how TruncatedSVD computes the leading triplets. The
// zero value is the exact (LAPACK) thin SVD.
type SVDOptions struct {
	// Randomized uses the randomized range finder (subspace.RandomizedSVD)
	// instead of the exact SVD: O(m n (r+p)(2q+2)) instead of
	// O(m n min(m, n)).
	Randomized bool
	// Oversample is the randomized method's number of extra directions p
	// (0 = 10).
	Oversample int
	// PowerIters is the randomized method's number of power iterations q
	// (0 = automatic as scikit-learn: 7 when r < 0.1 min(m, n), else 4;
	// negative = none). PEFT's "pissa_niter_K" is PowerIters = K.
	PowerIters int
	// Seed of the randomized method's Gaussian test matrix.
	Seed uint64
}

// TruncatedSVD returns the r leading singular triplets of w (m x n),
// 1 <= r <= min(m, n). Exact: a thin SVD, O(m n min(m, n)) time and
// O((m + n) min(m, n)) memory. Randomized: see SVDOptions. Signs of the
// singular vectors are arbitrary. Errors: nil, empty or non-finite w, r
// out of range.
func TruncatedSVD(w *mat.Dense, r int, opts SVDOptions) (*SVD, error) {
	m, n, err := chk.Dense("weight", w)
	if err != nil {
		return nil, err
	}
	if err := checkRank(r, m, n); err != nil {
		return nil, err
	}
	if opts.Randomized {
		return subspace.RandomizedSVD(w, r, subspace.RSVDOptions{
			Oversample: opts.Oversample, PowerIters: opts.PowerIters, Seed: opts.Seed,
		})
	}
	full, err := thinSVD(w)
	if err != nil {
		return nil, err
	}
	return full.keep(0, r), nil
}

// ThinSVD returns all min(m, n) singular triplets of w (exact LAPACK thin
// SVD). O(m n min(m, n)) time. Errors: nil, empty or non-finite w.
func ThinSVD(w *mat.Dense) (*SVD, error) {
	if _, _, err := chk.Dense("weight", w); err != nil {
		return nil, err
	}
	f, err := thinSVD(w)
	if err != nil {
		return nil, err
	}
	return f.SVD, nil
}

// fullSVD wraps a thin SVD to slice triplets out of it.
type fullSVD struct{ *SVD }

// thinSVD factors w through native/internal/linalg (LAPACK's dgesdd from
// OpenBLAS under the openblas tag, gonum otherwise).
func thinSVD(w *mat.Dense) (fullSVD, error) {
	m, n := w.Dims()
	f, ok := linalg.ThinSVD(w.RawMatrix())
	if !ok {
		return fullSVD{}, fmt.Errorf("lowrank: SVD of the %d x %d weight did not converge", m, n)
	}
	var u, vt mat.Dense
	u.SetRawMatrix(f.U)
	vt.SetRawMatrix(f.Vt)
	return fullSVD{&SVD{U: &u, S: f.S, V: mat.DenseCopyOf(vt.T())}}, nil
}

// keep returns the triplets lo..hi-1 (copies).
func (f fullSVD) keep(lo, hi int) *SVD {
	m, _ := f.U.Dims()
	n, _ := f.V.Dims()
	u := mat.NewDense(m, hi-lo, nil)
	u.Copy(f.U.Slice(0, m, lo, hi))
	v := mat.NewDense(n, hi-lo, nil)
	v.Copy(f.V.Slice(0, n, lo, hi))
	return &SVD{U: u, S: append([]float64(nil), f.S[lo:hi]...), V: v}
}

// checkRank requires 1 <= r <= min(m, n).
func checkRank(r, m, n int) error {
	if r < 1 || r > min(m, n) {
		return chk.Errorf("rank r = %d must be in [1, %d] for a %d x %d weight (min(out, in))", r, min(m, n), m, n)
	}
	return nil
}
