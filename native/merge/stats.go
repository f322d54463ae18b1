package merge

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/subspace-kernel/subspace/native/dataset"
	"github.com/subspace-kernel/subspace/native/internal/work"
)

// PairStats compares task vectors pairwise.
type PairStats struct {
	// Norms holds ||tau_t||_2 per model.
	Norms []float64
	// Cosine[i][j] is the cosine similarity of tau_i and tau_j (0 when one
	// is zero).
	Cosine [][]float64
	// SignConflict[i][j] is, among the entries where tau_i and tau_j are
	// both non-zero, the fraction where their signs differ (TIES's
	// interference).
	SignConflict [][]float64
}

// TensorStats is PairStats for one tensor.
type TensorStats struct {
	Name string
	PairStats
}

// Stats compares the task vectors of several fine-tuned models of one
// base, over all float tensors and per tensor.
type Stats struct {
	// Models lists the fine-tuned files (base names).
	Models []string
	// PairStats over every float parameter.
	PairStats
	// Tensors holds the same per tensor, in name order.
	Tensors []TensorStats
}

// acc accumulates dot products, squared norms and sign counts.
type acc struct {
	dot, both, conflict [][]float64
	sq                  []float64
}

func newAcc(n int) *acc {
	a := &acc{sq: make([]float64, n)}
	for _, m := range []*[][]float64{&a.dot, &a.both, &a.conflict} {
		*m = make([][]float64, n)
		for i := range *m {
			(*m)[i] = make([]float64, n)
		}
	}
	return a
}

func (a *acc) add(b *acc) {
	for i := range a.sq {
		a.sq[i] += b.sq[i]
		for j := range a.sq {
			a.dot[i][j] += b.dot[i][j]
			a.both[i][j] += b.both[i][j]
			a.conflict[i][j] += b.conflict[i][j]
		}
	}
}

func (a *acc) stats() PairStats {
	n := len(a.sq)
	s := PairStats{Norms: make([]float64, n), Cosine: make([][]float64, n), SignConflict: make([][]float64, n)}
	for i := range a.sq {
		s.Norms[i] = math.Sqrt(a.sq[i])
		s.Cosine[i] = make([]float64, n)
		s.SignConflict[i] = make([]float64, n)
		for j := range a.sq {
			if a.sq[i] > 0 && a.sq[j] > 0 {
				s.Cosine[i][j] = a.dot[i][j] / math.Sqrt(a.sq[i]*a.sq[j])
			}
			if a.both[i][j] > 0 {
				s.SignConflict[i][j] = a.conflict[i][j] / a.both[i][j]
			}
		}
	}
	return s
}

// accumulate computes the task vectors' pair statistics of one tensor
// (tau_t = tuned_t - base), in parallel chunks.
func accumulate[T float](base []T, tuned [][]T) *acc {
	n := len(tuned)
	const chunk = 1 << 16
	parts := make([]*acc, (len(base)+chunk-1)/chunk)
	work.Range(len(parts), 0, func(lo, hi int) {
		tau := make([]float64, n)
		for p := lo; p < hi; p++ {
			a := newAcc(n)
			for i := p * chunk; i < min((p+1)*chunk, len(base)); i++ {
				for t := range tuned {
					tau[t] = float64(tuned[t][i]) - float64(base[i])
				}
				for x := 0; x < n; x++ {
					a.sq[x] += tau[x] * tau[x]
					for y := x + 1; y < n; y++ {
						a.dot[x][y] += tau[x] * tau[y]
						if tau[x] != 0 && tau[y] != 0 {
							a.both[x][y]++
							if (tau[x] > 0) != (tau[y] > 0) {
								a.conflict[x][y]++
							}
						}
					}
				}
			}
			parts[p] = a
		}
	})
	total := newAcc(n)
	for _, a := range parts {
		total.add(a)
	}
	for x := 0; x < n; x++ {
		total.dot[x][x], total.both[x][x] = total.sq[x], 1
		for y := x + 1; y < n; y++ {
			total.dot[y][x], total.both[y][x], total.conflict[y][x] = total.dot[x][y], total.both[x][y], total.conflict[x][y]
		}
	}
	return total
}

// Compare streams the base and fine-tuned files tensor by tensor and
// returns the norms, pairwise cosine similarities and sign-conflict
// fractions of the task vectors tau_t = tuned_t - base, over all float
// tensors and per tensor. Cost: one pass, O(models^2) per parameter;
// memory as Merge. Errors: as Merge (missing or mismatched tensors, NaN).
func Compare(base string, tuned []string) (*Stats, error) {
	if len(tuned) == 0 {
		return nil, fmt.Errorf("merge: no fine-tuned models to compare")
	}
	in, err := open(base, tuned)
	if err != nil {
		return nil, err
	}
	defer in.close()
	st := &Stats{}
	for _, p := range tuned {
		st.Models = append(st.Models, filepath.Base(p))
	}
	total := newAcc(len(tuned))
	for _, info := range in.infos {
		if !isFloat(info.DType) {
			continue
		}
		var a *acc
		if info.DType == dataset.Float64 {
			v, err := read(in, info, &in.b64, (*dataset.Safetensors).Float64sInto)
			if err != nil {
				return nil, err
			}
			a = accumulate(v[0], v[1:])
		} else {
			v, err := read(in, info, &in.b32, (*dataset.Safetensors).Float32sInto)
			if err != nil {
				return nil, err
			}
			a = accumulate(v[0], v[1:])
		}
		st.Tensors = append(st.Tensors, TensorStats{Name: info.Name, PairStats: a.stats()})
		total.add(a)
	}
	st.PairStats = total.stats()
	return st, nil
}
