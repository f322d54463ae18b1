package compress

import (
	"math"
	"slices"

	"github.com/subspace-kernel/subspace/native/knn"
)

// Adjacency is a weighted graph on N nodes in compressed sparse row form:
// the edges out of node i are Col[RowPtr[i]:RowPtr[i+1]] with weights
// Val[RowPtr[i]:RowPtr[i+1]], columns sorted, no duplicates.
type Adjacency struct {
	N      int
	RowPtr []int
	Col    []int
	Val    []float64
}

// NewAdjacency builds a graph on n nodes from edges from[e] -> to[e] with
// weights (nil: 1). With symmetric set, every edge is added in both
// directions. Repeated edges have their weights summed; self-loops are
// kept. Errors: lengths that differ, node indices outside [0, n), weights
// that are negative or not finite. O(E log E) for E edges.
func NewAdjacency(n int, from, to []int, weights []float64, symmetric bool) (*Adjacency, error) {
	if n < 1 {
		return nil, chk.Errorf("adjacency: %d nodes, want >= 1", n)
	}
	if len(from) != len(to) || (weights != nil && len(weights) != len(from)) {
		return nil, chk.Errorf("adjacency: from has %d edges, to %d, weights %d", len(from), len(to), len(weights))
	}
	type edge struct {
		i, j int
		w    float64
	}
	edges := make([]edge, 0, 2*len(from))
	for e := range from {
		i, j := from[e], to[e]
		if i < 0 || i >= n || j < 0 || j >= n {
			return nil, chk.Errorf("adjacency: edge %d (%d -> %d) has a node outside [0, %d)", e, i, j, n)
		}
		w := 1.0
		if weights != nil {
			w = weights[e]
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, chk.Errorf("adjacency: edge %d has weight %v, want finite and >= 0", e, w)
		}
		edges = append(edges, edge{i, j, w})
		if symmetric && i != j {
			edges = append(edges, edge{j, i, w})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int {
		if a.i != b.i {
			return a.i - b.i
		}
		return a.j - b.j
	})
	a := &Adjacency{N: n, RowPtr: make([]int, n+1)}
	for t, e := range edges {
		if t > 0 && e.i == edges[t-1].i && e.j == edges[t-1].j {
			a.Val[len(a.Val)-1] += e.w
			continue
		}
		a.Col = append(a.Col, e.j)
		a.Val = append(a.Val, e.w)
		a.RowPtr[e.i+1]++
	}
	for i := range n {
		a.RowPtr[i+1] += a.RowPtr[i]
	}
	return a, nil
}

// AdjacencyFromKNN returns the kNN graph of a self search (knn.SearchSelf
// with ExcludeSelf): an edge of weight 1 from each point to each of its K
// neighbours, symmetrised when symmetric is set (weights of mutual
// neighbours then add to 2). O(N K log(N K)).
func AdjacencyFromKNN(nn *knn.Result, symmetric bool) (*Adjacency, error) {
	if nn == nil || nn.N < 1 {
		return nil, chk.Errorf("adjacency: neighbours are nil or empty")
	}
	from := make([]int, 0, nn.N*nn.K)
	to := make([]int, 0, nn.N*nn.K)
	for i := range nn.N {
		for _, j := range nn.Neighbors(i) {
			from = append(from, i)
			to = append(to, j)
		}
	}
	return NewAdjacency(nn.N, from, to, nil, symmetric)
}

// Degrees returns the weighted out-degree (row sum) of every node. O(E).
func (a *Adjacency) Degrees() []float64 {
	deg := make([]float64, a.N)
	for i := range a.N {
		for _, w := range a.Val[a.RowPtr[i]:a.RowPtr[i+1]] {
			deg[i] += w
		}
	}
	return deg
}
