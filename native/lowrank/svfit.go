package lowrank

import (
	"gonum.org/v1/gonum/mat"
)

// SVFit is a singular-value fine-tuning split (after SVFit, Sun et al.
// 2024): W = Residual + U diag(S) V^T with the r leading singular vectors U
// (out x r) and V (in x r) frozen and only the r singular values S
// trainable; r is the smallest rank carrying a chosen fraction of W's
// energy.
type SVFit struct {
	// U (out x r) and V (in x r) are the frozen singular vectors.
	U, V *mat.Dense
	// S holds the r trainable singular values (initially W's leading ones).
	S []float64
	// Residual is W - U diag(S) V^T for the initial S (the minor part).
	Residual *mat.Dense
	// Rank is r; Energy is the fraction of ||W||_F^2 the r components carry.
	Rank   int
	Energy float64
}

// NewSVFit splits w keeping the leading components that carry at least the
// fraction energy (0 < energy <= 1) of ||W||_F^2. Cost: one exact thin SVD,
// O(out in min(out, in)). Errors: bad weight, energy outside (0, 1].
func NewSVFit(w *mat.Dense, energy float64) (*SVFit, error) {
	if _, _, err := chk.Dense("weight", w); err != nil {
		return nil, err
	}
	full, err := thinSVD(w)
	if err != nil {
		return nil, err
	}
	spec, err := SpectrumOf(full.S)
	if err != nil {
		return nil, err
	}
	r, err := spec.RankFor(energy)
	if err != nil {
		return nil, err
	}
	top := full.keep(0, r)
	f := &SVFit{U: top.U, V: top.V, S: top.S, Rank: r, Energy: spec.Energy[r-1]}
	lead, _ := f.Weight(f.S) // the residual is not set yet: U diag(S) V^T
	lead.Sub(w, lead)
	f.Residual = lead
	return f, nil
}

// Weight returns U diag(s) V^T plus the residual when it is set (i.e.
// W with singular values s in place of the leading ones): len(s) must be
// Rank. O(out in r).
func (f *SVFit) Weight(s []float64) (*mat.Dense, error) {
	if len(s) != f.Rank {
		return nil, chk.Errorf("%d singular values given, the split has rank %d", len(s), f.Rank)
	}
	m, _ := f.U.Dims()
	n, _ := f.V.Dims()
	us := mat.NewDense(m, f.Rank, nil)
	for j, v := range s {
		for i := 0; i < m; i++ {
			us.Set(i, j, f.U.At(i, j)*v)
		}
	}
	out := mat.NewDense(m, n, nil)
	out.Mul(us, f.V.T())
	if f.Residual != nil {
		out.Add(out, f.Residual)
	}
	return out, nil
}

// Params returns the number of trainable parameters (Rank). O(1).
func (f *SVFit) Params() int { return f.Rank }
