package compress

import (
	"fmt"
	"time"

	"github.com/subspace-kernel/subspace/native/internal/topk"
	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// ChamferSearch returns, for every query set, the k documents (sets) of
// largest Chamfer similarity, by brute force: the exact multi-vector
// retrieval that FDESearch approximates. Dist holds minus the similarity
// (smaller is nearer, as for knn.InnerProduct); ties go to the smaller
// document. 1 <= k <= len(docs). Cost O(sum over pairs |Q| |P| d);
// queries run in parallel.
func ChamferSearch(queries, docs []*mat32.Dense, k int) (*knn.Result, error) {
	if len(queries) == 0 || len(docs) == 0 {
		return nil, chk.Errorf("ChamferSearch: %d query sets and %d documents, want both >= 1", len(queries), len(docs))
	}
	if err := chk.K("k", k, 1, len(docs), "k cannot exceed the documents"); err != nil {
		return nil, err
	}
	res := &knn.Result{N: len(queries), K: k, Index: make([]int, len(queries)*k), Dist: make([]float64, len(queries)*k)}
	errs := make([]error, len(queries))
	work.Range(len(queries), 0, func(lo, hi int) {
		h := topk.New[float64](k)
		keys, ids := make([]float64, k), make([]int32, k)
		for i := lo; i < hi; i++ {
			h.Reset(k)
			for j, doc := range docs {
				s, err := Chamfer(queries[i], doc)
				if err != nil {
					errs[i] = fmt.Errorf("compress: query set %d, document %d: %w", i, j, err)
					break
				}
				h.Push(-s, int32(j))
			}
			h.Sorted(keys, ids)
			for t := range k {
				res.Neighbors(i)[t], res.Distances(i)[t] = int(ids[t]), keys[t]
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// FDESearch encodes the documents and the queries with f and returns, for
// every query, the k documents of largest encoded inner product (exact
// inner-product search over the encodings, knn.Search32 with
// knn.InnerProduct; Dist holds minus the inner product), and the seconds
// spent encoding the documents. 1 <= k < len(docs). Cost: the encodings
// plus O(len(queries) len(docs) OutDim).
func (f *FDE) FDESearch(queries, docs []*mat32.Dense, k int) (*knn.Result, float64, error) {
	start := time.Now()
	de, err := f.EncodeAll(docs, true)
	if err != nil {
		return nil, 0, err
	}
	enc := time.Since(start).Seconds()
	qe, err := f.EncodeAll(queries, false)
	if err != nil {
		return nil, 0, err
	}
	res, err := knn.Search32(de, qe, knn.Options{K: k, Metric: knn.InnerProduct})
	return res, enc, err
}
