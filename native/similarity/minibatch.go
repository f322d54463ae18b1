package similarity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/subspace-kernel/subspace/native/mat32"
	"github.com/subspace-kernel/subspace/native/progress"
)

// MinibatchCKA accumulates linear CKA over minibatches (Nguyen, Raghu and
// Kornblith 2021): each Update adds the unbiased HSIC (Song et al. 2012) of
// the batch's linear kernels to three running sums, and Value returns
//
//	sum_b HSIC_u(K_b, L_b) / sqrt(sum_b HSIC_u(K_b, K_b) * sum_b HSIC_u(L_b, L_b)).
//
// This is the correct minibatch estimator; the average of per-batch CKA
// values is a different (and biased) quantity. Batches may differ in size
// (each needs more than 3 rows) but must keep the same numbers of columns.
// The unbiased HSIC is invariant to shifting the features, so batches are
// centred internally for accuracy without changing the value. Each Update
// costs O(b d1 d2 + b d1^2 + b d2^2) for a batch of b rows and no b x b
// memory. The zero value is ready to use; it is not safe for concurrent use.
type MinibatchCKA struct {
	xy, xx, yy float64
	d1, d2     int
	batches    int
}

// NewMinibatchCKA returns an empty accumulator.
func NewMinibatchCKA() *MinibatchCKA { return &MinibatchCKA{} }

func (m *MinibatchCKA) checkDims(b, d1, d2 int) error {
	if b <= 3 {
		return fmt.Errorf("similarity: minibatch CKA needs batches of more than 3 rows, got %d", b)
	}
	if m.batches > 0 && (d1 != m.d1 || d2 != m.d2) {
		return fmt.Errorf("similarity: batch has %d and %d columns, earlier batches had %d and %d", d1, d2, m.d1, m.d2)
	}
	return nil
}

// Update adds batch (Xb, Yb) (the same b stimuli, b > 3) to the sums.
func (m *MinibatchCKA) Update(xb, yb *mat.Dense) error {
	b, d1, d2, err := checkPair(xb, yb)
	if err != nil {
		return err
	}
	if err := m.checkDims(b, d1, d2); err != nil {
		return err
	}
	m.add(centred(xb), centred(yb))
	return nil
}

// Update32 is Update for float32 batches (converted to float64 internally,
// O(b (d1 + d2)) extra memory).
func (m *MinibatchCKA) Update32(xb, yb *mat32.Dense) error {
	b, d1, d2, err := checkPair32(xb, yb)
	if err != nil {
		return err
	}
	if err := m.checkDims(b, d1, d2); err != nil {
		return err
	}
	m.add(centred(xb.ToDense()), centred(yb.ToDense()))
	return nil
}

func (m *MinibatchCKA) add(xc, yc blas64.General) {
	tx, ty := linearHSICTerms(xc), linearHSICTerms(yc)
	m.xy += unbiasedHSIC(crossSq(xc, yc), tx, ty)
	m.xx += unbiasedHSIC(selfSq(xc), tx, tx)
	m.yy += unbiasedHSIC(selfSq(yc), ty, ty)
	m.d1, m.d2 = xc.Cols, yc.Cols
	m.batches++
}

// Batches returns the number of batches accumulated.
func (m *MinibatchCKA) Batches() int { return m.batches }

// HSIC returns the accumulated sums of unbiased HSIC(X,Y), HSIC(X,X) and
// HSIC(Y,Y) over the batches.
func (m *MinibatchCKA) HSIC() (xy, xx, yy float64) { return m.xy, m.xx, m.yy }

// Value returns the minibatch CKA of the batches seen so far. It returns an
// error before the first batch or when a self-HSIC sum is not positive.
func (m *MinibatchCKA) Value() (float64, error) {
	if m.batches == 0 {
		return 0, fmt.Errorf("similarity: minibatch CKA has no batches yet")
	}
	if !(m.xx > 0) || !(m.yy > 0) {
		return 0, fmt.Errorf("similarity: accumulated HSIC(X,X) = %g, HSIC(Y,Y) = %g: minibatch CKA needs both positive", m.xx, m.yy)
	}
	return m.xy / math.Sqrt(m.xx*m.yy), nil
}

// Reset empties the accumulator.
func (m *MinibatchCKA) Reset() { *m = MinibatchCKA{} }

// MinibatchLinearCKA splits the rows of X and Y into consecutive batches of
// batchSize rows (a last batch of 3 rows or fewer is merged into the one
// before it), feeds them to a MinibatchCKA and returns its Value. The
// optional progress callback receives (batches done, total batches) and can
// stop the run by returning an error. Cost O(n (d1 d2 + d1^2 + d2^2)), memory
// O(batchSize (d1 + d2) + d1 d2).
func MinibatchLinearCKA(x, y *mat.Dense, batchSize int, prog progress.Func) (float64, error) {
	n, _, _, err := checkPair(x, y)
	if err != nil {
		return 0, err
	}
	if batchSize <= 3 {
		return 0, fmt.Errorf("similarity: batch size must be more than 3, got %d", batchSize)
	}
	var starts []int
	for lo := 0; lo < n; lo += batchSize {
		starts = append(starts, lo)
	}
	if len(starts) > 1 && n-starts[len(starts)-1] <= 3 {
		starts = starts[:len(starts)-1]
	}
	acc := NewMinibatchCKA()
	for b, lo := range starts {
		hi := n
		if b+1 < len(starts) {
			hi = starts[b+1]
		}
		xb := x.Slice(lo, hi, 0, x.RawMatrix().Cols).(*mat.Dense)
		yb := y.Slice(lo, hi, 0, y.RawMatrix().Cols).(*mat.Dense)
		if err := acc.Update(xb, yb); err != nil {
			return 0, fmt.Errorf("batch %d (rows %d..%d): %w", b, lo, hi-1, err)
		}
		if err := progress.Report(prog, b+1, len(starts)); err != nil {
			return 0, err
		}
	}
	return acc.Value()
}
