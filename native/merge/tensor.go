package merge

import (
	"fmt"
)

// mergeTensor merges one tensor in place: base receives the result and
// tuned is overwritten (task vectors). o must have passed withDefaults.
func mergeTensor[T float](name string, base []T, tuned [][]T, o Options) {
	c := o.coefficients(name)
	switch o.Method {
	case TaskArithmetic:
		lc := make([]float64, len(c))
		c0 := 1.0
		for t, w := range c {
			lc[t] = o.Lambda * w
			c0 -= lc[t]
		}
		combine(base, tuned, c0, lc)
	case WiSEFT:
		combine(base, tuned, 1-o.T, []float64{o.T})
	case SLERP:
		s0, s1 := slerpCoefficients(o.T, base, tuned[0])
		combine(base, tuned, s0, []float64{s1})
	case DARE:
		subtract(base, tuned)
		lc := make([]float64, len(c))
		for t, w := range c {
			drop(tuned[t], o.DropRate, streamSeed(o.Seed, name, t))
			lc[t] = o.Lambda * w
		}
		combine(base, tuned, 1, lc)
	case TIES, DARETIES:
		subtract(base, tuned)
		keep := make([]trimmer, len(tuned))
		for t := range tuned {
			if o.Method == TIES {
				keep[t] = topK(tuned[t], o.Density)
			} else {
				drop(tuned[t], o.DropRate, streamSeed(o.Seed, name, t))
				keep[t] = keepAll
			}
		}
		disjoint(base, tuned, keep, c, o.Lambda)
	case ModelStock:
		subtract(base, tuned)
		r := modelStockRatio(tuned) / float64(len(tuned))
		lc := make([]float64, len(tuned))
		for t := range lc {
			lc[t] = r
		}
		combine(base, tuned, 1, lc)
	}
}

// checkFinite returns an error naming the first NaN or Inf of v.
func checkFinite[T float](what, name string, v []T, shape []int) error {
	for i, x := range v {
		if x-x != 0 { // NaN or Inf
			return fmt.Errorf("merge: tensor %q of %s (shape %v) has %v at %v", name, what, shape, float64(x), position(i, shape))
		}
	}
	return nil
}

// position turns a flat C-order index into a multi-index.
func position(i int, shape []int) []int {
	if len(shape) == 0 {
		return []int{}
	}
	p := make([]int, len(shape))
	for d := len(shape) - 1; d >= 0; d-- {
		if shape[d] > 0 {
			p[d] = i % shape[d]
			i /= shape[d]
		}
	}
	return p
}

// Tensor merges one tensor held in memory (flat values of any shape):
// base is theta_0 and tuned the fine-tuned models' values, all the same
// length; name selects Options.TensorScales and DARE's random streams
// (the same as a file merge of a tensor with that name). Inputs are not
// modified. O(models * n) time and memory (plus the selection passes of
// TIES). Errors: options as Merge, lengths that differ, NaN or Inf.
func Tensor(name string, base []float64, tuned [][]float64, opts Options) ([]float64, error) {
	o, err := opts.withDefaults(len(tuned))
	if err != nil {
		return nil, err
	}
	shape := []int{len(base)}
	if err := checkFinite("the base", name, base, shape); err != nil {
		return nil, err
	}
	out := append([]float64(nil), base...)
	work := make([][]float64, len(tuned))
	for t, v := range tuned {
		if len(v) != len(base) {
			return nil, fmt.Errorf("merge: tensor %q: fine-tuned model %d has %d values, the base %d", name, t, len(v), len(base))
		}
		if err := checkFinite(fmt.Sprintf("fine-tuned model %d", t), name, v, shape); err != nil {
			return nil, err
		}
		work[t] = append([]float64(nil), v...)
	}
	mergeTensor(name, out, work, o)
	return out, nil
}

// TaskVector returns tuned - base. O(n). Errors: lengths that differ.
func TaskVector(base, tuned []float64) ([]float64, error) {
	if len(base) != len(tuned) {
		return nil, fmt.Errorf("merge: base has %d values, the fine-tuned model %d", len(base), len(tuned))
	}
	out := make([]float64, len(base))
	for i := range out {
		out[i] = tuned[i] - base[i]
	}
	return out, nil
}

// Trim returns a copy of tau keeping its k = floor(density n) entries of
// largest magnitude (ties at the threshold kept by position) and zeroing
// the rest: TIES's trim step. O(n). Errors: density outside (0, 1].
func Trim(tau []float64, density float64) ([]float64, error) {
	if !(density > 0 && density <= 1) {
		return nil, fmt.Errorf("merge: density %v must be in (0, 1]", density)
	}
	k := topK(tau, density)
	out := make([]float64, len(tau))
	for i, v := range tau {
		if k.keeps(v, i) {
			out[i] = v
		}
	}
	return out, nil
}

// Drop returns DARE's drop-and-rescale of tau: each entry kept with
// probability 1 - p and divided by 1 - p, the rest zeroed, from the
// random stream of (seed, name) (Merge with DARE uses the stream of the
// tensor's name and the model's index: Drop with model 0 draws what the
// first model's mask is). O(n). Errors: p outside (0, 1).
func Drop(tau []float64, p float64, seed uint64, name string) ([]float64, error) {
	if !(p > 0 && p < 1) {
		return nil, fmt.Errorf("merge: drop rate %v must be in (0, 1)", p)
	}
	out := append([]float64(nil), tau...)
	drop(out, p, streamSeed(seed, name, 0))
	return out, nil
}
