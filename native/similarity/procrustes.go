package similarity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// nuclearCross returns ||a^T b||_* (sum of singular values).
func nuclearCross(a, b blas64.General) (float64, error) {
	s, err := crossSingularValues(a, b)
	if err != nil {
		return 0, err
	}
	var t float64
	for _, v := range s {
		t += v
	}
	return t, nil
}

// compact returns a matrix with the same Gram matrix a a^T but at most n
// columns: a itself when n >= d, otherwise U S from a's thin SVD (n x r).
// Nuclear norms of a^T b are unchanged by this reduction, and the
// per-pair SVD then costs O(min(n, d)^3) instead of O(d^3).
func compact(a blas64.General) (blas64.General, error) {
	if a.Rows >= a.Cols {
		return a, nil
	}
	u, s, err := leftSVD(a)
	if err != nil {
		return a, err
	}
	out := blas64.General{Rows: u.Rows, Cols: u.Cols, Stride: u.Cols, Data: make([]float64, u.Rows*u.Cols)}
	for i := 0; i < u.Rows; i++ {
		for j := 0; j < u.Cols; j++ {
			out.Data[i*u.Cols+j] = u.Data[i*u.Stride+j] * s[j]
		}
	}
	return out, nil
}

// procrustesPrep is the centred representation scaled to unit Frobenius
// norm, compacted to at most n columns.
func newProcrustesPrep(x *mat.Dense, name string) (blas64.General, error) {
	xc := centred(x)
	f := math.Sqrt(frobSq(xc))
	if f == 0 {
		return xc, fmt.Errorf("similarity: %s has zero variance (all rows equal)", name)
	}
	for i := range xc.Data {
		xc.Data[i] /= f
	}
	return compact(xc)
}

// ProcrustesDistance returns the orthogonal Procrustes distance of Ding et
// al. (2021) in the task's normalisation: centre the columns of X and Y,
// scale each to unit Frobenius norm, then
//
//	1 - ||X^T Y||_*   (nuclear norm)
//
// which is min over orthogonal Q of ||X Q - Y||_F^2 / 2: 0 when Y = c X Q + b
// (orthogonal Q, c > 0), at most 1. (Ding et al. write the unhalved
// 2 - 2||X^T Y||_*.) Unequal widths are fine (Q is then a partial isometry).
// Cost O(n d1 d2 + min(d1, d2)^2 max(d1, d2)) (GEMM and an SVD of the
// d1 x d2 cross product; when n < d the data are first compacted to n
// columns by an SVD), memory O(n (d1 + d2) + d1 d2).
func ProcrustesDistance(x, y *mat.Dense) (float64, error) {
	if _, _, _, err := checkPair(x, y); err != nil {
		return 0, err
	}
	px, err := newProcrustesPrep(x, "X")
	if err != nil {
		return 0, err
	}
	py, err := newProcrustesPrep(y, "Y")
	if err != nil {
		return 0, err
	}
	return procrustesPair(px, py)
}

func procrustesPair(px, py blas64.General) (float64, error) {
	nuc, err := nuclearCross(px, py)
	if err != nil {
		return 0, err
	}
	return math.Max(0, 1-nuc), nil
}

// shapeEigTol is netrep's eigenvalue floor in its partial whitening.
const shapeEigTol = 1e-7

// shapePrep is a centred representation partially whitened as netrep's
// LinearMetric does, before the variance-preserving rescale (which depends
// on the zero padding and so on the pair).
type shapePrep struct {
	xw     blas64.General // X_c Z0 (compacted to <= n columns)
	d      int            // columns before compaction
	fro2   float64        // ||X_c Z0||_F^2
	sumLam float64        // sum of clipped eigenvalues of X_c^T X_c
	newVar float64        // netrep's variance of the whitened data (real columns)
	whiten bool           // false when alpha > 1 - tol (netrep returns X unchanged)
	alpha  float64
}

func checkAlpha(alpha float64) error {
	if !(alpha >= 0 && alpha <= 1) {
		return fmt.Errorf("similarity: alpha must be in [0, 1], got %v", alpha)
	}
	return nil
}

func newShapePrep(x *mat.Dense, name string, alpha float64) (*shapePrep, error) {
	xc := centred(x)
	d := xc.Cols
	p := &shapePrep{d: d, alpha: alpha, whiten: alpha <= 1-shapeEigTol}
	if frobSq(xc) == 0 {
		return nil, fmt.Errorf("similarity: %s has zero variance (all rows equal)", name)
	}
	xw := xc
	if p.whiten {
		c := blas64.Symmetric{N: d, Stride: d, Uplo: blas.Upper, Data: make([]float64, d*d)}
		blas64.Syrk(blas.Trans, 1, xc, 0, c)
		var eig mat.EigenSym
		if !eig.Factorize(mat.NewSymDense(d, c.Data), true) {
			return nil, fmt.Errorf("similarity: eigendecomposition of %s^T %s did not converge", name, name)
		}
		lam := eig.Values(nil)
		var v mat.Dense
		eig.VectorsTo(&v)
		// Z0 = V diag(dg) V^T with dg = alpha + (1-alpha) lam^(-1/2)
		vd := mat.NewDense(d, d, nil)
		for j, l := range lam {
			l = math.Max(l, shapeEigTol)
			p.sumLam += l
			p.newVar += alpha*alpha*l + 2*alpha*(1-alpha)*math.Sqrt(l) + (1-alpha)*(1-alpha)
			dg := alpha + (1-alpha)/math.Sqrt(l)
			for i := 0; i < d; i++ {
				vd.Set(i, j, v.At(i, j)*dg)
			}
		}
		z := blas64.General{Rows: d, Cols: d, Stride: d, Data: make([]float64, d*d)}
		blas64.Gemm(blas.NoTrans, blas.Trans, 1, vd.RawMatrix(), v.RawMatrix(), 0, z)
		xw = blas64.General{Rows: xc.Rows, Cols: d, Stride: d, Data: make([]float64, xc.Rows*d)}
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, xc, z, 0, xw)
	}
	p.fro2 = frobSq(xw)
	var err error
	p.xw, err = compact(xw)
	return p, err
}

// scale returns netrep's variance-preserving factor for this side when the
// pair is zero-padded to width dmax.
func (p *shapePrep) scale(dmax int) float64 {
	if !p.whiten {
		return 1
	}
	pad := float64(dmax - p.d)
	a := p.alpha
	padVar := a*a*shapeEigTol + 2*a*(1-a)*math.Sqrt(shapeEigTol) + (1-a)*(1-a)
	return math.Sqrt((p.sumLam + pad*shapeEigTol) / (p.newVar + pad*padVar))
}

// shapePair returns the angular and Euclidean shape distances.
func shapePair(px, py *shapePrep) (angular, euclid float64, err error) {
	nuc, err := nuclearCross(px.xw, py.xw)
	if err != nil {
		return 0, 0, err
	}
	dmax := max(px.d, py.d)
	sx, sy := px.scale(dmax), py.scale(dmax)
	cos := nuc / math.Sqrt(px.fro2*py.fro2)
	angular = math.Acos(math.Min(1, math.Max(-1, cos)))
	e2 := sx*sx*px.fro2 + sy*sy*py.fro2 - 2*sx*sy*nuc
	euclid = math.Sqrt(math.Max(0, e2))
	return angular, euclid, nil
}

func shapeDistance(x, y *mat.Dense, alpha float64) (float64, float64, error) {
	if _, _, _, err := checkPair(x, y); err != nil {
		return 0, 0, err
	}
	if err := checkAlpha(alpha); err != nil {
		return 0, 0, err
	}
	px, err := newShapePrep(x, "X", alpha)
	if err != nil {
		return 0, 0, err
	}
	py, err := newShapePrep(y, "Y", alpha)
	if err != nil {
		return 0, 0, err
	}
	return shapePair(px, py)
}

// ShapeDistance returns the angular shape metric of Williams et al. (2021),
// as netrep's LinearMetric(alpha, center_columns=True, zero_pad=True,
// score_method="angular"): centre the columns, partially whiten each
// representation with Z = V diag(alpha + (1-alpha) lam^(-1/2)) V^T from the
// eigendecomposition of X^T X (eigenvalues floored at 1e-7), align the two by
// the optimal rotation, and return the angle
//
//	arccos( ||Xw^T Yw||_* / (||Xw||_F ||Yw||_F) )   in [0, pi/2].
//
// alpha = 1 allows rotations only (then 1 - cos(angle) is ProcrustesDistance),
// alpha = 0 any invertible linear map (CCA-like). It is a metric; 0 when
// Y = c X Q + b. Cost O(n d^2 + d^3) per side plus O(n d1 d2 + SVD of the
// cross product); memory O(n d + d^2).
func ShapeDistance(x, y *mat.Dense, alpha float64) (float64, error) {
	a, _, err := shapeDistance(x, y, alpha)
	return a, err
}

// ShapeDistanceEuclidean is the Euclidean version of ShapeDistance (netrep
// score_method="euclidean"): min over rotations Q of ||Xw Q - Yw||_F, with
// netrep's variance-preserving rescale of the partial whitening (which
// counts the zero-padding columns when d1 != d2). Not scale invariant.
// Cost as ShapeDistance.
func ShapeDistanceEuclidean(x, y *mat.Dense, alpha float64) (float64, error) {
	_, e, err := shapeDistance(x, y, alpha)
	return e, err
}
