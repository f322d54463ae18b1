package similarity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Measure names a similarity or distance for Matrix.
type Measure int

const (
	// MeasureLinearCKA is LinearCKA.
	MeasureLinearCKA Measure = iota
	// MeasureDebiasedCKA is DebiasedCKA.
	MeasureDebiasedCKA
	// MeasureRBFCKA is RBFCKA (Options.SigmaFactor).
	MeasureRBFCKA
	// MeasureDebiasedRBFCKA is DebiasedRBFCKA (Options.SigmaFactor).
	MeasureDebiasedRBFCKA
	// MeasureCCA is CCA (mean canonical correlation).
	MeasureCCA
	// MeasureSVCCA is SVCCA (Options.Threshold).
	MeasureSVCCA
	// MeasurePWCCA is PWCCA.
	MeasurePWCCA
	// MeasureProcrustes is ProcrustesDistance (a distance).
	MeasureProcrustes
	// MeasureShapeAngular is ShapeDistance (a distance, Options.Alpha).
	MeasureShapeAngular
	// MeasureShapeEuclidean is ShapeDistanceEuclidean (a distance,
	// Options.Alpha).
	MeasureShapeEuclidean
	// MeasureRSA is RSA (Options.RDM, Options.Correlation).
	MeasureRSA
	// MeasureMutualKNN is MutualKNN (Options.K).
	MeasureMutualKNN
	// MeasureKNNJaccard is KNNJaccard (Options.K, Options.Metric).
	MeasureKNNJaccard
)

var measureNames = [...]string{"linear CKA", "debiased CKA", "RBF CKA", "debiased RBF CKA", "CCA", "SVCCA", "PWCCA",
	"Procrustes distance", "angular shape distance", "Euclidean shape distance", "RSA", "mutual kNN", "kNN Jaccard"}

// String names the measure.
func (m Measure) String() string {
	if m >= 0 && int(m) < len(measureNames) {
		return measureNames[m]
	}
	return fmt.Sprintf("Measure(%d)", int(m))
}

// IsDistance reports whether the measure is a distance (0 = identical)
// rather than a similarity.
func (m Measure) IsDistance() bool {
	return m == MeasureProcrustes || m == MeasureShapeAngular || m == MeasureShapeEuclidean
}

// Options configures Matrix. Zero values select the defaults noted, except
// Alpha, which is used as given (0 = CCA-like whitening): DefaultOptions
// fills in Alpha = 1 (rotations only, netrep's default).
type Options struct {
	Measure     Measure
	SigmaFactor float64        // RBF CKA: sigma multiplier (0 = 1)
	Threshold   float64        // SVCCA: share of summed singular values kept (0 = 0.99)
	Alpha       float64        // shape metrics: partial whitening in [0, 1], used as given
	RDM         RDMDistance    // RSA: dissimilarity (RDMEuclidean by default)
	Correlation RSACorrelation // RSA: comparison (Pearson by default)
	K           int            // mutual kNN, kNN Jaccard: neighbours (0 = DefaultK)
	Metric      knn.Metric     // kNN Jaccard: neighbour metric (Euclidean by default)
	Progress    progress.Func  // optional: (pairs done, total pairs)
}

// DefaultOptions returns the options for m with every default spelled out
// (Alpha = 1, Threshold = 0.99, SigmaFactor = 1, K = DefaultK).
func DefaultOptions(m Measure) Options {
	return Options{Measure: m, SigmaFactor: 1, Threshold: 0.99, Alpha: 1, K: DefaultK}
}

// prepared is one layer readied for the pairwise part of a measure.
type prepared interface{}

// prepare computes, once per layer, everything a measure needs of it.
func (o *Options) prepare(x *mat.Dense, name string, useGram bool) (prepared, error) {
	switch o.Measure {
	case MeasureLinearCKA:
		if !useGram {
			return newLinPrep(x, name)
		}
		xc := centred(x)
		{
			g := linearGram(xc)
			cg, f := g.centred()
			if f == 0 {
				return nil, fmt.Errorf("similarity: %s has zero variance (all rows equal)", name)
			}
			return &gramPrep{g: cg, norm: f}, nil
		}
	case MeasureDebiasedCKA:
		if n, _ := x.Dims(); n <= 3 {
			return nil, fmt.Errorf("similarity: debiased CKA needs more than 3 points, got %d", n)
		}
		xc := centred(x)
		if useGram {
			g := linearGram(xc)
			t := g.terms()
			return &gramPrep{g: g, terms: t, norm: math.Sqrt(math.Max(0, unbiasedHSIC(g.dot(g), t, t)))}, nil
		}
		return newDebiasedPrep(xc), nil
	case MeasureRBFCKA, MeasureDebiasedRBFCKA:
		debiased := o.Measure == MeasureDebiasedRBFCKA
		if n, _ := x.Dims(); debiased && n <= 3 {
			return nil, fmt.Errorf("similarity: debiased CKA needs more than 3 points, got %d", n)
		}
		g, _, err := rbfGram(x, o.SigmaFactor)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if debiased {
			t := g.terms()
			return &gramPrep{g: g, terms: t, norm: math.Sqrt(math.Max(0, unbiasedHSIC(g.dot(g), t, t)))}, nil
		}
		cg, f := g.centred()
		return &gramPrep{g: cg, norm: f}, nil
	case MeasureCCA, MeasurePWCCA:
		return newCCAPrep(x, name, o.Measure.String())
	case MeasureSVCCA:
		t, err := checkThreshold(o.Threshold)
		if err != nil {
			return nil, err
		}
		return newSVCCAPrep(x, name, t)
	case MeasureProcrustes:
		return newProcrustesPrep(x, name)
	case MeasureShapeAngular, MeasureShapeEuclidean:
		if err := checkAlpha(o.Alpha); err != nil {
			return nil, err
		}
		return newShapePrep(x, name, o.Alpha)
	case MeasureRSA:
		return rsaPrep(x, name, o.RDM, o.Correlation)
	case MeasureMutualKNN:
		k, err := defaultK(o.K)
		if err != nil {
			return nil, err
		}
		r, err := selfKNN(l2Rows(x), k, knn.InnerProduct)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return r, nil
	case MeasureKNNJaccard:
		k, err := defaultK(o.K)
		if err != nil {
			return nil, err
		}
		r, err := selfKNN(x, k, o.Metric)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return r, nil
	}
	return nil, fmt.Errorf("similarity: unknown measure %d", int(o.Measure))
}

// linPrep is a layer for linear CKA in feature form: the raw data (not
// copied) with its column means when they are small enough for the
// rank-one correction of LinearCKA, otherwise a centred copy (mean nil).
type linPrep struct {
	x    blas64.General
	mean []float64
	norm float64 // ||Xc^T Xc||_F
}

func newLinPrep(x *mat.Dense, name string) (*linPrep, error) {
	raw := x.RawMatrix()
	mean, ok, _ := moments(raw.Data, raw.Rows, raw.Cols, raw.Stride, uncentredRatio)
	p := &linPrep{}
	if ok && !forceCentredCopy {
		p.x, p.mean = raw, mean
		p.norm = math.Sqrt(uncentredProduct(raw, raw, mean, mean, true))
	} else {
		p.x = centred(x)
		p.norm = math.Sqrt(selfSq(p.x))
	}
	if p.norm == 0 {
		return nil, fmt.Errorf("similarity: %s has zero variance (all rows equal)", name)
	}
	return p, nil
}

// linPair is linear CKA of two prepared layers: ||Xc^T Yc||_F^2 from one
// GEMM, corrected by n mu_x mu_y^T when a side is uncentred.
func linPair(a, b *linPrep) float64 {
	if a.mean == nil && b.mean == nil {
		return crossSq(a.x, b.x) / (a.norm * b.norm)
	}
	// A centred side has zero column sums, so the correction vanishes
	// whatever the other side's mean: use zeros for it.
	ma, mb := a.mean, b.mean
	if ma == nil {
		ma = make([]float64, a.x.Cols)
	}
	if mb == nil {
		mb = make([]float64, b.x.Cols)
	}
	return uncentredProduct(a.x, b.x, ma, mb, false) / (a.norm * b.norm)
}

// gramPrep is an n x n kernel: double-centred with its Frobenius norm
// (biased CKA), or raw with its unbiased-HSIC terms and sqrt(HSIC_u(K,K)).
type gramPrep struct {
	g     gram
	terms hsicTerms
	norm  float64
}

func linearGram(xc blas64.General) gram {
	n := xc.Rows
	k := mat.NewSymDense(n, nil)
	k.SymOuterK(1, asDense(xc))
	return symToGram(k)
}

// pair evaluates the measure on two prepared layers.
func (o *Options) pair(a, b prepared) (float64, error) {
	switch o.Measure {
	case MeasureLinearCKA:
		if pa, ok := a.(*gramPrep); ok {
			return pa.g.dot(b.(*gramPrep).g) / (pa.norm * b.(*gramPrep).norm), nil
		}
		return linPair(a.(*linPrep), b.(*linPrep)), nil
	case MeasureDebiasedCKA:
		if pa, ok := a.(*gramPrep); ok {
			return gramDebiasedPair(pa, b.(*gramPrep))
		}
		return debiasedPair(a.(*debiasedPrep), b.(*debiasedPrep))
	case MeasureRBFCKA:
		pa, pb := a.(*gramPrep), b.(*gramPrep)
		if pa.norm == 0 || pb.norm == 0 {
			return 0, fmt.Errorf("similarity: a centred kernel matrix is zero: CKA undefined")
		}
		return pa.g.dot(pb.g) / (pa.norm * pb.norm), nil
	case MeasureDebiasedRBFCKA:
		return gramDebiasedPair(a.(*gramPrep), b.(*gramPrep))
	case MeasureCCA:
		rho, err := crossSingularValues(a.(*ccaPrep).u, b.(*ccaPrep).u)
		return mean(clamp01(rho)), err
	case MeasurePWCCA:
		return pwccaPair(a.(*ccaPrep), b.(*ccaPrep))
	case MeasureSVCCA:
		rho, err := crossSingularValues(a.(blas64.General), b.(blas64.General))
		return mean(clamp01(rho)), err
	case MeasureProcrustes:
		return procrustesPair(a.(blas64.General), b.(blas64.General))
	case MeasureShapeAngular:
		v, _, err := shapePair(a.(*shapePrep), b.(*shapePrep))
		return v, err
	case MeasureShapeEuclidean:
		_, v, err := shapePair(a.(*shapePrep), b.(*shapePrep))
		return v, err
	case MeasureRSA:
		return dot(a.([]float64), b.([]float64)), nil
	case MeasureMutualKNN:
		return MutualKNNFromNeighbors(a.(*knn.Result), b.(*knn.Result))
	case MeasureKNNJaccard:
		return KNNJaccardFromNeighbors(a.(*knn.Result), b.(*knn.Result))
	}
	return 0, fmt.Errorf("similarity: unknown measure %d", int(o.Measure))
}

func gramDebiasedPair(pa, pb *gramPrep) (float64, error) {
	if !(pa.norm > 0) || !(pb.norm > 0) {
		return 0, fmt.Errorf("similarity: unbiased self-HSIC is not positive: debiased CKA undefined")
	}
	return unbiasedHSIC(pa.g.dot(pb.g), pa.terms, pb.terms) / (pa.norm * pb.norm), nil
}

// Matrix returns the len(xs) x len(ys) matrix whose (i, j) entry is
// opts.Measure between xs[i] and ys[j]; all representations must have the
// same number of rows (stimuli). With ys nil it compares xs with itself and
// computes only the upper triangle (the result is symmetric).
//
// Each representation is prepared once (centred data and self-norms for
// CKA, orthonormal bases for CCA/SVCCA/PWCCA, whitened data for the shape
// metrics, RDM vectors for RSA, neighbour lists for the kNN measures), so
// the per-pair work is only the cross term. For linear and debiased CKA
// with fewer stimuli than the smallest width (n < min d), n x n Gram
// matrices are prepared instead and each pair costs O(n^2) rather than
// O(n d_i d_j). Memory: all prepared layers are kept: for linear CKA in
// feature form a layer is referenced, not copied (products are corrected for
// the column means), unless its means are large against its spread, which
// costs a centred O(n d) copy; the other measures keep O(n d) (centred data,
// bases) or O(n^2) (Gram matrices, RDMs) per layer. opts.Progress, when set,
// receives (pairs done, total pairs) and can stop the run.
func Matrix(xs, ys []*mat.Dense, opts Options) (*mat.Dense, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("%w: no representations", ErrEmpty)
	}
	sym := ys == nil
	if sym {
		ys = xs
	} else if len(ys) == 0 {
		return nil, fmt.Errorf("%w: no representations in ys", ErrEmpty)
	}
	n := -1
	minD := math.MaxInt
	for _, list := range [][]*mat.Dense{xs, ys} {
		for i, x := range list {
			if err := checkOne(fmt.Sprintf("representation %d", i), x); err != nil {
				return nil, err
			}
			r, c := x.Dims()
			if n < 0 {
				n = r
			} else if err := chk.SameRows(fmt.Sprintf("representation %d", i), r, "another", n, sameStimuli); err != nil {
				return nil, err
			}
			minD = min(minD, c)
		}
	}
	useGram := n < minD && (opts.Measure == MeasureLinearCKA || opts.Measure == MeasureDebiasedCKA)
	prep := func(list []*mat.Dense, side string) ([]prepared, error) {
		out := make([]prepared, len(list))
		for i, x := range list {
			p, err := opts.prepare(x, fmt.Sprintf("%s[%d]", side, i), useGram)
			if err != nil {
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	}
	px, err := prep(xs, "xs")
	if err != nil {
		return nil, err
	}
	py := px
	if !sym {
		if py, err = prep(ys, "ys"); err != nil {
			return nil, err
		}
	}
	out := mat.NewDense(len(xs), len(ys), nil)
	total := len(xs) * len(ys)
	if sym {
		total = len(xs) * (len(xs) + 1) / 2
	}
	done := 0
	for i := range px {
		j0 := 0
		if sym {
			j0 = i
		}
		for j := j0; j < len(py); j++ {
			v, err := opts.pair(px[i], py[j])
			if err != nil {
				return nil, fmt.Errorf("pair (%d, %d): %w", i, j, err)
			}
			out.Set(i, j, v)
			if sym {
				out.Set(j, i, v)
			}
			done++
			if err := progress.Report(opts.Progress, done, total); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
