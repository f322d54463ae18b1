package compress

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"time"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// Binarize packs the signs of x (n x d) into bits, 8 dimensions a byte,
// rows of (d+7)/8 bytes: bit j of a row is 1 when x[j] > thresholds[j]
// (thresholds nil: 0, the sign), stored most significant bit first, the
// layout of numpy.packbits(x > t, axis=1) and of sentence-transformers'
// "ubinary" embeddings. It returns the codes and the row stride in bytes.
// Errors: nil, empty or non-finite x, thresholds of the wrong length or
// not finite. O(n d) time, n (d+7)/8 bytes.
func Binarize(x *mat32.Dense, thresholds []float32) (codes []byte, stride int, err error) {
	n, d, err := chk.Dense32("x", x)
	if err != nil {
		return nil, 0, err
	}
	if thresholds != nil {
		if len(thresholds) != d {
			return nil, 0, chk.Errorf("thresholds has %d values but x has %d columns", len(thresholds), d)
		}
		if err := chk.Finite32("thresholds", thresholds, len(thresholds)); err != nil {
			return nil, 0, err
		}
	}
	stride = (d + 7) / 8
	codes = make([]byte, n*stride)
	work.Range(n, 0, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			packRow(codes[r*stride:(r+1)*stride], x.Row(r), thresholds)
		}
	})
	return codes, stride, nil
}

// packRow sets bit j (MSB first) of dst when v[j] > t[j] (t nil: 0). O(d).
func packRow(dst []byte, v, t []float32) {
	clear(dst)
	for j, x := range v {
		var th float32
		if t != nil {
			th = t[j]
		}
		if x > th {
			dst[j>>3] |= 0x80 >> (j & 7)
		}
	}
}

// Hamming returns the number of differing bits of two packed rows of the
// same length. O(len(a)/8) 64-bit popcounts.
func Hamming(a, b []byte) int {
	b = b[:len(a)]
	s := 0
	j := 0
	for ; j+8 <= len(a); j += 8 {
		s += bits.OnesCount64(binary.LittleEndian.Uint64(a[j:]) ^ binary.LittleEndian.Uint64(b[j:]))
	}
	for ; j < len(a); j++ {
		s += bits.OnesCount8(a[j] ^ b[j])
	}
	return s
}

// Rescore selects how a BinaryIndex re-ranks its Hamming candidates.
type Rescore int

const (
	// NoRescore ranks by Hamming distance alone (Dist: the bit count).
	NoRescore Rescore = iota
	// AsymmetricRescore re-ranks the candidates by the inner product of the
	// float query (minus the thresholds) with the +-1 sign vectors of the
	// codes, largest first (Dist: minus that product): no float data is
	// kept, memory stays d/8 bytes a vector. Meant for normalised
	// embeddings (cosine), as in sentence-transformers' rescoring recipe.
	AsymmetricRescore
	// FloatRescore re-ranks the candidates by their exact Euclidean
	// distance to the query (Dist), reading the float rows given at
	// construction: memory of the index proper is d/8 bytes a vector, the
	// float rows being read only for the candidates (on disk in practice).
	FloatRescore
)

// String names the rescoring.
func (r Rescore) String() string {
	switch r {
	case NoRescore:
		return "none"
	case AsymmetricRescore:
		return "asymmetric"
	case FloatRescore:
		return "float"
	}
	return fmt.Sprintf("Rescore(%d)", int(r))
}

// BinaryOptions configures NewBinaryIndex. The zero value binarises at 0
// and ranks by Hamming distance.
type BinaryOptions struct {
	// Center binarises at the column means of the data instead of 0 (a
	// large gain for embeddings that are not centred); Thresholds, when
	// set, takes precedence.
	Center bool
	// Thresholds are per-dimension thresholds (d values).
	Thresholds []float32
	// Rescore re-ranks the Hamming candidates (NoRescore by default).
	Rescore Rescore
	// Candidates is the number of Hamming candidates rescored per query
	// (0: 10 k). Ignored without rescoring.
	Candidates int
	// Workers bounds the goroutines of Search (0: GOMAXPROCS).
	Workers int
}

// BinaryIndex holds packed sign bits of the rows and searches them by
// Hamming distance (one XOR and popcount a 64-bit word), optionally
// rescoring the best candidates.
type BinaryIndex struct {
	n, dim, stride int
	codes          []byte
	thr            []float32
	data           *mat32.Dense // FloatRescore only
	opts           BinaryOptions
	build          time.Duration
}

// NewBinaryIndex binarises data (n x d). With FloatRescore it keeps a
// reference to data (not copied). Errors as Binarize's, and for an unknown
// Rescore or negative Candidates. O(n d).
func NewBinaryIndex(data *mat32.Dense, opts BinaryOptions) (*BinaryIndex, error) {
	start := time.Now()
	n, d, err := chk.Dense32("data", data)
	if err != nil {
		return nil, err
	}
	if d > 65535 {
		return nil, chk.Errorf("data has %d columns: binary codes support at most 65535", d)
	}
	if opts.Rescore < NoRescore || opts.Rescore > FloatRescore {
		return nil, chk.Errorf("unknown Rescore %d", int(opts.Rescore))
	}
	if opts.Candidates < 0 {
		return nil, chk.Errorf("Candidates = %d must be >= 0 (0: 10 k)", opts.Candidates)
	}
	thr := opts.Thresholds
	if thr == nil && opts.Center {
		thr = make([]float32, d)
		for j, m := range columnMean(data) {
			thr[j] = float32(m)
		}
	}
	codes, stride, err := Binarize(data, thr)
	if err != nil {
		return nil, err
	}
	ix := &BinaryIndex{n: n, dim: d, stride: stride, codes: codes, thr: thr, opts: opts}
	if opts.Rescore == FloatRescore {
		ix.data = data
	}
	ix.build = time.Since(start)
	return ix, nil
}

// Codes returns the packed codes (n rows of Stride() bytes, shared).
func (b *BinaryIndex) Codes() []byte { return b.codes }

// Thresholds returns the per-dimension thresholds the rows were binarised
// at (nil: 0), to binarise other rows the same way with Binarize. O(1).
func (b *BinaryIndex) Thresholds() []float32 { return b.thr }

// Stride returns the bytes a row, (d+7)/8.
func (b *BinaryIndex) Stride() int { return b.stride }

// BuildSeconds returns the time taken to binarise the data. O(1).
func (b *BinaryIndex) BuildSeconds() float64 { return b.build.Seconds() }

// BytesPerVector returns (d+7)/8, the bytes of codes a row. O(1).
func (b *BinaryIndex) BytesPerVector() float64 { return float64(b.stride) }

// Name describes the index, e.g. "binary (asymmetric rescore of 100)".
func (b *BinaryIndex) Name() string {
	c := ""
	if b.opts.Center || b.opts.Thresholds != nil {
		c = " centred"
	}
	if b.opts.Rescore == NoRescore {
		return "binary" + c
	}
	cand := "10k"
	if b.opts.Candidates > 0 {
		cand = fmt.Sprint(b.opts.Candidates)
	}
	return fmt.Sprintf("binary%s + %s rescore of %s", c, b.opts.Rescore, cand)
}
