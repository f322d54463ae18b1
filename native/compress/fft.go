package compress

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/subspace-kernel/subspace/native/internal/work"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// FFTTruncation keeps the low frequencies of the real FFT of each row,
// taken along the embedding dimension: the coordinates are c_0, then the
// real and imaginary parts of c_1, c_2, ... (and the real c_{D/2} for even
// D), scaled so that with all D coordinates the map is orthonormal
// (distances and inner products preserved exactly, Parseval); keeping the
// first k loses the energy of the dropped frequencies. It compresses well
// only when neighbouring coordinates of the embedding are correlated.
type FFTTruncation struct {
	in, out int
}

// NewFFTTruncation returns the truncation from D to k coordinates
// (1 <= k <= D). O(1).
func NewFFTTruncation(inDim, outDim int) (*FFTTruncation, error) {
	if inDim < 1 {
		return nil, chk.Errorf("FFT truncation: input dimension %d must be >= 1", inDim)
	}
	if err := chk.K("k", outDim, 1, inDim, "coordinates kept by the FFT truncation"); err != nil {
		return nil, err
	}
	return &FFTTruncation{in: inDim, out: outDim}, nil
}

// InDim returns D. O(1).
func (f *FFTTruncation) InDim() int { return f.in }

// OutDim returns k. O(1).
func (f *FFTTruncation) OutDim() int { return f.out }

// Name describes the truncation, e.g. "FFT 300->64".
func (f *FFTTruncation) Name() string { return fmt.Sprintf("FFT %d->%d", f.in, f.out) }

// Transform returns the first k orthonormal real-FFT coordinates of each
// row of x (n x D, finite). O(n D log D) (gonum's FFT), rows in parallel.
func (f *FFTTruncation) Transform(x *mat32.Dense) (*mat32.Dense, error) {
	n, err := checkIn("x", x, f.in)
	if err != nil {
		return nil, err
	}
	out := mat32.Zeros(n, f.out)
	d := f.in
	scale := 1 / math.Sqrt(float64(d))
	work.Range(n, 0, func(lo, hi int) {
		fft := fourier.NewFFT(d)
		seq := make([]float64, d)
		coef := make([]complex128, d/2+1)
		for r := lo; r < hi; r++ {
			for j, v := range x.Row(r) {
				seq[j] = float64(v)
			}
			fft.Coefficients(coef, seq)
			dst := out.Row(r)
			dst[0] = float32(real(coef[0]) * scale)
			t := 1
			for c := 1; t < f.out; c++ {
				if 2*c == d { // Nyquist coefficient of an even length: real
					dst[t] = float32(real(coef[c]) * scale)
					break
				}
				dst[t] = float32(math.Sqrt2 * real(coef[c]) * scale)
				t++
				if t < f.out {
					dst[t] = float32(math.Sqrt2 * imag(coef[c]) * scale)
					t++
				}
			}
		}
	})
	return out, nil
}
