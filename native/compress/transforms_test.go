package compress

import (
	"math"
	"testing"

	"github.com/subspace-kernel/subspace/internal/pyref"
	"github.com/subspace-kernel/subspace/native/mat32"
)

// TestTransformsMatchNumpy compares the PCA projection (components with
// sklearn's signs, explained variance, whitened coordinates) with sklearn's
// PCA, the FFT truncation with numpy.fft.rfft, and the Matryoshka
// truncation with numpy, for an even and an odd dimension.
func TestTransformsMatchNumpy(t *testing.T) {
	for _, d := range []int{24, 23} {
		const n, k, m = 300, 6, 9
		x, _ := clustered(t, n, 1, d, uint64(d))
		var ref struct {
			Components [][]float64 `json:"components"`
			Variance   []float64   `json:"variance"`
			Ratio      []float64   `json:"ratio"`
			Whitened   [][]float64 `json:"whitened"`
			FFT        [][]float64 `json:"fft"`
			FullCols   int         `json:"fft_full_cols"`
			Matryoshka [][]float64 `json:"matryoshka"`
		}
		pyref.JSON(t, "testdata/transforms_ref.py", map[string]any{"x": npy(t, x), "k": k, "m": m}, &ref)

		p, err := FitPCAProjection(x, k, false)
		if err != nil {
			t.Fatal(err)
		}
		for i := range k {
			if !near(p.ExplainedVariance[i], ref.Variance[i], 1e-6) || !near(p.ExplainedVarianceRatio[i], ref.Ratio[i], 1e-6) {
				t.Errorf("d=%d axis %d: variance %v ratio %v, sklearn %v %v", d, i, p.ExplainedVariance[i], p.ExplainedVarianceRatio[i], ref.Variance[i], ref.Ratio[i])
			}
			for j := range d {
				if math.Abs(p.Components.At(i, j)-ref.Components[i][j]) > 1e-6 {
					t.Fatalf("d=%d component (%d, %d) = %v, sklearn %v", d, i, j, p.Components.At(i, j), ref.Components[i][j])
				}
			}
		}
		w, _ := FitPCAProjection(x, k, true)
		five, _ := mat32.New(5, d, x.RawData()[:5*d])
		z, err := w.Transform(five)
		if err != nil {
			t.Fatal(err)
		}
		compare(t, "whitened PCA", z, ref.Whitened, 1e-4)

		f, _ := NewFFTTruncation(d, m)
		zf, err := f.Transform(x)
		if err != nil {
			t.Fatal(err)
		}
		compare(t, "FFT", zf, ref.FFT, 1e-4)
		if ref.FullCols != d {
			t.Fatalf("numpy's orthonormal FFT layout has %d coordinates, want %d", ref.FullCols, d)
		}
		mt, _ := NewMatryoshka(d, m)
		zm, err := mt.Transform(x)
		if err != nil {
			t.Fatal(err)
		}
		compare(t, "Matryoshka", zm, ref.Matryoshka, 1e-6)
	}
}

// compare fails t when z and want differ by more than tol (relative to
// max(1, |want|)).
func compare(t *testing.T, what string, z *mat32.Dense, want [][]float64, tol float64) {
	t.Helper()
	for i, row := range want {
		for j, v := range row {
			if !near(float64(z.At(i, j)), v, tol) {
				t.Fatalf("%s (%d, %d) = %v, reference %v", what, i, j, z.At(i, j), v)
			}
		}
	}
}

// TestFFTOrthonormal checks Parseval: with all D coordinates kept, pairwise
// distances are preserved, and truncation never increases them.
func TestFFTOrthonormal(t *testing.T) {
	for _, d := range []int{16, 17} {
		x := gaussian32(2, 40, d)
		full, _ := NewFFTTruncation(d, d)
		half, _ := NewFFTTruncation(d, d/2)
		zf, err := full.Transform(x)
		if err != nil {
			t.Fatal(err)
		}
		zh, _ := half.Transform(x)
		for i := range 40 {
			for j := range i {
				a, b, c := euclid64(x.Row(i), x.Row(j)), euclid64(zf.Row(i), zf.Row(j)), euclid64(zh.Row(i), zh.Row(j))
				if math.Abs(a-b) > 1e-5*a || c > a*(1+1e-6) {
					t.Fatalf("d=%d pair (%d, %d): distance %v, full FFT %v, truncated %v", d, i, j, a, b, c)
				}
			}
		}
	}
}

// TestWhitenedUnitVariance checks that whitened PCA coordinates of the
// fitted data have unit variance (divisor n-1) and zero mean.
func TestWhitenedUnitVariance(t *testing.T) {
	x, _ := clustered(t, 500, 1, 12, 3)
	p, err := FitPCAProjection(x, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	z, _ := p.Transform(x)
	for j := range 5 {
		var s, s2 float64
		for i := range 500 {
			v := float64(z.At(i, j))
			s += v
			s2 += v * v
		}
		mean := s / 500
		v := (s2 - 500*mean*mean) / 499
		if math.Abs(mean) > 1e-4 || math.Abs(v-1) > 1e-4 {
			t.Errorf("axis %d: mean %v variance %v, want 0 and 1", j, mean, v)
		}
	}
}
