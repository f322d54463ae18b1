package similarity

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// RDMDistance selects the dissimilarity used to build a representational
// dissimilarity matrix.
type RDMDistance int

const (
	// RDMEuclidean is the Euclidean distance between the rows (stimuli).
	RDMEuclidean RDMDistance = iota
	// RDMCorrelation is 1 - Pearson correlation between the rows across
	// features (scipy's "correlation" distance, not distance correlation).
	RDMCorrelation
)

// String names the distance.
func (d RDMDistance) String() string {
	switch d {
	case RDMEuclidean:
		return "euclidean"
	case RDMCorrelation:
		return "correlation"
	}
	return fmt.Sprintf("RDMDistance(%d)", int(d))
}

// RSACorrelation selects how two RDMs are compared.
type RSACorrelation int

const (
	// Pearson correlation of the upper triangles.
	Pearson RSACorrelation = iota
	// Spearman rank correlation of the upper triangles (average ranks for
	// ties, as scipy.stats.spearmanr).
	Spearman
)

// String names the correlation.
func (c RSACorrelation) String() string {
	switch c {
	case Pearson:
		return "pearson"
	case Spearman:
		return "spearman"
	}
	return fmt.Sprintf("RSACorrelation(%d)", int(c))
}

// rdmGram returns the full n x n RDM of x.
func rdmGram(x *mat.Dense, dist RDMDistance) (gram, error) {
	switch dist {
	case RDMEuclidean:
		g := sqDistances(x)
		for i, v := range g.data {
			g.data[i] = math.Sqrt(v)
		}
		return g, nil
	case RDMCorrelation:
		// centre and normalise each row, then 1 - row Gram
		n, d := x.Dims()
		z := mat.NewDense(n, d, nil)
		for i := 0; i < n; i++ {
			row := x.RawRowView(i)
			var m float64
			for _, v := range row {
				m += v
			}
			m /= float64(d)
			var s float64
			dst := z.RawRowView(i)
			for j, v := range row {
				dst[j] = v - m
				s += dst[j] * dst[j]
			}
			if s == 0 {
				return gram{}, fmt.Errorf("similarity: row %d is constant: correlation distance undefined", i)
			}
			s = math.Sqrt(s)
			for j := range dst {
				dst[j] /= s
			}
		}
		var k mat.SymDense
		k.SymOuterK(1, z)
		g := symToGram(&k)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				if i == j {
					g.data[i*n+j] = 0
				} else {
					g.data[i*n+j] = 1 - g.data[i*n+j]
				}
			}
		}
		return g, nil
	}
	return gram{}, fmt.Errorf("similarity: unknown RDM distance %d", int(dist))
}

// RDM returns the n x n representational dissimilarity matrix of the rows of
// X under dist (zero diagonal). Euclidean distances come from the Gram matrix
// of the centred data (one SYRK); correlation distances from the Gram matrix
// of the row-standardised data. Cost O(n^2 d), memory O(n^2).
func RDM(x *mat.Dense, dist RDMDistance) (*mat.SymDense, error) {
	if err := checkOne("X", x); err != nil {
		return nil, err
	}
	g, err := rdmGram(x, dist)
	if err != nil {
		return nil, err
	}
	return mat.NewSymDense(g.n, g.data), nil
}

// upper returns the strict upper triangle of g, row by row (scipy's
// squareform order).
func (g gram) upper() []float64 {
	n := g.n
	out := make([]float64, 0, n*(n-1)/2)
	for i := 0; i < n; i++ {
		out = append(out, g.data[i*n+i+1:(i+1)*n]...)
	}
	return out
}

// ranks returns average ranks (1-based) of v, ties sharing their mean rank.
// O(m log m).
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// standardise centres v and scales it to unit norm in place, so that the
// Pearson correlation of two standardised vectors is their dot product. It
// returns false when v is constant.
func standardise(v []float64) bool {
	var m float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	var s float64
	for i, x := range v {
		v[i] = x - m
		s += v[i] * v[i]
	}
	if s == 0 {
		return false
	}
	s = math.Sqrt(s)
	for i := range v {
		v[i] /= s
	}
	return true
}

// rsaVector turns an RDM into its standardised upper triangle (ranked first
// for Spearman).
func rsaVector(g gram, corr RSACorrelation, name string) ([]float64, error) {
	if g.n < 3 {
		return nil, fmt.Errorf("similarity: RSA needs at least 3 stimuli, got %d", g.n)
	}
	v := g.upper()
	switch corr {
	case Pearson:
	case Spearman:
		v = ranks(v)
	default:
		return nil, fmt.Errorf("similarity: unknown RSA correlation %d", int(corr))
	}
	if !standardise(v) {
		return nil, fmt.Errorf("similarity: the RDM of %s is constant: correlation undefined", name)
	}
	return v, nil
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// RSA returns representational similarity analysis: the Pearson or
// Spearman correlation between the upper triangles of the RDMs of X and Y
// (built with dist), in [-1, 1]. Cost O(n^2 (d1 + d2)) plus O(n^2 log n) for
// Spearman; memory O(n^2).
func RSA(x, y *mat.Dense, dist RDMDistance, corr RSACorrelation) (float64, error) {
	if _, _, _, err := checkPair(x, y); err != nil {
		return 0, err
	}
	vx, err := rsaPrep(x, "X", dist, corr)
	if err != nil {
		return 0, err
	}
	vy, err := rsaPrep(y, "Y", dist, corr)
	if err != nil {
		return 0, err
	}
	return dot(vx, vy), nil
}

func rsaPrep(x *mat.Dense, name string, dist RDMDistance, corr RSACorrelation) ([]float64, error) {
	g, err := rdmGram(x, dist)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rsaVector(g, corr, name)
}

// CompareRDMs returns the Pearson or Spearman correlation between the upper
// triangles of two precomputed n x n RDMs (the diagonal is ignored).
// Cost O(n^2), or O(n^2 log n) for Spearman.
func CompareRDMs(a, b mat.Symmetric, corr RSACorrelation) (float64, error) {
	if _, err := checkGrams(a, b); err != nil {
		return 0, err
	}
	va, err := rsaVector(symToGram(a), corr, "the first matrix")
	if err != nil {
		return 0, err
	}
	vb, err := rsaVector(symToGram(b), corr, "the second matrix")
	if err != nil {
		return 0, err
	}
	return dot(va, vb), nil
}
