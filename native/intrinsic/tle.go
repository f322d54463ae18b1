package intrinsic

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/knn"
)

// TLE is the tight local estimator of Amsaleg et al. as in skdim's TLE: for
// each point it uses the k neighbour distances and the pairwise distances
// between the neighbours, with skdim's rules for degenerate pairs (zero
// distances, neighbours at the k-th radius, values below Epsilon). Global:
// the mean.
type TLE struct {
	K       int     // neighbours, skdim default 20
	Epsilon float64 // skdim default 1e-4
	Comb    Comb    // CombMean by default
	Common
}

// NewTLE returns TLE with skdim's defaults (k = 20, epsilon 1e-4, mean).
func NewTLE() *TLE { return &TLE{K: 20, Epsilon: 1e-4, Comb: CombMean} }

// Fit estimates the dimension; X is required (the neighbours' coordinates
// are used). Cost: one kNN search plus O(n k^2 d), parallel over points.
func (e *TLE) Fit(X *mat.Dense, nn *knn.Result) (*Estimate, error) {
	if e.K < 2 {
		return nil, fmt.Errorf("intrinsic: TLE K = %d, want >= 2", e.K)
	}
	if X == nil {
		return nil, fmt.Errorf("intrinsic: TLE needs X")
	}
	p, err := prepare(X, nn, e.K, e.Common, true)
	if err != nil {
		return nil, err
	}
	k := e.K
	n := nrows(p)
	pw := make([]float64, n)
	_, c := p.X.Dims()
	err = work.RangeErr(n, e.Workers, func(lo, hi int) error {
		sub := mat.NewDense(k, c, nil)
		V := make([]float64, k*k)
		for i := lo; i < hi; i++ {
			for a, j := range p.nn.Neighbors(i)[:k] {
				sub.SetRow(a, p.X.RawRowView(j)[:c])
			}
			for a := range k {
				for b := a + 1; b < k; b++ {
					v := dist(sub.RawRowView(a), sub.RawRowView(b))
					V[a*k+b], V[b*k+a] = v, v
				}
			}
			v, err := tleOne(dists(p.nn, i, k), V, e.Epsilon)
			if err != nil {
				return fmt.Errorf("point %d: %w", i, err)
			}
			pw[i] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d, err := combine(pw, e.Comb)
	if err != nil {
		return nil, err
	}
	return &Estimate{Method: fmt.Sprintf("TLE(k=%d, epsilon=%g)", k, e.Epsilon), Dim: d, Pointwise: pw, N: n, Duplicates: p.duplicates}, nil
}

// tleOne is skdim's _idtle for one point: D holds the k neighbour distances
// (sorted), V the k x k distances between the neighbours.
func tleOne(D, V []float64, eps float64) (float64, error) {
	k := len(D)
	r := D[k-1]
	if r == 0 {
		return 0, fmt.Errorf("intrinsic: TLE: all k-NN distances are zero")
	}
	var s1t, s1s float64
	nV0, nTS := 0, 0
	for a := range k {
		di := D[a]
		for b := range k {
			if a == b {
				continue
			}
			dj := D[b]
			v := V[a*k+b]
			v2 := v * v
			z2 := 2*di*di + 2*dj*dj - v2
			var S, T float64
			switch {
			case di == r:
				S = r * v2 / (r*r + v2 - dj*dj)
				T = r * z2 / (r*r + z2 - dj*dj)
			default:
				den := 2 * (r*r - di*di)
				u := di*di + v2 - dj*dj
				S = r * (math.Sqrt(u*u+4*v2*(r*r-di*di)) - u) / den
				w := di*di + z2 - dj*dj
				T = r * (math.Sqrt(w*w+4*z2*(r*r-di*di)) - w) / den
			}
			if di == 0 {
				S, T = dj, dj
			}
			if dj == 0 {
				S = r * v / (r + v)
				T = S
			}
			if v == 0 {
				S, T = r, r
				nV0++
			}
			if T < eps || S < eps {
				S, T = r, r
				nTS++
			}
			s1t += math.Log(T / r)
			s1s += math.Log(S / r)
		}
	}
	nDeps := 0
	for _, d := range D {
		if d < eps {
			nDeps++
		}
	}
	// skdim slices the rows of a 1 x k array by the count of tiny
	// distances, which empties it whenever there is one: s2 is then 0.
	var s2 float64
	if nDeps == 0 {
		for _, d := range D {
			s2 += math.Log(d / r)
		}
	}
	return -2 * float64(k*k-nTS-nDeps-nV0) / (s1t + s1s + 2*s2), nil
}
