package compress

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/subspace-kernel/subspace/native/knn"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// ScalarQuantizer maps each coordinate linearly from its calibration range
// [Lo[j], Hi[j]] to the 256 int8 values: code = round((x - Lo) / step) -
// 128 with step = (Hi - Lo) / 255, clipped to [-128, 127]; decoding gives
// Lo + (code + 128) step. It is sentence-transformers' int8
// quantize_embeddings except that codes are rounded to the nearest level
// (sentence-transformers truncates toward zero), which halves the
// worst-case error.
type ScalarQuantizer struct {
	Lo, Hi []float32
}

// CalibrateInt8 returns the ranges of the columns of calibration (n x d):
// the min and max (clip = 0) or the clip and 1-clip quantiles (0 <= clip
// < 0.5) to ignore outliers. A column with Hi == Lo decodes to Lo. Errors:
// nil, empty or non-finite calibration, clip out of range. O(n d) for
// clip = 0, O(n d log n) otherwise.
func CalibrateInt8(calibration *mat32.Dense, clip float64) (*ScalarQuantizer, error) {
	n, d, err := chk.Dense32("calibration", calibration)
	if err != nil {
		return nil, err
	}
	if !(clip >= 0 && clip < 0.5) {
		return nil, chk.Errorf("clip = %v must be in [0, 0.5)", clip)
	}
	sq := &ScalarQuantizer{Lo: make([]float32, d), Hi: make([]float32, d)}
	col := make([]float32, n)
	for j := range d {
		for r := range n {
			col[r] = calibration.At(r, j)
		}
		if clip == 0 {
			sq.Lo[j], sq.Hi[j] = slices.Min(col), slices.Max(col)
			continue
		}
		slices.Sort(col)
		sq.Lo[j] = col[int(math.Floor(clip*float64(n-1)))]
		sq.Hi[j] = col[int(math.Ceil((1-clip)*float64(n-1)))]
	}
	return sq, nil
}

// step returns the width of one level of column j (0 for a constant column).
func (s *ScalarQuantizer) step(j int) float32 { return (s.Hi[j] - s.Lo[j]) / 255 }

// Encode returns the int8 codes of x (n x d, row-major). O(n d).
func (s *ScalarQuantizer) Encode(x *mat32.Dense) ([]int8, error) {
	n, err := checkIn("x", x, len(s.Lo))
	if err != nil {
		return nil, err
	}
	d := len(s.Lo)
	codes := make([]int8, n*d)
	for r := range n {
		for j, v := range x.Row(r) {
			st := s.step(j)
			if st <= 0 {
				codes[r*d+j] = -128
				continue
			}
			q := math.Round(float64((v-s.Lo[j])/st)) - 128
			codes[r*d+j] = int8(max(-128, min(127, q)))
		}
	}
	return codes, nil
}

// decodeInto writes the decoded rows of codes (rows of d) into dst. O(len(codes)).
func (s *ScalarQuantizer) decodeInto(codes []int8, dst []float32) {
	d := len(s.Lo)
	for t, c := range codes {
		j := t % d
		dst[t] = s.Lo[j] + float32(int(c)+128)*s.step(j)
	}
}

// Decode returns the rows that the codes (n d values) stand for. O(n d).
func (s *ScalarQuantizer) Decode(codes []int8) (*mat32.Dense, error) {
	d := len(s.Lo)
	if d == 0 || len(codes)%d != 0 {
		return nil, chk.Errorf("%d codes are not a whole number of rows of %d", len(codes), d)
	}
	out := mat32.Zeros(len(codes)/d, d)
	s.decodeInto(codes, out.RawData())
	return out, nil
}

// Int8Options configures NewInt8Index.
type Int8Options struct {
	// Calibration, when non-nil, holds the rows the ranges are taken from
	// (nil: the data itself).
	Calibration *mat32.Dense
	// Clip is the quantile clipped at each end of the ranges (0: min/max).
	Clip float64
	// Workers bounds the goroutines of Search (0: GOMAXPROCS).
	Workers int
}

// Int8Index holds int8 codes (d bytes a row) and searches exactly among
// the decoded rows.
type Int8Index struct {
	sq    *ScalarQuantizer
	codes []int8
	n, d  int
	opts  Int8Options
	build time.Duration
}

// NewInt8Index calibrates the ranges and encodes data (n x d). Errors as
// CalibrateInt8's and for a calibration with a column count other than
// data's. O(n d) (plus the calibration).
func NewInt8Index(data *mat32.Dense, opts Int8Options) (*Int8Index, error) {
	start := time.Now()
	n, d, err := chk.Dense32("data", data)
	if err != nil {
		return nil, err
	}
	cal := opts.Calibration
	if cal == nil {
		cal = data
	}
	if _, cd := cal.Dims(); cd != d {
		return nil, chk.Errorf("Calibration has %d columns but data has %d", cd, d)
	}
	sq, err := CalibrateInt8(cal, opts.Clip)
	if err != nil {
		return nil, err
	}
	codes, err := sq.Encode(data)
	if err != nil {
		return nil, err
	}
	return &Int8Index{sq: sq, codes: codes, n: n, d: d, opts: opts, build: time.Since(start)}, nil
}

// Quantizer returns the calibrated quantiser.
func (ix *Int8Index) Quantizer() *ScalarQuantizer { return ix.sq }

// Codes returns the codes (n rows of d, shared).
func (ix *Int8Index) Codes() []int8 { return ix.codes }

// Search returns the k nearest decoded rows of every query (Euclidean,
// Dist recomputed in float64 from the decoded rows; 1 <= k <= n).
// O(m n d) flops in float32 GEMMs over blocks of decoded rows.
func (ix *Int8Index) Search(queries *mat32.Dense, k int) (*knn.Result, error) {
	if _, err := checkIn("queries", queries, ix.d); err != nil {
		return nil, err
	}
	if err := chk.K("k", k, 1, ix.n, "k cannot exceed the indexed rows"); err != nil {
		return nil, err
	}
	dec := func(lo, hi int, dst []float32) { ix.sq.decodeInto(ix.codes[lo*ix.d:hi*ix.d], dst) }
	return searchDecoded(ix.n, ix.d, dec, queries, k, ix.opts.Workers), nil
}

// BytesPerVector returns d (one byte a coordinate). O(1).
func (ix *Int8Index) BytesPerVector() float64 { return float64(ix.d) }

// BuildSeconds returns the time taken to calibrate and encode. O(1).
func (ix *Int8Index) BuildSeconds() float64 { return ix.build.Seconds() }

// Name describes the index, e.g. "int8" or "int8 (clip 0.001)".
func (ix *Int8Index) Name() string {
	if ix.opts.Clip > 0 {
		return fmt.Sprintf("int8 (clip %g)", ix.opts.Clip)
	}
	return "int8"
}
