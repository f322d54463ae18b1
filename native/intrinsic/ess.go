package intrinsic

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// ESS is the expected simplex skewness estimator of Johnsson et al. as in
// skdim's ESS (version "a", d = 1): in each point's neighbourhood of K
// points, with v the centred neighbours, ess = sum over pairs of the area
// sqrt(|v_a|^2 |v_b|^2 - (v_a.v_b)^2) over sum of |v_a| |v_b|, converted to a
// dimension by linear interpolation in the expected values for uniform data
// of each dimension. Global: the mean.
//
// All pairs of neighbours are used. skdim uses all pairs when there are at
// most 5000 (K <= 100, the default) and a random sample of 5000 otherwise.
type ESS struct {
	K    int  // neighbourhood size, skdim default 100
	Comb Comb // CombMean by default
	Common
}

// NewESS returns ESS with skdim's defaults (ver a, d = 1, k = 100, mean).
func NewESS() *ESS { return &ESS{K: 100, Comb: CombMean} }

// Fit estimates the dimension; X is required. Cost: one kNN search plus
// O(n K^2 D).
func (e *ESS) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	if e.K < 3 {
		return nil, fmt.Errorf("intrinsic: ESS K = %d, want >= 3", e.K)
	}
	if X == nil {
		return nil, fmt.Errorf("intrinsic: ESS needs X")
	}
	p, err := prepare(X, nn, e.K, e.Common, true)
	if err != nil {
		return nil, err
	}
	pw, err := overNeighbourhoods(p.X, p.nn, e.K, e.Workers, func(sub *mat.Dense) (float64, error) {
		return essDim(essValue(sub)), nil
	})
	if err != nil {
		return nil, err
	}
	d, err := combine(pw, e.Comb)
	if err != nil {
		return nil, err
	}
	return &Estimate{Method: fmt.Sprintf("ESS(ver=a, d=1, k=%d)", e.K), Dim: d, Pointwise: pw, N: len(pw), Duplicates: p.duplicates}, nil
}

// essValue is the skewness statistic of one neighbourhood (rows of sub).
func essValue(sub *mat.Dense) float64 {
	k, c := sub.Dims()
	if c < 2 {
		return 0 // skdim: p = d+1 > n gives 0 for version a
	}
	v := centreColumns(sub)
	var g mat.Dense
	g.Mul(v, v.T())
	var vol, weight float64
	for a := range k {
		for b := a + 1; b < k; b++ {
			aa, bb, ab := g.At(a, a), g.At(b, b), g.At(a, b)
			vol += math.Sqrt(math.Abs(aa*bb - ab*ab))
			weight += math.Sqrt(aa) * math.Sqrt(bb)
		}
	}
	return vol / weight
}

// essReference returns the expected ESS value (version a, d = 1) of
// uniform data of dimensions 1..maxdim (index dim-1).
func essReference(maxdim int) []float64 {
	const d = 1.0
	f1 := make([]float64, maxdim)
	f2 := make([]float64, maxdim)
	// factor1: over odd and even dimensions separately, a running product.
	for _, start := range []int{1, 2} {
		c := math.Gamma(float64(start)/2) / math.Gamma(float64(start+1)/2)
		for j := start; j <= maxdim; j += 2 {
			f1[j-1] = c
			c *= float64(j) / float64(j+1)
		}
	}
	// factor2: from dimension d+1 and d+2, zero below.
	for _, start := range []int{int(d) + 1, int(d) + 2} {
		c := math.Gamma(float64(start)/2) / math.Gamma(float64(start-int(d))/2)
		for j := start; j <= maxdim; j += 2 {
			f2[j-1] = c
			c *= float64(j) / (float64(j) - d)
		}
	}
	out := make([]float64, maxdim)
	for i := range out {
		out[i] = math.Pow(f1[i], d) * f2[i]
	}
	return out
}

// essDim converts an ESS value to a dimension as skdim does: locate the
// value between the reference values of consecutive dimensions (extending
// the table while the value exceeds its last entry) and interpolate.
func essDim(ess float64) float64 {
	if math.IsNaN(ess) {
		return math.NaN()
	}
	mindim, maxdim := 1, 20
	ref := essReference(maxdim)
	for ess > ref[maxdim-1] && maxdim < 1<<20 {
		mindim = maxdim + 1
		maxdim = 2 * (maxdim - 1)
		ref = essReference(maxdim)
	}
	// bisect_right over ref[mindim-1 : maxdim]
	seg := ref[mindim-1 : maxdim]
	i := sort.Search(len(seg), func(t int) bool { return seg[t] > ess })
	de := mindim + i - 1
	if de < 1 || de >= len(ref) {
		return float64(max(de, 1))
	}
	return float64(de) + (ess-ref[de-1])/(ref[de]-ref[de-1])
}
