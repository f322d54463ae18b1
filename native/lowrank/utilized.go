package lowrank

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Utilization is the utilized rank of a layer's weight against the inputs
// it sees (after Garg et al. 2024, "Revealing the utilized rank of
// subspaces of learning"): a weight may be full rank, yet the inputs only
// occupy a few directions, and only W restricted to those directions acts.
type Utilization struct {
	// Energy is the energy fraction every rank below is taken at.
	Energy float64
	// InputRank is k_S, the rank of the inputs X (uncentred: the layer sees
	// x itself) for Energy.
	InputRank int
	// OutputRank is k_T, the rank of the outputs X W^T for Energy.
	OutputRank int
	// Rank is the utilized rank: the rank for Energy of W P_S, W projected
	// on the inputs' principal subspace (P_S = V_k V_k^T, k = InputRank).
	Rank int
	// WeightRank is the rank for Energy of W alone, for comparison.
	WeightRank int
	// MaxRank is min(out, in); Utilization is Rank / MaxRank.
	MaxRank     int
	Utilization float64
	// Projected is W P_S (out x in): on the inputs' principal subspace it
	// acts as W does.
	Projected *mat.Dense
}

// UtilizedRank measures how much of w (out x in) the inputs x (n x in,
// one input a row) use, at the energy fraction energy in (0, 1] (e.g.
// 0.99). Input and output spectra come from the Gram matrices X^T X and
// W X^T X W^T (eigenvalues are squared singular values). Cost: O(n in^2)
// for the Gram through BLAS, O(in^3 + out^3) for the eigendecompositions,
// O(out in min(out, in)) for the spectra of W and W P_S; O(in^2 + out in)
// memory. Errors: bad or non-finite matrices, column counts that differ,
// all-zero inputs, energy outside (0, 1].
func UtilizedRank(w, x *mat.Dense, energy float64) (*Utilization, error) {
	m, n, err := chk.Dense("weight", w)
	if err != nil {
		return nil, err
	}
	_, d, err := chk.Dense("inputs", x)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("inputs", d, "weight", n, "the inputs must have one column per input of the layer"); err != nil {
		return nil, err
	}
	if !(energy > 0 && energy <= 1) {
		return nil, chk.Errorf("energy fraction %v must be in (0, 1]", energy)
	}
	g := mat.NewSymDense(n, nil)
	g.SymOuterK(1, x.T())
	inVals, inVecs, err := eigenDescending(g, "inputs")
	if err != nil {
		return nil, err
	}
	u := &Utilization{Energy: energy, MaxRank: min(m, n)}
	if u.InputRank, err = rankOfEigen(inVals, energy, "inputs"); err != nil {
		return nil, err
	}
	// Output Gram W G W^T.
	var wg, wgw mat.Dense
	wg.Mul(w, g)
	wgw.Mul(&wg, w.T())
	out := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		for j := i; j < m; j++ {
			out.SetSym(i, j, 0.5*(wgw.At(i, j)+wgw.At(j, i)))
		}
	}
	outVals, _, err := eigenDescending(out, "outputs")
	if err != nil {
		return nil, err
	}
	if u.OutputRank, err = rankOfEigen(outVals, energy, "outputs"); err != nil {
		return nil, err
	}
	vk := inVecs.Slice(0, n, 0, u.InputRank)
	var wv mat.Dense
	wv.Mul(w, vk)
	u.Projected = mat.NewDense(m, n, nil)
	u.Projected.Mul(&wv, vk.T())
	if u.Rank, err = rankOf(u.Projected, energy); err != nil {
		return nil, fmt.Errorf("lowrank: W projected on the inputs' subspace: %w", err)
	}
	if u.WeightRank, err = rankOf(w, energy); err != nil {
		return nil, err
	}
	u.Utilization = float64(u.Rank) / float64(u.MaxRank)
	return u, nil
}

// eigenDescending returns the eigenvalues of g, descending, and the
// matching eigenvectors as columns.
func eigenDescending(g *mat.SymDense, what string) ([]float64, *mat.Dense, error) {
	var e mat.EigenSym
	if ok := e.Factorize(g, true); !ok {
		return nil, nil, chk.Errorf("eigendecomposition of the %s' Gram matrix did not converge", what)
	}
	vals := e.Values(nil)
	var vecs mat.Dense
	e.VectorsTo(&vecs)
	n := len(vals)
	desc := make([]float64, n)
	out := mat.NewDense(n, n, nil)
	for j := 0; j < n; j++ {
		desc[j] = vals[n-1-j]
		for i := 0; i < n; i++ {
			out.Set(i, j, vecs.At(i, n-1-j))
		}
	}
	return desc, out, nil
}

// rankOfEigen is the rank for the energy fraction p of the singular values
// sqrt(max(lambda, 0)).
func rankOfEigen(lambda []float64, p float64, what string) (int, error) {
	s := make([]float64, len(lambda))
	for i, l := range lambda {
		s[i] = math.Sqrt(max(l, 0))
	}
	spec, err := SpectrumOf(s)
	if err != nil {
		return 0, fmt.Errorf("lowrank: %s: %w", what, err)
	}
	return spec.RankFor(p)
}

func rankOf(w *mat.Dense, p float64) (int, error) {
	spec, err := NewSpectrum(w)
	if err != nil {
		return 0, err
	}
	return spec.RankFor(p)
}
