package transform

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

// correlated returns n rows of d correlated Gaussian features with very
// different scales.
func correlated(n, d int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 3))
	g := sample.Gaussian(rng, n, d)
	mix := sample.Gaussian(rng, d, d)
	for j := range d {
		for i := range d {
			mix.Set(i, j, mix.At(i, j)*math.Pow(3, float64(j%4)))
		}
	}
	var x mat.Dense
	x.Mul(g, mix)
	for i := range n {
		row := x.RawRowView(i)
		for j := range row {
			row[j] += float64(j) * 10
		}
	}
	return &x
}

func TestWhitenIdentityCovariance(t *testing.T) {
	x := correlated(500, 6, 1)
	for _, m := range []WhitenMethod{PCAWhiten, ZCAWhiten} {
		z, err := Whiten(x, WhitenOptions{Method: m})
		if err != nil {
			t.Fatal(err)
		}
		_, d := z.Dims()
		cov := mat.NewSymDense(d, nil)
		stat.CovarianceMatrix(cov, z, nil)
		for i := range d {
			for j := range d {
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(cov.At(i, j)-want) > 1e-10 {
					t.Fatalf("method %d: whitened covariance [%d,%d] = %v", m, i, j, cov.At(i, j))
				}
			}
		}
	}
	// ZCA is the symmetric whitener: W = Sigma^-1/2, the closest to x.
	w, _ := FitWhitener(x, WhitenOptions{Method: ZCAWhiten})
	cov := mat.NewSymDense(6, nil)
	stat.CovarianceMatrix(cov, x, nil)
	isq, err := CovariancePower(cov, -0.5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.EqualApprox(w.W, isq, 1e-10) {
		t.Errorf("ZCA matrix differs from Sigma^-1/2")
	}
	// Half whitening (Power 1/4) leaves covariance Sigma^1/2 in the PCA basis.
	zh, _ := Whiten(x, WhitenOptions{Power: 0.25})
	ch := mat.NewSymDense(6, nil)
	stat.CovarianceMatrix(ch, zh, nil)
	for j, l := range w.Eigenvalues {
		if math.Abs(ch.At(j, j)-math.Sqrt(l)) > 1e-9*math.Sqrt(l) {
			t.Errorf("half whitening: variance %d = %v, want sqrt(%v)", j, ch.At(j, j), l)
		}
	}
}

func TestWhitenErrors(t *testing.T) {
	x := correlated(50, 3, 2)
	rankDef := mat.NewDense(50, 4, nil)
	for i := range 50 {
		r := x.RawRowView(i)
		rankDef.SetRow(i, []float64{r[0], r[1], r[2], r[0] + r[1]})
	}
	if _, err := FitWhitener(rankDef, WhitenOptions{}); err == nil {
		t.Error("rank-deficient data whitened without Epsilon")
	}
	if _, err := FitWhitener(rankDef, WhitenOptions{Epsilon: 1e-3}); err != nil {
		t.Errorf("with Epsilon: %v", err)
	}
	if _, err := FitWhitener(x, WhitenOptions{Epsilon: -1}); err == nil {
		t.Error("negative Epsilon accepted")
	}
	w, _ := FitWhitener(x, WhitenOptions{Components: 2})
	if _, err := w.Transform(mat.NewDense(2, 2, nil)); err == nil {
		t.Error("column mismatch accepted")
	}
}

const scipySqrtm = `
import json, sys
import numpy as np
from scipy.linalg import sqrtm
a = json.load(sys.stdin)
out = [np.real(sqrtm(np.array(m))).tolist() for m in a]
print(json.dumps(out))
`

func TestMatrixSqrtAgainstScipy(t *testing.T) {
	x := correlated(200, 8, 4)
	cov := mat.NewSymDense(8, nil)
	stat.CovarianceMatrix(cov, x, nil)
	// A well-conditioned SPD matrix and a non-symmetric one with positive
	// eigenvalues (SPD plus a small skew part).
	rng := rand.New(rand.NewPCG(6, 6))
	g := sample.Gaussian(rng, 30, 5)
	var spd mat.Dense
	spd.Mul(g.T(), g)
	nonsym := mat.DenseCopyOf(&spd)
	for i := range 5 {
		for j := i + 1; j < 5; j++ {
			s := 0.3 * rng.NormFloat64()
			nonsym.Set(i, j, nonsym.At(i, j)+s)
			nonsym.Set(j, i, nonsym.At(j, i)-s)
		}
	}
	covD := mat.DenseCopyOf(cov)
	var ref [][][]float64
	pyref.JSON(t, scipySqrtm, [][][]float64{pyref.Rows(covD), pyref.Rows(&spd), pyref.Rows(nonsym)}, &ref)
	cases := []struct {
		name   string
		a      *mat.Dense
		method SqrtMethod
		iters  int
		tol    float64
	}{
		{"cov eigen", covD, SqrtEigen, 0, 1e-10},
		{"cov newton-schulz", covD, SqrtNewtonSchulz, 0, 1e-8},
		{"spd eigen", &spd, SqrtEigen, 0, 1e-10},
		{"spd newton-schulz", &spd, SqrtNewtonSchulz, 0, 1e-10},
		{"spd pade 8", &spd, SqrtPade, 8, 1e-6},
		{"spd pade 16", &spd, SqrtPade, 16, 1e-9},
		{"nonsym newton-schulz", nonsym, SqrtNewtonSchulz, 0, 1e-10},
		{"nonsym pade 16", nonsym, SqrtPade, 16, 1e-9},
	}
	refs := map[*mat.Dense][][]float64{covD: ref[0], &spd: ref[1], nonsym: ref[2]}
	for _, c := range cases {
		r, err := MatrixSqrt(c.a, SqrtOptions{Method: c.method, Iterations: c.iters})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := mat.NewDense(len(refs[c.a]), len(refs[c.a]), nil)
		for i, row := range refs[c.a] {
			want.SetRow(i, row)
		}
		var diff mat.Dense
		diff.Sub(r.Sqrt, want)
		rel := mat.Norm(&diff, 2) / mat.Norm(want, 2)
		if rel > c.tol || r.Residual > 10*c.tol {
			t.Errorf("%s: relative error %.3g from scipy, residual %.3g (tol %g)", c.name, rel, r.Residual, c.tol)
		}
		if r.InvSqrt != nil {
			var id mat.Dense
			id.Mul(r.Sqrt, r.InvSqrt)
			if !mat.EqualApprox(&id, eye(id.RawMatrix().Rows), 1e-6) {
				t.Errorf("%s: Sqrt InvSqrt is not the identity", c.name)
			}
		}
		t.Logf("%s: error from scipy %.2g, residual %.2g, iterations %d", c.name, rel, r.Residual, r.Iterations)
	}
	// Newton-Schulz converges to the eigen square root.
	ns, _ := MatrixSqrt(&spd, SqrtOptions{Method: SqrtNewtonSchulz})
	eg, _ := MatrixSqrt(&spd, SqrtOptions{})
	if !mat.EqualApprox(ns.Sqrt, eg.Sqrt, 1e-10*mat.Norm(eg.Sqrt, 2)) || !mat.EqualApprox(ns.InvSqrt, eg.InvSqrt, 1e-8) {
		t.Error("Newton-Schulz did not converge to the eigen-decomposition square root")
	}
	// Padé error falls with the degree.
	prev := math.Inf(1)
	for _, m := range []int{2, 4, 8} {
		r, _ := MatrixSqrt(&spd, SqrtOptions{Method: SqrtPade, Iterations: m})
		if r.Residual >= prev {
			t.Errorf("Padé degree %d residual %g not below degree %d's %g", m, r.Residual, m/2, prev)
		}
		prev = r.Residual
	}
}

func TestMatrixSqrtErrors(t *testing.T) {
	for _, c := range []struct {
		a    mat.Matrix
		opts SqrtOptions
	}{
		{nil, SqrtOptions{}},
		{mat.NewDense(2, 3, nil), SqrtOptions{}},
		{mat.NewDense(2, 2, nil), SqrtOptions{}},
		{mat.NewDense(2, 2, []float64{1, 2, 0, 1}), SqrtOptions{}},
		{mat.NewDense(2, 2, []float64{-1, 0, 0, 1}), SqrtOptions{}},
		{mat.NewDense(2, 2, []float64{-1, 0, 0, -2}), SqrtOptions{Method: SqrtNewtonSchulz}},
		{mat.NewDense(1, 1, []float64{math.NaN()}), SqrtOptions{}},
	} {
		if _, err := MatrixSqrt(c.a, c.opts); err == nil {
			t.Errorf("accepted %v with %+v", c.a, c.opts)
		}
	}
}
