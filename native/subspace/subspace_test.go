package subspace

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func relErr(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Abs(b)
}

// withAngles returns bases A, B (n x k) of two subspaces whose principal
// angles are exactly theta (up to the rounding of cos/sin): columns of a
// random orthogonal matrix Q, B_i = cos t_i Q_i + sin t_i Q_{k+i}.
func withAngles(rng *rand.Rand, n int, theta []float64) (*mat.Dense, *mat.Dense) {
	k := len(theta)
	q, _ := Orth(sample.Gaussian(rng, n, 2*k))
	a := mat.NewDense(n, k, nil)
	b := mat.NewDense(n, k, nil)
	for i, t := range theta {
		for r := 0; r < n; r++ {
			a.Set(r, i, q.At(r, i))
			b.Set(r, i, math.Cos(t)*q.At(r, i)+math.Sin(t)*q.At(r, k+i))
		}
	}
	// mix the columns so the bases are not aligned with the angles
	var a2, b2 mat.Dense
	a2.Mul(a, sample.Gaussian(rng, k, k))
	b2.Mul(b, sample.Gaussian(rng, k, k))
	return &a2, &b2
}

const anglesScript = `
import json, sys
import numpy as np
from scipy.linalg import subspace_angles
inp = json.load(sys.stdin)
print(json.dumps([subspace_angles(np.array(p[0]), np.array(p[1])).tolist() for p in inp]))
`

func TestPrincipalAngles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	// Hadamard 4x4: columns 0-1 vs 2-3 are orthogonal: 90, 90 degrees.
	h := mat.NewDense(4, 4, []float64{1, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1})
	deg, err := PrincipalAnglesDegrees(h.Slice(0, 4, 0, 2).(*mat.Dense), h.Slice(0, 4, 2, 4).(*mat.Dense))
	if err != nil {
		t.Fatal(err)
	}
	if len(deg) != 2 || math.Abs(deg[0]-90) > 1e-12 || math.Abs(deg[1]-90) > 1e-12 {
		t.Errorf("Hadamard: got %v degrees, want [90 90]", deg)
	}
	// A subspace with itself (different bases): all angles 0.
	a := sample.Gaussian(rng, 10, 3)
	var a2 mat.Dense
	a2.Mul(a, sample.Gaussian(rng, 3, 3))
	self, err := PrincipalAngles(a, &a2)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range self {
		if v > 1e-12 {
			t.Errorf("self angles %v, want 0", self)
		}
	}

	// Against scipy: random subspaces of different dimensions, rank
	// deficient input, and nearly identical subspaces (tiny angles only,
	// where scipy uses the sine formula for all of them). Angles carry an
	// absolute rounding error of a few 1e-16 (times the conditioning of
	// the bases) in any implementation, so 1e-8 relative agreement holds
	// for angles down to about 1e-7.
	type pair struct{ a, b *mat.Dense }
	var pairs []pair
	pairs = append(pairs, pair{sample.Gaussian(rng, 12, 3), sample.Gaussian(rng, 12, 5)}, pair{sample.Gaussian(rng, 12, 5), sample.Gaussian(rng, 12, 2)})
	def := sample.Gaussian(rng, 12, 4)
	def.Set(0, 3, 0)
	for r := 0; r < 12; r++ {
		def.Set(r, 3, def.At(r, 0)+2*def.At(r, 1))
	}
	pairs = append(pairs, pair{def, sample.Gaussian(rng, 12, 4)})
	ta, tb := withAngles(rng, 20, []float64{1e-7, 2e-6, 5e-5, 0.3})
	pairs = append(pairs, pair{ta, tb})
	ta, tb = withAngles(rng, 20, []float64{1.0, 1.3, 1.5707})
	pairs = append(pairs, pair{ta, tb})
	in := make([][2][][]float64, len(pairs))
	for i, p := range pairs {
		in[i] = [2][][]float64{pyref.Rows(p.a), pyref.Rows(p.b)}
	}
	var ref [][]float64
	pyref.JSON(t, anglesScript, in, &ref)
	worst := 0.0
	defer func() { t.Logf("worst relative difference with scipy: %.2g", worst) }()
	for i, p := range pairs {
		got, err := PrincipalAngles(p.a, p.b)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ref[i]) {
			t.Fatalf("pair %d: %d angles, scipy %d", i, len(got), len(ref[i]))
		}
		for j := range got {
			e := relErr(got[j], ref[i][j])
			worst = math.Max(worst, e)
			if e > 1e-8 {
				t.Errorf("pair %d angle %d: got %.15g, scipy %.15g (rel %.2g)", i, j, got[j], ref[i][j], e)
			}
		}
		if i == 2 && len(got) != 3 {
			t.Errorf("rank-deficient a: %d angles, want 3", len(got))
		}
	}

	// Mixed tiny and large angles: against the construction, to 1e-8
	// relative plus 1e-15 absolute (scipy 1.10 loses the tiny ones here,
	// see PrincipalAngles).
	want := []float64{1.2, 0.4, 1e-7, 1e-10}
	ta, tb = withAngles(rng, 15, want)
	got, err := PrincipalAngles(ta, tb)
	if err != nil {
		t.Fatal(err)
	}
	for j := range want {
		if e := relErr(got[j], want[j]); math.Abs(got[j]-want[j]) > 1e-8*want[j]+1e-15 {
			t.Errorf("mixed angle %d: got %.15g, want %.15g (rel %.2g)", j, got[j], want[j], e)
		}
	}
	if _, err := PrincipalAngles(sample.Gaussian(rng, 3, 2), sample.Gaussian(rng, 4, 2)); err == nil || !strings.Contains(err.Error(), "3 rows") {
		t.Errorf("row mismatch: %v", err)
	}
	if _, err := PrincipalAngles(mat.NewDense(3, 2, nil), sample.Gaussian(rng, 3, 2)); err == nil || !strings.Contains(err.Error(), "zero") {
		t.Errorf("zero matrix: %v", err)
	}
}

func TestGrassmannDistances(t *testing.T) {
	theta := []float64{0.3, 0.1}
	c := math.Cos
	s := math.Sin
	cases := []struct {
		m    GrassmannMetric
		want float64
	}{
		{Geodesic, math.Sqrt(0.09 + 0.01)},
		{Chordal, math.Sqrt(s(0.3)*s(0.3) + s(0.1)*s(0.1))},
		{Projection, s(0.3)},
		{FubiniStudy, math.Acos(c(0.3) * c(0.1))},
		{BinetCauchy, math.Sqrt(1 - c(0.3)*c(0.3)*c(0.1)*c(0.1))},
		{Procrustes, 2 * math.Sqrt(s(0.15)*s(0.15)+s(0.05)*s(0.05))},
		{Asimov, 0.3},
		{Martin, math.Sqrt(-math.Log(c(0.3)*c(0.3)) - math.Log(c(0.1)*c(0.1)))},
	}
	for _, cs := range cases {
		got, err := DistanceFromAngles(theta, cs.m)
		if err != nil || math.Abs(got-cs.want) > 1e-15 {
			t.Errorf("%v: got %v (%v), want %v", cs.m, got, err, cs.want)
		}
	}
	// Chordal = ||P_a - P_b||_F / sqrt 2 and projection = ||P_a - P_b||_2
	// on random subspaces.
	rng := rand.New(rand.NewPCG(2, 2))
	a, b := sample.Gaussian(rng, 9, 3), sample.Gaussian(rng, 9, 3)
	proj := func(m *mat.Dense) *mat.Dense {
		q, _ := Orth(m)
		var p mat.Dense
		p.Mul(q, q.T())
		return &p
	}
	var diff mat.Dense
	diff.Sub(proj(a), proj(b))
	ch, _ := GrassmannDistance(a, b, Chordal)
	pr, _ := GrassmannDistance(a, b, Projection)
	frob := mat.Norm(&diff, 2) // Frobenius norm for a Dense
	sv, _ := singularValues(&diff)
	if math.Abs(ch-frob/math.Sqrt2) > 1e-12 || math.Abs(pr-sv[0]) > 1e-12 {
		t.Errorf("chordal %v vs %v, projection %v vs %v", ch, frob/math.Sqrt2, pr, sv[0])
	}
}

func TestLeverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	// rank 3 matrix, 40 x 6, with one high-leverage row
	var a mat.Dense
	a.Mul(sample.Gaussian(rng, 40, 3), sample.Gaussian(rng, 3, 6))
	for j := 0; j < 6; j++ {
		a.Set(7, j, 30*a.At(7, j))
	}
	l, r, err := LeverageScores(&a)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, v := range l {
		sum += v
		if v < -1e-12 || v > 1+1e-12 {
			t.Errorf("leverage %v outside [0, 1]", v)
		}
	}
	if r != 3 || math.Abs(sum-3) > 1e-12 {
		t.Errorf("rank %d, sum of leverages %.15g, want 3, 3", r, sum)
	}
	// leverage equals the diagonal of the hat matrix of a full-rank X:
	// X (X^T X)^-1 X^T.
	x := sample.Gaussian(rng, 30, 4)
	lx, _, _ := LeverageScores(x)
	var xtx, inv, hat mat.Dense
	xtx.Mul(x.T(), x)
	_ = inv.Inverse(&xtx)
	hat.Product(x, &inv, x.T())
	for i := range lx {
		if math.Abs(lx[i]-hat.At(i, i)) > 1e-12 {
			t.Errorf("row %d: leverage %v, hat diagonal %v", i, lx[i], hat.At(i, i))
		}
	}
	// sampling: the high-leverage row is drawn with probability l_7 / 3
	const m = 20000
	smp, err := LeverageSample(&a, m, 42)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for k, i := range smp.Index {
		if i == 7 {
			count++
		}
		if math.Abs(smp.Prob[k]-l[i]/3) > 1e-12 || math.Abs(smp.Weight[k]-1/math.Sqrt(m*smp.Prob[k])) > 1e-12 {
			t.Fatalf("draw %d: prob %v weight %v, want %v, %v", k, smp.Prob[k], smp.Weight[k], l[i]/3, 1/math.Sqrt(m*l[i]/3))
		}
	}
	p7 := l[7] / 3
	se := math.Sqrt(m * p7 * (1 - p7))
	if math.Abs(float64(count)-m*p7) > 5*se {
		t.Errorf("row 7 drawn %d times, expected %.0f +- %.0f", count, m*p7, se)
	}
	// the sketch preserves A^T A: relative Frobenius error ~ sqrt(r/m)
	sk, _ := smp.Sketch(&a)
	var g, gs, dg mat.Dense
	g.Mul(a.T(), &a)
	gs.Mul(sk.T(), sk)
	dg.Sub(&g, &gs)
	if e := mat.Norm(&dg, 2) / mat.Norm(&g, 2); e > 0.05 {
		t.Errorf("sketch Gram relative error %.3g, want < 0.05", e)
	}
	again, _ := LeverageSample(&a, m, 42)
	if again.Index[123] != smp.Index[123] || again.Index[m-1] != smp.Index[m-1] {
		t.Errorf("sampling not reproducible with the same seed")
	}
}

const svdScript = `
import json, sys
import numpy as np
inp = json.load(sys.stdin)
print(json.dumps(np.linalg.svd(np.array(inp), compute_uv=False).tolist()))
`

// TestRandomizedSVD: rank-10 signal (singular values 100..10) plus noise
// of spectral norm about 0.3 in a 300 x 200 matrix; the 10 leading singular
// values must match numpy's exact SVD to 1e-6 relative with the default
// power iterations, and U, V must be orthonormal with U S V^T close to the
// best rank-10 approximation.
func TestRandomizedSVD(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const m, n, k = 300, 200, 10
	u, _ := Orth(sample.Gaussian(rng, m, k))
	v, _ := Orth(sample.Gaussian(rng, n, k))
	s := mat.NewDiagDense(k, nil)
	for i := 0; i < k; i++ {
		s.SetDiag(i, 100-10*float64(i))
	}
	var a mat.Dense
	a.Product(u, s, v.T())
	noise := sample.Gaussian(rng, m, n)
	noise.Scale(0.01, noise)
	a.Add(&a, noise)
	var exact []float64
	pyref.JSON(t, svdScript, pyref.Rows(&a), &exact)
	r, err := RandomizedSVD(&a, k, RSVDOptions{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < k; i++ {
		if e := relErr(r.S[i], exact[i]); e > 1e-6 {
			t.Errorf("singular value %d: %.12g, numpy %.12g (rel %.2g)", i, r.S[i], exact[i], e)
		}
	}
	var utu, vtv mat.Dense
	utu.Mul(r.U.T(), r.U)
	vtv.Mul(r.V.T(), r.V)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			w := 0.0
			if i == j {
				w = 1
			}
			if math.Abs(utu.At(i, j)-w) > 1e-10 || math.Abs(vtv.At(i, j)-w) > 1e-10 {
				t.Fatalf("U or V not orthonormal at %d,%d", i, j)
			}
		}
	}
	var rec, diff mat.Dense
	rec.Product(r.U, mat.NewDiagDense(k, r.S), r.V.T())
	diff.Sub(&a, &rec)
	// ||A - A_k||_F^2 = sum of the discarded squared singular values
	var tail float64
	for _, sv := range exact[k:] {
		tail += sv * sv
	}
	if got := mat.Norm(&diff, 2); math.Abs(got-math.Sqrt(tail)) > 1e-6*math.Sqrt(tail) {
		t.Errorf("residual %.10g, optimal %.10g", got, math.Sqrt(tail))
	}
	// no power iteration: still accurate to 1e-2 for this well-separated
	// spectrum
	r0, _ := RandomizedSVD(&a, k, RSVDOptions{Seed: 7, PowerIters: -1})
	for i := 0; i < k; i++ {
		if e := relErr(r0.S[i], exact[i]); e > 1e-2 {
			t.Errorf("no power iterations: singular value %d rel error %.2g", i, e)
		}
	}
	if _, err := RandomizedSVD(&a, 201, RSVDOptions{}); err == nil {
		t.Errorf("k > min(m, n) accepted")
	}
}

const pcaScript = `
import json, sys
import numpy as np
from sklearn.decomposition import PCA
inp = json.load(sys.stdin)
X = np.array(inp["x"]); Q = np.array(inp["q"])
out = {}
for k in inp["ks"]:
    p = PCA(n_components=k, svd_solver="full").fit(X)
    out[str(k)] = {"ev": p.explained_variance_.tolist(), "ratio": p.explained_variance_ratio_.tolist(),
        "comp": p.components_.tolist(), "mean": p.mean_.tolist(), "z": p.transform(Q).tolist(),
        "noise": float(p.noise_variance_), "sv": p.singular_values_.tolist()}
print(json.dumps(out))
`

func TestPCAAgainstSklearn(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	x := sample.Gaussian(rng, 80, 6)
	var xs mat.Dense
	xs.Mul(x, sample.Gaussian(rng, 6, 6))
	for i := 0; i < 80; i++ {
		xs.Set(i, 2, xs.At(i, 2)+5)
	}
	q := sample.Gaussian(rng, 10, 6)
	var ref map[string]struct {
		EV, Ratio, Mean, SV []float64
		Comp, Z             [][]float64
		Noise               float64
	}
	pyref.JSON(t, pcaScript, map[string]any{"x": pyref.Rows(&xs), "q": pyref.Rows(q), "ks": []int{3, 6}}, &ref)
	for _, k := range []int{3, 6} {
		r := ref[map[int]string{3: "3", 6: "6"}[k]]
		p, err := FitPCA(&xs, k)
		if err != nil {
			t.Fatal(err)
		}
		z, err := p.Transform(q)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < k; i++ {
			if relErr(p.ExplainedVariance[i], r.EV[i]) > 1e-10 || relErr(p.ExplainedVarianceRatio[i], r.Ratio[i]) > 1e-10 || relErr(p.SingularValues[i], r.SV[i]) > 1e-10 {
				t.Errorf("k=%d component %d: variance %v ratio %v sv %v, sklearn %v %v %v", k, i, p.ExplainedVariance[i], p.ExplainedVarianceRatio[i], p.SingularValues[i], r.EV[i], r.Ratio[i], r.SV[i])
			}
			// sign: compare up to a global sign per component
			sign := math.Copysign(1, p.Components.At(i, 0)*r.Comp[i][0])
			for j := 0; j < 6; j++ {
				if math.Abs(p.Components.At(i, j)-sign*r.Comp[i][j]) > 1e-9 {
					t.Errorf("k=%d component %d[%d]: %v, sklearn %v", k, i, j, p.Components.At(i, j), r.Comp[i][j])
				}
			}
			for m := 0; m < 10; m++ {
				if math.Abs(z.At(m, i)-sign*r.Z[m][i]) > 1e-9 {
					t.Errorf("k=%d transform [%d,%d]: %v, sklearn %v", k, m, i, z.At(m, i), r.Z[m][i])
				}
			}
		}
		if math.Abs(p.NoiseVariance-r.Noise) > 1e-10*math.Max(1, r.Noise) {
			t.Errorf("k=%d noise variance %v, sklearn %v", k, p.NoiseVariance, r.Noise)
		}
		for j := 0; j < 6; j++ {
			if math.Abs(p.Mean[j]-r.Mean[j]) > 1e-12 {
				t.Errorf("mean %d: %v vs %v", j, p.Mean[j], r.Mean[j])
			}
		}
	}
	// full PCA: inverse transform recovers the data; whitened coordinates
	// of the training data have unit variance.
	p, _ := FitPCA(&xs, 0)
	p.Whiten = true
	z, _ := p.Transform(&xs)
	back, _ := p.InverseTransform(z)
	var d mat.Dense
	d.Sub(back, &xs)
	if e := mat.Norm(&d, 2); e > 1e-10 {
		t.Errorf("inverse transform error %v", e)
	}
	for j := 0; j < 6; j++ {
		col := mat.Col(nil, j, z)
		var ss float64
		for _, v := range col {
			ss += v * v
		}
		if math.Abs(ss/79-1) > 1e-10 {
			t.Errorf("whitened variance of component %d: %v", j, ss/79)
		}
	}
	if _, err := FitPCA(&xs, 7); err == nil {
		t.Errorf("k > min(n, d) accepted")
	}
}
