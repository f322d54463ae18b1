package compress

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// twoCommunities returns a graph of two dense communities of half nodes
// each (edge probability 0.3 inside) joined by a few edges.
func twoCommunities(n int, seed uint64) (from, to []int, w []float64) {
	rng := rand.New(rand.NewPCG(seed, 5))
	for i := range n {
		for j := range i {
			same := (i < n/2) == (j < n/2)
			if (same && rng.Float64() < 0.3) || (!same && rng.Float64() < 0.01) {
				from, to, w = append(from, i), append(to, j), append(w, 0.5+rng.Float64())
			}
		}
	}
	return from, to, w
}

// TestFastRPMatchesScipy computes FastRP with scipy.sparse from the same
// random projection in the same run (weighted symmetric graph, degree
// normalisation, with and without row normalisation).
func TestFastRPMatchesScipy(t *testing.T) {
	const n, dim = 60, 16
	from, to, w := twoCommunities(n, 1)
	adj, err := NewAdjacency(n, from, to, w, true)
	if err != nil {
		t.Fatal(err)
	}
	r, err := FastRPProjection(n, dim, 4)
	if err != nil {
		t.Fatal(err)
	}
	var rt mat32.Dense
	rt = *mat32.FromDense(r.Components().T())
	// the symmetric edge list scipy sums duplicates of, as NewAdjacency does
	sf, st, sw := append(append([]int{}, from...), to...), append(append([]int{}, to...), from...), append(append([]float64{}, w...), w...)
	for _, c := range []struct {
		beta float64
		norm bool
	}{{0, true}, {-0.5, true}, {0, false}} {
		opts := FastRPOptions{Dim: dim, Weights: []float64{0.5, 1, 2}, Beta: c.beta, NoNormalize: !c.norm, Seed: 4}
		got, err := FastRP(adj, opts)
		if err != nil {
			t.Fatal(err)
		}
		var want [][]float64
		pyref.JSON(t, "testdata/fastrp_ref.py", map[string]any{"n": n, "from": sf, "to": st, "w": sw,
			"r": npy(t, &rt), "weights": opts.Weights, "beta": c.beta, "normalize": c.norm}, &want)
		compare(t, "FastRP", got, want, 1e-5)
	}
}

// TestFastRPCommunities checks that nodes of the same community get more
// similar embeddings than nodes of different communities, on a given graph
// and on the kNN graph of two point clusters.
func TestFastRPCommunities(t *testing.T) {
	const n = 80
	from, to, w := twoCommunities(n, 2)
	adj, _ := NewAdjacency(n, from, to, w, true)
	emb, err := FastRP(adj, FastRPOptions{Dim: 64, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	in, out := meanCosines(emb, func(i int) bool { return i < n/2 })
	if in < out+0.3 {
		t.Errorf("given graph: mean cosine within communities %.3f, between %.3f", in, out)
	}
	x, _ := clustered(t, 200, 1, 8, 3)
	nn, err := knn.SearchSelf32(x, knn.Options{K: 10, ExcludeSelf: true})
	if err != nil {
		t.Fatal(err)
	}
	g, err := AdjacencyFromKNN(nn, true)
	if err != nil {
		t.Fatal(err)
	}
	emb2, err := FastRP(g, FastRPOptions{Dim: 64, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Neighbours in the kNN graph should be closer than random pairs.
	var nbr, rnd float64
	rng := rand.New(rand.NewPCG(3, 3))
	for i := range 200 {
		nbr += cosine(emb2.Row(i), emb2.Row(nn.Neighbors(i)[0]))
		rnd += cosine(emb2.Row(i), emb2.Row(rng.IntN(200)))
	}
	if nbr/200 < rnd/200+0.3 {
		t.Errorf("kNN graph: mean cosine to nearest neighbour %.3f, to random node %.3f", nbr/200, rnd/200)
	}
}

func cosine(a, b []float32) float64 {
	var s, na, nb float64
	for j := range a {
		s += float64(a[j]) * float64(b[j])
		na += float64(a[j]) * float64(a[j])
		nb += float64(b[j]) * float64(b[j])
	}
	return s / math.Sqrt(na*nb)
}

func meanCosines(x *mat32.Dense, group func(int) bool) (in, out float64) {
	n, _ := x.Dims()
	var ci, co int
	for i := range n {
		for j := range i {
			c := cosine(x.Row(i), x.Row(j))
			if group(i) == group(j) {
				in += c
				ci++
			} else {
				out += c
				co++
			}
		}
	}
	return in / float64(ci), out / float64(co)
}

// TestAdjacency checks CSR construction: sorted columns, summed repeats,
// symmetrisation, degrees, and errors naming the bad edge.
func TestAdjacency(t *testing.T) {
	a, err := NewAdjacency(4, []int{0, 2, 0, 3}, []int{2, 1, 2, 3}, []float64{1, 2, 0.5, 4}, true)
	if err != nil {
		t.Fatal(err)
	}
	wantPtr := []int{0, 1, 2, 4, 5}
	wantCol := []int{2, 2, 0, 1, 3}
	wantVal := []float64{1.5, 2, 1.5, 2, 4}
	for i, v := range wantPtr {
		if a.RowPtr[i] != v {
			t.Fatalf("RowPtr %v, want %v", a.RowPtr, wantPtr)
		}
	}
	for i := range wantCol {
		if a.Col[i] != wantCol[i] || a.Val[i] != wantVal[i] {
			t.Fatalf("Col %v Val %v, want %v %v", a.Col, a.Val, wantCol, wantVal)
		}
	}
	if deg := a.Degrees(); deg[2] != 3.5 || deg[3] != 4 {
		t.Errorf("degrees %v", deg)
	}
	for _, c := range []struct {
		from, to []int
		w        []float64
		want     string
	}{
		{[]int{0}, []int{4}, nil, "edge 0 (0 -> 4) has a node outside [0, 4)"},
		{[]int{0, 1}, []int{1}, nil, "from has 2 edges, to 1"},
		{[]int{0}, []int{1}, []float64{math.NaN()}, "edge 0 has weight NaN"},
	} {
		if _, err := NewAdjacency(4, c.from, c.to, c.w, false); err == nil || !contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}
