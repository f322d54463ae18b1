package ann

import (
	"math"
	"slices"
)

func sqrt(x float64) float64 { return math.Sqrt(x) }

// OrderByValues returns the row indices sorted by values, ascending (or
// descending when descending is set), ties by index: an insertion order
// for HNSWOptions.Order, e.g. by pointwise local intrinsic dimension
// (inserting high-LID points first changes recall, see package compress's
// RecallByLID). It returns an error naming the first NaN. O(n log n).
func OrderByValues(values []float64, descending bool) ([]int, error) {
	for i, v := range values {
		if math.IsNaN(v) {
			return nil, chk.Errorf("values[%d] is NaN", i)
		}
	}
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		va, vb := values[a], values[b]
		if descending {
			va, vb = vb, va
		}
		switch {
		case va < vb:
			return -1
		case va > vb:
			return 1
		}
		return 0
	})
	return order, nil
}
