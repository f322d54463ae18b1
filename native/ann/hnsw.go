// Package ann searches embeddings approximately: a hierarchical navigable
// small world graph (HNSW, Malkov and Yashunin 2018) over float32 vectors
// ranked by Euclidean distance, with the parameters of hnswlib and FAISS
// (M, efConstruction, efSearch) and the insertion order as a parameter.
//
// The graph follows hnswlib's algorithm: a node's level is
// floor(-ln(U) / ln(M)); a new node descends greedily from the entry point
// through the levels above its own, then on each of its levels searches
// with efConstruction candidates, keeps at most M neighbours chosen by the
// diversity heuristic (a candidate is dropped when it is nearer to an
// already chosen neighbour than to the new node), and links back; a
// neighbour whose list overflows (M on upper levels, 2M on level 0) is
// pruned with the same heuristic. Searches descend greedily to level 0 and
// run a best-first search keeping max(efSearch, k) candidates.
//
// Vectors are stored centred on their mean (distances do not change and the
// float32 expansion ||x||^2 + ||y||^2 - 2 x.y loses less to cancellation),
// with their squared norms; dot products use AVX2 when the CPU has it
// (github.com/viterin/vek). The k distances returned are recomputed in
// float64 from the stored vectors.
//
// Rows are identified by their index in the data matrix, whatever the
// insertion order. A search result is a *knn.Result, as for exact search,
// so that recall against knn.Search32 is a comparison of two results.
package ann

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/subspace-kernel/subspace/native/internal/check"
	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
)

var chk = check.New("ann")

// HNSWOptions configures BuildHNSW. The zero value is hnswlib's default
// index: M = 16, efConstruction = 200, efSearch = 50, rows inserted in
// order, seed 100.
type HNSWOptions struct {
	// M is the number of neighbours a node keeps on the levels above 0
	// (2M on level 0), and the number chosen for a new node (0: 16;
	// 2 <= M <= 1000).
	M int
	// EfConstruction is the number of candidates kept while inserting
	// (0: 200; raised to M when smaller, as hnswlib does).
	EfConstruction int
	// EfSearch is the number of candidates kept while searching, raised to
	// k when smaller (0: 50). SetEfSearch changes it after the build.
	EfSearch int
	// Order, when non-nil, is the insertion order: a permutation of the
	// row indices 0..n-1 (see OrderByValues to insert by a score such as
	// the local intrinsic dimension). nil inserts rows 0, 1, ..., n-1.
	Order []int
	// Seed seeds the level draws (0: 100, hnswlib's default seed). Levels
	// are drawn in insertion order.
	Seed uint64
	// Workers is the number of goroutines of Search (queries in parallel;
	// 0: GOMAXPROCS).
	Workers int
	// BuildWorkers is the number of goroutines inserting rows (0 or 1: one,
	// rows inserted exactly in Order, so that the graph depends only on
	// the data, the order and the seed). With more, rows are handed out in
	// Order to that many goroutines, as hnswlib's add_items with several
	// threads does: faster, but the graph then depends on their timing.
	BuildWorkers int
	// Progress, when set, is called every 1024 insertions with the number
	// of rows inserted and n; an error it returns (or an interrupt of the
	// running cell) stops the build.
	Progress progress.Func
}

// HNSW is a built index. Search may be called from several goroutines at
// once; SetEfSearch must not run concurrently with Search. Do not copy an
// HNSW (it holds mutexes); use the pointer BuildHNSW returns.
type HNSW struct {
	n, dim   int
	m, m0    int
	efc, efs int
	workers  int
	mult     float64
	data     []float32 // n x dim, centred
	mean     []float32
	norms    []float32 // squared norms of the centred rows
	links0   []uint32  // n x (m0+1): count, then neighbour ids (level 0)
	upper    [][]uint32
	levels   []int8
	entry    int32
	maxLevel int
	build    time.Duration
	global   sync.Mutex   // entry point and top level, parallel build
	locks    []sync.Mutex // one a node, parallel build
}

// BuildHNSW inserts the rows of data (n x d, n >= 1, finite) into a new
// graph. It returns an error naming the problem for nil, empty or
// non-finite data, out-of-range parameters, or an Order that is not a
// permutation of 0..n-1. Cost: about O(n efConstruction M log n) distance
// evaluations of O(d) each in practice; memory 4 (d + 2M + 2) bytes a row
// plus about 4 (M + 1) / (M - 1) bytes a row for the upper levels.
func BuildHNSW(data *mat32.Dense, opts HNSWOptions) (*HNSW, error) {
	n, d, err := chk.Dense32("data", data)
	if err != nil {
		return nil, err
	}
	h, err := newHNSW(n, d, opts)
	if err != nil {
		return nil, err
	}
	order, err := insertionOrder(opts.Order, n)
	if err != nil {
		return nil, err
	}
	h.centre(data.RawData())
	start := time.Now()
	seed := opts.Seed
	if seed == 0 {
		seed = 100
	}
	rng := rand.New(rand.NewPCG(seed, 0x686e7377))
	levels := make([]int, n)
	for t := range levels {
		levels[t] = h.randomLevel(rng)
	}
	if opts.BuildWorkers > 1 {
		h.locks = make([]sync.Mutex, n)
		err = work.Queue(n, opts.BuildWorkers, opts.Progress, n, func() func(int) (int, error) {
			s := h.newSearcher()
			s.locked = true
			return func(t int) (int, error) {
				h.insert(s, int32(order[t]), levels[t])
				return 1, nil
			}
		})
		h.locks = nil
	} else {
		ins := h.newSearcher()
		for t, r := range order {
			h.insert(ins, int32(r), levels[t])
			if (t+1)%1024 == 0 || t+1 == n {
				if err = progress.Report(opts.Progress, t+1, n); err != nil {
					break
				}
			}
		}
	}
	if err != nil {
		return nil, err
	}
	h.build = time.Since(start)
	return h, nil
}

// newHNSW validates the parameters and allocates the index for n rows of
// dimension d. O(n (d + M)).
func newHNSW(n, d int, opts HNSWOptions) (*HNSW, error) {
	m := opts.M
	if m == 0 {
		m = 16
	}
	if err := chk.K("M", m, 2, 1000, "neighbours per node"); err != nil {
		return nil, err
	}
	efc, efs := opts.EfConstruction, opts.EfSearch
	if efc == 0 {
		efc = 200
	}
	if efs == 0 {
		efs = 50
	}
	if efc < 0 || efs < 0 {
		return nil, chk.Errorf("EfConstruction = %d and EfSearch = %d must be >= 0 (0: default)", opts.EfConstruction, opts.EfSearch)
	}
	if opts.Workers < 0 || opts.BuildWorkers < 0 {
		return nil, chk.Errorf("Workers = %d and BuildWorkers = %d must be >= 0", opts.Workers, opts.BuildWorkers)
	}
	h := &HNSW{
		n: n, dim: d, m: m, m0: 2 * m, efc: max(efc, m), efs: efs, workers: opts.Workers,
		mult:   1 / math.Log(float64(m)),
		data:   make([]float32, n*d),
		mean:   make([]float32, d),
		norms:  make([]float32, n),
		links0: make([]uint32, n*(2*m+1)),
		upper:  make([][]uint32, n),
		levels: make([]int8, n),
		entry:  -1,
	}
	return h, nil
}

// insertionOrder checks that order is a permutation of 0..n-1 (nil: the
// identity). O(n).
func insertionOrder(order []int, n int) ([]int, error) {
	if order == nil {
		order = make([]int, n)
		for i := range order {
			order[i] = i
		}
		return order, nil
	}
	if len(order) != n {
		return nil, chk.Errorf("Order has %d entries but data has %d rows", len(order), n)
	}
	seen := make([]bool, n)
	for t, r := range order {
		if r < 0 || r >= n {
			return nil, chk.Errorf("Order[%d] = %d is not a row index in [0, %d)", t, r, n)
		}
		if seen[r] {
			return nil, chk.Errorf("Order[%d] = %d repeats a row: Order must be a permutation", t, r)
		}
		seen[r] = true
	}
	return order, nil
}

// centre stores the rows minus their mean (accumulated in float64) and the
// squared norms of the centred rows. O(n d).
func (h *HNSW) centre(x []float32) {
	d := h.dim
	acc := make([]float64, d)
	for i := range h.n {
		for j, v := range x[i*d : (i+1)*d] {
			acc[j] += float64(v)
		}
	}
	for j := range acc {
		h.mean[j] = float32(acc[j] / float64(h.n))
	}
	for i := range h.n {
		row := h.data[i*d : (i+1)*d]
		for j, v := range x[i*d : (i+1)*d] {
			row[j] = v - h.mean[j]
		}
		h.norms[i] = sqNorm(row)
	}
}

// randomLevel draws floor(-ln(U) / ln(M)), U uniform in (0, 1], capped at
// 100 levels. O(1).
func (h *HNSW) randomLevel(rng *rand.Rand) int {
	u := 1 - rng.Float64()
	return min(int(-math.Log(u)*h.mult), 100)
}

// SetEfSearch sets the number of candidates kept by later searches (ef >= 1).
// O(1).
func (h *HNSW) SetEfSearch(ef int) error {
	if ef < 1 {
		return chk.Errorf("efSearch = %d must be >= 1", ef)
	}
	h.efs = ef
	return nil
}

// EfSearch returns the number of candidates kept by searches. O(1).
func (h *HNSW) EfSearch() int { return h.efs }

// Len returns the number of indexed rows. O(1).
func (h *HNSW) Len() int { return h.n }

// Dim returns the dimension of the indexed rows. O(1).
func (h *HNSW) Dim() int { return h.dim }

// MaxLevel returns the highest level of the graph. O(1).
func (h *HNSW) MaxLevel() int { return h.maxLevel }

// BuildSeconds returns the wall time of the build. O(1).
func (h *HNSW) BuildSeconds() float64 { return h.build.Seconds() }

// BytesPerVector returns the memory of the index per row in bytes: the
// float32 vector, its squared norm, the level-0 links and the upper-level
// links actually allocated, and the level byte. O(n).
func (h *HNSW) BytesPerVector() float64 {
	total := 4*len(h.data) + 4*len(h.norms) + 4*len(h.links0) + len(h.levels)
	for _, u := range h.upper {
		total += 4 * len(u)
	}
	return float64(total) / float64(h.n)
}

// Name describes the index, e.g. "HNSW(M=16, efC=200, ef=50)".
func (h *HNSW) Name() string {
	return fmt.Sprintf("HNSW(M=%d, efC=%d, ef=%d)", h.m, h.efc, h.efs)
}

// String is Name with the size, e.g. "HNSW(M=16, efC=200, ef=50) of 20000 x 128".
func (h *HNSW) String() string { return fmt.Sprintf("%s of %d x %d", h.Name(), h.n, h.dim) }

// Search returns the k approximate nearest rows of the index for every row
// of queries (Euclidean distance, nearest first), as a knn.Result whose Dist
// holds the distances recomputed in float64. It returns an error for nil,
// empty or non-finite queries, a column count other than the index's, or
// k outside [1, Len()]. Cost per query: about O(max(ef, k) M log n)
// distance evaluations of O(d); queries run in parallel.
func (h *HNSW) Search(queries *mat32.Dense, k int) (*knn.Result, error) {
	m, d, err := chk.Dense32("queries", queries)
	if err != nil {
		return nil, err
	}
	if err := chk.SameCols("queries", d, "the index", h.dim, ""); err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, h.n, fmt.Sprintf("k cannot exceed the %d indexed rows", h.n)); err != nil {
		return nil, err
	}
	res := &knn.Result{N: m, K: k, Index: make([]int, m*k), Dist: make([]float64, m*k)}
	q := queries.RawData()
	h.parallel(m, func(s *searcher, i int) {
		h.searchOne(s, q[i*d:(i+1)*d], k, res.Neighbors(i), res.Distances(i))
	})
	return res, nil
}
