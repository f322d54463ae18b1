package density

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// checkData validates a points matrix: non-nil, non-empty, finite.
func checkData(name string, m *mat.Dense) (n, d int, err error) {
	if m == nil {
		return 0, 0, fmt.Errorf("density: %s is nil", name)
	}
	if m.IsEmpty() {
		return 0, 0, fmt.Errorf("density: %s is empty", name)
	}
	n, d = m.Dims()
	for i := 0; i < n; i++ {
		for j, v := range m.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("density: %s has a non-finite value %v at row %d, column %d", name, v, i, j)
			}
		}
	}
	return n, d, nil
}

var errNilKDE = errors.New("density: KDE is nil (build it with NewKDE)")
