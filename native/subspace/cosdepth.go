package subspace

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// CosineDepth returns the transformer-based text embedding (TTE) depth of
// each row of x with respect to ref (Seegmiller & Preum 2023): with the
// cosine distance delta(a, b) = 1 - cos(a, b), bounded by 2,
//
//	D(x) = 2 - mean_r delta(x, r) = 1 + u(x) . mean_r u(r),  u(v) = v/|v|,
//
// in [0, 2], largest for the embeddings most aligned with the corpus.
// The mean direction makes it O((m + n) d) instead of the O(m n d) of the
// pairwise distances. Rows of zero norm are an error naming the row.
func CosineDepth(x, ref *mat.Dense) ([]float64, error) {
	m, _, _, err := checkPair(x, ref)
	if err != nil {
		return nil, err
	}
	mu, err := meanDirection("ref", ref)
	if err != nil {
		return nil, err
	}
	out := make([]float64, m)
	for i := range m {
		u, err := unitRow("x", x, i)
		if err != nil {
			return nil, err
		}
		out[i] = 1 + floats.Dot(u, mu)
	}
	return out, nil
}

// CosineDepthSelf returns the TTE depth of every row of x within its own
// corpus, each row left out of its own mean (tte_depth's depths(F):
// 2 - sum_{j != i} delta(x_i, x_j)/(n - 1)). Needs n >= 2. O(n d).
func CosineDepthSelf(x *mat.Dense) ([]float64, error) {
	n, _, err := chk.Dense("x", x)
	if err != nil {
		return nil, err
	}
	if n < 2 {
		return nil, chk.Errorf("x has %d row: the within-corpus depth needs at least 2", n)
	}
	mu, err := meanDirection("x", x)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	fn := float64(n)
	for i := range n {
		u, _ := unitRow("x", x, i)
		// sum over others of cos = n u.mu - u.u = n u.mu - 1.
		out[i] = 1 + (fn*floats.Dot(u, mu)-1)/(fn-1)
	}
	return out, nil
}

// meanDirection is the mean of the unit rows of a.
func meanDirection(name string, a *mat.Dense) ([]float64, error) {
	n, d := a.Dims()
	mu := make([]float64, d)
	for i := range n {
		u, err := unitRow(name, a, i)
		if err != nil {
			return nil, err
		}
		for j, v := range u {
			mu[j] += v
		}
	}
	for j := range mu {
		mu[j] /= float64(n)
	}
	return mu, nil
}

func unitRow(name string, a *mat.Dense, i int) ([]float64, error) {
	row := a.RawRowView(i)
	nrm := math.Sqrt(floats.Dot(row, row))
	if nrm == 0 {
		return nil, chk.Errorf("%s row %d has zero norm: its cosine distances are undefined", name, i)
	}
	u := make([]float64, len(row))
	for j, v := range row {
		u[j] = v / nrm
	}
	return u, nil
}
