package compress

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/subspace-kernel/subspace/native/mat32"
)

// FDEOptions configures NewFDE. The zero value is 4 SimHash bits (16
// partitions), 10 repetitions, no inner projection, empty document
// partitions filled.
type FDEOptions struct {
	// SimHashBits is k_sim, the number of random hyperplanes: 2^k_sim
	// partitions (0: 4; at most 16).
	SimHashBits int
	// Reps is the number of independent repetitions concatenated (0: 10).
	Reps int
	// ProjDim is d_proj, the dimension each partition's vector is projected
	// to by a random +-1/sqrt(d_proj) matrix (0: no projection, d_proj = d).
	ProjDim int
	// NoFill leaves the empty partitions of a document at zero instead of
	// filling them with the document vector whose SimHash bits are nearest
	// in Hamming distance (the paper's default).
	NoFill bool
	// Seed seeds the hyperplanes and projections.
	Seed uint64
}

// FDE computes MUVERA fixed-dimensional encodings (Dhulipala et al. 2024)
// of sets of vectors: in each repetition, k_sim Gaussian hyperplanes
// partition the space (SimHash); a query's partition holds the sum of its
// vectors there, a document's the mean of its vectors there (an empty one
// is filled from the nearest vector in Hamming distance of the bits); each
// partition's vector is projected to d_proj dimensions; repetitions are
// concatenated, dimension Reps 2^k_sim d_proj. The inner product of a
// query's and a document's encodings, divided by Reps (Similarity),
// approximates the Chamfer similarity sum_q max_p <q, p>.
type FDE struct {
	dim, kSim, reps, proj int
	fill                  bool
	hyper                 [][]float64 // reps x (kSim x dim)
	rademacher            [][]float32 // reps x (proj x dim), nil without projection
}

// NewFDE draws the hyperplanes (and projections) for vectors of dimension
// dim. Errors: dim < 1, options out of range. O(Reps (k_sim + d_proj) dim).
func NewFDE(dim int, opts FDEOptions) (*FDE, error) {
	if dim < 1 {
		return nil, chk.Errorf("FDE: dimension %d must be >= 1", dim)
	}
	f := &FDE{dim: dim, kSim: opts.SimHashBits, reps: opts.Reps, proj: opts.ProjDim, fill: !opts.NoFill}
	if f.kSim == 0 {
		f.kSim = 4
	}
	if f.reps == 0 {
		f.reps = 10
	}
	if err := chk.K("SimHashBits", f.kSim, 1, 16, "hyperplanes a repetition"); err != nil {
		return nil, err
	}
	if f.reps < 1 || f.proj < 0 {
		return nil, chk.Errorf("FDE: Reps = %d must be >= 1 and ProjDim = %d >= 0", opts.Reps, opts.ProjDim)
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x6d757665))
	for range f.reps {
		h := make([]float64, f.kSim*dim)
		for i := range h {
			h[i] = rng.NormFloat64()
		}
		f.hyper = append(f.hyper, h)
		if f.proj > 0 {
			s := float32(1 / math.Sqrt(float64(f.proj)))
			p := make([]float32, f.proj*dim)
			for i := range p {
				p[i] = s
				if rng.Uint64()&1 == 1 {
					p[i] = -s
				}
			}
			f.rademacher = append(f.rademacher, p)
		}
	}
	return f, nil
}

// blockDim is the dimension of a partition's vector: d_proj, or d without projection.
func (f *FDE) blockDim() int {
	if f.proj > 0 {
		return f.proj
	}
	return f.dim
}

// OutDim returns Reps 2^k_sim d_proj. O(1).
func (f *FDE) OutDim() int { return (f.reps << f.kSim) * f.blockDim() }

// Reps returns the number of repetitions. O(1).
func (f *FDE) Reps() int { return f.reps }

// Name describes the encoding, e.g. "MUVERA FDE(ksim=4, reps=10, dproj=16)".
func (f *FDE) Name() string {
	return fmt.Sprintf("MUVERA FDE(ksim=%d, reps=%d, dproj=%d)", f.kSim, f.reps, f.blockDim())
}

// EncodeQuery returns the encoding of a query set (rows are its vectors):
// per partition, the projected sum of its vectors. O(Reps n (k_sim +
// d_proj) d) for n vectors.
func (f *FDE) EncodeQuery(set *mat32.Dense) ([]float32, error) { return f.encode(set, "query", false) }

// EncodeDocument returns the encoding of a document set: per partition,
// the projected mean of its vectors, empty partitions filled (see
// FDEOptions.NoFill). O(Reps n (k_sim + d_proj) d + Reps 2^k_sim n).
func (f *FDE) EncodeDocument(set *mat32.Dense) ([]float32, error) {
	return f.encode(set, "document", true)
}

// encode is the body of EncodeQuery (mean = false) and EncodeDocument.
func (f *FDE) encode(set *mat32.Dense, name string, mean bool) ([]float32, error) {
	n, err := checkIn(name, set, f.dim)
	if err != nil {
		return nil, err
	}
	parts, bd := 1<<f.kSim, f.blockDim()
	out := make([]float32, f.OutDim())
	codes := make([]uint32, n)
	count := make([]int, parts)
	proj := make([]float32, n*bd)
	for r := range f.reps {
		clear(count)
		for i := range n {
			codes[i] = f.simHash(r, set.Row(i))
			count[codes[i]]++
			f.project(r, set.Row(i), proj[i*bd:(i+1)*bd])
		}
		base := out[r*parts*bd : (r+1)*parts*bd]
		for i := range n {
			dst := base[int(codes[i])*bd : int(codes[i]+1)*bd]
			for j, v := range proj[i*bd : (i+1)*bd] {
				dst[j] += v
			}
		}
		if !mean {
			continue
		}
		for p := range parts {
			dst := base[p*bd : (p+1)*bd]
			switch {
			case count[p] > 0:
				inv := 1 / float32(count[p])
				for j := range dst {
					dst[j] *= inv
				}
			case f.fill:
				copy(dst, proj[nearestCode(codes, uint32(p))*bd:])
			}
		}
	}
	return out, nil
}

// simHash returns the partition of v in repetition r: bit t is set when
// v is on the positive side of hyperplane t. O(k_sim d).
func (f *FDE) simHash(r int, v []float32) uint32 {
	var code uint32
	h := f.hyper[r]
	for t := range f.kSim {
		var s float64
		for j, x := range v {
			s += float64(x) * h[t*f.dim+j]
		}
		if s > 0 {
			code |= 1 << t
		}
	}
	return code
}

// project writes the projection of v in repetition r into dst (a copy of v
// without projection). O(d_proj d).
func (f *FDE) project(r int, v, dst []float32) {
	if f.proj == 0 {
		copy(dst, v)
		return
	}
	p := f.rademacher[r]
	for i := range dst {
		var s float32
		for j, x := range v {
			s += x * p[i*f.dim+j]
		}
		dst[i] = s
	}
}

// nearestCode returns the first vector whose code is nearest to p in
// Hamming distance. O(n).
func nearestCode(codes []uint32, p uint32) int {
	best, bi := 33, 0
	for i, c := range codes {
		if h := bits.OnesCount32(c ^ p); h < best {
			best, bi = h, i
		}
	}
	return bi
}

// Similarity returns <query, document> / Reps for two encodings, the
// estimate of the Chamfer similarity. Errors on lengths other than
// OutDim(). O(OutDim).
func (f *FDE) Similarity(query, document []float32) (float64, error) {
	if len(query) != f.OutDim() || len(document) != f.OutDim() {
		return 0, chk.Errorf("FDE: encodings have lengths %d and %d, want %d", len(query), len(document), f.OutDim())
	}
	var s float64
	for j, v := range query {
		s += float64(v) * float64(document[j])
	}
	return s / float64(f.reps), nil
}

// EncodeAll encodes a list of sets as rows of one matrix (documents when
// documents is true, queries otherwise), ready for inner-product search
// (knn.Search32 with knn.InnerProduct). O(sum of the encodings).
func (f *FDE) EncodeAll(sets []*mat32.Dense, documents bool) (*mat32.Dense, error) {
	if len(sets) == 0 {
		return nil, chk.Errorf("FDE: no sets to encode")
	}
	out := mat32.Zeros(len(sets), f.OutDim())
	for i, s := range sets {
		v, err := f.encode(s, fmt.Sprintf("set %d", i), documents)
		if err != nil {
			return nil, err
		}
		copy(out.Row(i), v)
	}
	return out, nil
}

// Chamfer returns the Chamfer similarity of two sets of vectors (rows):
// sum over q in query of max over p in document of <q, p>, the late
// interaction score of ColBERT that MUVERA approximates. Errors on nil,
// empty or non-finite sets or different column counts. O(|Q| |P| d).
func Chamfer(query, document *mat32.Dense) (float64, error) {
	nq, d, err := chk.Dense32("query", query)
	if err != nil {
		return 0, err
	}
	if _, err := checkIn("document", document, d); err != nil {
		return 0, err
	}
	np, _ := document.Dims()
	var total float64
	for i := range nq {
		best := math.Inf(-1)
		q := query.Row(i)
		for j := range np {
			var s float64
			for t, v := range document.Row(j) {
				s += float64(q[t]) * float64(v)
			}
			best = max(best, s)
		}
		total += best
	}
	return total, nil
}
