// Package subspace works with linear subspaces and the geometry of point
// clouds (embeddings, activations, weights): principal angles and Grassmann
// distances between column spaces, leverage scores and leverage-score row
// sampling, randomized truncated SVD, PCA, statistical depth (spatial,
// Mahalanobis, projection, halfspace, cosine/TTE) and a depth-based rank test for
// whether two embedding sets share a distribution.
//
// Matrices hold points as rows for the statistical functions (PCA, depth,
// leverage) and spanning vectors as columns for the subspace functions
// (principal angles), as scipy does.
package subspace

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	_ "github.com/subspace-kernel/subspace/native/blas" // OpenBLAS under -tags openblas
	"github.com/subspace-kernel/subspace/native/internal/check"
)

// chk words subspace's argument errors ("subspace: x is nil (nil matrix)").
var chk = check.New("subspace")

// Orth returns an orthonormal basis (m x r) of the column space of a
// (m x n), as scipy.linalg.orth: the left singular vectors whose singular
// values exceed max(s) * eps * max(m, n). Cost: a thin SVD, O(m n min(m,n)).
// It returns an error for a zero matrix (no basis).
func Orth(a *mat.Dense) (*mat.Dense, error) {
	m, n, err := chk.Dense("matrix", a)
	if err != nil {
		return nil, err
	}
	var svd mat.SVD
	if ok := svd.Factorize(a, mat.SVDThin); !ok {
		return nil, fmt.Errorf("subspace: SVD of the %d x %d matrix did not converge", m, n)
	}
	s := svd.Values(nil)
	tol := s[0] * eps * float64(max(m, n))
	r := 0
	for _, v := range s {
		if v > tol {
			r++
		}
	}
	if r == 0 {
		return nil, fmt.Errorf("subspace: the %d x %d matrix is zero: its column space has no basis", m, n)
	}
	var u mat.Dense
	svd.UTo(&u)
	q := mat.NewDense(m, r, nil)
	q.Copy(u.Slice(0, m, 0, r))
	return q, nil
}

const eps = 2.220446049250313e-16

// singularValues returns the singular values of m, descending.
func singularValues(m mat.Matrix) ([]float64, error) {
	var svd mat.SVD
	if ok := svd.Factorize(m, mat.SVDNone); !ok {
		return nil, fmt.Errorf("subspace: SVD did not converge")
	}
	return svd.Values(nil), nil
}

// PrincipalAngles returns the principal angles, in radians and in
// descending order, between the column spaces of a (m x k) and b (m x l),
// as scipy.linalg.subspace_angles: min(rank a, rank b) angles in
// [0, pi/2]. It uses the algorithm of Knyazev & Argentati (2002): cosines
// from the SVD of Qa^T Qb for the large angles and sines from the SVD of
// the component of one basis orthogonal to the other for the small ones,
// so that angles near 0 keep full relative accuracy (absolute error of a
// few 1e-16). It agrees with scipy except when tiny and large angles mix,
// where scipy 1.10 takes the tiny ones from arccos and loses digits (see
// the comment in the code). Cost: O(m (k+l)^2).
// Errors: nil, empty, non-finite, zero matrices, different row counts.
func PrincipalAngles(a, b *mat.Dense) ([]float64, error) {
	ra, _, err := chk.Dense("a", a)
	if err != nil {
		return nil, err
	}
	rb, _, err := chk.Dense("b", b)
	if err != nil {
		return nil, err
	}
	if err := chk.SameRows("a", ra, "b", rb, "the column spaces must live in the same space"); err != nil {
		return nil, err
	}
	qa, err := Orth(a)
	if err != nil {
		return nil, fmt.Errorf("subspace: a: %w", err)
	}
	qb, err := Orth(b)
	if err != nil {
		return nil, fmt.Errorf("subspace: b: %w", err)
	}
	_, ka := qa.Dims()
	_, kb := qb.Dims()
	var c mat.Dense // Qa^T Qb, ka x kb
	c.Mul(qa.T(), qb)
	sigma, err := singularValues(&c)
	if err != nil {
		return nil, err
	}
	// Component of the smaller basis orthogonal to the larger one.
	var r mat.Dense
	if ka >= kb {
		r.Mul(qa, &c) // Qa Qa^T Qb
		r.Sub(qb, &r)
	} else {
		r.Mul(qb, c.T()) // Qb Qb^T Qa
		r.Sub(qa, &r)
	}
	k := len(sigma)
	var mu []float64
	useSine := false
	for _, s := range sigma {
		if s*s >= 0.5 {
			useSine = true
		}
	}
	if useSine {
		if mu, err = singularValues(&r); err != nil {
			return nil, err
		}
	}
	theta := make([]float64, k)
	// theta[i] is the i-th largest angle: its cosine is sigma[k-1-i] and
	// its sine mu[i]. The sine is used for angles up to 45 degrees (cos^2 >=
	// 1/2), the cosine above. scipy 1.10 masks with sigma[i] instead, which
	// takes tiny angles from arccos when the subspaces also have a large
	// angle (e.g. angles 1e-7 and 1.2 come back as 1.01e-7 and 1.2); we
	// follow Knyazev & Argentati and keep the small angles accurate.
	for i := 0; i < k; i++ {
		if c := sigma[k-1-i]; c*c >= 0.5 {
			theta[i] = math.Asin(clip(mu[i]))
		} else {
			theta[i] = math.Acos(clip(sigma[k-1-i]))
		}
	}
	return theta, nil
}

func clip(v float64) float64 { return math.Max(-1, math.Min(1, v)) }

// PrincipalAnglesDegrees is PrincipalAngles in degrees.
func PrincipalAnglesDegrees(a, b *mat.Dense) ([]float64, error) {
	t, err := PrincipalAngles(a, b)
	for i := range t {
		t[i] *= 180 / math.Pi
	}
	return t, err
}

// GrassmannMetric names a distance between subspaces computed from their
// principal angles theta_1..theta_k (Ye & Lim 2016 conventions).
type GrassmannMetric int

const (
	// Geodesic (arc length): sqrt(sum theta_i^2).
	Geodesic GrassmannMetric = iota
	// Chordal: sqrt(sum sin^2 theta_i) = ||P_a - P_b||_F / sqrt 2.
	Chordal
	// Projection: sin(max theta_i) = ||P_a - P_b||_2.
	Projection
	// FubiniStudy: arccos(prod cos theta_i).
	FubiniStudy
	// BinetCauchy: sqrt(1 - prod cos^2 theta_i).
	BinetCauchy
	// Procrustes: 2 sqrt(sum sin^2(theta_i / 2)).
	Procrustes
	// Asimov: max theta_i.
	Asimov
	// Martin: sqrt(-sum log cos^2 theta_i) (infinite when an angle is pi/2).
	Martin
)

// String returns the metric's name.
func (g GrassmannMetric) String() string {
	names := []string{"geodesic", "chordal", "projection", "fubini-study", "binet-cauchy", "procrustes", "asimov", "martin"}
	if int(g) >= 0 && int(g) < len(names) {
		return names[g]
	}
	return fmt.Sprintf("GrassmannMetric(%d)", int(g))
}

// DistanceFromAngles returns the Grassmann distance of the given metric
// from principal angles in radians. O(k). Subspaces of different
// dimensions are compared through their min(k, l) angles.
func DistanceFromAngles(theta []float64, metric GrassmannMetric) (float64, error) {
	if len(theta) == 0 {
		return 0, fmt.Errorf("subspace: no principal angles")
	}
	var sum, prod, mx float64 = 0, 1, 0
	for i, t := range theta {
		if math.IsNaN(t) || t < 0 || t > math.Pi/2+1e-12 {
			return 0, fmt.Errorf("subspace: angle %d is %v, outside [0, pi/2]", i, t)
		}
		mx = math.Max(mx, t)
		switch metric {
		case Geodesic:
			sum += t * t
		case Chordal:
			sum += math.Sin(t) * math.Sin(t)
		case FubiniStudy, BinetCauchy:
			prod *= math.Cos(t)
		case Procrustes:
			s := math.Sin(t / 2)
			sum += s * s
		case Martin:
			c := math.Cos(t)
			sum -= math.Log(c * c)
		}
	}
	switch metric {
	case Geodesic, Chordal, Martin:
		return math.Sqrt(sum), nil
	case Projection:
		return math.Sin(mx), nil
	case FubiniStudy:
		return math.Acos(clip(prod)), nil
	case BinetCauchy:
		return math.Sqrt(math.Max(0, 1-prod*prod)), nil
	case Procrustes:
		return 2 * math.Sqrt(sum), nil
	case Asimov:
		return mx, nil
	}
	return 0, fmt.Errorf("subspace: unknown Grassmann metric %d", int(metric))
}

// GrassmannDistance returns the distance of the given metric between the
// column spaces of a and b (PrincipalAngles then DistanceFromAngles).
func GrassmannDistance(a, b *mat.Dense, metric GrassmannMetric) (float64, error) {
	t, err := PrincipalAngles(a, b)
	if err != nil {
		return 0, err
	}
	return DistanceFromAngles(t, metric)
}
