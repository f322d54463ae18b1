package compress

import (
	"fmt"
	"math"
	"time"

	"github.com/subspace-kernel/subspace/native/internal/topk"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// PQIndex holds the PQ codes of the rows (M bytes a row) and searches them
// with asymmetric distance tables: for each query, the squared distances
// from its sub-vectors to every centroid (M x Ksub), then one table lookup
// a sub-vector a row (FAISS IndexPQ's default search). The codes are kept
// column by column (sub-space by sub-space), so that a query's distances
// to all rows accumulate in passes over four sub-spaces at a time.
type PQIndex struct {
	pq      *ProductQuantizer
	cols    [][]byte // M columns of n codes
	n       int
	workers int
	build   time.Duration
}

// NewPQIndex trains a quantiser on data (TrainPQ) and encodes it. O(training + n Ksub D).
func NewPQIndex(data *mat32.Dense, opts PQOptions) (*PQIndex, error) {
	start := time.Now()
	pq, err := TrainPQ(data, opts)
	if err != nil {
		return nil, err
	}
	ix, err := NewPQIndexWith(pq, data)
	if err != nil {
		return nil, err
	}
	ix.build = time.Since(start)
	return ix, nil
}

// NewPQIndexWith encodes data with an already trained quantiser. O(n Ksub D).
func NewPQIndexWith(pq *ProductQuantizer, data *mat32.Dense) (*PQIndex, error) {
	if pq == nil {
		return nil, chk.Errorf("quantiser is nil")
	}
	start := time.Now()
	codes, err := pq.Encode(data)
	if err != nil {
		return nil, err
	}
	n, _ := data.Dims()
	cols := make([][]byte, pq.m)
	for s := range cols {
		cols[s] = make([]byte, n)
		for r := range n {
			cols[s][r] = codes[r*pq.m+s]
		}
	}
	return &PQIndex{pq: pq, cols: cols, n: n, build: time.Since(start)}, nil
}

// SetWorkers bounds the goroutines of Search (0: GOMAXPROCS).
func (ix *PQIndex) SetWorkers(w int) { ix.workers = max(w, 0) }

// Quantizer returns the trained quantiser. O(1).
func (ix *PQIndex) Quantizer() *ProductQuantizer { return ix.pq }

// Codes returns a row-major copy of the codes (n rows of M bytes), as
// Encode returns them. O(n M).
func (ix *PQIndex) Codes() []byte {
	out := make([]byte, ix.n*ix.pq.m)
	for s, col := range ix.cols {
		for r, c := range col {
			out[r*ix.pq.m+s] = c
		}
	}
	return out
}

// BytesPerVector returns M (one byte a code). O(1).
func (ix *PQIndex) BytesPerVector() float64 { return float64(ix.pq.m) }

// BuildSeconds returns the time to train and encode. O(1).
func (ix *PQIndex) BuildSeconds() float64 { return ix.build.Seconds() }

// Name describes the index, e.g. "PQ 8x8".
func (ix *PQIndex) Name() string { return fmt.Sprintf("PQ %dx%d", ix.pq.m, ix.pq.bits) }

// Search returns the k rows of smallest asymmetric distance to every query
// (Dist: the square root of the table distance, ||q - decoded row||;
// ties by smaller row; 1 <= k <= n). Cost per query: O(Ksub D) for the
// table, O(n M) lookups, O(n log k) selection worst case; memory 4 n
// bytes a goroutine; queries run in parallel.
func (ix *PQIndex) Search(queries *mat32.Dense, k int) (*knn.Result, error) {
	m, err := checkIn("queries", queries, ix.pq.dim)
	if err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, ix.n, "k cannot exceed the indexed rows"); err != nil {
		return nil, err
	}
	res := &knn.Result{N: m, K: k, Index: make([]int, m*k), Dist: make([]float64, m*k)}
	parallelQueries(m, ix.workers, func() func(i int) {
		tab := make([][256]float32, ix.pq.m)
		acc := make([]float32, ix.n)
		h := topk.New[float32](k)
		keys := make([]float32, k)
		ids := make([]int32, k)
		return func(i int) {
			ix.pq.table(queries.Row(i), tab)
			ix.scan(tab, acc, h)
			h.Sorted(keys, ids)
			for t := range k {
				res.Neighbors(i)[t] = int(ids[t])
				res.Distances(i)[t] = math.Sqrt(float64(max(keys[t], 0)))
			}
			h.Reset(k)
		}
	})
	return res, nil
}

// table fills tab[s][c] with ||q_s - centroid(s, c)||^2. O(Ksub D).
func (pq *ProductQuantizer) table(q []float32, tab [][256]float32) {
	for s := range pq.m {
		qs := q[s*pq.dsub : (s+1)*pq.dsub]
		for c := range pq.ksub {
			cen := pq.cent[(s*pq.ksub+c)*pq.dsub : (s*pq.ksub+c+1)*pq.dsub]
			var d float32
			for j, v := range qs {
				e := v - cen[j]
				d += e * e
			}
			tab[s][c] = d
		}
	}
}

// scan offers every row's table distance to the heap: four sub-spaces'
// lookups are added into acc (n values) a pass over the rows (fewer passes
// over acc than one a sub-space), and the last pass completes each
// distance and offers it at once, against the heap's worst kept so far.
// O(n M).
func (ix *PQIndex) scan(tab [][256]float32, acc []float32, h *topk.Heap[float32]) {
	acc = acc[:ix.n]
	clear(acc)
	m := len(ix.cols)
	last := (m - 1) / 4 * 4 // first column of the final group (1 to 4 columns)
	for s := 0; s < last; s += 4 {
		t0, t1, t2, t3 := &tab[s], &tab[s+1], &tab[s+2], &tab[s+3]
		c0 := ix.cols[s][:len(acc)]
		c1, c2, c3 := ix.cols[s+1][:len(c0)], ix.cols[s+2][:len(c0)], ix.cols[s+3][:len(c0)]
		for r, c := range c0 {
			acc[r] += t0[c] + t1[c1[r]] + t2[c2[r]] + t3[c3[r]]
		}
	}
	worst := float32(math.Inf(1)) // the heap's worst once full
	if m-last == 4 {
		t0, t1, t2, t3 := &tab[last], &tab[last+1], &tab[last+2], &tab[last+3]
		c0 := ix.cols[last][:len(acc)]
		c1, c2, c3 := ix.cols[last+1][:len(c0)], ix.cols[last+2][:len(c0)], ix.cols[last+3][:len(c0)]
		for r, c := range c0 {
			if d := acc[r] + t0[c] + t1[c1[r]] + t2[c2[r]] + t3[c3[r]]; d < worst {
				worst = offer(h, d, r)
			}
		}
		return
	}
	for s := last; s < m-1; s++ {
		t, col := &tab[s], ix.cols[s][:len(acc)]
		for r, c := range col {
			acc[r] += t[c]
		}
	}
	t, col := &tab[m-1], ix.cols[m-1][:len(acc)]
	for r, c := range col {
		if d := acc[r] + t[c]; d < worst {
			worst = offer(h, d, r)
		}
	}
}

// offer pushes (d, r) and returns the distance a later row must beat: the
// heap's worst once it is full, +Inf before. O(log k).
func offer(h *topk.Heap[float32], d float32, r int) float32 {
	h.Push(d, int32(r))
	if h.Full() {
		return h.Worst()
	}
	return float32(math.Inf(1))
}
