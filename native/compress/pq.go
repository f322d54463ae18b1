package compress

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/cluster"
	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
)

// PQOptions configures TrainPQ. M is required; the rest defaults to FAISS's
// ProductQuantizer training (8 bits, random start, 25 iterations, at most
// 256 training rows a centroid).
type PQOptions struct {
	// M is the number of sub-vectors; it must divide the dimension.
	M int
	// Bits is the number of bits of a sub-vector's code, 1..8 (0: 8), so
	// 2^Bits centroids a sub-space. Codes are stored one byte each.
	Bits int
	// Iter bounds the Lloyd iterations of each sub-space's k-means (0: 25);
	// they stop earlier when no label changes.
	Iter int
	// MaxTrain is the number of rows the codebooks are trained on, drawn
	// at random when the data has more (0: 256 * 2^Bits, FAISS's
	// max_points_per_centroid).
	MaxTrain int
	// PlusPlus starts each k-means with k-means++ (package native/cluster's
	// greedy start, O(MaxTrain 2^Bits (D/M) Bits) more work) instead of
	// 2^Bits distinct training rows drawn at random, FAISS's start.
	PlusPlus bool
	// Seed seeds the training sample and the k-means starts.
	Seed uint64
	// Progress, when set, is called after each sub-space is trained with
	// the number done and M; an error it returns stops the training.
	Progress progress.Func
}

// ProductQuantizer cuts vectors of dimension D into M sub-vectors of D/M
// coordinates and codes each by the index of its nearest centroid among
// 2^Bits learned by k-means on that sub-space (Jegou, Douze and Schmid
// 2011).
type ProductQuantizer struct {
	dim, m, ksub, dsub int
	bits               int
	books              []*cluster.KMeans // one a sub-space, centres ksub x dsub
	cent               []float32         // m x ksub x dsub
}

// TrainPQ learns the codebooks on the rows of x (n x D, n >= 2^Bits,
// finite). Errors: M < 1 or not dividing D, Bits outside 1..8, too few
// rows. Cost: M k-means on min(n, MaxTrain) rows of D/M coordinates,
// O(MaxTrain 2^Bits D) flops an iteration in all (package native/cluster),
// plus k-means++ starts; memory O(MaxTrain D / M).
func TrainPQ(x *mat32.Dense, opts PQOptions) (*ProductQuantizer, error) {
	n, d, err := chk.Dense32("x", x)
	if err != nil {
		return nil, err
	}
	pq, err := newPQ(d, opts)
	if err != nil {
		return nil, err
	}
	if n < pq.ksub {
		return nil, chk.Errorf("PQ with %d centroids a sub-space (Bits = %d) needs at least %d training rows, x has %d", pq.ksub, pq.bits, pq.ksub, n)
	}
	maxTrain := opts.MaxTrain
	if maxTrain <= 0 {
		maxTrain = 256 * pq.ksub
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x7071))
	rows := trainingRows(rng, n, max(maxTrain, pq.ksub))
	iter := opts.Iter
	if iter <= 0 {
		iter = 25
	}
	for s := range pq.m {
		sub := subMatrix(x, rows, s*pq.dsub, pq.dsub)
		ko := cluster.KMeansOptions{K: pq.ksub, MaxIter: iter, Tol: -1, Seed: opts.Seed + uint64(s)}
		if !opts.PlusPlus {
			pick := rng.Perm(len(rows))[:pq.ksub]
			init := mat.NewDense(pq.ksub, pq.dsub, nil)
			for c, r := range pick {
				init.SetRow(c, sub.RawRowView(r))
			}
			ko.Init = init
		}
		km, err := cluster.FitKMeans(sub, ko)
		if err != nil {
			return nil, fmt.Errorf("compress: training sub-space %d: %w", s, err)
		}
		pq.books[s] = km
		if err := progress.Report(opts.Progress, s+1, pq.m); err != nil {
			return nil, err
		}
	}
	pq.cacheCentroids()
	return pq, nil
}

// newPQ validates M and Bits for dimension d. O(1).
func newPQ(d int, opts PQOptions) (*ProductQuantizer, error) {
	if opts.M < 1 {
		return nil, chk.Errorf("PQ: M = %d sub-vectors must be >= 1", opts.M)
	}
	if d%opts.M != 0 {
		return nil, chk.Errorf("PQ: dimension %d is not divisible by M = %d sub-vectors", d, opts.M)
	}
	bits := opts.Bits
	if bits == 0 {
		bits = 8
	}
	if err := chk.K("Bits", bits, 1, 8, "bits a sub-vector code (codes are bytes)"); err != nil {
		return nil, err
	}
	return &ProductQuantizer{dim: d, m: opts.M, ksub: 1 << bits, dsub: d / opts.M, bits: bits,
		books: make([]*cluster.KMeans, opts.M)}, nil
}

// trainingRows returns all n row indices, or max of them drawn without
// replacement (in random order) when n > max. O(n).
func trainingRows(rng *rand.Rand, n, max int) []int {
	if n <= max {
		rows := make([]int, n)
		for i := range rows {
			rows[i] = i
		}
		return rows
	}
	perm := rng.Perm(n)[:max]
	return perm
}

// subMatrix copies columns [c0, c0+w) of the given rows of x into a
// float64 matrix. O(len(rows) w).
func subMatrix(x *mat32.Dense, rows []int, c0, w int) *mat.Dense {
	out := mat.NewDense(len(rows), w, nil)
	for i, r := range rows {
		dst := out.RawRowView(i)
		for j, v := range x.Row(r)[c0 : c0+w] {
			dst[j] = float64(v)
		}
	}
	return out
}

// cacheCentroids copies the codebooks to float32, m x ksub x dsub. O(ksub D).
func (pq *ProductQuantizer) cacheCentroids() {
	pq.cent = make([]float32, pq.m*pq.ksub*pq.dsub)
	for s, km := range pq.books {
		for c := range pq.ksub {
			for j, v := range km.Centers.RawRowView(c) {
				pq.cent[(s*pq.ksub+c)*pq.dsub+j] = float32(v)
			}
		}
	}
}

// M returns the number of sub-vectors; Ksub the centroids a sub-space;
// Dim the dimension. O(1).
func (pq *ProductQuantizer) M() int    { return pq.m }
func (pq *ProductQuantizer) Ksub() int { return pq.ksub }
func (pq *ProductQuantizer) Dim() int  { return pq.dim }

// Centroids returns the codebook of sub-space s (Ksub x D/M, shared with
// the k-means fit). O(1).
func (pq *ProductQuantizer) Centroids(s int) *mat.Dense { return pq.books[s].Centers }

// CodebookBytes returns the memory of the codebooks in float32, 4 Ksub D. O(1).
func (pq *ProductQuantizer) CodebookBytes() int { return 4 * pq.ksub * pq.dim }

// Encode returns the codes of x (n x D): n rows of M bytes, each the
// nearest centroid of a sub-vector (ties to the smaller index). Cost O(n
// Ksub D) flops in the GEMMs of cluster's Predict; memory O(n D / M).
func (pq *ProductQuantizer) Encode(x *mat32.Dense) ([]byte, error) {
	n, err := checkIn("x", x, pq.dim)
	if err != nil {
		return nil, err
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	codes := make([]byte, n*pq.m)
	for s, km := range pq.books {
		labels, err := km.Predict(subMatrix(x, all, s*pq.dsub, pq.dsub))
		if err != nil {
			return nil, err
		}
		for r, l := range labels {
			codes[r*pq.m+s] = byte(l)
		}
	}
	return codes, nil
}

// decodeInto writes the rows that the codes (rows of M) stand for into dst. O(rows D).
func (pq *ProductQuantizer) decodeInto(codes []byte, dst []float32) {
	for t, c := range codes {
		r, s := t/pq.m, t%pq.m
		copy(dst[r*pq.dim+s*pq.dsub:r*pq.dim+(s+1)*pq.dsub], pq.cent[(s*pq.ksub+int(c))*pq.dsub:])
	}
}

// Decode returns the reconstruction of the codes (n rows of M): each
// sub-vector replaced by its centroid. O(n D).
func (pq *ProductQuantizer) Decode(codes []byte) (*mat32.Dense, error) {
	if len(codes)%pq.m != 0 {
		return nil, chk.Errorf("%d codes are not a whole number of rows of M = %d", len(codes), pq.m)
	}
	for t, c := range codes {
		if int(c) >= pq.ksub {
			return nil, chk.Errorf("code %d (row %d, sub-vector %d) exceeds the %d centroids", c, t/pq.m, t%pq.m, pq.ksub)
		}
	}
	out := mat32.Zeros(len(codes)/pq.m, pq.dim)
	pq.decodeInto(codes, out.RawData())
	return out, nil
}

// ReconstructionError returns the mean over rows of x of the squared
// Euclidean distance to their reconstruction (FAISS's PQ "MSE" per vector).
// O(n Ksub D).
func (pq *ProductQuantizer) ReconstructionError(x *mat32.Dense) (float64, error) {
	codes, err := pq.Encode(x)
	if err != nil {
		return 0, err
	}
	rec, err := pq.Decode(codes)
	if err != nil {
		return 0, err
	}
	n, _ := x.Dims()
	var s float64
	for r := range n {
		e := euclid64(x.Row(r), rec.Row(r))
		s += e * e
	}
	return s / float64(n), nil
}

// String describes the quantiser, e.g. "PQ 8x8 (128 dims)".
func (pq *ProductQuantizer) String() string {
	return fmt.Sprintf("PQ %dx%d (%d dims)", pq.m, pq.bits, pq.dim)
}
