package lowrank

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/internal/sample"
)

func maxAbsDiff(a, b mat.Matrix) float64 {
	r, c := a.Dims()
	var d float64
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			d = max(d, math.Abs(a.At(i, j)-b.At(i, j)))
		}
	}
	return d
}

func sqFrob(m mat.Matrix) float64 {
	n := mat.Norm(m, 2)
	return n * n
}

// TestSplitsExact: for every method, shape (tall, wide) and scaling (1,
// Alpha/r, rsLoRA), Residual + Scaling B A = W to 1e-12; PiSSA's residual
// carries exactly the discarded energy sum_{i>r} s_i^2 and has spectral
// norm s_{r+1}; MiLoRA's residual carries the leading min-r components;
// OLoRA's B has orthonormal columns; LoRA starts with B = 0 and A within
// the Kaiming-uniform bound 1/sqrt(in).
func TestSplitsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, shape := range []struct{ m, n int }{{40, 25}, {20, 50}} {
		w := sample.Gaussian(rng, shape.m, shape.n)
		spec, _ := NewSpectrum(w)
		k := min(shape.m, shape.n)
		for _, opts := range []SplitOptions{{}, {Alpha: 16}, {Alpha: 8, RSLoRA: true}, {SVD: SVDOptions{Randomized: true, PowerIters: 20, Seed: 3}}} {
			for _, method := range []string{LoRA, PiSSA, MiLoRA, OLoRA} {
				if method == MiLoRA && opts.SVD.Randomized {
					continue
				}
				const r = 6
				sp, err := NewSplit(method, w, r, opts)
				if err != nil {
					t.Fatal(err)
				}
				name := method + " " + shapeName(shape.m, shape.n)
				if d := maxAbsDiff(sp.Weight(), w); d > 1e-12 {
					t.Errorf("%s %+v: residual + s B A differs from W by %.2g", name, opts, d)
				}
				res := sqFrob(sp.Residual)
				switch method {
				case PiSSA:
					tail := spec.TailEnergy(r)
					tol := 1e-10
					if opts.SVD.Randomized {
						tol = 1e-8
					}
					if math.Abs(res-tail) > tol*tail {
						t.Errorf("%s: ||residual||_F^2 = %.15g, discarded energy %.15g", name, res, tail)
					}
					rs, _ := NewSpectrum(sp.Residual)
					if math.Abs(rs.Values[0]-spec.Values[r]) > 1e-8*spec.Values[r] {
						t.Errorf("%s: ||residual||_2 = %.15g, s_{r+1} = %.15g", name, rs.Values[0], spec.Values[r])
					}
				case MiLoRA:
					lead := spec.Total - spec.TailEnergy(k-r)
					if math.Abs(res-lead) > 1e-10*lead {
						t.Errorf("%s: ||residual||_F^2 = %.15g, leading energy %.15g", name, res, lead)
					}
				case OLoRA:
					var btb mat.Dense
					btb.Mul(sp.B.T(), sp.B)
					if d := maxAbsDiff(&btb, identity(r)); d > 1e-13 {
						t.Errorf("%s: B^T B differs from I by %.2g", name, d)
					}
				case LoRA:
					if mat.Norm(sp.B, 2) != 0 || maxAbsDiff(sp.Residual, w) != 0 {
						t.Errorf("%s: B must be 0 and the residual W", name)
					}
					bound := 1 / math.Sqrt(float64(shape.n))
					for _, v := range sp.A.RawMatrix().Data {
						if math.Abs(v) > bound {
							t.Fatalf("%s: A entry %v beyond the Kaiming bound %v", name, v, bound)
						}
					}
				}
				if sp.Params() != r*(shape.m+shape.n) {
					t.Errorf("%s: %d parameters, want %d", name, sp.Params(), r*(shape.m+shape.n))
				}
			}
		}
	}
}

func shapeName(m, n int) string {
	if m >= n {
		return "tall"
	}
	return "wide"
}

func identity(n int) *mat.Dense {
	e := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		e.Set(i, i, 1)
	}
	return e
}

// TestLoRADistribution: A's entries are uniform on [-b, b], b =
// 1/sqrt(in) (PEFT's kaiming_uniform_ with a = sqrt(5)): mean 0 and
// variance b^2/3 within 3 standard errors over 40 x 512 draws; the same
// seed gives the same A, another seed another.
func TestLoRADistribution(t *testing.T) {
	w := mat.NewDense(64, 512, nil)
	w.Set(0, 0, 1)
	sp, err := NewLoRA(w, 40, SplitOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := 1 / math.Sqrt(512)
	data := sp.A.RawMatrix().Data
	var mean, v float64
	for _, x := range data {
		mean += x
	}
	mean /= float64(len(data))
	for _, x := range data {
		v += (x - mean) * (x - mean)
	}
	v /= float64(len(data))
	n := float64(len(data))
	if se := b / math.Sqrt(3*n); math.Abs(mean) > 3*se {
		t.Errorf("mean %.3g, want 0 within %.3g", mean, 3*se)
	}
	want := b * b / 3
	if se := want * math.Sqrt(0.8/n); math.Abs(v-want) > 3*se {
		t.Errorf("variance %.4g, want %.4g", v, want)
	}
	again, _ := NewLoRA(w, 40, SplitOptions{Seed: 1})
	other, _ := NewLoRA(w, 40, SplitOptions{Seed: 2})
	if !mat.Equal(again.A, sp.A) || mat.Equal(other.A, sp.A) {
		t.Errorf("seeding: same seed must repeat A, another seed must not")
	}
}

const torchSplits = `
import sys, json
import numpy as np, torch
w = torch.from_numpy(np.load(sys.argv[1]))
r, alpha = int(sys.argv[2]), float(sys.argv[3])
scaling = alpha / r
# PiSSA as PEFT's pissa_init
V, S, Uh = torch.linalg.svd(w, full_matrices=False)
Sr = S[:r] / scaling
A = torch.diag(torch.sqrt(Sr)) @ Uh[:r]
B = V[:, :r] @ torch.diag(torch.sqrt(Sr))
pissa_res = w - scaling * B @ A
# MiLoRA: the r smallest triplets, same formula
Sm = S[-r:] / scaling
Am = torch.diag(torch.sqrt(Sm)) @ Uh[-r:]
Bm = V[:, -r:] @ torch.diag(torch.sqrt(Sm))
# OLoRA as PEFT's olora_init
Q, R = torch.linalg.qr(w)
json.dump({"pissa_ba": (B @ A).tolist(), "pissa_res": pissa_res.tolist(),
           "milora_ba": (Bm @ Am).tolist(),
           "olora_b": Q[:, :r].tolist(), "olora_a": R[:r].tolist()}, sys.stdout)
`

// TestSplitsTorch: PiSSA's and MiLoRA's products B A and PiSSA's residual
// equal those of PEFT's formulas run with torch 1.13 in the same test (the
// product is free of the singular vectors' sign ambiguity); OLoRA's B and
// A equal torch.linalg.qr's Q[:, :r] and R[:r] (both Householder QR with
// LAPACK's sign convention).
func TestSplitsTorch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	w := sample.Gaussian(rng, 32, 24)
	var ref struct {
		PissaBA  [][]float64 `json:"pissa_ba"`
		PissaRes [][]float64 `json:"pissa_res"`
		MiloraBA [][]float64 `json:"milora_ba"`
		OloraB   [][]float64 `json:"olora_b"`
		OloraA   [][]float64 `json:"olora_a"`
	}
	pyref.JSON(t, torchSplits, nil, &ref, pyref.WriteNPY(t, w), "5", "10")
	opts := SplitOptions{Alpha: 10}
	pissa, _ := NewPiSSA(w, 5, opts)
	milora, _ := NewMiLoRA(w, 5, opts)
	olora, _ := NewOLoRA(w, 5, opts)
	var pba, mba mat.Dense
	pba.Mul(pissa.B, pissa.A)
	mba.Mul(milora.B, milora.A)
	for _, c := range []struct {
		name string
		got  mat.Matrix
		want [][]float64
	}{
		{"PiSSA B A", &pba, ref.PissaBA}, {"PiSSA residual", pissa.Residual, ref.PissaRes},
		{"MiLoRA B A", &mba, ref.MiloraBA}, {"OLoRA B", olora.B, ref.OloraB}, {"OLoRA A", olora.A, ref.OloraA},
	} {
		if d := maxAbsDiff(c.got, fromRows(c.want)); d > 1e-12 {
			t.Errorf("%s differs from PEFT's formula in torch by %.2g", c.name, d)
		}
	}
}

func fromRows(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// TestSplitErrors: against the Eckart-Young bound, PiSSA is optimal
// (ratio 1), LoRA leaves all of W (Frobenius = ||W||_F), MiLoRA leaves the
// leading components and OLoRA lies in between; every ratio is >= 1 and
// every split reconstructs W. Scaling is 1 (OLoRA, as in PEFT, does not
// divide its factors by the scaling, so another scaling moves it away from
// W's QR truncation).
func TestSplitErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	s := make([]float64, 30)
	for i := range s {
		s[i] = 10 * math.Pow(0.8, float64(i))
	}
	w := withSpectrum(rng, 50, 30, s)
	rows, err := CompareSplits(w, 4, SplitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := NewSpectrum(w)
	byMethod := map[string]SplitError{}
	for _, e := range rows {
		byMethod[e.Method] = e
		if e.Ratio < 1-1e-12 || e.Reconstruction > 1e-12 {
			t.Errorf("%s: ratio %v < 1 or reconstruction error %v", e.Method, e.Ratio, e.Reconstruction)
		}
		if math.Abs(e.Bound-spec.FrobeniusBound(4)) > 1e-14*e.Bound || e.SpectralBound != spec.Values[4] {
			t.Errorf("%s: bounds %v %v", e.Method, e.Bound, e.SpectralBound)
		}
	}
	if p := byMethod[PiSSA]; math.Abs(p.Ratio-1) > 1e-10 || math.Abs(p.Spectral-spec.Values[4]) > 1e-10 {
		t.Errorf("PiSSA ratio %v spectral %v, want 1 and s_5 = %v", p.Ratio, p.Spectral, spec.Values[4])
	}
	if l := byMethod[LoRA]; math.Abs(l.Frobenius-mat.Norm(w, 2)) > 1e-12 {
		t.Errorf("LoRA leaves %v, want ||W||_F = %v", l.Frobenius, mat.Norm(w, 2))
	}
	lead := math.Sqrt(spec.Total - spec.TailEnergy(26))
	if m := byMethod[MiLoRA]; math.Abs(m.Frobenius-lead) > 1e-10*lead {
		t.Errorf("MiLoRA leaves %v, want the leading 26 components' %v", m.Frobenius, lead)
	}
	if o := byMethod[OLoRA]; !(o.Ratio > 1 && o.Frobenius < byMethod[LoRA].Frobenius) {
		t.Errorf("OLoRA ratio %v, Frobenius %v", o.Ratio, o.Frobenius)
	}
}
