package latent

import (
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/linalg"
)

// basis is the thin SVD of a centred side, truncated to its numerical
// rank: x = U diag(S) Vt.
type basis struct {
	u  *mat.Dense // n x r
	s  []float64  // r
	vt *mat.Dense // r x d
}

// rankBasis factorises x and keeps the directions above numpy's rank
// tolerance (eps * max(n, d) * s_max). O(n d min(n, d)).
func rankBasis(name string, x *mat.Dense) (*basis, error) {
	n, d := x.Dims()
	svd, ok := linalg.ThinSVD(x.RawMatrix())
	if !ok {
		return nil, chk.Errorf("SVD of the centred %d x %d %s did not converge", n, d, name)
	}
	k := len(svd.S)
	tol := 0x1p-52 * float64(max(n, d)) * svd.S[0]
	r := 0
	for r < k && svd.S[r] > tol {
		r++
	}
	if r == 0 {
		return nil, chk.Errorf("%s has zero variance over the pairs (all rows equal)", name)
	}
	u := mat.NewDense(n, k, svd.U.Data).Slice(0, n, 0, r).(*mat.Dense)
	vt := mat.NewDense(k, d, svd.Vt.Data).Slice(0, r, 0, d).(*mat.Dense)
	return &basis{u: u, s: svd.S[:r], vt: vt}, nil
}

// fitCCA returns W = Vx diag(1/Sx) P_k diag(rho_k) Q_k^T diag(Sy) Vy^T,
// where px = Ux Sx Vx^T, py = Uy Sy Vy^T and Ux^T Uy = P diag(rho) Q^T:
// the centred source is whitened (Ux), projected on its first k canonical
// directions, scaled by their correlations (the least-squares prediction
// of the target's canonical variates) and mapped back to the target's
// coordinates. Records the kept correlations. O(n (dx^2 + dy^2)).
func (t *Translator) fitCCA(px, py *mat.Dense, components int) (*mat.Dense, error) {
	bx, err := rankBasis("X", px)
	if err != nil {
		return nil, err
	}
	by, err := rankBasis("Y", py)
	if err != nil {
		return nil, err
	}
	rx, ry := len(bx.s), len(by.s)
	c := mat.NewDense(rx, ry, nil)
	c.Mul(bx.u.T(), by.u)
	svd, ok := linalg.ThinSVD(c.RawMatrix())
	if !ok {
		return nil, chk.Errorf("SVD of the %d x %d canonical cross-product did not converge", rx, ry)
	}
	k := len(svd.S)
	if components > 0 {
		k = min(k, components)
	}
	m := len(svd.S)
	p := mat.NewDense(rx, m, svd.U.Data).Slice(0, rx, 0, k).(*mat.Dense)
	q := mat.NewDense(m, ry, svd.Vt.Data).Slice(0, k, 0, ry).(*mat.Dense)
	t.Correlations = make([]float64, k)
	for i := range t.Correlations {
		t.Correlations[i] = math.Min(1, math.Max(0, svd.S[i]))
	}
	// left = Vx diag(1/Sx) P_k diag(rho): dx x k.
	left := mat.DenseCopyOf(p)
	for i := 0; i < rx; i++ {
		row := left.RawRowView(i)
		for j := range row {
			row[j] *= svd.S[j] / bx.s[i]
		}
	}
	var lx mat.Dense
	lx.Mul(bx.vt.T(), left)
	// right = Q_k^T diag(Sy) Vy^T: k x dy.
	qs := mat.DenseCopyOf(q)
	for i := 0; i < k; i++ {
		row := qs.RawRowView(i)
		for j := range row {
			row[j] *= by.s[j]
		}
	}
	var ry2 mat.Dense
	ry2.Mul(qs, by.vt)
	w := mat.NewDense(lx.RawMatrix().Rows, ry2.RawMatrix().Cols, nil)
	w.Mul(&lx, &ry2)
	return w, nil
}
