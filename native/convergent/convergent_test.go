package convergent

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/dataset/mnist"
	"github.com/subspace-kernel/subspace/native/internal/sample"
	"github.com/subspace-kernel/subspace/native/nn"
)

// trainedLayers trains an MLP 784-sizes-10 with the activation act from
// seed on the MNIST training split (Adam) and returns its hidden layers'
// activations on the test images.
func trainedLayers(t *testing.T, act string, sizes []int, seed uint64, epochs int) []*mat.Dense {
	t.Helper()
	set, err := mnist.Load()
	if err != nil {
		t.Fatal(err)
	}
	all := append(append([]int{mnist.Features}, sizes...), mnist.Classes)
	net, err := nn.NewMLP(all, act, seed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := net.Train(set.TrainImages, set.TrainLabels, nn.TrainConfig{Epochs: epochs, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	acts, err := net.Activations(set.TestImages)
	if err != nil {
		t.Fatal(err)
	}
	return acts[:len(sizes)]
}

// TestPlantedPermutation: B is a rescaled, shifted, noisy copy of a tanh
// layer A of an MNIST network with its units permuted; the one-to-one matching
// recovers the permutation exactly, the semi-matching too, at correlations
// near 1, while a random matching sits near 0.
func TestPlantedPermutation(t *testing.T) {
	a := trainedLayers(t, nn.Tanh, []int{96}, 1, 2)[0]
	n, d := a.Dims()
	rng := rand.New(rand.NewPCG(2, 2))
	perm := rng.Perm(d)
	b := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			b.Set(i, perm[j], 2.5*a.At(i, j)+3+0.05*rng.NormFloat64())
		}
	}
	c, err := CompareLayers(a, b, 7)
	if err != nil {
		t.Fatal(err)
	}
	for k, i := range c.OneToOne.A {
		if c.OneToOne.B[k] != perm[i] || c.Semi.B[i] != perm[i] {
			t.Fatalf("unit %d matched to %d (semi %d), planted %d", i, c.OneToOne.B[k], c.Semi.B[i], perm[i])
		}
	}
	t.Logf("planted: one-to-one mean %.4f (median %.4f), random %.4f", c.OneToOne.Mean, c.OneToOne.Median, c.Random.Mean)
	if c.OneToOne.Mean < 0.95 || math.Abs(c.Random.Mean) > 0.2 || len(c.OneToOne.A) != d {
		t.Errorf("one-to-one %v, random %v", c.OneToOne.Mean, c.Random.Mean)
	}
}

// TestCorrelationNumpy compares the unit correlations with numpy.corrcoef
// in the same run; a constant (dead) unit gives a zero row or column where
// numpy gives NaN.
func TestCorrelationNumpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	a := sample.Gaussian(rng, 80, 5)
	b := sample.Gaussian(rng, 80, 7)
	b.Add(b, mat.NewDense(80, 7, append(mat.Col(nil, 0, a), make([]float64, 80*6)...)).Slice(0, 80, 0, 7))
	for i := 0; i < 80; i++ {
		a.Set(i, 3, 4.5)
	}
	u, err := UnitCorrelation(a, b)
	if err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys
import numpy as np
r = json.load(sys.stdin)
A, B = np.load(r["a"]), np.load(r["b"])
with np.errstate(invalid="ignore", divide="ignore"):
    C = np.corrcoef(A.T, B.T)[:A.shape[1], A.shape[1]:]
print(json.dumps(np.where(np.isnan(C), 0, C).tolist()))
`
	var want [][]float64
	pyref.JSON(t, script, map[string]any{"a": pyref.WriteNPY(t, a), "b": pyref.WriteNPY(t, b)}, &want)
	for i := range want {
		for j, v := range want[i] {
			if math.Abs(u.Corr.At(i, j)-v) > 1e-12 {
				t.Fatalf("corr(%d, %d) = %v, numpy %v", i, j, u.Corr.At(i, j), v)
			}
		}
	}
	if len(u.DeadA) != 1 || u.DeadA[0] != 3 || len(u.DeadB) != 0 {
		t.Errorf("dead units %v %v, want [3] []", u.DeadA, u.DeadB)
	}
}

// TestMatchings checks the semi-matching picks each row's maximum, the
// one-to-one matching is a bijection on the smaller side with the largest
// total (equal to assign.LinearSum's), and the random one is a valid
// one-to-one matching, on a wide correlation matrix.
func TestMatchings(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	corr := mat.NewDense(6, 9, nil)
	for i := 0; i < 6; i++ {
		for j := 0; j < 9; j++ {
			corr.Set(i, j, 2*rng.Float64()-1)
		}
	}
	semi, _ := MatchSemi(corr)
	for i, j := range semi.B {
		for k := 0; k < 9; k++ {
			if corr.At(i, k) > corr.At(i, j) {
				t.Fatalf("semi-matching: unit %d -> %d, but %d is more correlated", i, j, k)
			}
		}
	}
	one, _ := MatchOneToOne(corr)
	rnd, _ := MatchRandom(corr, 1)
	for _, m := range []*Matching{one, rnd} {
		seen := map[int]bool{}
		for k := range m.A {
			if seen[m.B[k]] || (k > 0 && m.A[k] <= m.A[k-1]) {
				t.Fatalf("not one-to-one or unordered: %+v", m)
			}
			seen[m.B[k]] = true
		}
		if len(m.A) != 6 {
			t.Fatalf("%d pairs, want 6", len(m.A))
		}
	}
	if !(one.Mean >= rnd.Mean) || !(semi.Mean >= one.Mean) {
		t.Errorf("means: semi %v >= one-to-one %v >= random %v expected", semi.Mean, one.Mean, rnd.Mean)
	}
}

// TestTwoSeeds trains the MLP 784-128-64-10 from two seeds on the MNIST
// training split (Adam, 5 epochs) and compares their hidden units on the
// 2,000 test images: the one-to-one matched correlations are well above
// those of a random matching (Li et al.'s finding), in both hidden layers,
// and the semi-matching is at least as high. Logged as a table.
func TestTwoSeeds(t *testing.T) {
	la := trainedLayers(t, nn.ReLU, []int{128, 64}, 1, 5)
	lb := trainedLayers(t, nn.ReLU, []int{128, 64}, 2, 5)
	t.Log("layer  one-to-one  semi  random  (mean matched correlation), dead units")
	for l := range la {
		c, err := CompareLayers(la[l], lb[l], 9)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%5d  %10.3f %5.3f %7.3f  %d, %d", l+1, c.OneToOne.Mean, c.Semi.Mean, c.Random.Mean, len(c.Units.DeadA), len(c.Units.DeadB))
		if !(c.OneToOne.Mean > c.Random.Mean+0.3) || !(c.Semi.Mean >= c.OneToOne.Mean) {
			t.Errorf("layer %d: one-to-one %.3f, semi %.3f, random %.3f", l+1, c.OneToOne.Mean, c.Semi.Mean, c.Random.Mean)
		}
	}
}

// TestSparseSklearn compares the sparse mapping with scikit-learn's Lasso
// (fit_intercept=False) on the standardised units in the same run, and
// checks that a unit of B that is a combination of two units of A uses
// about those two.
func TestSparseSklearn(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	a := sample.Gaussian(rng, 300, 8)
	b := sample.Gaussian(rng, 300, 3)
	for i := 0; i < 300; i++ {
		b.Set(i, 0, 2*a.At(i, 1)-a.At(i, 5)+0.05*b.At(i, 0))
		b.Set(i, 1, 0.5*b.At(i, 1)+0.7*a.At(i, 2))
	}
	const alpha = 0.03
	res, err := SparseMap(a, b, SparseOptions{Alpha: alpha, Tol: 1e-13, MaxIter: 100000})
	if err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys
import numpy as np
from sklearn.linear_model import Lasso
r = json.load(sys.stdin)
A, B = np.load(r["a"]), np.load(r["b"])
za = (A - A.mean(0)) / A.std(0)
zb = (B - B.mean(0)) / B.std(0)
m = Lasso(alpha=r["alpha"], fit_intercept=False, tol=1e-14, max_iter=1000000).fit(za, zb)
r2 = [1 - ((zb[:, j] - za @ m.coef_[j]) ** 2).sum() / (zb[:, j] ** 2).sum() for j in range(zb.shape[1])]
print(json.dumps({"coef": m.coef_.T.tolist(), "r2": r2}))
`
	var want struct {
		Coef [][]float64 `json:"coef"`
		R2   []float64   `json:"r2"`
	}
	pyref.JSON(t, script, map[string]any{"a": pyref.WriteNPY(t, a), "b": pyref.WriteNPY(t, b), "alpha": alpha}, &want)
	for k := range want.Coef {
		for j, v := range want.Coef[k] {
			if math.Abs(res.Weights.At(k, j)-v) > 1e-8 {
				t.Errorf("weight (%d, %d) = %.10f, sklearn %.10f", k, j, res.Weights.At(k, j), v)
			}
		}
	}
	for j, v := range want.R2 {
		if math.Abs(res.R2[j]-v) > 1e-8 {
			t.Errorf("R2[%d] = %.10f, sklearn %.10f", j, res.R2[j], v)
		}
	}
	t.Logf("non-zeros %v, R2 %.4f, sweeps %d", res.NonZeros, res.R2, res.Sweeps)
	if res.NonZeros[0] > 3 || res.R2[0] < 0.95 {
		t.Errorf("unit 0 = 2 a1 - a5: %d units, R2 %v", res.NonZeros[0], res.R2[0])
	}
}

func TestErrors(t *testing.T) {
	a := sample.Gaussian(rand.New(rand.NewPCG(1, 1)), 5, 3)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil", second(UnitCorrelation(nil, a)), "convergent: A is nil"},
		{"rows", second(UnitCorrelation(a, a.Slice(0, 4, 0, 3).(*mat.Dense))), "A has 5 rows but B has 4: rows must be the same inputs"},
		{"one row", second(UnitCorrelation(a.Slice(0, 1, 0, 3).(*mat.Dense), a.Slice(0, 1, 0, 3).(*mat.Dense))), "need at least 2 samples"},
		{"corr", second(MatchOneToOne(nil)), "corr is nil"},
		{"alpha", second(SparseMap(a, a, SparseOptions{Alpha: -1})), "want Alpha > 0"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }
