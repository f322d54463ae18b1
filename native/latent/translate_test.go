package latent

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestTranslatorMatchesReferences compares Procrustes with
// scipy.linalg.orthogonal_procrustes (rotation, and the scale from its
// nuclear norm), Affine with scikit-learn's LinearRegression, Ridge with
// its Ridge and LeastSquares with numpy's lstsq, computed in the same run
// on noisy, off-centre data (so every map and bias matters).
func TestTranslatorMatchesReferences(t *testing.T) {
	const n, dx, dy = 300, 12, 12
	x := gauss(20, n, dx)
	x.Apply(func(_, j int, v float64) float64 { return v + float64(j%3) }, x)
	w := gauss(21, dx, dy)
	y := mat.NewDense(n, dy, nil)
	y.Mul(x, w)
	y.Add(y, gauss(22, n, dy))
	y.Apply(func(_, j int, v float64) float64 { return v - float64(j) }, y)
	const alpha = 7.5
	var ref struct {
		Rotation       [][]float64 `json:"rotation"`
		Nuclear        float64     `json:"nuclear"`
		RidgeCoef      [][]float64 `json:"ridge_coef"`
		RidgeIntercept []float64   `json:"ridge_intercept"`
		LinCoef        [][]float64 `json:"lin_coef"`
		LinIntercept   []float64   `json:"lin_intercept"`
		Lstsq          [][]float64 `json:"lstsq"`
	}
	pyref.JSON(t, "testdata/translate_ref.py", map[string]any{"x": pyref.WriteNPY(t, x), "y": pyref.WriteNPY(t, y), "alpha": alpha}, &ref)
	cases := []struct {
		name   string
		opts   TranslateOptions
		matrix [][]float64
		bias   []float64
	}{
		{"procrustes", TranslateOptions{}, ref.Rotation, make([]float64, dy)},
		{"affine", TranslateOptions{Method: Affine}, ref.LinCoef, ref.LinIntercept},
		{"ridge", TranslateOptions{Method: Ridge, Alpha: alpha}, ref.RidgeCoef, ref.RidgeIntercept},
		{"lstsq", TranslateOptions{Method: LeastSquares}, ref.Lstsq, make([]float64, dy)},
		{"lstsq centred = affine", TranslateOptions{Method: LeastSquares, Centre: true}, ref.LinCoef, ref.LinIntercept},
		{"cca, all components = affine", TranslateOptions{Method: CCA}, ref.LinCoef, ref.LinIntercept},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, err := FitTranslator(x, y, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if e := maxAbsDiff(t, tr.Matrix, fromRows(c.matrix)); e > 1e-10 {
				t.Errorf("matrix differs from the reference by %g", e)
			}
			if e := maxAbsDiff(t, mat.NewDense(1, dy, tr.Bias), mat.NewDense(1, dy, c.bias)); e > 1e-10 {
				t.Errorf("bias differs from the reference by %g", e)
			}
		})
	}
	// The closed-form Procrustes residual equals the measured one.
	for _, o := range []TranslateOptions{{}, {Centre: true}, {Scale: true}, {Centre: true, Scale: true}} {
		tr, _ := FitTranslator(x, y, o)
		if r, _ := tr.ResidualOn(x, y); math.Abs(r-tr.Residual) > 1e-10*r {
			t.Errorf("%+v: residual %v, measured %v", o, tr.Residual, r)
		}
	}
	tr, _ := FitTranslator(x, y, TranslateOptions{Scale: true})
	fx := mat.Norm(x, 2)
	if want := ref.Nuclear / (fx * fx); math.Abs(tr.Scale-want) > 1e-12*want {
		t.Errorf("Procrustes scale %v, scipy's nuclear norm gives %v", tr.Scale, want)
	}
}

// TestPlantedMaps: each estimator recovers a planted map exactly (1e-10)
// and reports a zero residual: a rotation with scale and shift
// (Procrustes with Centre and Scale), a partial isometry between
// different widths, a general affine map (Affine, CCA), a linear map
// (LeastSquares), and with Standardise.
func TestPlantedMaps(t *testing.T) {
	const n, d = 200, 10
	x := gauss(30, n, d)
	q := orthogonal(31, d)
	b := make([]float64, d)
	for j := range b {
		b[j] = 0.5*float64(j) - 2
	}
	y := affineMap(x, q, 2.5, b)
	tr, err := FitTranslator(x, y, TranslateOptions{Centre: true, Scale: true})
	if err != nil {
		t.Fatal(err)
	}
	if e := maxAbsDiff(t, tr.Rotation, q); e > 1e-10 {
		t.Errorf("rotation off by %g", e)
	}
	if math.Abs(tr.Scale-2.5) > 1e-10 || tr.Residual > 1e-10 {
		t.Errorf("scale %v (want 2.5), residual %g", tr.Scale, tr.Residual)
	}
	if e := maxAbsDiff(t, mat.NewDense(1, d, tr.Bias), mat.NewDense(1, d, b)); e > 1e-10 {
		t.Errorf("bias off by %g", e)
	}
	// Partial isometry into a wider space: the first 10 columns of a
	// 14 x 14 rotation.
	q14 := orthogonal(32, 14).Slice(0, d, 0, 14).(*mat.Dense)
	tr, err = FitTranslator(x, affineMap(x, q14, 1, nil), TranslateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if e := maxAbsDiff(t, tr.Rotation, q14); e > 1e-10 || tr.Residual > 1e-10 {
		t.Errorf("partial isometry off by %g, residual %g", e, tr.Residual)
	}
	w := gauss(33, d, 6)
	bw := []float64{1, 2, 3, -1, -2, -3}
	ya := affineMap(x, w, 1, bw)
	for _, m := range []Method{Affine, CCA} {
		tr, err = FitTranslator(x, ya, TranslateOptions{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if e := maxAbsDiff(t, tr.Matrix, w); e > 1e-10 || tr.Residual > 1e-10 {
			t.Errorf("%s: map off by %g, residual %g", m, e, tr.Residual)
		}
		if e := maxAbsDiff(t, mat.NewDense(1, 6, tr.Bias), mat.NewDense(1, 6, bw)); e > 1e-10 {
			t.Errorf("%s: bias off by %g", m, e)
		}
	}
	tr, _ = FitTranslator(x, affineMap(x, w, 1, nil), TranslateOptions{Method: LeastSquares})
	if e := maxAbsDiff(t, tr.Matrix, w); e > 1e-10 {
		t.Errorf("lstsq: map off by %g", e)
	}
	// Standardising is folded into Matrix and Bias exactly: the
	// standardised affine fit of an affine map has zero residual.
	tr, _ = FitTranslator(x, y, TranslateOptions{Standardise: true, Method: Affine})
	if tr.Residual > 1e-10 {
		t.Errorf("standardised affine residual %g", tr.Residual)
	}
	// CCA with fewer components: correlations descending in [0, 1], and
	// the residual grows as components are dropped.
	prev := -1.0
	for _, k := range []int{6, 3, 1} {
		tr, err = FitTranslator(x, affineMap(x, w, 1, bw), TranslateOptions{Method: CCA, Components: k})
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Correlations) != k || tr.Residual <= prev-1e-12 {
			t.Errorf("CCA %d components: %d correlations, residual %g after %g", k, len(tr.Correlations), tr.Residual, prev)
		}
		prev = tr.Residual
	}
}

// TestTranslatorTransform: Transform applies x Matrix + Bias to new
// points, Transform32 agrees to float32 precision, ResidualOn scores
// held-out pairs.
func TestTranslatorTransform(t *testing.T) {
	x := gauss(40, 100, 8)
	q := orthogonal(41, 8)
	y := affineMap(x, q, 1, nil)
	tr, err := FitTranslator(x, y, TranslateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	xt := gauss(42, 30, 8)
	got, err := tr.Transform(xt)
	if err != nil {
		t.Fatal(err)
	}
	if e := maxAbsDiff(t, got, affineMap(xt, q, 1, nil)); e > 1e-10 {
		t.Errorf("held-out points off by %g", e)
	}
	got32, err := tr.Transform32(mat32.FromDense(xt))
	if err != nil {
		t.Fatal(err)
	}
	if e := maxAbsDiff(t, got32.ToDense(), got); e > 1e-5 {
		t.Errorf("float32 off by %g", e)
	}
	if r, err := tr.ResidualOn(xt, affineMap(xt, q, 1, nil)); err != nil || r > 1e-10 {
		t.Errorf("held-out residual %g, %v", r, err)
	}
	if r, _ := tr.ResidualOn(xt, gauss(43, 30, 8)); r < 0.5 {
		t.Errorf("residual on unrelated targets %g, want about sqrt 2", r)
	}
}

// TestTranslatorSaveLoad: a round trip through .safetensors keeps every
// field exactly; missing, truncated and foreign files are errors naming
// the file; a failed save leaves nothing behind.
func TestTranslatorSaveLoad(t *testing.T) {
	dir := t.TempDir()
	x := gauss(50, 80, 6)
	y := affineMap(x, gauss(51, 6, 4), 1, []float64{1, 2, 3, 4})
	for _, opts := range []TranslateOptions{
		{Centre: true, Scale: true, Standardise: true},
		{Method: CCA, Components: 3},
		{Method: Ridge, Alpha: 0.25},
	} {
		tr, err := FitTranslator(x, y, opts)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, opts.Method.String()+".safetensors")
		if err := tr.Save(path); err != nil {
			t.Fatal(err)
		}
		back, err := LoadTranslator(path)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(back.Matrix, tr.Matrix) || back.Method != tr.Method || back.Options != tr.Options ||
			back.Scale != tr.Scale || back.Residual != tr.Residual || back.Pairs != tr.Pairs ||
			len(back.Bias) != len(tr.Bias) || back.Bias[3] != tr.Bias[3] ||
			(tr.Rotation != nil) != (back.Rotation != nil) || len(back.Correlations) != len(tr.Correlations) {
			t.Errorf("%s: round trip changed the translator:\n%+v\n%+v", opts.Method, tr, back)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d files in the folder, want 3 (no temporaries left)", len(entries))
	}
	good := filepath.Join(dir, "procrustes.safetensors")
	b, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "trunc.safetensors")
	os.WriteFile(trunc, b[:len(b)-9], 0o644)
	if _, err := LoadTranslator(trunc); err == nil {
		t.Error("truncated file loaded")
	}
	if _, err := LoadTranslator(filepath.Join(dir, "missing.safetensors")); err == nil {
		t.Error("missing file loaded")
	}
	other := filepath.Join(dir, "other.safetensors")
	tr, _ := FitTranslator(x, y, TranslateOptions{})
	if err := tr.Save(filepath.Join(dir, "no-such-dir", "t.safetensors")); err == nil {
		t.Error("save into a missing folder succeeded")
	}
	os.WriteFile(other, b, 0o644)
	if _, err := LoadTranslator(other); err != nil {
		t.Errorf("copy of a good file: %v", err)
	}
}

// TestTranslatorErrors: bad inputs give errors naming the argument.
func TestTranslatorErrors(t *testing.T) {
	x := gauss(60, 20, 8)
	y := gauss(61, 20, 8)
	nan := mat.DenseCopyOf(y)
	nan.Set(3, 2, math.Inf(1))
	fit := func(x, y mat.Matrix, o TranslateOptions) error {
		_, err := FitTranslator(x, y, o)
		return err
	}
	wantErr(t, "rows", fit(x, gauss(1, 19, 8), TranslateOptions{}),
		"latent: X has 20 rows but Y has 19: row i of both must be the same point")
	wantErr(t, "inf", fit(x, nan, TranslateOptions{}), "latent: Y has a non-finite value +Inf at row 3, column 2")
	wantErr(t, "affine anchors", fit(x.Slice(0, 8, 0, 8), y.Slice(0, 8, 0, 8), TranslateOptions{Method: Affine}),
		"latent: affine translation needs at least dx + 1 (the map and its bias) = 9 pairs (anchors), X and Y have 8: use more anchors, or Ridge or Procrustes")
	wantErr(t, "lstsq anchors", fit(x.Slice(0, 7, 0, 8), y.Slice(0, 7, 0, 8), TranslateOptions{Method: LeastSquares}),
		"latent: lstsq translation needs at least dx = 8 pairs (anchors), X and Y have 7: use more anchors, or Ridge or Procrustes")
	wantErr(t, "cca anchors", fit(x.Slice(0, 8, 0, 8), y.Slice(0, 8, 0, 8), TranslateOptions{Method: CCA}),
		"latent: cca translation needs at least max(dx, dy) + 1 (both covariances invertible) = 9 pairs (anchors), X and Y have 8: use more anchors, or Ridge or Procrustes")
	wantErr(t, "alpha", fit(x, y, TranslateOptions{Method: Ridge, Alpha: -1}), "latent: Alpha = -1 must be >= 0 (0 means 1)")
	wantErr(t, "components", fit(x, y, TranslateOptions{Method: CCA, Components: 9}), "latent: Components = 9 must be in [0, 8] (0 keeps all)")
	wantErr(t, "method", fit(x, y, TranslateOptions{Method: 17}), "latent: unknown translation method 17")
	if err := fit(x.Slice(0, 3, 0, 8), y.Slice(0, 3, 0, 8), TranslateOptions{}); err != nil {
		t.Errorf("Procrustes from 3 pairs in 8 dimensions: %v", err)
	}
	if err := fit(x.Slice(0, 3, 0, 8), y.Slice(0, 3, 0, 8), TranslateOptions{Method: Ridge}); err != nil {
		t.Errorf("Ridge from 3 pairs in 8 dimensions: %v", err)
	}
	tr, _ := FitTranslator(x, y, TranslateOptions{})
	_, err := tr.Transform(gauss(1, 4, 5))
	wantErr(t, "transform width", err, "latent: x has 5 columns but the translator maps 8-dimensional points")
	if _, err := ParseMethod("svd"); err == nil {
		t.Error("ParseMethod accepted svd")
	}
}
