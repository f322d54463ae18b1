package main

import (
	"fmt"
	"runtime"
	"time"

	"github.com/subspace-kernel/subspace/native/ann"
	"github.com/subspace-kernel/subspace/native/compress"
	"github.com/subspace-kernel/subspace/native/dataset/glove"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// gloveTable loads the n+n/100 most frequent GloVe words, holds out every
// 101st as a query (n/100 queries spread over the frequencies), L2-normalises
// all (cosine neighbours) and prints recall@10, memory and speed of every
// method of native/compress and native/ann against exact search.
func gloveTable(n int) error {
	start := time.Now()
	emb, err := glove.Load(n + n/100)
	if err != nil {
		return err
	}
	unit, err := compress.Normalize(emb.Vectors)
	if err != nil {
		return err
	}
	total, d := unit.Dims()
	data, queries := mat32.Zeros(n, d), mat32.Zeros(total-n, d)
	for i := range total {
		if i%101 == 0 {
			copy(queries.Row(i/101), unit.Row(i))
		} else {
			copy(data.Row(i-i/101-1), unit.Row(i))
		}
	}
	fmt.Printf("\nGloVe: %d words indexed, %d held-out queries, d = %d, unit vectors (cosine), loaded in %.1f s\n", n, total-n, d, time.Since(start).Seconds())
	table, err := compress.Evaluate(data, queries, 10, gloveMethods(d))
	if err != nil {
		return err
	}
	// HNSW: one build, several efSearch.
	truth, err := compress.ExactNeighbors(data, queries, 10)
	if err != nil {
		return err
	}
	h, err := ann.BuildHNSW(data, ann.HNSWOptions{M: 16, EfConstruction: 200, BuildWorkers: runtime.GOMAXPROCS(0)})
	if err != nil {
		return err
	}
	for _, ef := range []int{10, 20, 50, 100} {
		h.SetEfSearch(ef)
		row, err := compress.Measure(h, queries, truth, 10)
		if err != nil {
			return err
		}
		table = append(table, row)
	}
	fmt.Printf("\n%-46s %8s %8s %9s %9s %8s\n", "method", "bytes", "ratio", "recall@10", "QPS", "build s")
	for _, r := range table {
		fmt.Printf("%-46s %8.1f %7.1fx %9.4f %9.0f %8.2f\n", r.Method, r.BytesPerVector, r.Compression, r.Recall, r.QPS, r.BuildSeconds)
	}
	return nil
}

// transformed returns a Method searching exactly among transformed rows.
func transformed(name string, t compress.Transformer, err error) compress.Method {
	return compress.Method{Name: name, Build: func(x *mat32.Dense) (compress.Searcher, error) {
		if err != nil {
			return nil, err
		}
		return compress.NewTransformedIndex(t, x)
	}}
}

// gloveMethods lists the methods of the GloVe table for dimension d.
func gloveMethods(d int) []compress.Method {
	const k = 32
	g, gerr := compress.NewRandomProjection(d, k, compress.ProjectionOptions{Seed: 1})
	s, serr := compress.NewRandomProjection(d, k, compress.ProjectionOptions{Kind: compress.Sparse, Seed: 1})
	m, merr := compress.NewMatryoshka(d, k)
	f, ferr := compress.NewFFTTruncation(d, k)
	methods := []compress.Method{
		transformed("Gaussian RP 100->32", g, gerr),
		transformed("sparse RP 100->32", s, serr),
		{Name: "PCA 100->32", Build: func(x *mat32.Dense) (compress.Searcher, error) {
			p, err := compress.FitPCAProjection(x, k, false)
			return transformed("", p, err).Build(x)
		}},
		transformed("Matryoshka 100->32", m, merr),
		transformed("FFT 100->32", f, ferr),
		{Name: "int8", Build: func(x *mat32.Dense) (compress.Searcher, error) {
			return compress.NewInt8Index(x, compress.Int8Options{})
		}},
	}
	for _, o := range []compress.BinaryOptions{
		{}, {Center: true},
		{Center: true, Rescore: compress.AsymmetricRescore, Candidates: 100},
		{Center: true, Rescore: compress.AsymmetricRescore, Candidates: 1000},
		{Center: true, Rescore: compress.FloatRescore, Candidates: 100},
		{Center: true, Rescore: compress.FloatRescore, Candidates: 1000},
	} {
		methods = append(methods, compress.Method{Build: func(x *mat32.Dense) (compress.Searcher, error) {
			return compress.NewBinaryIndex(x, o)
		}})
	}
	for _, mm := range []int{10, 20, 25, 50} {
		methods = append(methods, compress.Method{Build: func(x *mat32.Dense) (compress.Searcher, error) {
			return compress.NewPQIndex(x, compress.PQOptions{M: mm, Seed: 1})
		}})
	}
	for _, lr := range [][2]int{{40, 10}, {50, 25}} {
		methods = append(methods, compress.Method{Build: func(x *mat32.Dense) (compress.Searcher, error) {
			return compress.NewLowRankPQIndex(x, lr[0], compress.PQOptions{M: lr[1], Seed: 1})
		}})
	}
	return methods
}
