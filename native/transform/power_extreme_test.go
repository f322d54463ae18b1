package transform

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

// mpmathPower minimises the exact negative log-likelihood of each column
// in 60-digit arithmetic (a grid widened until it holds the minimum, then
// golden section to a relative 1e-12), and runs
// sklearn's PowerTransformer on the same column to record how it fares.
const mpmathPower = `
import json, sys, warnings
import numpy as np
import mpmath as mp
from sklearn.preprocessing import PowerTransformer
mp.mp.dps = 60
a = json.load(sys.stdin)
# c is 1 for mixed-sign columns; 0 for one-signed ones, where the
# constant -1/lambda drops out of the variance and leaving it in would
# cancel away all 60 digits at large |lambda|.
def psi(m, l, x, c):
    x = mp.mpf(x)
    if m == "box-cox":
        return mp.log(x) if l == 0 else (x**l - c) / l
    if x >= 0:
        return mp.log1p(x) if l == 0 else ((x + 1)**l - c) / l
    return -mp.log1p(-x) if l == 2 else -((1 - x)**(2 - l) - c) / (2 - l)
def nll(m, col, l):
    l = mp.mpf(l)
    c = 1 if min(col) < 0 <= max(col) else 0
    v = [psi(m, l, x, c) for x in col]
    mu = sum(v) / len(v)
    var = sum((t - mu)**2 for t in v) / len(v)
    s = sum(mp.log(x) if m == "box-cox" else mp.sign(x) * mp.log1p(abs(mp.mpf(x))) for x in col)
    return (1 - l) * s + len(col) / mp.mpf(2) * mp.log(var)
out = []
for case in a:
    m, col = case["method"], case["col"]
    r = 6.0
    while True:
        grid = [-r + 2 * r * i / 600 for i in range(601)]
        vals = [nll(m, col, g) for g in grid]
        k = min(range(len(grid)), key=lambda i: vals[i])
        if 0 < k < 600 or r > 1e12:
            break
        r *= 16
    lo, hi = mp.mpf(grid[max(k - 1, 0)]), mp.mpf(grid[min(k + 1, 600)])
    g = (mp.sqrt(5) - 1) / 2
    while hi - lo > 1e-12 * max(1, abs(lo)):
        c, d = hi - g * (hi - lo), lo + g * (hi - lo)
        if nll(m, col, c) < nll(m, col, d):
            hi = d
        else:
            lo = c
    sk = "ok"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pt = PowerTransformer(method=m).fit(np.array(col).reshape(-1, 1))
            z = pt.transform(np.array(col).reshape(-1, 1))
            sk = "lambda %.8g" % pt.lambdas_[0]
            if not np.all(np.isfinite(z)):
                sk += ", non-finite output"
        except Exception as e:
            sk = "error: " + str(e).splitlines()[0]
    out.append({"lambda": float((lo + hi) / 2), "sklearn": sk})
print(json.dumps(out))
`

func TestPowerExtremeColumns(t *testing.T) {
	cases := []struct {
		name   string
		method PowerMethod
		col    []float64
	}{
		{"yj huge", YeoJohnson, []float64{1e300, 2e299, 5e298, 3, 1e10, 7e250, 1e-5, 42}},
		{"yj huge mixed", YeoJohnson, []float64{1e300, -1e300, 5e298, -3, 1e10, -7e250, 0, 42}},
		{"yj huge negative", YeoJohnson, []float64{-1e300, -2e299, -5e298, -3, -1e10, -7e250, -1e-5, -42}},
		{"bc huge", BoxCox, []float64{1e300, 2e299, 5e298, 3, 1e10, 7e250, 1e-5, 42}},
		{"bc tiny", BoxCox, []float64{1e-300, 2e-299, 5e-298, 3e-200, 1e-10, 7e-250, 1e-5, 0.5}},
		{"bc near one", BoxCox, []float64{1 + 1e-9, 1 + 2e-9, 1 + 3e-9, 1 + 5e-9, 1 + 8e-9, 1 + 1.3e-8}},
		{"yj large lambda", YeoJohnson, []float64{1000, 1001, 1002, 1003.5, 999, 1000.2, 1001.7, 998.1}},
	}
	var in []map[string]any
	for _, c := range cases {
		in = append(in, map[string]any{"method": c.method.String(), "col": c.col})
	}
	var ref []struct {
		Lambda  float64 `json:"lambda"`
		Sklearn string  `json:"sklearn"`
	}
	pyref.JSON(t, mpmathPower, in, &ref)
	for k, c := range cases {
		x := mat.NewDense(len(c.col), 1, c.col)
		pw, err := FitPower(x, PowerOptions{Method: c.method})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// The likelihood is flat near its maximum: compare the
		// log-likelihoods (in 60 digits, the optimum is resolved to
		// 1e-12) through our own stable evaluation, and lambda loosely.
		col := newPowerColumn(c.col, c.method == BoxCox, make([]float64, len(c.col)))
		got, best := col.nll(pw.Lambdas[0]), col.nll(ref[k].Lambda)
		if got > best+1e-9*math.Max(1, math.Abs(best)) || math.Abs(pw.Lambdas[0]-ref[k].Lambda) > 1e-4*math.Max(1, math.Abs(ref[k].Lambda)) {
			t.Errorf("%s: lambda %.10g (nll %.15g), 60-digit optimum %.10g (nll %.15g)", c.name, pw.Lambdas[0], got, ref[k].Lambda, best)
		}
		z, err := pw.Transform(x)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var mean, ss float64
		for _, v := range z.RawMatrix().Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s: non-finite output %v", c.name, z.RawMatrix().Data)
			}
			mean += v
			ss += v * v
		}
		n := float64(len(c.col))
		if math.Abs(mean/n) > 1e-9 || math.Abs(ss/n-1) > 1e-9 {
			t.Errorf("%s: output mean %g, second moment %g, want 0 and 1", c.name, mean/n, ss/n)
		}
		// The inverse is exact up to what the z-scores carry: values
		// below the column's float64 resolution (-3 next to 1e300) share
		// one z, so compare Transform(InverseTransform(z)) with z.
		back, err := pw.InverseTransform(z)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		again, err := pw.Transform(back)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i := range c.col {
			if math.Abs(again.At(i, 0)-z.At(i, 0)) > 1e-9 {
				t.Errorf("%s: row %d: z %.15g, inverse %.15g, its z %.15g", c.name, i, z.At(i, 0), back.At(i, 0), again.At(i, 0))
			}
		}
		t.Logf("%s: lambda %.8g (60-digit optimum %.8g); sklearn PowerTransformer on the same column: %s", c.name, pw.Lambdas[0], ref[k].Lambda, ref[k].Sklearn)
	}
}

func TestPowerConstantAndErrors(t *testing.T) {
	x := mat.NewDense(4, 2, []float64{7, 1, 7, 2, 7, 3, 7, 5})
	for _, m := range []PowerMethod{YeoJohnson, BoxCox} {
		pw, err := FitPower(x, PowerOptions{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if pw.Lambdas[0] != 1 {
			t.Errorf("%v: constant column lambda %v, want 1", m, pw.Lambdas[0])
		}
		z, _ := pw.Transform(x)
		back, err := pw.InverseTransform(z)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 4 {
			if z.At(i, 0) != 0 || math.Abs(back.At(i, 0)-7) > 1e-12 {
				t.Errorf("%v: constant column gives %v, back %v", m, z.At(i, 0), back.At(i, 0))
			}
		}
		// 1e300 constant column: defined too.
		big := mat.NewDense(3, 1, []float64{1e300, 1e300, 1e300})
		if zb, err := PowerTransform(big, PowerOptions{Method: m}); err != nil || zb.At(0, 0) != 0 {
			t.Errorf("%v: constant 1e300 column: %v, %v", m, zb, err)
		}
	}
	bad := []struct {
		name string
		x    *mat.Dense
		opts PowerOptions
		want string
	}{
		{"nil", nil, PowerOptions{}, "x is nil"},
		{"nan", mat.NewDense(2, 1, []float64{1, math.NaN()}), PowerOptions{}, "NaN at row 1, column 0"},
		{"one row", mat.NewDense(1, 2, []float64{1, 2}), PowerOptions{}, "at least 2"},
		{"box-cox zero", mat.NewDense(2, 2, []float64{1, 2, 3, 0}), PowerOptions{Method: BoxCox}, "row 1, column 1"},
		{"method", mat.NewDense(2, 1, []float64{1, 2}), PowerOptions{Method: 7}, "unknown power method"},
	}
	for _, b := range bad {
		_, err := FitPower(b.x, b.opts)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: error %v, want it to mention %q", b.name, err, b.want)
		}
	}
	pw, _ := FitPower(x, PowerOptions{})
	if _, err := pw.Transform(mat.NewDense(1, 3, nil)); err == nil || !strings.Contains(err.Error(), "3 columns") {
		t.Errorf("shape error: %v", err)
	}
	// lambda -3.1 bounds psi of positive values by 1/3.1: a z-score
	// beyond that has no preimage.
	ref, _ := FitPower(mat.NewDense(3, 2, []float64{1, 2, 3, 2, 4, 5}), PowerOptions{})
	if _, err := ref.InverseTransform(mat.NewDense(1, 2, []float64{0, 1e6})); err == nil || !strings.Contains(err.Error(), "row 0, column 1") {
		t.Errorf("z beyond the range: %v", err)
	}
}

// TestPowerUnstandardizedBound: without standardisation a lambda whose
// output overflows is pulled back until the largest value fits.
func TestPowerUnstandardizedBound(t *testing.T) {
	x := mat.NewDense(6, 1, []float64{1e300, 2e299, 5e298, 1e299, 3e299, 8e299})
	pw, err := FitPower(x, PowerOptions{NoStandardize: true})
	if err != nil {
		t.Fatal(err)
	}
	z, err := pw.Transform(x)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range z.RawMatrix().Data {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			t.Fatalf("unstandardised output %v (lambda %v)", z.RawMatrix().Data, pw.Lambdas)
		}
	}
	free, _ := FitPower(x, PowerOptions{})
	t.Logf("lambda unbounded %v, bounded %v", free.Lambdas[0], pw.Lambdas[0])
	back, err := pw.InverseTransform(z)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if math.Abs(back.At(i, 0)-x.At(i, 0)) > 1e-9*x.At(i, 0) {
			t.Errorf("inverse row %d: %v, want %v", i, back.At(i, 0), x.At(i, 0))
		}
	}
}
