package lowrank

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
)

// Spectrum is the singular spectrum of a matrix with its cumulative energy
// curve: the energy of the first k components is the fraction of
// ||W||_F^2 = sum_i s_i^2 they carry.
type Spectrum struct {
	// Values are the singular values, descending (min(m, n) of them).
	Values []float64
	// Energy[k] is sum_{i<=k} s_i^2 / sum_i s_i^2 (Energy[len-1] = 1).
	Energy []float64
	// Total is ||W||_F^2 = sum_i s_i^2.
	Total float64
}

// NewSpectrum returns the singular spectrum of w (m x n): all min(m, n)
// singular values from LAPACK (dgesdd from OpenBLAS under the openblas
// tag; no vectors), O(m n min(m, n)) time, O(m n) memory. Errors: nil, empty or non-finite w.
func NewSpectrum(w *mat.Dense) (*Spectrum, error) {
	m, n, err := chk.Dense("weight", w)
	if err != nil {
		return nil, err
	}
	s, ok := linalg.SingularValues(w.RawMatrix())
	if !ok {
		return nil, fmt.Errorf("lowrank: SVD of the %d x %d weight did not converge", m, n)
	}
	return SpectrumOf(s)
}

// SpectrumOf builds a Spectrum from given singular values (any order; they
// are sorted descending; a copy is kept). O(k log k). Errors: no values,
// negative or non-finite values, all zero.
func SpectrumOf(values []float64) (*Spectrum, error) {
	if len(values) == 0 {
		return nil, chk.Errorf("no singular values")
	}
	s := &Spectrum{Values: append([]float64(nil), values...)}
	for i, v := range s.Values {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, chk.Errorf("singular value %d is %v: want finite and >= 0", i, v)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(s.Values)))
	s.Energy = make([]float64, len(s.Values))
	var cum float64
	for i, v := range s.Values {
		cum += v * v
		s.Energy[i] = cum
	}
	if cum == 0 {
		return nil, chk.Errorf("all %d singular values are 0: the matrix has no energy", len(values))
	}
	s.Total = cum
	for i := range s.Energy {
		s.Energy[i] /= cum
	}
	return s, nil
}

// RankFor returns the smallest k whose leading components carry at least
// the fraction p (0 < p <= 1) of the energy: "rank for p% energy" is
// RankFor(p/100). O(len(Values)).
func (s *Spectrum) RankFor(p float64) (int, error) {
	if !(p > 0 && p <= 1) {
		return 0, chk.Errorf("energy fraction %v must be in (0, 1]", p)
	}
	for k, e := range s.Energy {
		if e >= p {
			return k + 1, nil
		}
	}
	return len(s.Values), nil
}

// TailEnergy returns sum_{i>=r} s_i^2 (0-based), the squared Frobenius
// error of the best rank-r approximation (Eckart-Young-Mirsky). O(len).
func (s *Spectrum) TailEnergy(r int) float64 {
	var t float64
	for i := len(s.Values) - 1; i >= r && i >= 0; i-- {
		t += s.Values[i] * s.Values[i]
	}
	return t
}

// FrobeniusBound returns sqrt(TailEnergy(r)): no rank-r matrix is closer
// to W in the Frobenius norm. O(len).
func (s *Spectrum) FrobeniusBound(r int) float64 { return math.Sqrt(s.TailEnergy(r)) }

// SpectralBound returns s_{r+1} (Values[r], 0 past the end): no rank-r
// matrix is closer to W in the spectral norm. O(1).
func (s *Spectrum) SpectralBound(r int) float64 {
	if r < 0 || r >= len(s.Values) {
		return 0
	}
	return s.Values[r]
}

// StableRank returns ||W||_F^2 / ||W||_2^2 = sum s_i^2 / s_1^2, a
// continuous lower bound of the rank. O(1).
func (s *Spectrum) StableRank() float64 { return s.Total / (s.Values[0] * s.Values[0]) }

// EffectiveRank returns exp(H(p)) with p_i = s_i / sum_j s_j and H the
// Shannon entropy (Roy and Vetterli 2007): between 1 and the rank. O(len).
func (s *Spectrum) EffectiveRank() float64 {
	var sum float64
	for _, v := range s.Values {
		sum += v
	}
	var h float64
	for _, v := range s.Values {
		if v > 0 {
			p := v / sum
			h -= p * math.Log(p)
		}
	}
	return math.Exp(h)
}
