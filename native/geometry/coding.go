package geometry

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Rate is a rate reduction: DeltaR = R - Rc (Yu et al. 2020, MCR2).
type Rate struct {
	// R is the coding rate of all features, Rc the sum of the groups'
	// rates weighted by their share of the samples, DeltaR = R - Rc
	// (>= 0 by concavity of log det: large when the groups span different
	// directions, about 0 when they are spread alike).
	R, Rc, DeltaR float64
}

// CodingRate returns R(Z, eps) = 1/2 log det(I + d / (n eps^2) Z Z^T) for
// the features x (n x d, rows are the columns of Z): the number of nats
// needed to code them up to distortion eps. The log-determinant is taken
// on the smaller Gram side (Sylvester: d x d X^T X or n x n X X^T), by a
// Cholesky factorisation. eps > 0. Cost O(n d min(n, d) + min(n, d)^3).
func CodingRate(x *mat.Dense, eps float64) (float64, error) {
	n, d, err := chk.Dense("features", x)
	if err != nil {
		return 0, err
	}
	if err := checkEps(eps); err != nil {
		return 0, err
	}
	return halfLogDet(x, nil, float64(d)/(float64(n)*eps*eps))
}

func checkEps(eps float64) error {
	if !(eps > 0) || math.IsInf(eps, 1) {
		return chk.Errorf("eps = %v, want a finite eps > 0", eps)
	}
	return nil
}

// halfLogDet returns 1/2 log det(I + a X^T W X) for the rows of x with
// non-negative weights w (nil = all 1); rows of weight 0 are left out.
func halfLogDet(x *mat.Dense, w []float64, a float64) (float64, error) {
	n, d := x.Dims()
	z := x
	if w != nil {
		var keep []int
		for i, v := range w {
			if v > 0 {
				keep = append(keep, i)
			}
		}
		if len(keep) == 0 {
			return 0, nil
		}
		z = mat.NewDense(len(keep), d, nil)
		for r, i := range keep {
			row, src := z.RawRowView(r), x.RawRowView(i)
			s := math.Sqrt(w[i])
			for j := range row {
				row[j] = s * src[j]
			}
		}
		n = len(keep)
	}
	side := min(n, d)
	gram := mat.NewSymDense(side, nil)
	if n < d {
		gram.SymOuterK(a, z) // a Z Z^T, n x n
	} else {
		gram.SymOuterK(a, z.T()) // a Z^T Z, d x d
	}
	for i := 0; i < side; i++ {
		gram.SetSym(i, i, gram.At(i, i)+1)
	}
	var ch mat.Cholesky
	if !ch.Factorize(gram) {
		return 0, chk.Errorf("Cholesky factorisation of the %d x %d identity plus Gram failed (values too large?)", side, side)
	}
	return ch.LogDet() / 2, nil
}

// RateReduction returns R, Rc and DeltaR for the features x (n x d) grouped
// by hard labels in [0, K): Rc = sum_j n_j / (2n) log det(I + d / (n_j eps^2)
// X_j^T X_j) over the classes j with n_j samples (empty classes add
// nothing). Cost: CodingRate's for all the features and for each class.
func RateReduction(x *mat.Dense, labels []int, eps float64) (*Rate, error) {
	n, _, err := chk.Dense("features", x)
	if err != nil {
		return nil, err
	}
	k, _, err := classes(labels, n, false)
	if err != nil {
		return nil, err
	}
	pi := mat.NewDense(n, k, nil)
	for i, y := range labels {
		pi.Set(i, y, 1)
	}
	return RateReductionSoft(x, pi, eps)
}

// RateReductionSoft returns R, Rc and DeltaR for soft memberships pi
// (n x m, non-negative, each row summing to 1: row i spreads sample i over
// m groups; a one-hot pi is RateReduction, an n x n doubly stochastic one
// the clustering form of Ding et al. 2023). With t_j = sum_i pi_ij,
// Rc = sum_j t_j / (2n) log det(I + d / (t_j eps^2) X^T diag(pi_j) X).
// Cost O(n d min(n_j, d) + min(n_j, d)^3) a group, n_j its non-zero
// memberships.
func RateReductionSoft(x, pi *mat.Dense, eps float64) (*Rate, error) {
	n, d, err := chk.Dense("features", x)
	if err != nil {
		return nil, err
	}
	if err := checkEps(eps); err != nil {
		return nil, err
	}
	pn, m, err := chk.Dense("memberships", pi)
	if err != nil {
		return nil, err
	}
	if err := chk.SameRows("features", n, "memberships", pn, "one membership row a sample"); err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		var s float64
		for j, v := range pi.RawRowView(i) {
			if v < 0 {
				return nil, chk.Errorf("memberships element (row %d, column %d) is %v, want >= 0", i, j, v)
			}
			s += v
		}
		if math.Abs(s-1) > 1e-8 {
			return nil, chk.Errorf("memberships row %d sums to %v, want 1", i, s)
		}
	}
	r, err := halfLogDet(x, nil, float64(d)/(float64(n)*eps*eps))
	if err != nil {
		return nil, err
	}
	rate := &Rate{R: r}
	for j := 0; j < m; j++ {
		w := mat.Col(nil, j, pi)
		var t float64
		for _, v := range w {
			t += v
		}
		if t == 0 {
			continue
		}
		h, err := halfLogDet(x, w, float64(d)/(t*eps*eps))
		if err != nil {
			return nil, err
		}
		rate.Rc += t / float64(n) * h
	}
	rate.DeltaR = rate.R - rate.Rc
	return rate, nil
}
