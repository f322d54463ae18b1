package intrinsic

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// PCAVersion selects the eigenvalue criterion of LPCA (skdim's ver).
type PCAVersion int

const (
	// FO is Fukunaga-Olsen: the number of eigenvalues above AlphaFO times
	// the largest (skdim default, alpha 0.05).
	FO PCAVersion = iota
	// Fan is Fan et al. (2010) with alpha 10, beta 0.8, P 0.95.
	Fan
	// MaxGap is the position of the largest ratio of consecutive eigenvalues.
	MaxGap
	// Ratio is 1 + the number of cumulative explained variance fractions
	// below AlphaRatio (0.05).
	Ratio
	// ParticipationRatio is floor((sum l)^2 / sum l^2).
	ParticipationRatio
	// Kaiser is 1 + the number of eigenvalues above their mean.
	Kaiser
	// BrokenStick is the first component whose explained fraction falls
	// below the broken-stick distribution.
	BrokenStick
)

var pcaNames = []string{"FO", "Fan", "maxgap", "ratio", "participation_ratio", "Kaiser", "broken_stick"}

// String returns skdim's name of the version.
func (v PCAVersion) String() string {
	if v >= 0 && int(v) < len(pcaNames) {
		return pcaNames[v]
	}
	return fmt.Sprintf("PCAVersion(%d)", int(v))
}

// LPCA is skdim's lPCA: the dimension read from the PCA spectrum (the
// explained variances, eigenvalues of the covariance with n-1
// normalisation, min(n, D) of them) of the whole data (Fit) or of each
// point's neighbourhood (FitPointwise).
type LPCA struct {
	Version    PCAVersion
	AlphaFO    float64 // 0.05
	AlphaRatio float64 // 0.05
	AlphaFan   float64 // 10
	BetaFan    float64 // 0.8
	PFan       float64 // 0.95
	Common
}

// NewLPCA returns LPCA with skdim's defaults (FO, alpha 0.05).
func NewLPCA() *LPCA {
	return &LPCA{Version: FO, AlphaFO: 0.05, AlphaRatio: 0.05, AlphaFan: 10, BetaFan: 0.8, PFan: 0.95}
}

// Fit estimates the dimension from the spectrum of all of X (nn unused; it
// is accepted for the Estimator interface). Cost O(n D^2) for the thin SVD.
func (e *LPCA) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	if err := checkData(X, 2); err != nil {
		return nil, err
	}
	n, _ := X.Dims()
	ev, err := ExplainedVariance(X)
	if err != nil {
		return nil, err
	}
	d, err := e.FromSpectrum(ev)
	if err != nil {
		return nil, err
	}
	return &Estimate{Method: fmt.Sprintf("lPCA(ver=%v)", e.Version), Dim: float64(d), N: n}, nil
}

// FitPointwise is skdim's lPCA.fit_pw: the criterion on the spectrum of the
// k neighbours of each point (itself excluded); Dim is their median. Cost:
// one kNN search plus O(n k D^2).
func (e *LPCA) FitPointwise(X *mat.Dense, nn *knn.Result, k int) (*Estimate, error) {
	if k < 2 {
		return nil, fmt.Errorf("intrinsic: lPCA pointwise k = %d, want >= 2", k)
	}
	if X == nil {
		return nil, fmt.Errorf("intrinsic: lPCA pointwise needs X")
	}
	c := e.Common
	c.Dedup = c.Dedup && nn == nil
	p, err := prepareAllowDup(X, nn, k, c)
	if err != nil {
		return nil, err
	}
	pw, err := overNeighbourhoods(p.X, p.nn, k, e.Workers, func(sub *mat.Dense) (float64, error) {
		ev, err := ExplainedVariance(sub)
		if err != nil {
			return 0, err
		}
		d, err := e.FromSpectrum(ev)
		return float64(d), err
	})
	if err != nil {
		return nil, err
	}
	return &Estimate{Method: fmt.Sprintf("lPCA.pointwise(ver=%v, k=%d)", e.Version, k), Dim: median(pw), Pointwise: pw, N: len(pw), Duplicates: p.duplicates}, nil
}

// prepareAllowDup is prepare for estimators that tolerate duplicates.
func prepareAllowDup(X *mat.Dense, nn *knn.Result, k int, o Common) (*prepared, error) {
	if nn != nil {
		if nn.K < k || nn.N != X.RawMatrix().Rows {
			return nil, fmt.Errorf("intrinsic: precomputed neighbours (%d points, K = %d) do not fit X (%d rows, need K >= %d)", nn.N, nn.K, X.RawMatrix().Rows, k)
		}
		return &prepared{X: X, nn: nn}, nil
	}
	if err := checkData(X, k+1); err != nil {
		return nil, err
	}
	p := &prepared{X: X}
	if o.Dedup {
		p.X, p.duplicates = Dedup(X)
	}
	var err error
	p.nn, err = search(p.X, k, o)
	return p, err
}

// centreColumns returns a copy of X with each column's mean subtracted
// (the mean summed down the column in row order). O(n D) time and memory.
func centreColumns(X *mat.Dense) *mat.Dense {
	n, D := X.Dims()
	c := mat.NewDense(n, D, nil)
	for j := range D {
		var m float64
		for i := range n {
			m += X.At(i, j)
		}
		m /= float64(n)
		for i := range n {
			c.Set(i, j, X.At(i, j)-m)
		}
	}
	return c
}

// ExplainedVariance returns the PCA explained variances of X in decreasing
// order: squared singular values of the column-centred X over n-1, min(n, D)
// of them (sklearn's PCA().explained_variance_). Cost O(n D min(n, D)).
func ExplainedVariance(X *mat.Dense) ([]float64, error) {
	n, _ := X.Dims()
	if n < 2 {
		return nil, fmt.Errorf("intrinsic: PCA needs at least 2 rows, got %d", n)
	}
	c := centreColumns(X)
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDNone) {
		return nil, fmt.Errorf("intrinsic: SVD did not converge")
	}
	s := svd.Values(nil)
	for i := range s {
		s[i] = s[i] * s[i] / float64(n-1)
	}
	return s, nil
}

// FromSpectrum applies the criterion to explained variances sorted in
// decreasing order. O(D^2) at most (broken stick).
func (e *LPCA) FromSpectrum(ev []float64) (int, error) {
	m := len(ev)
	if m < 2 {
		return 0, fmt.Errorf("intrinsic: lPCA needs at least 2 eigenvalues, got %d", m)
	}
	var sum, sum2 float64
	for _, v := range ev {
		sum += v
		sum2 += v * v
	}
	if sum <= 0 {
		return 0, fmt.Errorf("intrinsic: lPCA: all explained variances are zero")
	}
	switch e.Version {
	case FO:
		de := 0
		for _, v := range ev {
			if v > e.AlphaFO*ev[0] {
				de++
			}
		}
		return de, nil
	case MaxGap:
		best, de := math.Inf(-1), 0
		for i := 0; i+1 < m; i++ {
			g := ev[i] / ev[i+1]
			if g > best || (math.IsNaN(best) && !math.IsNaN(g)) {
				best, de = g, i+1
			}
		}
		return de, nil
	case Ratio:
		var cum float64
		de := 1
		for _, v := range ev {
			cum += v
			if cum/sum < e.AlphaRatio {
				de++
			}
		}
		return de, nil
	case ParticipationRatio:
		return int(sum * sum / sum2), nil
	case Kaiser:
		mu := sum / float64(m)
		de := 1
		for _, v := range ev {
			if v > mu {
				de++
			}
		}
		return de, nil
	case BrokenStick:
		for i := range m {
			var bs float64
			for j := i; j < m; j++ {
				bs += 1 / float64(j+1)
			}
			bs /= float64(m)
			if bs > ev[i]/sum {
				return i + 1, nil
			}
		}
		return 0, nil
	case Fan:
		var cum float64
		r := -1
		for i, v := range ev {
			cum += v
			if cum/sum > e.PFan {
				r = i
				break
			}
		}
		if r < 0 {
			return 0, fmt.Errorf("intrinsic: lPCA Fan: cumulative variance never exceeds PFan = %v", e.PFan)
		}
		sigma := mean(ev[r:])
		sh := make([]float64, m)
		var ssum float64
		for i, v := range ev {
			sh[i] = v - sigma
			ssum += sh[i]
		}
		de := m + 1
		for i := 0; i+1 < m; i++ {
			if sh[i]/sh[i+1] > e.AlphaFan {
				de = min(de, i+1)
				break
			}
		}
		cum = 0
		for i, v := range sh {
			cum += v
			if cum/ssum > e.BetaFan {
				de = min(de, i+1)
				break
			}
		}
		if de > m {
			return 0, fmt.Errorf("intrinsic: lPCA Fan: no eigenvalue gap above AlphaFan and no cumulative fraction above BetaFan")
		}
		return de, nil
	}
	return 0, fmt.Errorf("intrinsic: unknown lPCA version %d", int(e.Version))
}
