package transform

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
)

const sklearnPower = `
import json, sys, warnings
import numpy as np
from sklearn.preprocessing import PowerTransformer
a = json.load(sys.stdin)
out = {}
queries = a.pop("queries")
for name, rows in a.items():
    X = np.array(rows)
    Q = np.array(queries[name])
    for m in ["yeo-johnson", "box-cox"]:
        if m == "box-cox" and X.min() <= 0:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pt = PowerTransformer(method=m).fit(X)
            Z = pt.transform(X)
            raw = PowerTransformer(method=m, standardize=False).fit(X).transform(X)
            ZQ = pt.transform(np.abs(Q) + 1e-3 if m == "box-cox" else Q)
        out[name + "/" + m] = {"lambdas": pt.lambdas_.tolist(), "z": Z.tolist(), "zq": ZQ.tolist(),
                               "raw": raw.tolist(), "inv": pt.inverse_transform(Z).tolist()}
print(json.dumps(out))
`

type skPower struct {
	Lambdas []float64   `json:"lambdas"`
	Z       [][]float64 `json:"z"`
	Raw     [][]float64 `json:"raw"`
	Inv     [][]float64 `json:"inv"`
	ZQ      [][]float64 `json:"zq"`
}

// powerQueries returns new rows for x: values beyond its range and of
// the other sign than its columns' (made positive, |q| + 1e-3, for Box-Cox).
func powerQueries(x *mat.Dense) *mat.Dense {
	n, p := x.Dims()
	q := mat.NewDense(6, p, nil)
	for j := range p {
		lo, hi := mat.Min(x.ColView(j)), mat.Max(x.ColView(j))
		span := hi - lo
		for i, v := range []float64{lo - span, hi + span, -hi, -lo - 1, 0, x.At(n/2, j)} {
			q.Set(i, j, v)
		}
	}
	return q
}

// powerData returns named test matrices: the REFERENCES.md example and
// seeded skewed, symmetric and mixed-sign columns.
func powerData() map[string]*mat.Dense {
	rng := rand.New(rand.NewPCG(21, 1))
	n := 300
	skew := mat.NewDense(n, 4, nil)
	mixed := mat.NewDense(n, 3, nil)
	for i := range n {
		g := rng.NormFloat64()
		skew.SetRow(i, []float64{math.Exp(g), math.Exp(0.3*rng.NormFloat64()) * 50, rng.ExpFloat64() + 1e-3, 1 + rng.Float64()})
		mixed.SetRow(i, []float64{rng.NormFloat64(), math.Exp(rng.NormFloat64()) - 1.5, -math.Exp(rng.NormFloat64())})
	}
	return map[string]*mat.Dense{
		"reference": mat.NewDense(3, 2, []float64{1, 2, 3, 2, 4, 5}),
		"skew":      skew,
		"mixed":     mixed,
	}
}

func closeTo(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestPowerAgainstSklearn(t *testing.T) {
	data := powerData()
	in := map[string]any{}
	queries := map[string][][]float64{}
	for k, v := range data {
		in[k] = pyref.Rows(v)
		queries[k] = pyref.Rows(powerQueries(v))
	}
	in["queries"] = queries
	var ref map[string]skPower
	pyref.JSON(t, sklearnPower, in, &ref)
	if len(ref) != 5 {
		t.Fatalf("sklearn returned %d cases, want 5", len(ref))
	}
	for key, want := range ref {
		name, method, _ := strings.Cut(key, "/")
		m := YeoJohnson
		if method == "box-cox" {
			m = BoxCox
		}
		x := data[name]
		pw, err := FitPower(x, PowerOptions{Method: m})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		for j, l := range want.Lambdas {
			if !closeTo(pw.Lambdas[j], l, 1e-6) {
				t.Errorf("%s: lambda %d = %.10g, sklearn %.10g", key, j, pw.Lambdas[j], l)
			}
		}
		z, err := pw.Transform(x)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := PowerTransform(x, PowerOptions{Method: m, NoStandardize: true})
		if err != nil {
			t.Fatal(err)
		}
		inv, err := pw.InverseTransform(z)
		if err != nil {
			t.Fatal(err)
		}
		q := powerQueries(x)
		if m == BoxCox {
			q.Apply(func(_, _ int, v float64) float64 { return math.Abs(v) + 1e-3 }, q)
		}
		zq, err := pw.Transform(q)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.ZQ {
			for j := range want.ZQ[i] {
				if !closeTo(zq.At(i, j), want.ZQ[i][j], 1e-6) {
					t.Errorf("%s: new row [%d,%d] (x %v) = %.10g, sklearn %.10g", key, i, j, q.At(i, j), zq.At(i, j), want.ZQ[i][j])
				}
			}
		}
		for i := range want.Z {
			for j := range want.Z[i] {
				if !closeTo(z.At(i, j), want.Z[i][j], 1e-6) {
					t.Errorf("%s: z[%d,%d] = %.10g, sklearn %.10g", key, i, j, z.At(i, j), want.Z[i][j])
				}
				if !closeTo(raw.At(i, j), want.Raw[i][j], 1e-6) {
					t.Errorf("%s: unstandardised [%d,%d] = %.10g, sklearn %.10g", key, i, j, raw.At(i, j), want.Raw[i][j])
				}
				if !closeTo(inv.At(i, j), x.At(i, j), 1e-9) || !closeTo(inv.At(i, j), want.Inv[i][j], 1e-6) {
					t.Errorf("%s: inverse [%d,%d] = %.12g, x %.12g, sklearn %.12g", key, i, j, inv.At(i, j), x.At(i, j), want.Inv[i][j])
				}
			}
		}
	}
}

// TestPowerReferenceFact checks the published example of REFERENCES.md.
func TestPowerReferenceFact(t *testing.T) {
	pw, err := FitPower(mat.NewDense(3, 2, []float64{1, 2, 3, 2, 4, 5}), PowerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(pw.Lambdas[0]-1.386) > 1e-3 || math.Abs(pw.Lambdas[1]+3.100) > 1e-3 {
		t.Errorf("lambdas %v, want [1.386..., -3.100...]", pw.Lambdas)
	}
	z, _ := pw.Transform(mat.NewDense(3, 2, []float64{1, 2, 3, 2, 4, 5}))
	want := []float64{-1.316, -0.707, 0.209, -0.707, 1.106, 1.414}
	for k, w := range want {
		if math.Abs(z.RawMatrix().Data[k]-w) > 1e-3 {
			t.Errorf("output %v, want %v", z.RawMatrix().Data, want)
			break
		}
	}
}
