package intrinsic

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
)

// FisherS is the Fisher separability estimator of Albergante, Bac and
// Zinovyev as in skdim's FisherS (defaults): centre, keep the principal
// components whose variance exceeds 1/ConditionalNumber of the first,
// whiten, project on the unit sphere; for alpha = 0.6, 0.62, ..., 0.98 the
// mean over points of the fraction of points y with <x, y> >= alpha <x, x>
// (the probability that x is not Fisher-separable from the rest) is
// inverted through the formula for the uniform n-sphere with the Lambert W
// function; the dimension is read at the alpha nearest 0.9 times the largest
// alpha with a finite value.
type FisherS struct {
	ConditionalNumber float64 // skdim default 10
	Common
}

// NewFisherS returns FisherS with skdim's defaults.
func NewFisherS() *FisherS { return &FisherS{ConditionalNumber: 10} }

// FisherSResult holds the dimension for each alpha as well.
type FisherSResult struct {
	Dim     float64
	Alphas  []float64
	DimAt   []float64 // NaN where every point is separable
	Alpha   float64   // the alpha the dimension is read at
	Retains int       // principal components kept
}

// Fit estimates the dimension (nn is unused: the statistic involves all
// pairs). Cost O(n^2 m) for the pairwise inner products of the m retained
// components, computed in blocks (memory O(n * 512)), plus O(n D^2) for PCA.
func (e *FisherS) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	r, err := e.FitAlphas(X)
	if err != nil {
		return nil, err
	}
	n, _ := X.Dims()
	return &Estimate{Method: fmt.Sprintf("FisherS(conditional_number=%g)", e.ConditionalNumber), Dim: r.Dim, N: n}, nil
}

// FitAlphas is Fit returning the whole alpha profile.
func (e *FisherS) FitAlphas(X *mat.Dense) (*FisherSResult, error) {
	if !(e.ConditionalNumber > 1) {
		return nil, fmt.Errorf("intrinsic: FisherS ConditionalNumber = %v, want > 1", e.ConditionalNumber)
	}
	if err := checkData(X, 3); err != nil {
		return nil, err
	}
	xp, kept, err := fisherPreprocess(X, e.ConditionalNumber)
	if err != nil {
		return nil, err
	}
	alphas := make([]float64, 20)
	for i := range alphas {
		alphas[i] = 0.6 + float64(i)*0.02 // numpy arange(0.6, 1, 0.02)
	}
	py := inseparability(xp, alphas)
	res := &FisherSResult{Alphas: alphas, DimAt: make([]float64, len(alphas)), Retains: kept}
	maxA := math.Inf(-1)
	for i, a := range alphas {
		res.DimAt[i] = math.NaN()
		p := py[i]
		if p == 0 {
			continue
		}
		a2 := a * a
		w := math.Log(1 - a2)
		v := lambertW0(-(w / (2 * math.Pi * p * p * a2 * (1 - a2)))) / -w
		if math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		res.DimAt[i] = v
		maxA = max(maxA, a)
	}
	if math.IsInf(maxA, -1) {
		return nil, fmt.Errorf("intrinsic: FisherS: all points are separable for every alpha")
	}
	ref := 0.9 * maxA
	best := math.Inf(1)
	for _, a := range alphas {
		best = min(best, math.Abs(a-ref))
	}
	res.Dim = math.NaN()
	for i, a := range alphas {
		if !math.IsNaN(res.DimAt[i]) && math.Abs(a-ref) == best {
			if math.IsNaN(res.Dim) || res.DimAt[i] > res.Dim {
				res.Dim, res.Alpha = res.DimAt[i], a
			}
		}
	}
	if math.IsNaN(res.Dim) {
		return nil, fmt.Errorf("intrinsic: FisherS: no finite dimension at the reference alpha %.3f", ref)
	}
	return res, nil
}

// fisherPreprocess centres X, keeps the principal components with variance
// above 1/cond of the first, whitens them and projects rows on the sphere.
func fisherPreprocess(X *mat.Dense, cond float64) (*mat.Dense, int, error) {
	n, D := X.Dims()
	c := centreColumns(X)
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDThin) {
		return nil, 0, fmt.Errorf("intrinsic: FisherS: SVD did not converge")
	}
	s := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	kept := 0
	for _, sv := range s {
		if sv*sv/(s[0]*s[0]) > 1/cond {
			kept++
		}
	}
	if kept == 0 || s[0] == 0 {
		return nil, 0, fmt.Errorf("intrinsic: FisherS: data has no variance")
	}
	var scores mat.Dense
	scores.Mul(c, v.Slice(0, D, 0, kept))
	// Whiten: the sample standard deviation of score column j is
	// s_j / sqrt(n-1).
	for j := range kept {
		var m, ss float64
		for i := range n {
			m += scores.At(i, j)
		}
		m /= float64(n)
		for i := range n {
			d := scores.At(i, j) - m
			ss += d * d
		}
		sd := math.Sqrt(ss / float64(n-1))
		for i := range n {
			scores.Set(i, j, scores.At(i, j)/sd)
		}
	}
	for i := range n {
		row := scores.RawRowView(i)
		var nr float64
		for _, x := range row {
			nr += x * x
		}
		nr = math.Sqrt(nr)
		if nr == 0 {
			return nil, 0, fmt.Errorf("intrinsic: FisherS: row %d is at the centre after whitening", i)
		}
		for j := range row {
			row[j] /= nr
		}
	}
	return &scores, kept, nil
}

// inseparability returns, for each alpha, the mean over points x of the
// fraction of points y (over n) with <x, y> / <x, x> >= alpha, y != x.
func inseparability(xp *mat.Dense, alphas []float64) []float64 {
	n, m := xp.Dims()
	raw := xp.RawMatrix()
	leng := make([]float64, n)
	for i := range n {
		row := xp.RawRowView(i)
		for _, v := range row {
			leng[i] += v * v
		}
	}
	counts := make([]float64, len(alphas))
	const bs = 512
	tile := make([]float64, bs*n)
	for i0 := 0; i0 < n; i0 += bs {
		i1 := min(i0+bs, n)
		rows := i1 - i0
		g := blas64.General{Rows: rows, Cols: n, Stride: n, Data: tile[:rows*n]}
		blas64.Gemm(blas.NoTrans, blas.Trans, 1,
			blas64.General{Rows: rows, Cols: m, Stride: raw.Stride, Data: raw.Data[i0*raw.Stride:]},
			blas64.General{Rows: n, Cols: m, Stride: raw.Stride, Data: raw.Data}, 0, g)
		for r := range rows {
			i := i0 + r
			gr := g.Data[r*n : (r+1)*n]
			for j, v := range gr {
				if j == i {
					continue
				}
				v /= leng[i]
				if v < alphas[0] {
					continue
				}
				for a, al := range alphas {
					if v >= al {
						counts[a]++
					}
				}
			}
		}
	}
	py := make([]float64, len(alphas))
	for a := range py {
		py[a] = counts[a] / float64(n) / float64(n)
	}
	return py
}

// lambertW0 is the principal branch of the Lambert W function for x >= 0
// (w e^w = x), by Halley's iteration. O(1).
func lambertW0(x float64) float64 {
	if x == 0 {
		return 0
	}
	if math.IsInf(x, 1) {
		return x
	}
	w := math.Log1p(x)
	if x > 3 {
		lx := math.Log(x)
		w = lx - math.Log(lx)
	}
	for range 100 {
		ew := math.Exp(w)
		f := w*ew - x
		wn := w - f/(ew*(w+1)-(w+2)*f/(2*w+2))
		if math.Abs(wn-w) <= 1e-15*math.Max(1, math.Abs(wn)) {
			return wn
		}
		w = wn
	}
	return w
}
