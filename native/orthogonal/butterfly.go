package orthogonal

import (
	"gonum.org/v1/gonum/mat"
)

// BOFT is a butterfly product of OFT maps (Liu et al. 2024, "Parameter-
// efficient orthogonal finetuning via butterfly factorization"):
// M = F_0 F_1 ... F_{m-1}, where factor i is a block-diagonal Cayley
// rotation with blocks of size b applied to permuted coordinates. The
// coordinates are cut into chunks of b/2; factor i pairs chunk j with
// chunk j + 2^i (j with bit i clear) into one block, like the stages of an
// FFT, so F_0 is plain OFT and log2(2n/b) factors mix every input with
// every other. Each factor costs n(b-1)/2 parameters.
type BOFT struct {
	// Factors holds the m factors' generators (each an OFT of size n with
	// block b, in permuted coordinates).
	Factors []*OFT
	perms   [][]int
}

// NewBOFT returns the identity butterfly map of size n with m factors of
// blocks of size b: b even, n a multiple of b/2 * 2^m. O(m n b).
func NewBOFT(n, b, m int) (*BOFT, error) {
	if b < 2 || b%2 != 0 || m < 1 || n < b {
		return nil, chk.Errorf("BOFT of size %d, block %d, %d factors: want an even block >= 2 and at least one factor", n, b, m)
	}
	half := b / 2
	if n%half != 0 || (n/half)%(1<<m) != 0 {
		return nil, chk.Errorf("BOFT of size %d, block %d, %d factors: the size must be a multiple of b/2 * 2^m = %d", n, b, m, half<<m)
	}
	f := &BOFT{}
	for i := 0; i < m; i++ {
		o, err := NewOFT(n, b)
		if err != nil {
			return nil, err
		}
		f.Factors = append(f.Factors, o)
		f.perms = append(f.perms, butterflyPerm(n, half, 1<<i))
	}
	return f, nil
}

// butterflyPerm lists the coordinates block by block: chunk j (of half
// coordinates) then chunk j + stride, for every j with j & stride == 0.
func butterflyPerm(n, half, stride int) []int {
	perm := make([]int, 0, n)
	for j := 0; j < n/half; j++ {
		if j&stride != 0 {
			continue
		}
		for _, c := range []int{j, j + stride} {
			for t := 0; t < half; t++ {
				perm = append(perm, c*half+t)
			}
		}
	}
	return perm
}

// Perturb sets every factor's generators to scale times standard normal
// draws (seed + factor index). O(m n b).
func (f *BOFT) Perturb(scale float64, seed uint64) {
	for i, o := range f.Factors {
		o.Perturb(scale, seed+uint64(i))
	}
}

// Name returns "boft". O(1).
func (f *BOFT) Name() string { return "boft" }

// Dim returns n. O(1).
func (f *BOFT) Dim() int { return f.Factors[0].Dim() }

// Params returns m n (b-1)/2. O(1).
func (f *BOFT) Params() int { return len(f.Factors) * f.Factors[0].Params() }

// Perm returns factor i's coordinate order (a copy): block k of the factor
// rotates coordinates Perm(i)[k b : (k+1) b]. O(n).
func (f *BOFT) Perm(i int) []int { return append([]int(nil), f.perms[i]...) }

// Matrix returns M (n x n). O(m n^2 b).
func (f *BOFT) Matrix() *mat.Dense {
	m, _ := f.Apply(identity(f.Dim()))
	return m
}

// Apply returns W F_0 ... F_{m-1}: per factor, gather W's columns in the
// factor's order, rotate the blocks, scatter them back. O(m out n b).
func (f *BOFT) Apply(w *mat.Dense) (*mat.Dense, error) {
	rows, err := checkWeight(w, f.Dim())
	if err != nil {
		return nil, err
	}
	n := f.Dim()
	x := mat.DenseCopyOf(w)
	p := mat.NewDense(rows, n, nil)
	for i, o := range f.Factors {
		perm := f.perms[i]
		for r := 0; r < rows; r++ {
			src, dst := x.RawRowView(r), p.RawRowView(r)
			for k, c := range perm {
				dst[k] = src[c]
			}
		}
		y, _ := o.Apply(p)
		for r := 0; r < rows; r++ {
			src, dst := y.RawRowView(r), x.RawRowView(r)
			for k, c := range perm {
				dst[c] = src[k]
			}
		}
	}
	return x, nil
}
