package latent

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
	"github.com/subspace-kernel/subspace/native/internal/work"
)

// FitTranslator fits a map from the rows of x (n x dx, source space) to
// the rows of y (n x dy, target space), row i of both being the same
// point (an anchor), by opts.Method; see Method for each estimator and
// its minimum number of pairs. It returns an error when x or y is nil,
// empty or not finite, when their row counts differ, when there are fewer
// pairs than the method needs, or for a bad Alpha, Components or method.
// Cost: O(n dx dy) for the products plus an SVD: O(dx dy min(dx, dy)) for
// Procrustes, O(n dx min(n, dx)) for the least-squares methods,
// O(n (dx^2 + dy^2)) for CCA (LAPACK dgesdd with the openblas tag).
// Memory O(n (dx + dy) + dx dy).
func FitTranslator(x, y mat.Matrix, opts TranslateOptions) (*Translator, error) {
	xd, yd, err := pair("X", x, "Y", y)
	if err != nil {
		return nil, err
	}
	n, dx := xd.Dims()
	_, dy := yd.Dims()
	if err := checkFit(opts, n, dx, dy); err != nil {
		return nil, err
	}
	centre := opts.Centre || opts.Standardise || opts.Method == Affine || opts.Method == Ridge || opts.Method == CCA
	px, mx, sx := prepare(xd, centre, opts.Standardise)
	py, my, sy := prepare(yd, centre, opts.Standardise)
	t := &Translator{Method: opts.Method, Options: opts, Scale: 1, Pairs: n}
	var w *mat.Dense
	switch opts.Method {
	case Procrustes:
		w, err = t.fitProcrustes(px, py)
	case Affine, LeastSquares:
		w, err = solveFiltered(px, py, pinvFilter)
	case Ridge:
		alpha := opts.Alpha
		if alpha == 0 {
			alpha = 1
		}
		w, err = solveFiltered(px, py, func(s, _ float64) float64 { return s / (s*s + alpha) })
	case CCA:
		w, err = t.fitCCA(px, py, opts.Components)
	}
	if err != nil {
		return nil, err
	}
	t.Matrix, t.Bias = compose(w, mx, sx, my, sy)
	t.Residual = t.fitResidual(xd, yd, px, py)
	return t, nil
}

// fitResidual returns the relative residual on the fitted pairs. For
// Procrustes without standardising it is sqrt(s^2 ||X'||^2 - 2 s tr S +
// ||Y'||^2) / ||Y - mean Y|| in the prepared coordinates (no second
// product with X), unless cancellation could matter (a relative squared
// residual below 1e-6), when, like every other method, it maps X and
// measures. O(n (dx + dy)), or O(n dx dy).
func (t *Translator) fitResidual(xd, yd, px, py *mat.Dense) float64 {
	if t.Method == Procrustes && !t.Options.Standardise {
		fx := frob(px)
		// ||Y'||^2, and ||Y - mean Y||^2 for the denominator (the same when
		// Y' is centred).
		_, fy2, den := centredNorm(yd)
		if t.Options.Centre {
			fy2 = den
		}
		s := t.Scale
		r2 := s*s*fx*fx - 2*s*t.crossTrace + fy2
		if ref := s*s*fx*fx + fy2; r2 > 1e-6*ref && den > 0 {
			return math.Sqrt(r2 / den)
		}
	}
	n, _ := xd.Dims()
	_, dy := yd.Dims()
	p := mat.NewDense(n, dy, nil)
	p.Mul(xd, t.Matrix)
	addBias(p, t.Bias)
	return relResidual(p, yd)
}

// centredNorm returns the column means of y, ||y||_F^2 and
// ||y - mean||_F^2, the last as ||y||^2 - n ||mean||^2 unless that
// cancels more than 8 digits, when a second pass computes it directly.
// O(n d), parallel.
func centredNorm(y *mat.Dense) ([]float64, float64, float64) {
	n, d := y.Dims()
	w := work.Workers(0)
	sums := make([][]float64, w)
	sq := make([]float64, w)
	work.Chunks(n, w, func(c, lo, hi int) {
		s := make([]float64, d)
		for i := lo; i < hi; i++ {
			for j, v := range y.RawRowView(i) {
				s[j] += v
				sq[c] += v * v
			}
		}
		sums[c] = s
	})
	mean := make([]float64, d)
	var all float64
	for c := range sums {
		all += sq[c]
		for j, v := range sums[c] {
			mean[j] += v
		}
	}
	var mm float64
	for j := range mean {
		mean[j] /= float64(n)
		mm += mean[j] * mean[j]
	}
	if cen := all - float64(n)*mm; cen > 1e-8*all {
		return mean, all, cen
	}
	var cen float64
	for i := 0; i < n; i++ {
		for j, v := range y.RawRowView(i) {
			e := v - mean[j]
			cen += e * e
		}
	}
	return mean, all, cen
}

// frob returns the Frobenius norm of m, accumulated in parallel chunks
// combined in order. O(n d).
func frob(m *mat.Dense) float64 {
	n, _ := m.Dims()
	w := work.Workers(0)
	part := make([]float64, w)
	work.Chunks(n, w, func(c, lo, hi int) {
		var s float64
		for i := lo; i < hi; i++ {
			for _, v := range m.RawRowView(i) {
				s += v * v
			}
		}
		part[c] = s
	})
	var s float64
	for _, v := range part {
		s += v
	}
	return math.Sqrt(s)
}

// checkFit validates the options and the number of pairs for the method.
func checkFit(opts TranslateOptions, n, dx, dy int) error {
	need, why := 1, ""
	switch opts.Method {
	case Procrustes:
	case Affine:
		need, why = dx+1, "dx + 1 (the map and its bias)"
	case LeastSquares:
		need, why = dx, "dx"
		if opts.Centre || opts.Standardise {
			need, why = dx+1, "dx + 1 (the map and the centring)"
		}
	case Ridge:
		if opts.Alpha < 0 {
			return chk.Errorf("Alpha = %v must be >= 0 (0 means 1)", opts.Alpha)
		}
	case CCA:
		need, why = max(dx, dy)+1, "max(dx, dy) + 1 (both covariances invertible)"
		if opts.Components < 0 || opts.Components > min(dx, dy) {
			return chk.Errorf("Components = %d must be in [0, %d] (0 keeps all)", opts.Components, min(dx, dy))
		}
	default:
		return chk.Errorf("unknown translation method %d", int(opts.Method))
	}
	if n < need {
		return chk.Errorf("%s translation needs at least %s = %d pairs (anchors), X and Y have %d: use more anchors, or Ridge or Procrustes", opts.Method, why, need, n)
	}
	return nil
}

// prepare returns a copy of x centred (mean subtracted) and standardised
// as asked, with the mean and scale used (nil when not applied); x itself
// when neither is asked. O(n d).
func prepare(x *mat.Dense, centre, standardise bool) (*mat.Dense, []float64, []float64) {
	if !centre && !standardise {
		return x, nil, nil
	}
	var mean, scale []float64
	if centre {
		mean = columnMeans(x)
	}
	if standardise {
		scale = columnStd(x, mean)
	}
	n, d := x.Dims()
	out := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		shiftRow(out.RawRowView(i), x.RawRowView(i), mean, scale)
	}
	return out, mean, scale
}

// compose folds the preparation into the map: with x' = (x - mx) / sx and
// y = y' sy + my, y = x diag(1/sx) W diag(sy) + my - mx . Matrix.
// O(dx dy).
func compose(w *mat.Dense, mx, sx, my, sy []float64) (*mat.Dense, []float64) {
	dx, dy := w.Dims()
	m := mat.DenseCopyOf(w)
	for i := 0; i < dx; i++ {
		row := m.RawRowView(i)
		for j := range row {
			if sx != nil {
				row[j] /= sx[i]
			}
			if sy != nil {
				row[j] *= sy[j]
			}
		}
	}
	b := make([]float64, dy)
	if my != nil {
		copy(b, my)
	}
	if mx != nil {
		for i := 0; i < dx; i++ {
			for j, v := range m.RawRowView(i) {
				b[j] -= mx[i] * v
			}
		}
	}
	return m, b
}

// fitProcrustes returns s Q with Q = U V^T from the SVD of
// px^T py = U S V^T, and records Q, s and tr S.
// O(n dx dy + dx dy min(dx, dy)).
func (t *Translator) fitProcrustes(px, py *mat.Dense) (*mat.Dense, error) {
	_, dx := px.Dims()
	_, dy := py.Dims()
	m := mat.NewDense(dx, dy, nil)
	m.Mul(px.T(), py)
	svd, ok := linalg.ThinSVD(m.RawMatrix())
	if !ok {
		return nil, chk.Errorf("SVD of the %d x %d cross-covariance X^T Y did not converge", dx, dy)
	}
	k := len(svd.S)
	q := mat.NewDense(dx, dy, nil)
	q.Mul(mat.NewDense(dx, k, svd.U.Data), mat.NewDense(k, dy, svd.Vt.Data))
	t.Rotation = q
	for _, v := range svd.S {
		t.crossTrace += v
	}
	if t.Options.Scale {
		if fx := frob(px); fx > 0 {
			t.Scale = t.crossTrace / (fx * fx)
		}
	}
	w := mat.DenseCopyOf(q)
	w.Scale(t.Scale, w)
	return w, nil
}

// pinvFilter is the least-squares filter 1/s above numpy's rcond
// (eps * max(n, d) * s_max), 0 below.
func pinvFilter(s, tol float64) float64 {
	if s <= tol {
		return 0
	}
	return 1 / s
}

// solveFiltered returns V diag(f(s)) U^T py from the thin SVD
// px = U diag(s) V^T: the minimum-norm least-squares solution for
// pinvFilter, ridge for s / (s^2 + alpha). f also gets the rank cutoff.
// O(n d min(n, d) + n d dy).
func solveFiltered(px, py *mat.Dense, f func(s, tol float64) float64) (*mat.Dense, error) {
	n, d := px.Dims()
	_, dy := py.Dims()
	svd, ok := linalg.ThinSVD(px.RawMatrix())
	if !ok {
		return nil, chk.Errorf("SVD of the %d x %d prepared X did not converge", n, d)
	}
	k := len(svd.S)
	u := mat.NewDense(n, k, svd.U.Data)
	uty := mat.NewDense(k, dy, nil)
	uty.Mul(u.T(), py)
	tol := 0x1p-52 * float64(max(n, d)) * svd.S[0]
	for i := 0; i < k; i++ {
		g := f(svd.S[i], tol)
		row := uty.RawRowView(i)
		for j := range row {
			row[j] *= g
		}
	}
	w := mat.NewDense(d, dy, nil)
	w.Mul(mat.NewDense(k, d, svd.Vt.Data).T(), uty)
	return w, nil
}
