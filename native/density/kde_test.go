package density

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func relClose(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

const kdeScript = `
import json, sys
import numpy as np
from scipy.stats import gaussian_kde
from sklearn.neighbors import KernelDensity
inp = json.load(sys.stdin)
X = np.array(inp["data"]); Q = np.array(inp["queries"])
out = {}
for bw in ["scott", "silverman", 0.3]:
    out["scipy_" + str(bw)] = gaussian_kde(X.T, bw_method=bw).logpdf(Q.T).tolist()
for bw in ["scott", "silverman", 0.7]:
    out["sklearn_" + str(bw)] = KernelDensity(kernel="gaussian", bandwidth=bw).fit(X).score_samples(Q).tolist()
loo = []
for i in range(inp["loo"]):
    loo.append(KernelDensity(kernel="gaussian", bandwidth=0.7).fit(np.delete(X, i, 0)).score_samples(X[i:i+1])[0])
out["sklearn_loo"] = loo
print(json.dumps(out))
`

// TestKDEAgainstReferences compares log densities with scipy's
// gaussian_kde (covariance mode: scott, silverman, scalar factor) and
// sklearn's KernelDensity (isotropic: scott, silverman, fixed h) computed
// in the same run, to 1e-8 relative. Data are correlated so that the
// covariance mode differs from the isotropic one.
func TestKDEAgainstReferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, d, m = 400, 3, 60
	x := sample.Gaussian(rng, n, d)
	mix := mat.NewDense(d, d, []float64{1, 0.5, 0, 0, 2, 0.3, 0, 0, 0.5})
	var data mat.Dense
	data.Mul(x, mix)
	q := sample.Gaussian(rng, m, d)
	q.Scale(1.5, q)
	const loo = 25
	var ref map[string][]float64
	pyref.JSON(t, kdeScript, map[string]any{"data": pyref.Rows(&data), "queries": pyref.Rows(q), "loo": loo}, &ref)

	cases := []struct {
		key  string
		opts KDEOptions
	}{
		{"scipy_scott", KDEOptions{}},
		{"scipy_silverman", KDEOptions{Rule: Silverman}},
		{"scipy_0.3", KDEOptions{Bandwidth: 0.3}},
		{"sklearn_scott", KDEOptions{Isotropic: true}},
		{"sklearn_silverman", KDEOptions{Isotropic: true, Rule: Silverman}},
		{"sklearn_0.7", KDEOptions{Isotropic: true, Bandwidth: 0.7}},
	}
	for _, c := range cases {
		k, err := NewKDE(&data, c.opts)
		if err != nil {
			t.Fatalf("%s: %v", c.key, err)
		}
		got, err := k.LogDensity(q)
		if err != nil {
			t.Fatalf("%s: %v", c.key, err)
		}
		want := ref[c.key]
		if len(want) != m {
			t.Fatalf("%s: reference has %d values", c.key, len(want))
		}
		worst := 0.0
		for i := range got {
			e := math.Abs(got[i]-want[i]) / math.Max(1, math.Abs(want[i]))
			worst = math.Max(worst, e)
			if e > 1e-8 {
				t.Errorf("%s: query %d: got %.12g, want %.12g", c.key, i, got[i], want[i])
			}
		}
		t.Logf("%s: worst relative difference %.2g", c.key, worst)
	}

	k, err := NewKDE(&data, KDEOptions{Isotropic: true, Bandwidth: 0.7})
	if err != nil {
		t.Fatal(err)
	}
	l, err := k.LeaveOneOutLogDensity()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < loo; i++ {
		if !relClose(l[i], ref["sklearn_loo"][i], 1e-8) {
			t.Errorf("leave-one-out %d: got %.12g, want %.12g (sklearn on the other points)", i, l[i], ref["sklearn_loo"][i])
		}
	}
}

// TestLeaveOneOutCovarianceMode checks leave-one-out against the full
// density with the self term removed analytically:
// (n p(x_i) - N(0; 0, S)) / (n - 1).
func TestLeaveOneOutCovarianceMode(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	data := sample.Gaussian(rng, 200, 4)
	k, err := NewKDE(data, KDEOptions{Rule: Silverman})
	if err != nil {
		t.Fatal(err)
	}
	full, _ := k.LogDensity(data)
	loo, err := k.LeaveOneOutLogDensity()
	if err != nil {
		t.Fatal(err)
	}
	self := k.logNorm // log N(0; 0, S)
	n := float64(k.N())
	for i := range loo {
		want := math.Log((n*math.Exp(full[i]) - math.Exp(self)) / (n - 1))
		if !relClose(loo[i], want, 1e-9) {
			t.Errorf("point %d: got %.12g, want %.12g", i, loo[i], want)
		}
	}
}

// TestKDEGaussianExpectation: for N(0, I_d) data and isotropic bandwidth h,
// E[p_hat(x)] = N(x; 0, (1+h^2) I) and Var[p_hat(x)] = (E[K^2] - E[K]^2)/n
// with E[K^2] = (4 pi h^2)^(-d/2) N(x; 0, (1 + h^2/2) I). The estimate must
// be within 5 standard errors (computed exactly) of the expectation.
func TestKDEGaussianExpectation(t *testing.T) {
	const n, d, h = 20000, 2, 0.5
	rng := rand.New(rand.NewPCG(5, 6))
	data := sample.Gaussian(rng, n, d)
	k, err := NewKDE(data, KDEOptions{Isotropic: true, Bandwidth: h})
	if err != nil {
		t.Fatal(err)
	}
	pts := [][]float64{{0, 0}, {1, 0}, {-0.5, 1}, {1.5, 1.5}}
	q := mat.NewDense(len(pts), d, nil)
	for i, p := range pts {
		q.SetRow(i, p)
	}
	got, err := k.LogDensity(q)
	if err != nil {
		t.Fatal(err)
	}
	gauss := func(x []float64, v float64) float64 {
		r2 := 0.0
		for _, xi := range x {
			r2 += xi * xi
		}
		return math.Exp(-r2/(2*v)) / math.Pow(2*math.Pi*v, d/2.0)
	}
	for i, p := range pts {
		mean := gauss(p, 1+h*h)
		ek2 := math.Pow(4*math.Pi*h*h, -d/2.0) * gauss(p, 1+h*h/2)
		se := math.Sqrt((ek2 - mean*mean) / n)
		est := math.Exp(got[i])
		if math.Abs(est-mean) > 5*se {
			t.Errorf("x=%v: KDE %.5f, expected %.5f (standard error %.5f)", p, est, mean, se)
		}
		t.Logf("x=%v: KDE %.5f, expected %.5f, |diff|/se = %.2f", p, est, mean, math.Abs(est-mean)/se)
	}
}

func TestKDEErrors(t *testing.T) {
	good := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 7})
	bad := mat.NewDense(2, 2, []float64{1, 2, math.NaN(), 4})
	singular := mat.NewDense(3, 2, []float64{1, 2, 2, 4, 3, 6})
	cases := []struct {
		name string
		f    func() error
		want string
	}{
		{"nil", func() error { _, err := NewKDE(nil, KDEOptions{}); return err }, "nil"},
		{"empty", func() error { _, err := NewKDE(&mat.Dense{}, KDEOptions{}); return err }, "empty"},
		{"nan", func() error { _, err := NewKDE(bad, KDEOptions{}); return err }, "row 1, column 0"},
		{"negative bw", func() error { _, err := NewKDE(good, KDEOptions{Bandwidth: -1}); return err }, "bandwidth"},
		{"singular", func() error { _, err := NewKDE(singular, KDEOptions{}); return err }, "singular"},
		{"one point", func() error { _, err := NewKDE(mat.NewDense(1, 2, []float64{1, 2}), KDEOptions{}); return err }, "at least 2"},
		{"query dims", func() error {
			k, err := NewKDE(good, KDEOptions{})
			if err != nil {
				return err
			}
			_, err = k.LogDensity(mat.NewDense(1, 3, nil))
			return err
		}, "3 columns"},
		{"query nan", func() error {
			k, _ := NewKDE(good, KDEOptions{Isotropic: true, Bandwidth: 1})
			_, err := k.LogDensity(bad)
			return err
		}, "queries has a non-finite"},
	}
	for _, c := range cases {
		err := c.f()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
