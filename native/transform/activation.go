package transform

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mat"
)

// HermiteActivation is a polynomial activation sigma(t) = sum_k c_k h_k(t)
// in the normalised Hermite basis (HermiteBasis), orthonormal under
// N(0, 1): its second moment under standard normal pre-activations is
// sum_k c_k^2, which fixes the variance-preserving initialisation.
type HermiteActivation struct {
	// Coeffs are c_0, ..., c_degree.
	Coeffs []float64
}

// GaussHermiteNodes returns the m nodes and weights of Gauss quadrature
// for the standard normal distribution (the zeros of He_m; weights sum
// to 1): E[f(Z)] = sum_i w_i f(t_i) exactly for polynomials of degree
// below 2m. From gonum's quad.Hermite (weight e^(-x^2)) rescaled. O(m^2).
func GaussHermiteNodes(m int) (nodes, weights []float64) {
	nodes, weights = make([]float64, m), make([]float64, m)
	quad.Hermite{}.FixedLocations(nodes, weights, math.Inf(-1), math.Inf(1))
	for i := range nodes {
		nodes[i] *= math.Sqrt2
		weights[i] /= math.Sqrt(math.Pi)
	}
	return nodes, weights
}

// FitHermiteActivation fits the activation of degree 2m - 1 that
// interpolates f and its derivative df at the m nodes (Hermite
// interpolation: sigma(t_i) = f(t_i), sigma'(t_i) = df(t_i)), solving the
// 2m x 2m system in the Hermite basis (h_k' = sqrt(k) h_{k-1}). nodes nil
// uses the 4 Gauss-Hermite nodes of N(0, 1) (degree 7). Nodes must be
// distinct and finite; f and df finite at them. O(m^3).
func FitHermiteActivation(f, df func(float64) float64, nodes []float64) (*HermiteActivation, error) {
	if f == nil || df == nil {
		return nil, chk.Errorf("f and df are required")
	}
	if nodes == nil {
		nodes, _ = GaussHermiteNodes(4)
	}
	m := len(nodes)
	if m == 0 {
		return nil, chk.Errorf("no nodes")
	}
	deg := 2*m - 1
	a := mat.NewDense(2*m, 2*m, nil)
	rhs := mat.NewVecDense(2*m, nil)
	h := make([]float64, deg+1)
	for i, t := range nodes {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, chk.Errorf("node %d is %v", i, t)
		}
		for k := range i {
			if nodes[k] == t {
				return nil, chk.Errorf("nodes %d and %d are equal (%v)", k, i, t)
			}
		}
		hermiteInto(h, t)
		for k := range h {
			a.Set(2*i, k, h[k])
			if k > 0 {
				a.Set(2*i+1, k, math.Sqrt(float64(k))*h[k-1])
			}
		}
		fv, dv := f(t), df(t)
		if math.IsNaN(fv+dv) || math.IsInf(fv+dv, 0) {
			return nil, chk.Errorf("f(%v) = %v, df = %v: must be finite", t, fv, dv)
		}
		rhs.SetVec(2*i, fv)
		rhs.SetVec(2*i+1, dv)
	}
	var c mat.VecDense
	if err := c.SolveVec(a, rhs); err != nil {
		return nil, chk.Errorf("Hermite interpolation system: %v", err)
	}
	return &HermiteActivation{Coeffs: mat.Col(nil, 0, &c)}, nil
}

// Eval returns sigma(t). O(degree).
func (h *HermiteActivation) Eval(t float64) float64 {
	b := HermiteBasis(t, len(h.Coeffs)-1)
	var s float64
	for k, c := range h.Coeffs {
		s += c * b[k]
	}
	return s
}

// Deriv returns sigma'(t) = sum_k c_k sqrt(k) h_{k-1}(t). O(degree).
func (h *HermiteActivation) Deriv(t float64) float64 {
	b := HermiteBasis(t, len(h.Coeffs)-1)
	var s float64
	for k := 1; k < len(h.Coeffs); k++ {
		s += h.Coeffs[k] * math.Sqrt(float64(k)) * b[k-1]
	}
	return s
}

// Apply returns sigma applied to every entry of x. O(size degree).
func (h *HermiteActivation) Apply(x *mat.Dense) *mat.Dense {
	var out mat.Dense
	out.Apply(func(_, _ int, v float64) float64 { return h.Eval(v) }, x)
	return &out
}

// SecondMoment returns E[sigma(Z)^2] = sum_k c_k^2 for Z ~ N(0, 1)
// (Parseval in the orthonormal basis). O(degree).
func (h *HermiteActivation) SecondMoment() float64 {
	var s float64
	for _, c := range h.Coeffs {
		s += c * c
	}
	return s
}

// InitStd returns the standard deviation of N(0, s^2) weights that keeps
// the pre-activation variance at 1 from layer to layer with this
// activation: s = 1 / sqrt(fanIn E[sigma(Z)^2]) (sqrt(2/fanIn), He's
// initialisation, for ReLU whose second moment is 1/2). O(degree).
func (h *HermiteActivation) InitStd(fanIn int) float64 {
	return 1 / math.Sqrt(float64(fanIn)*h.SecondMoment())
}

// Normalized returns a copy scaled to second moment 1 (so that
// InitStd(fanIn) = 1/sqrt(fanIn), LeCun's initialisation, preserves the
// variance). O(degree).
func (h *HermiteActivation) Normalized() *HermiteActivation {
	s := 1 / math.Sqrt(h.SecondMoment())
	c := make([]float64, len(h.Coeffs))
	for k, v := range h.Coeffs {
		c[k] = v * s
	}
	return &HermiteActivation{Coeffs: c}
}
