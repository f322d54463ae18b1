package compress

import (
	"fmt"
	"time"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// Searcher is an index answering k-nearest-neighbour queries: every index
// of this package, ann.HNSW, and ExactIndex for the baseline.
type Searcher interface {
	// Search returns the k best rows for every query.
	Search(queries *mat32.Dense, k int) (*knn.Result, error)
	// BytesPerVector is the memory the index keeps per row.
	BytesPerVector() float64
	// Name describes the method and its parameters.
	Name() string
}

// builder is implemented by indexes that time their own construction.
type builder interface{ BuildSeconds() float64 }

// RecallPerQuery returns, for each query, the fraction of its k exact
// neighbours (the first k of truth) found among the first k of got:
// |got_k(i) and truth_k(i)| / k. Errors: nil results, different query
// counts, k outside [1, min(truth.K, got.K)]. O(N k).
func RecallPerQuery(truth, got *knn.Result, k int) ([]float64, error) {
	return recallWithin(truth, got, k, k)
}

// RecallWithin returns the mean over queries of the fraction of the k
// exact neighbours found among the first candidates of got (candidates >=
// k): the recall of a first stage that hands candidates on to exact
// re-ranking (MUVERA's FDE retrieval before Chamfer re-ranking, binary
// search before rescoring). Errors as RecallPerQuery's, and for
// candidates outside [k, got.K]. O(N (k + candidates)).
func RecallWithin(truth, got *knn.Result, k, candidates int) (float64, error) {
	r, err := recallWithin(truth, got, k, candidates)
	if err != nil {
		return 0, err
	}
	return mean(r), nil
}

// mean returns the mean of v (len(v) >= 1). O(len(v)).
func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// recallWithin is the per-query body of RecallPerQuery and RecallWithin.
func recallWithin(truth, got *knn.Result, k, candidates int) ([]float64, error) {
	if truth == nil || got == nil {
		return nil, chk.Errorf("recall: truth and got must not be nil")
	}
	if truth.N != got.N {
		return nil, chk.Errorf("recall: truth has %d queries but got has %d", truth.N, got.N)
	}
	if err := chk.K("k", k, 1, min(truth.K, got.K), fmt.Sprintf("truth has K = %d and got has K = %d neighbours a query", truth.K, got.K)); err != nil {
		return nil, err
	}
	if err := chk.K("candidates", candidates, k, got.K, "at least k, at most the neighbours got holds"); err != nil {
		return nil, err
	}
	out := make([]float64, truth.N)
	seen := make(map[int]struct{}, k)
	for i := range truth.N {
		clear(seen)
		for _, j := range truth.Neighbors(i)[:k] {
			seen[j] = struct{}{}
		}
		hit := 0
		for _, j := range got.Neighbors(i)[:candidates] {
			if _, ok := seen[j]; ok {
				hit++
				delete(seen, j) // a repeated index counts once
			}
		}
		out[i] = float64(hit) / float64(k)
	}
	return out, nil
}

// RecallAtK returns the mean over queries of RecallPerQuery: recall@k of
// an approximate result against the exact one (ann-benchmarks' "recall",
// FAISS's intersection measure). O(N k).
func RecallAtK(truth, got *knn.Result, k int) (float64, error) {
	r, err := RecallPerQuery(truth, got, k)
	if err != nil {
		return 0, err
	}
	return mean(r), nil
}

// ExactNeighbors returns the exact k nearest rows of data for every query
// (knn.Search32, Euclidean): the truth that recall is measured against.
// O(m n d) flops.
func ExactNeighbors(data, queries *mat32.Dense, k int) (*knn.Result, error) {
	return knn.Search32(data, queries, knn.Options{K: k})
}

// TradeOff is one row of a recall / memory / speed table.
type TradeOff struct {
	Method string
	// K is the k of recall@k.
	K int
	// Recall is recall@k against exact search.
	Recall float64
	// BytesPerVector is the index's memory a row; Compression is 4 d (a
	// float32 row) divided by it.
	BytesPerVector float64
	Compression    float64
	// QPS is queries answered per second (one batched Search call, its
	// own goroutines); BuildSeconds the index's construction time (0 when
	// not known).
	QPS          float64
	BuildSeconds float64

	perQuery []float64
}

// PerQuery returns each query's recall (for RecallByLID), nil for rows
// not made by Measure or Evaluate. O(1).
func (r TradeOff) PerQuery() []float64 { return r.perQuery }

// Measure runs s on the queries once, timing the batch, and compares the
// result with truth (exact neighbours of the same queries, K >= k).
// Cost: the search plus O(m k).
func Measure(s Searcher, queries *mat32.Dense, truth *knn.Result, k int) (TradeOff, error) {
	if s == nil {
		return TradeOff{}, chk.Errorf("Measure: searcher is nil")
	}
	_, d, err := chk.Dense32("queries", queries)
	if err != nil {
		return TradeOff{}, err
	}
	start := time.Now()
	got, err := s.Search(queries, k)
	if err != nil {
		return TradeOff{}, fmt.Errorf("%s: %w", s.Name(), err)
	}
	secs := time.Since(start).Seconds()
	per, err := RecallPerQuery(truth, got, k)
	if err != nil {
		return TradeOff{}, err
	}
	row := TradeOff{Method: s.Name(), K: k, Recall: mean(per), BytesPerVector: s.BytesPerVector(), perQuery: per}
	row.Compression = float64(4*d) / row.BytesPerVector
	if secs > 0 {
		row.QPS = float64(truth.N) / secs
	}
	if b, ok := s.(builder); ok {
		row.BuildSeconds = b.BuildSeconds()
	}
	return row, nil
}

// Method names an index and how to build it from the data, for Evaluate.
type Method struct {
	Name  string
	Build func(data *mat32.Dense) (Searcher, error)
}

// Evaluate builds every method on data (timing each build), searches the
// queries, and returns one TradeOff a method after an "exact float32" row,
// against exact neighbours computed once. Cost: the builds and searches
// plus one exact search, O(m n d).
func Evaluate(data, queries *mat32.Dense, k int, methods []Method) ([]TradeOff, error) {
	truth, err := ExactNeighbors(data, queries, k)
	if err != nil {
		return nil, err
	}
	exact, err := NewExactIndex(data)
	if err != nil {
		return nil, err
	}
	row, err := Measure(exact, queries, truth, k)
	if err != nil {
		return nil, err
	}
	table := []TradeOff{row}
	for _, m := range methods {
		if m.Build == nil {
			return nil, chk.Errorf("Evaluate: method %q has no Build function", m.Name)
		}
		start := time.Now()
		s, err := m.Build(data)
		if err != nil {
			return nil, fmt.Errorf("compress: building %q: %w", m.Name, err)
		}
		build := time.Since(start).Seconds()
		row, err := Measure(s, queries, truth, k)
		if err != nil {
			return nil, err
		}
		if m.Name != "" {
			row.Method = m.Name
		}
		row.BuildSeconds = build
		table = append(table, row)
	}
	return table, nil
}

// Points returns [x, recall] pairs, one a row, with x the bytes a vector
// (byQPS false) or the queries per second (byQPS true): the points of a
// recall-against-memory or recall-against-speed chart. The rows are a
// plain slice (not a named type) because cells index them, and the
// interpreter mishandles indexing named slice types of compiled packages.
// O(rows).
func Points(rows []TradeOff, byQPS bool) [][]float64 {
	out := make([][]float64, len(rows))
	for i, r := range rows {
		x := r.BytesPerVector
		if byQPS {
			x = r.QPS
		}
		out[i] = []float64{x, r.Recall}
	}
	return out
}
