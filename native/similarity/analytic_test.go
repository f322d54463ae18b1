package similarity

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestInvariances checks the analytic values: every CKA variant is 1 for
// Y = c X Q + b (orthogonal or isometric Q, c > 0), Procrustes and the
// shape metrics are 0 (1e-10), CCA/PWCCA are 1 for any invertible A, and
// the kNN measures are 1 for identical neighbourhoods.
func TestInvariances(t *testing.T) {
	rng := newRand(7)
	const n, d = 40, 6
	x := sample.Gaussian(rng, n, d)
	q := orthonormal(rng, d, d)     // orthogonal
	emb := orthonormal(rng, d, d+4) // isometric embedding into R^(d+4)
	a := sample.Gaussian(rng, d, d) // invertible (almost surely)
	yq := affine(rng, x, q, 2.5)    // 2.5 X Q + b
	ye := affine(rng, x, emb, 0.3)  // 0.3 X E + b, wider
	ya := affine(rng, x, a, 1)      // X A + b
	yrot := affine(rng, x, q, 1)    // X Q + b (shape metrics with 0 < alpha < 1)
	yscaled := mat.DenseCopyOf(x)   // 3 X (rotation-free, for cosine kNN)
	yscaled.Scale(3, yscaled)

	type check struct {
		name string
		f    func() (float64, error)
		want float64
		tol  float64
	}
	var checks []check
	for _, y := range []struct {
		name string
		m    *mat.Dense
	}{{"cXQ+b", yq}, {"cXE+b", ye}} {
		y := y
		checks = append(checks,
			check{"LinearCKA " + y.name, func() (float64, error) { return LinearCKA(x, y.m) }, 1, 1e-12},
			check{"DebiasedCKA " + y.name, func() (float64, error) { return DebiasedCKA(x, y.m) }, 1, 1e-12},
			check{"RBFCKA " + y.name, func() (float64, error) { return RBFCKA(x, y.m, 0) }, 1, 1e-12},
			check{"RBFCKA factor 0.5 " + y.name, func() (float64, error) { return RBFCKA(x, y.m, 0.5) }, 1, 1e-12},
			check{"DebiasedRBFCKA " + y.name, func() (float64, error) { return DebiasedRBFCKA(x, y.m, 0) }, 1, 1e-12},
			check{"LinearCKA32 " + y.name, func() (float64, error) { return LinearCKA32(mat32.FromDense(x), mat32.FromDense(y.m)) }, 1, 1e-5},
			check{"MinibatchLinearCKA " + y.name, func() (float64, error) { return MinibatchLinearCKA(x, y.m, 13, nil) }, 1, 1e-12},
			check{"ProcrustesDistance " + y.name, func() (float64, error) { return ProcrustesDistance(x, y.m) }, 0, 1e-10},
			check{"ShapeDistance alpha=1 " + y.name, func() (float64, error) { return ShapeDistance(x, y.m, 1) }, 0, 1e-6},
			check{"SVCCA " + y.name, func() (float64, error) { return SVCCA(x, y.m, 0.99) }, 1, 1e-12},
			check{"RSA euclidean spearman " + y.name, func() (float64, error) { return RSA(x, y.m, RDMEuclidean, Spearman) }, 1, 1e-12},
			check{"RSA euclidean pearson " + y.name, func() (float64, error) { return RSA(x, y.m, RDMEuclidean, Pearson) }, 1, 1e-12},
		)
	}
	checks = append(checks,
		check{"ShapeDistance alpha=0 cXQ+b", func() (float64, error) { return ShapeDistance(x, yq, 0) }, 0, 1e-6},
		check{"ShapeDistance alpha=0.5 XQ+b", func() (float64, error) { return ShapeDistance(x, yrot, 0.5) }, 0, 1e-6},
		check{"ShapeDistanceEuclidean alpha=0.5 XQ+b", func() (float64, error) { return ShapeDistanceEuclidean(x, yrot, 0.5) }, 0, 1e-6},
		check{"ShapeDistanceEuclidean alpha=1 XQ+b", func() (float64, error) { return ShapeDistanceEuclidean(x, yrot, 1) }, 0, 1e-6},
		check{"CCA XA+b", func() (float64, error) { return CCA(x, ya) }, 1, 1e-12},
		check{"PWCCA XA+b", func() (float64, error) { return PWCCA(x, ya) }, 1, 1e-12},
		check{"CCA cXE+b (wider)", func() (float64, error) { return CCA(x, ye) }, 1, 1e-12},
		check{"MutualKNN X,X", func() (float64, error) { return MutualKNN(x, x, 5) }, 1, 0},
		check{"MutualKNN X,3XQ (cosine invariant)", func() (float64, error) {
			var y mat.Dense
			y.Mul(yscaled, q)
			return MutualKNN(x, &y, 5)
		}, 1, 0},
		check{"MutualKNN32 X,X", func() (float64, error) { return MutualKNN32(mat32.FromDense(x), mat32.FromDense(x), 5) }, 1, 0},
		check{"KNNJaccard X,XQ+b", func() (float64, error) { return KNNJaccard(x, yrot, 5, knn.Euclidean) }, 1, 0},
		check{"RSA correlation 3X+row shift", func() (float64, error) {
			y := mat.DenseCopyOf(yscaled)
			for i := 0; i < n; i++ {
				for j := 0; j < d; j++ {
					y.Set(i, j, y.At(i, j)+float64(i))
				}
			}
			return RSA(x, y, RDMCorrelation, Pearson)
		}, 1, 1e-12},
	)
	for _, c := range checks {
		got, err := c.f()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if math.Abs(got-c.want) > c.tol {
			t.Errorf("%s = %.15g, want %g (tolerance %g)", c.name, got, c.want, c.tol)
		}
	}
	// Unrelated data must not score as identical (guards against a
	// measure that always returns its maximum).
	z := sample.Gaussian(rng, n, d)
	for name, f := range map[string]func() (float64, error){
		"LinearCKA": func() (float64, error) { return LinearCKA(x, z) },
		"CCA":       func() (float64, error) { return CCA(x, z) },
		"MutualKNN": func() (float64, error) { return MutualKNN(x, z, 5) },
		"RSA":       func() (float64, error) { return RSA(x, z, RDMEuclidean, Pearson) },
	} {
		if v, err := f(); err != nil || v > 0.9 {
			t.Errorf("%s on independent data = %v (err %v), want well below 1", name, v, err)
		}
	}
	if v, err := ProcrustesDistance(x, z); err != nil || v < 0.1 {
		t.Errorf("ProcrustesDistance on independent data = %v (err %v), want well above 0", v, err)
	}
}

// TestDebiasedVersusBiased: on independent N(0,1) inputs with n = 32, d = 8,
// biased linear CKA is about 0.2 while debiased CKA is about 0
// (REFERENCES.md). Over 40 seeds the means must be within 4 standard errors
// (estimated from the same samples) of 0 for the debiased estimator, and the
// biased mean within 4 standard errors of 0.2 (a numpy simulation with 400
// seeds gives 0.2025 +- 0.036 per draw).
func TestDebiasedVersusBiased(t *testing.T) {
	const seeds, n, d = 40, 32, 8
	var b, u []float64
	for s := uint64(0); s < seeds; s++ {
		rng := newRand(100 + s)
		x, y := sample.Gaussian(rng, n, d), sample.Gaussian(rng, n, d)
		vb, err := LinearCKA(x, y)
		if err != nil {
			t.Fatal(err)
		}
		vu, err := DebiasedCKA(x, y)
		if err != nil {
			t.Fatal(err)
		}
		b, u = append(b, vb), append(u, vu)
	}
	mb, sb := meanSE(b)
	mu, su := meanSE(u)
	t.Logf("biased %.4f +- %.4f, debiased %.4f +- %.4f (standard errors)", mb, sb, mu, su)
	if math.Abs(mu) > 4*su {
		t.Errorf("debiased CKA mean %.4f is more than 4 standard errors (%.4f) from 0", mu, su)
	}
	if math.Abs(mb-0.2) > 4*sb {
		t.Errorf("biased CKA mean %.4f is more than 4 standard errors (%.4f) from 0.2", mb, sb)
	}
	if mb-mu < 0.1 {
		t.Errorf("biased (%.4f) should exceed debiased (%.4f) clearly", mb, mu)
	}
}

func meanSE(v []float64) (m, se float64) {
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	var ss float64
	for _, x := range v {
		ss += (x - m) * (x - m)
	}
	return m, math.Sqrt(ss / float64(len(v)-1) / float64(len(v)))
}

// TestMutualKNNRandom: for independent representations each point's two
// neighbour sets overlap like a hypergeometric draw, so the score is about
// k/(n-1); with n = 400, k = 10 its standard deviation is about 0.0025. We
// allow 6 of them for each of 3 seeds.
func TestMutualKNNRandom(t *testing.T) {
	const n, d, k = 400, 16, 10
	want := float64(k) / float64(n-1)
	for s := uint64(0); s < 3; s++ {
		rng := newRand(200 + s)
		x, y := sample.Gaussian(rng, n, d), sample.Gaussian(rng, n, d)
		v, err := MutualKNN(x, y, k)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(v-want) > 0.015 {
			t.Errorf("seed %d: mutual kNN of independent data = %.4f, want about k/(n-1) = %.4f", s, v, want)
		}
		j, err := KNNJaccard(x, y, k, knn.Euclidean)
		if err != nil {
			t.Fatal(err)
		}
		// |A∩B|/|A∪B| with small overlaps is about c/(2k): about half
		if j > v || j < v/2-0.005 {
			t.Errorf("seed %d: kNN Jaccard %.4f inconsistent with mutual kNN %.4f", s, j, v)
		}
	}
}

// TestMinibatch checks the accumulator: one batch equals DebiasedCKA; the
// accumulated value equals the ratio of per-batch unbiased HSIC sums
// computed independently from Gram matrices (1e-10); it differs from the
// average of per-batch CKA; MinibatchLinearCKA equals manual batching; and
// float32 batches agree with float64.
func TestMinibatch(t *testing.T) {
	x, y := related(11, 90, 7, 5, 0.5)
	full, err := DebiasedCKA(x, y)
	if err != nil {
		t.Fatal(err)
	}
	one := NewMinibatchCKA()
	if _, err := one.Value(); err == nil {
		t.Error("Value before any batch should fail")
	}
	if err := one.Update(x, y); err != nil {
		t.Fatal(err)
	}
	if v, _ := one.Value(); math.Abs(v-full) > 1e-12 {
		t.Errorf("single batch %.15g != DebiasedCKA %.15g", v, full)
	}

	bounds := [][2]int{{0, 30}, {30, 60}, {60, 90}}
	acc := NewMinibatchCKA()
	acc32 := NewMinibatchCKA()
	var sxy, sxx, syy, avg float64
	for _, b := range bounds {
		xb := mat.DenseCopyOf(x.Slice(b[0], b[1], 0, 7))
		yb := mat.DenseCopyOf(y.Slice(b[0], b[1], 0, 5))
		if err := acc.Update(xb, yb); err != nil {
			t.Fatal(err)
		}
		if err := acc32.Update32(mat32.FromDense(xb), mat32.FromDense(yb)); err != nil {
			t.Fatal(err)
		}
		// independent: unbiased HSIC from explicit uncentred Gram matrices
		var k, l mat.SymDense
		k.SymOuterK(1, xb)
		l.SymOuterK(1, yb)
		gk, gl := symToGram(&k), symToGram(&l)
		tk, tl := gk.terms(), gl.terms()
		sxy += unbiasedHSIC(gk.dot(gl), tk, tl)
		sxx += unbiasedHSIC(gk.dot(gk), tk, tk)
		syy += unbiasedHSIC(gl.dot(gl), tl, tl)
		c, err := KernelCKA(&k, &l, true)
		if err != nil {
			t.Fatal(err)
		}
		avg += c / float64(len(bounds))
	}
	want := sxy / math.Sqrt(sxx*syy)
	got, err := acc.Value()
	if err != nil {
		t.Fatal(err)
	}
	if relErr(got, want, 1e-2) > 1e-10 {
		t.Errorf("minibatch %.15g != accumulated Gram HSIC %.15g", got, want)
	}
	if math.Abs(got-avg) < 1e-3 {
		t.Errorf("minibatch %.6g should differ from the average of per-batch CKA %.6g", got, avg)
	}
	if acc.Batches() != 3 {
		t.Errorf("Batches() = %d, want 3", acc.Batches())
	}
	if g32, _ := acc32.Value(); math.Abs(g32-got) > 1e-5 {
		t.Errorf("float32 batches %.8g vs float64 %.8g", g32, got)
	}
	calls := 0
	v, err := MinibatchLinearCKA(x, y, 30, func(done, total int) error {
		calls++
		if total != 3 || done != calls {
			t.Errorf("progress (%d, %d) at call %d", done, total, calls)
		}
		return nil
	})
	if err != nil || math.Abs(v-got) > 1e-14 || calls != 3 {
		t.Errorf("MinibatchLinearCKA = %v, %v after %d progress calls; want %v after 3", v, err, calls, got)
	}
	// a trailing batch of <= 3 rows is merged: 90 = 29*3 + 3
	v29, err := MinibatchLinearCKA(x, y, 29, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMinibatchCKA()
	for _, b := range [][2]int{{0, 29}, {29, 58}, {58, 90}} {
		m.Update(mat.DenseCopyOf(x.Slice(b[0], b[1], 0, 7)), mat.DenseCopyOf(y.Slice(b[0], b[1], 0, 5)))
	}
	if w, _ := m.Value(); math.Abs(v29-w) > 1e-14 {
		t.Errorf("merged trailing batch: %v, want %v", v29, w)
	}
	stop := errors.New("stop")
	if _, err := MinibatchLinearCKA(x, y, 30, func(int, int) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("progress error not returned: %v", err)
	}
	if err := acc.Update(sample.Gaussian(newRand(1), 10, 3), sample.Gaussian(newRand(2), 10, 5)); err == nil {
		t.Error("batch with a different width should fail")
	}
	if err := acc.Update(sample.Gaussian(newRand(1), 3, 7), sample.Gaussian(newRand(2), 3, 5)); err == nil {
		t.Error("batch of 3 rows should fail")
	}
}

// TestLinearCKAPaths compares LinearCKA's three float64 paths (raw products
// with rank-one mean corrections, the stacked single SYRK on centred copies,
// GEMM + two SYRKs on centred copies), the float32 paths, and checks that
// data with large column means take a centring path and stay accurate.
func TestLinearCKAPaths(t *testing.T) {
	defer func(l, b int, f bool) {
		stackLimit, stackBlockElems, forceCentredCopy = l, b, f
	}(stackLimit, stackBlockElems, forceCentredCopy)
	rng := newRand(8)
	x := affine(rng, sample.Gaussian(rng, 300, 20), orthonormal(rng, 20, 20), 1) // means ~5 sd: raw-product path
	var y mat.Dense
	y.Mul(x, sample.Gaussian(rng, 20, 15))
	y.Add(&y, sample.Gaussian(rng, 300, 15))
	xr := x.RawMatrix()
	if _, ok, _ := moments(xr.Data, 300, 20, xr.Stride, uncentredRatio); !ok {
		t.Fatal("test data should qualify for the raw-product path")
	}
	paths := []struct {
		name         string
		limit, block int
		force        bool
	}{
		{"raw products", 1 << 25, 1 << 20, false},
		{"stacked SYRK, one block", 1 << 25, 1 << 20, true},
		{"stacked SYRK, 64-row blocks", 1 << 25, 64 * 35, true},
		{"GEMM + SYRKs", 100, 1 << 20, true},
	}
	var ref float64
	for p, path := range paths {
		stackLimit, stackBlockElems, forceCentredCopy = path.limit, path.block, path.force
		g, err := LinearCKA(x, &y)
		if err != nil {
			t.Fatal(err)
		}
		g32, err := LinearCKA32(mat32.FromDense(x), mat32.FromDense(&y))
		if err != nil {
			t.Fatal(err)
		}
		if p == 0 {
			ref = g
		} else if relErr(g, ref, 1e-2) > 1e-12 {
			t.Errorf("%s: %.15g, raw-product path %.15g", path.name, g, ref)
		}
		if relErr(g32, ref, 1e-2) > 1e-4 {
			t.Errorf("%s: LinearCKA32 %.8g vs LinearCKA %.8g", path.name, g32, ref)
		}
	}
	// float32 raw-product path (means well below the spread)
	x0 := sample.Gaussian(rng, 400, 30)
	y0 := mat.DenseCopyOf(x0.Slice(0, 400, 0, 12))
	y0.Add(y0, sample.Gaussian(rng, 400, 12))
	x032, y032 := mat32.FromDense(x0), mat32.FromDense(y0)
	if _, ok, _ := moments(x032.RawData(), 400, 30, 30, uncentredRatio32); !ok {
		t.Fatal("float32 test data should qualify for the raw-product path")
	}
	for _, force := range []bool{false, true} {
		forceCentredCopy = force
		w, _ := LinearCKA(x0, y0)
		g, err := LinearCKA32(x032, y032)
		if err != nil || relErr(g, w, 1e-2) > 1e-5 || w < 0.1 {
			t.Errorf("float32 (centred copy %v): %.8g (err %v), float64 %.8g", force, g, err, w)
		}
	}
	// Means 1e6 times the spread: the raw-product path would lose every
	// digit; LinearCKA must detect it and centre first.
	stackLimit, forceCentredCopy = 1<<25, false
	big := mat.DenseCopyOf(x)
	for i := 0; i < 300; i++ {
		for j := 0; j < 20; j++ {
			big.Set(i, j, big.At(i, j)+1e6)
		}
	}
	g, err := LinearCKA(big, &y)
	if err != nil || relErr(g, ref, 1e-2) > 1e-6 {
		t.Errorf("large means: %.15g (err %v), want %.15g", g, err, ref)
	}
}

// TestErrors checks that bad inputs are reported with what is wrong.
func TestErrors(t *testing.T) {
	rng := newRand(3)
	x := sample.Gaussian(rng, 10, 4)
	nan := mat.DenseCopyOf(x)
	nan.Set(3, 2, math.NaN())
	inf := mat.DenseCopyOf(x)
	inf.Set(7, 1, math.Inf(-1))
	short := sample.Gaussian(rng, 9, 4)
	wide := sample.Gaussian(rng, 10, 12)
	tiny := sample.Gaussian(rng, 3, 2)
	constant := mat.NewDense(10, 4, nil)
	cases := []struct {
		name string
		f    func() (float64, error)
		want string
	}{
		{"rows mismatch", func() (float64, error) { return LinearCKA(x, short) }, "10 rows but Y has 9"},
		{"NaN position", func() (float64, error) { return LinearCKA(x, nan) }, "NaN at row 3, column 2"},
		{"Inf position", func() (float64, error) { return CCA(inf, x) }, "-Inf at row 7, column 1"},
		{"empty", func() (float64, error) { return LinearCKA(&mat.Dense{}, x) }, "empty input"},
		{"nil", func() (float64, error) { return RBFCKA(nil, x, 0) }, "X is nil"},
		{"debiased n=3", func() (float64, error) { return DebiasedCKA(tiny, tiny) }, "more than 3 points"},
		{"debiased RBF n=3", func() (float64, error) { return DebiasedRBFCKA(tiny, tiny, 0) }, "more than 3 points"},
		{"CCA n<d", func() (float64, error) { return CCA(x, wide) }, "Y is 10 x 12"},
		{"PWCCA n<d", func() (float64, error) { return PWCCA(wide, x) }, "X is 10 x 12"},
		{"constant", func() (float64, error) { return LinearCKA(constant, x) }, "zero variance"},
		{"constant RBF", func() (float64, error) { return RBFCKA(x, constant, 0) }, "identical"},
		{"alpha", func() (float64, error) { return ShapeDistance(x, x, 1.5) }, "alpha must be in [0, 1]"},
		{"threshold", func() (float64, error) { return SVCCA(x, x, 2) }, "threshold"},
		{"sigma", func() (float64, error) { return RBFCKA(x, x, -1) }, "sigma factor"},
		{"k >= n", func() (float64, error) { return MutualKNN(x, x, 10) }, "K"},
		{"k < 0", func() (float64, error) { return KNNJaccard(x, x, -2, knn.Euclidean) }, "k must be positive"},
		{"RSA constant RDM", func() (float64, error) { return RSA(constant, x, RDMEuclidean, Pearson) }, "constant"},
		{"RSA correlation constant row", func() (float64, error) { return RSA(constant, x, RDMCorrelation, Pearson) }, "row 0 is constant"},
		{"float32 mismatch", func() (float64, error) {
			return LinearCKA32(mat32.FromDense(x), mat32.FromDense(short))
		}, "10 rows but Y has 9"},
		{"float32 NaN", func() (float64, error) { return LinearCKA32(mat32.FromDense(nan), mat32.FromDense(x)) }, "(3, 2) is NaN"},
	}
	for _, c := range cases {
		_, err := c.f()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", c.name, err, c.want)
		}
	}
	if _, err := LinearCKA(&mat.Dense{}, x); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty input error %v is not ErrEmpty", err)
	}
}

// TestKernelCKAMatchesFeatureForm: Gram and feature forms agree, including
// the debiased one, and a lower-triangle SymDense view is read correctly.
func TestKernelCKAMatchesFeatureForm(t *testing.T) {
	x, y := related(9, 30, 5, 8, 0.4)
	var k, l mat.SymDense
	k.SymOuterK(1, x)
	l.SymOuterK(1, y)
	for _, debiased := range []bool{false, true} {
		g, err := KernelCKA(&k, &l, debiased)
		if err != nil {
			t.Fatal(err)
		}
		var w float64
		if debiased {
			w, err = DebiasedCKA(x, y)
		} else {
			w, err = LinearCKA(x, y)
		}
		if err != nil {
			t.Fatal(err)
		}
		// The Gram matrices are of the uncentred data (column means 3): the
		// unbiased HSIC is shift invariant, up to cancellation in the sums.
		if relErr(g, w, 1e-2) > 1e-9 {
			t.Errorf("debiased=%v: KernelCKA %.15g, feature form %.15g", debiased, g, w)
		}
	}
	// RBFKernel returns the kernel RBFCKA uses
	kr, sigma, err := RBFKernel(x, 1)
	if err != nil || !(sigma > 0) {
		t.Fatalf("RBFKernel: sigma %v, err %v", sigma, err)
	}
	lr, _, _ := RBFKernel(y, 1)
	g, _ := KernelCKA(kr, lr, false)
	w, _ := RBFCKA(x, y, 1)
	if relErr(g, w, 1e-2) > 1e-12 {
		t.Errorf("KernelCKA(RBFKernel) %.15g != RBFCKA %.15g", g, w)
	}
	// sigma is sqrt of the median non-zero squared distance
	var sq []float64
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			var s float64
			for c := 0; c < 5; c++ {
				dv := x.At(i, c) - x.At(j, c)
				s += dv * dv
			}
			sq = append(sq, s)
		}
	}
	if m := math.Sqrt(median(sq)); relErr(sigma, m, 1e-2) > 1e-12 {
		t.Errorf("sigma %.15g, sqrt(median squared distance) %.15g", sigma, m)
	}
}

// TestMedian checks the selection-based median against sorting.
func TestMedian(t *testing.T) {
	rng := newRand(4)
	for _, m := range []int{1, 2, 3, 4, 5, 10, 11, 100, 101} {
		for rep := 0; rep < 5; rep++ {
			v := make([]float64, m)
			for i := range v {
				v[i] = float64(rng.IntN(7)) // many ties
			}
			s := append([]float64(nil), v...)
			sortFloats(s)
			want := s[m/2]
			if m%2 == 0 {
				want = (s[m/2-1] + s[m/2]) / 2
			}
			if got := median(v); got != want {
				t.Errorf("median of %v = %v, want %v", s, got, want)
			}
		}
	}
}

func sortFloats(v []float64) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}
