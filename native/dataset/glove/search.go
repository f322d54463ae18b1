package glove

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// Neighbor is a word found by a search, with its cosine similarity to the
// query (in [-1, 1], higher = closer).
type Neighbor struct {
	Word       string
	Index      int
	Similarity float64
}

// units returns the rows scaled to unit length (computed once, then
// shared: 400 bytes a word). Zero rows stay zero.
func (e *Embeddings) units() *mat32.Dense {
	e.once.Do(func() {
		r, c := e.Vectors.Dims()
		u := mat32.Zeros(r, c)
		for i := 0; i < r; i++ {
			src, dst := e.Vectors.Row(i), u.Row(i)
			var ss float64
			for _, v := range src {
				ss += float64(v) * float64(v)
			}
			if ss == 0 {
				continue
			}
			s := 1 / math.Sqrt(ss)
			for j, v := range src {
				dst[j] = float32(float64(v) * s)
			}
		}
		e.unit = u
	})
	return e.unit
}

// Nearest returns the k words closest to word by cosine similarity, most
// similar first, word itself excluded. The first search builds the unit
// vectors (O(n Dim) time and memory, once); each search is one blocked
// product through native/knn, O(n Dim). Errors: unknown word, k < 1 or
// k >= the number of words.
func (e *Embeddings) Nearest(word string, k int) ([]Neighbor, error) {
	i, err := e.Index(word)
	if err != nil {
		return nil, err
	}
	return e.search(e.units().Row(i), k, []int{i})
}

// NearestTo returns the k words closest to the vector v (len Dim) by
// cosine similarity, leaving out the words in exclude (which must be
// known). Cost as Nearest.
func (e *Embeddings) NearestTo(v []float32, k int, exclude []string) ([]Neighbor, error) {
	_, c := e.Vectors.Dims()
	if len(v) != c {
		return nil, fmt.Errorf("glove: query has %d values, the vectors %d", len(v), c)
	}
	skip := make([]int, len(exclude))
	for j, w := range exclude {
		i, err := e.Index(w)
		if err != nil {
			return nil, err
		}
		skip[j] = i
	}
	return e.search(v, k, skip)
}

// Analogy answers "b is to a as c is to ?" with the words closest to
// a - b + c (3CosAdd on unit vectors: u(a) - u(b) + u(c), ranked by
// cosine similarity), leaving out a, b and c: Analogy("king", "man",
// "woman", 5) starts with "queen". Cost as Nearest.
func (e *Embeddings) Analogy(a, b, c string, k int) ([]Neighbor, error) {
	var idx [3]int
	for j, w := range []string{a, b, c} {
		i, err := e.Index(w)
		if err != nil {
			return nil, err
		}
		idx[j] = i
	}
	u := e.units()
	_, d := u.Dims()
	q := make([]float32, d)
	for j := range q {
		q[j] = u.At(idx[0], j) - u.At(idx[1], j) + u.At(idx[2], j)
	}
	return e.search(q, k, idx[:])
}

// search ranks all words by cosine similarity to q and returns the best k
// not in skip.
func (e *Embeddings) search(q []float32, k int, skip []int) ([]Neighbor, error) {
	n := e.Len()
	if k < 1 || k+len(skip) > n-1 {
		return nil, fmt.Errorf("glove: k = %d, want 1 <= k <= %d (%d words, %d excluded)", k, n-1-len(skip), n, len(skip))
	}
	var ss float64
	for _, v := range q {
		ss += float64(v) * float64(v)
	}
	if ss == 0 || math.IsNaN(ss) || math.IsInf(ss, 0) {
		return nil, fmt.Errorf("glove: the query vector has norm %v", math.Sqrt(ss))
	}
	qm, err := mat32.New(1, len(q), q)
	if err != nil {
		return nil, err
	}
	res, err := knn.Search32(e.units(), qm, knn.Options{K: k + len(skip), Metric: knn.InnerProduct})
	if err != nil {
		return nil, fmt.Errorf("glove: %w", err)
	}
	norm := math.Sqrt(ss)
	out := make([]Neighbor, 0, k)
	for r, i := range res.Neighbors(0) {
		if len(out) == k {
			break
		}
		if contains(skip, i) {
			continue
		}
		out = append(out, Neighbor{Word: e.Words[i], Index: i, Similarity: -res.Distances(0)[r] / norm})
	}
	return out, nil
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Neighbourhood gathers words and their k nearest words, for a chart:
// the rows of x are the vectors (float64) of names, and groups[r] is the
// query word whose neighbourhood names[r] belongs to (the first one when
// several share it). Each query word comes first in its group. Cost: one
// Nearest per word.
func (e *Embeddings) Neighbourhood(words []string, k int) (x *mat.Dense, names, groups []string, err error) {
	seen := map[string]bool{}
	for _, w := range words {
		near, err := e.Nearest(w, k)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, name := range append([]string{w}, neighborWords(near)...) {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
				groups = append(groups, w)
			}
		}
	}
	if len(names) == 0 {
		return nil, nil, nil, fmt.Errorf("glove: no words")
	}
	x, err = e.Matrix(names)
	return x, names, groups, err
}

func neighborWords(ns []Neighbor) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Word
	}
	return out
}
