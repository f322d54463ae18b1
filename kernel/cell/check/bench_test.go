package check_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// cell100 returns a 100-line cell of the kind a workshop writes: calls of
// gonum and of the native packages, loops, a function and a struct type.
func cell100() string {
	var b strings.Builder
	b.WriteString("type row struct{ Name string; Score float64 }\nfunc score(m *mat.Dense) float64 {\n\tr, c := m.Dims()\n\treturn float64(r * c)\n}\nrows := []row{}\n")
	for i := 0; len(strings.Split(b.String(), "\n")) < 100; i++ {
		fmt.Fprintf(&b, "m%d := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, %d})\n", i, i)
		fmt.Fprintf(&b, "ang%d, err%d := subspace.PrincipalAnglesDegrees(m%d, a)\n", i, i, i)
		fmt.Fprintf(&b, "if err%d == nil { rows = append(rows, row{Name: fmt.Sprint(%d), Score: score(m%d) + ang%d[0]}) }\n", i, i, i, i)
		fmt.Fprintf(&b, "for j := 0; j < len(ang%d); j++ { _ = math.Cos(ang%d[j]) }\n", i, i)
	}
	b.WriteString("len(rows)")
	return b.String()
}

// BenchmarkCheck100 measures the type checking of a 100-line cell after a
// setup cell (packages imported, their types built), the cost every cell
// pays before it runs. The reference in the same run is the check of a
// one-line cell.
func BenchmarkCheck100(b *testing.B) {
	const setup = "import (\n\t\"fmt\"\n\t\"math\"\n\t\"gonum.org/v1/gonum/mat\"\n\t\"github.com/subspace-kernel/subspace/native/subspace\"\n)\na := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 6})"
	src := cell100()
	var lines int
	var per [2]time.Duration
	for k, cell := range []string{"x := 1", src} {
		s := newSession()
		if r := s.check(b, setup); len(r.Errors) > 0 {
			b.Fatal(errorsOf(r))
		}
		s.n = 1
		if r := s.check(b, cell); len(r.Errors) > 0 || !r.Checked {
			b.Fatal(errorsOf(r))
		}
		start := time.Now()
		for i := 0; i < b.N; i++ {
			s.n = 1
			s.check(b, cell)
		}
		per[k] = time.Since(start) / time.Duration(b.N)
		lines = strings.Count(cell, "\n") + 1
	}
	b.ReportMetric(float64(per[1].Microseconds()), "us/check-100-lines")
	b.ReportMetric(float64(per[0].Microseconds()), "us/check-1-line")
	b.Logf("check of a %d-line cell: %v; of a 1-line cell: %v (same run)", lines, per[1], per[0])
}
