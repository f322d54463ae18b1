package orthogonal

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Report describes what a map does to a weight W (out x in).
type Report struct {
	// Name of the map's construction.
	Name string
	// Params is the map's trainable parameter count; LoRAParams is LoRA's
	// r (out + in) at the rank the report was asked for.
	Params, LoRAParams int
	// OrthogonalityError is ||M^T M - I||_F (0 up to rounding for
	// orthogonal maps).
	OrthogonalityError float64
	// Determinant of M (+-1 for orthogonal maps).
	Determinant float64
	// Energy and AdaptedEnergy are the hyperspherical energies of the
	// neurons (rows) of W and of W M; EnergyChange is their difference
	// (0 up to rounding when M is orthogonal).
	Energy, AdaptedEnergy, EnergyChange float64
	// Change is ||W M - W||_F / ||W||_F, how far the adaptation moved W.
	Change float64
}

// Analyze applies m to w and reports orthogonality, determinant, the
// change of hyperspherical energy and of W, and the parameter count next
// to LoRA's at rank loraRank (0 = no comparison). Cost: O(n^3) for the
// determinant and M^T M, O(out^2 in) for the energies, plus the map's
// Apply. Errors: bad w, width other than m.Dim(), a zero neuron.
func Analyze(w *mat.Dense, m Map, loraRank int) (*Report, error) {
	if m == nil {
		return nil, chk.Errorf("map is nil")
	}
	adapted, err := m.Apply(w)
	if err != nil {
		return nil, err
	}
	out, in := w.Dims()
	rep := &Report{Name: m.Name(), Params: m.Params(), LoRAParams: LoRAParams(out, in, loraRank)}
	mm := m.Matrix()
	rep.OrthogonalityError = OrthogonalityError(mm)
	rep.Determinant = mat.Det(mm)
	if rep.Energy, err = HypersphericalEnergy(w); err != nil {
		return nil, err
	}
	if rep.AdaptedEnergy, err = HypersphericalEnergy(adapted); err != nil {
		return nil, err
	}
	rep.EnergyChange = rep.AdaptedEnergy - rep.Energy
	var d mat.Dense
	d.Sub(adapted, w)
	rep.Change = mat.Norm(&d, 2) / mat.Norm(w, 2)
	return rep, nil
}

// OrthogonalityError returns ||M^T M - I||_F for a square M. O(n^3).
func OrthogonalityError(m mat.Matrix) float64 {
	n, _ := m.Dims()
	var g mat.Dense
	g.Mul(m.T(), m)
	g.Sub(&g, identity(n))
	return mat.Norm(&g, 2)
}

// LoRAParams returns r (out + in), the trainable parameters of a rank-r
// LoRA adapter on an out x in weight (0 when r <= 0). O(1).
func LoRAParams(out, in, r int) int {
	if r <= 0 {
		return 0
	}
	return r * (out + in)
}

// HypersphericalEnergy returns sum over ordered pairs i != j of
// 1 / ||ŵ_i - ŵ_j|| for the unit-normalised neurons (rows) of w, the
// quantity OFT preserves (Liu et al. 2018; Qiu et al. 2023). Two neurons
// with the same direction give +Inf. O(out^2 in) through one BLAS product.
// Errors: bad w, a zero row (no direction).
func HypersphericalEnergy(w *mat.Dense) (float64, error) {
	m, n, err := chk.Dense("weight", w)
	if err != nil {
		return 0, err
	}
	u := mat.NewDense(m, n, nil)
	for i := 0; i < m; i++ {
		row := w.RawRowView(i)
		nrm := norm(row)
		if nrm == 0 {
			return 0, chk.Errorf("weight row %d (neuron %d of %d) is zero: it has no direction", i, i, m)
		}
		dst := u.RawRowView(i)
		for j, v := range row {
			dst[j] = v / nrm
		}
	}
	var g mat.Dense
	g.Mul(u, u.T())
	var e float64
	for i := 0; i < m; i++ {
		for j := i + 1; j < m; j++ {
			e += 2 / math.Sqrt(max(2-2*g.At(i, j), 0))
		}
	}
	return e, nil
}
