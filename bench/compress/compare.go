package main

import (
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/subspace-kernel/subspace/bench/internal/timing"
	"github.com/subspace-kernel/subspace/native/ann"
	"github.com/subspace-kernel/subspace/native/compress"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// benchExact times the exact float32 self search (K neighbours, the point
// itself excluded) against FAISS IndexFlatL2 searching K+1 (itself included).
func benchExact(c config) ([]row, error) {
	x, err := mixture(c.n, c.d, 1)
	if err != nil {
		return nil, err
	}
	if err := save(c, "x.npy", x); err != nil {
		return nil, err
	}
	var res *knn.Result
	ours, err := timing.Best(c.reps, func() (err error) {
		res, err = knn.SearchSelf32(x, knn.Options{K: c.k, ExcludeSelf: true})
		return
	})
	if err != nil {
		return nil, err
	}
	// The same search through the general query path (no use of the
	// symmetry of a self search), K+1 neighbours as FAISS.
	general, err := timing.Best(c.reps, func() error {
		_, err := knn.Search32(x, x, knn.Options{K: c.k + 1})
		return err
	})
	if err != nil {
		return nil, err
	}
	var ref struct {
		Faiss   string  `json:"faiss"`
		Threads int     `json:"omp_threads"`
		Seconds float64 `json:"seconds"`
		Row0    []int   `json:"row0"`
	}
	if err := python(c, &ref, "flat", c.k); err != nil {
		return nil, err
	}
	same := slices.Equal(res.Neighbors(0), ref.Row0[1:])
	fmt.Printf("\nexact float32 kNN n=%d d=%d k=%d: ours %.3f s (self search), %.3f s (queries = data, k+1); FAISS %s IndexFlatL2 (%d threads) %.3f s; row 0 neighbours equal: %v\n",
		c.n, c.d, c.k, ours, general, ref.Faiss, ref.Threads, ref.Seconds, same)
	return []row{
		{fmt.Sprintf("exact float32 kNN n=%d d=%d k=%d vs IndexFlatL2", c.n, c.d, c.k), ours, ref.Seconds},
		{"  same, general query path (Search32, k+1)", general, ref.Seconds},
	}, nil
}

// efs is the efSearch sweep of the HNSW comparison.
var efs = []int{10, 12, 16, 20, 24, 32, 40, 48, 64, 96, 128}

// benchHNSW builds HNSW (M 16, efConstruction 200) on n points with ours
// and hnswlib (the same number of threads), sweeps efSearch, and compares
// the queries per second at the smallest efSearch reaching recall@10 >= 0.95.
func benchHNSW(c config) ([]row, error) {
	x, q, truth, err := queryData(c, c.n, 2)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	h, err := ann.BuildHNSW(x, ann.HNSWOptions{M: 16, EfConstruction: 200, BuildWorkers: runtime.GOMAXPROCS(0)})
	if err != nil {
		return nil, err
	}
	build := time.Since(start).Seconds()
	var ref struct {
		Build  float64 `json:"build"`
		Search []struct {
			Ef      int     `json:"ef"`
			Seconds float64 `json:"seconds"`
			Index   [][]int `json:"index"`
		} `json:"search"`
	}
	args := []any{16, 200, 10}
	for _, ef := range efs {
		args = append(args, ef)
	}
	// Searches take a fraction of a second: three times the repetitions on
	// both sides, against the noise of a shared machine.
	c.reps *= 3
	if err := python(c, &ref, "hnsw", args...); err != nil {
		return nil, err
	}
	fmt.Printf("\nHNSW M=16 efConstruction=200, n=%d d=%d, %d queries: build ours %.2f s, hnswlib %.2f s (%d threads each)\n", c.n, c.d, c.queries, build, ref.Build, runtime.GOMAXPROCS(0))
	fmt.Printf("  %4s  %12s %10s  %12s %10s\n", "ef", "ours recall", "QPS", "hnswlib rec.", "QPS")
	var oursAt, refAt [2]float64 // QPS and ef at recall >= 0.95
	for e, ef := range efs {
		h.SetEfSearch(ef)
		var res *knn.Result
		secs, err := timing.Best(c.reps, func() (err error) { res, err = h.Search(q, 10); return })
		if err != nil {
			return nil, err
		}
		r, _ := compress.RecallAtK(truth, res, 10)
		rr, _ := compress.RecallAtK(truth, asResult(ref.Search[e].Index), 10)
		qps, rqps := float64(c.queries)/secs, float64(c.queries)/ref.Search[e].Seconds
		fmt.Printf("  %4d  %12.4f %10.0f  %12.4f %10.0f\n", ef, r, qps, rr, rqps)
		if r >= 0.95 && oursAt[0] == 0 {
			oursAt = [2]float64{qps, float64(ef)}
		}
		if rr >= 0.95 && refAt[0] == 0 {
			refAt = [2]float64{rqps, float64(ef)}
		}
	}
	if oursAt[0] == 0 || refAt[0] == 0 {
		return nil, fmt.Errorf("HNSW: recall@10 0.95 not reached (ours at ef %v, hnswlib at ef %v)", oursAt[1], refAt[1])
	}
	fmt.Printf("  recall@10 >= 0.95 first at ef %v (ours, %.0f QPS) and ef %v (hnswlib, %.0f QPS)\n", oursAt[1], oursAt[0], refAt[1], refAt[0])
	return []row{
		{fmt.Sprintf("HNSW build n=%d d=%d M=16 efC=200 vs hnswlib", c.n, c.d), build, ref.Build},
		{"HNSW search at recall@10 >= 0.95 (s per 1000 queries)", 1000 / oursAt[0], 1000 / refAt[0]},
	}, nil
}

// queryData draws n points and c.queries queries from one mixture, saves
// both for the Python side (x.npy, q.npy) and returns them with the exact
// 10 nearest points of every query.
func queryData(c config, n int, seed uint64) (x, q *mat32.Dense, truth *knn.Result, err error) {
	all, err := mixture(n+c.queries, c.d, seed)
	if err != nil {
		return nil, nil, nil, err
	}
	x, q = split(all, n)
	if err := save(c, "x.npy", x); err != nil {
		return nil, nil, nil, err
	}
	if err := save(c, "q.npy", q); err != nil {
		return nil, nil, nil, err
	}
	truth, err = compress.ExactNeighbors(x, q, 10)
	return x, q, truth, err
}

// asResult wraps neighbour lists of a reference as a knn.Result.
func asResult(rows [][]int) *knn.Result {
	r := &knn.Result{N: len(rows), K: len(rows[0])}
	for _, row := range rows {
		r.Index = append(r.Index, row...)
	}
	return r
}

// benchPQ trains PQ (M 16, 8 bits) on big points and searches the queries,
// ours and FAISS IndexPQ, with recall@10 of both.
func benchPQ(c config) ([]row, error) {
	x, q, truth, err := queryData(c, c.big, 3)
	if err != nil {
		return nil, err
	}
	const m, bits = 16, 8
	start := time.Now()
	pq, err := compress.TrainPQ(x, compress.PQOptions{M: m, Bits: bits, Seed: 1})
	if err != nil {
		return nil, err
	}
	train := time.Since(start).Seconds()
	start = time.Now()
	ix, err := compress.NewPQIndexWith(pq, x)
	if err != nil {
		return nil, err
	}
	add := time.Since(start).Seconds()
	var res *knn.Result
	search, err := timing.Best(c.reps, func() (err error) { res, err = ix.Search(q, 10); return })
	if err != nil {
		return nil, err
	}
	var ref struct {
		Train  float64 `json:"train"`
		Add    float64 `json:"add"`
		Search float64 `json:"search"`
		Index  [][]int `json:"index"`
	}
	if err := python(c, &ref, "pq", m, bits, 10); err != nil {
		return nil, err
	}
	r, _ := compress.RecallAtK(truth, res, 10)
	rr, _ := compress.RecallAtK(truth, asResult(ref.Index), 10)
	fmt.Printf("\nPQ %dx%d, n=%d d=%d, %d queries: train ours %.2f s, FAISS %.2f s; encode %.2f s, %.2f s; search %.3f s, %.3f s; recall@10 ours %.4f, FAISS %.4f\n",
		m, bits, c.big, c.d, c.queries, train, ref.Train, add, ref.Add, search, ref.Search, r, rr)
	return []row{
		{fmt.Sprintf("PQ %dx%d train n=%d d=%d vs IndexPQ", m, bits, c.big, c.d), train, ref.Train},
		{"PQ encode (add)", add, ref.Add},
		{fmt.Sprintf("PQ search %d queries k=10", c.queries), search, ref.Search},
	}, nil
}

// benchBinary binarises 2d-dimensional points (2d bits) and times the
// Hamming search of the queries against FAISS IndexBinaryFlat on the same
// packed codes; the distances must agree rank by rank.
func benchBinary(c config) ([]row, error) {
	all, err := mixture(c.big+c.queries, 2*c.d, 4)
	if err != nil {
		return nil, err
	}
	x, q := split(all, c.big)
	ix, err := compress.NewBinaryIndex(x, compress.BinaryOptions{Center: true})
	if err != nil {
		return nil, err
	}
	qi, err := compress.NewBinaryIndex(q, compress.BinaryOptions{Thresholds: ix.Thresholds()})
	if err != nil {
		return nil, err
	}
	if err := saveBytes(c, "bx.npy", ix.Codes(), ix.Stride()); err != nil {
		return nil, err
	}
	if err := saveBytes(c, "bq.npy", qi.Codes(), qi.Stride()); err != nil {
		return nil, err
	}
	var res *knn.Result
	ours, err := timing.Best(c.reps, func() (err error) { res, err = ix.Search(q, 10); return })
	if err != nil {
		return nil, err
	}
	var ref struct {
		Seconds float64     `json:"seconds"`
		Dist    [][]float64 `json:"dist"`
	}
	if err := python(c, &ref, "binary", 10); err != nil {
		return nil, err
	}
	agree := true
	for i := range c.queries {
		agree = agree && slices.Equal(res.Distances(i), ref.Dist[i])
	}
	fmt.Printf("\nbinary %d bits, n=%d, %d queries k=10: Hamming search ours %.3f s (binarising the queries included), FAISS IndexBinaryFlat %.3f s; distances equal at every rank: %v\n",
		2*c.d, c.big, c.queries, ours, ref.Seconds, agree)
	return []row{{fmt.Sprintf("binary Hamming %d bits n=%d, %d queries vs IndexBinaryFlat", 2*c.d, c.big, c.queries), ours, ref.Seconds}}, nil
}

// saveBytes writes packed codes (rows of stride bytes) as a .npy matrix
// (float32 values 0..255, converted back to uint8 by the script).
func saveBytes(c config, name string, codes []byte, stride int) error {
	m := mat32.Zeros(len(codes)/stride, stride)
	for i, b := range codes {
		m.RawData()[i] = float32(b)
	}
	return save(c, name, m)
}
