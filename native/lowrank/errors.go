package lowrank

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// SplitError compares the low-rank part of a split with the best rank-r
// approximation of W (Eckart-Young-Mirsky).
type SplitError struct {
	// Method and Rank of the split.
	Method string
	Rank   int
	// Frobenius is ||W - Scaling B A||_F: what the adapter's product leaves
	// out (the residual's size).
	Frobenius float64
	// Bound is the Eckart-Young optimum sqrt(sum_{i>r} s_i^2); Frobenius
	// >= Bound for every rank-r product, with equality for PiSSA.
	Bound float64
	// Ratio is Frobenius / Bound (1 = optimal; +Inf when W has rank <= r
	// and the split misses it).
	Ratio float64
	// Spectral is ||W - Scaling B A||_2 and SpectralBound is s_{r+1}.
	Spectral, SpectralBound float64
	// Reconstruction is ||Residual + Scaling B A - W||_F, the exactness of
	// the split itself (rounding only).
	Reconstruction float64
}

// Error measures the split against w (the weight it was made from) and
// w's spectrum (nil: computed here). Cost: the singular values of
// W - Scaling B A, O(out in min(out, in)), plus NewSpectrum when spec is
// nil. Errors: bad w, a shape that differs from the split's.
func (s *Split) Error(w *mat.Dense, spec *Spectrum) (*SplitError, error) {
	m, n, err := chk.Dense("weight", w)
	if err != nil {
		return nil, err
	}
	if rm, rn := s.Residual.Dims(); rm != m || rn != n {
		return nil, chk.Errorf("weight is %d x %d but the split is of a %d x %d weight", m, n, rm, rn)
	}
	if spec == nil {
		if spec, err = NewSpectrum(w); err != nil {
			return nil, err
		}
	}
	diff := s.Delta()
	diff.Sub(w, diff)
	e := &SplitError{Method: s.Method, Rank: s.Rank, Frobenius: mat.Norm(diff, 2),
		Bound: spec.FrobeniusBound(s.Rank), SpectralBound: spec.SpectralBound(s.Rank)}
	if rest, err := NewSpectrum(diff); err == nil {
		e.Spectral = rest.Values[0]
	}
	e.Ratio = e.Frobenius / e.Bound
	if e.Bound == 0 {
		e.Ratio = math.Inf(1)
		if e.Frobenius == 0 {
			e.Ratio = 1
		}
	}
	rec := s.Weight()
	rec.Sub(rec, w)
	e.Reconstruction = mat.Norm(rec, 2)
	return e, nil
}

// CompareSplits builds the LoRA, PiSSA, MiLoRA and OLoRA splits of w at
// rank r and measures each against the Eckart-Young bound (one row per
// method, in that order). Cost: four splits and four Error calls, each
// O(out in min(out, in)).
func CompareSplits(w *mat.Dense, r int, opts SplitOptions) ([]SplitError, error) {
	spec, err := NewSpectrum(w)
	if err != nil {
		return nil, err
	}
	var out []SplitError
	for _, method := range []string{LoRA, PiSSA, MiLoRA, OLoRA} {
		sp, err := NewSplit(method, w, r, opts)
		if err != nil {
			return nil, err
		}
		e, err := sp.Error(w, spec)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, nil
}
