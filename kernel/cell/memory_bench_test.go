package cell

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// liveHeap is the heap in use after two collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkCellMemory measures the heap each cell leaves behind, for a
// statement cell (x = x + i), a cell redeclaring a variable and one
// redeclaring a function: b.N cells through Session.Execute, and as the
// reference in the same run, the same sources through a bare yaegi
// interpreter. Reported: retained bytes a cell for both, and what %reset
// gives back.
func BenchmarkCellMemory(b *testing.B) {
	ctx := context.Background()
	for _, c := range []struct{ name, code string }{
		{"statement", "x = x + %d"},
		{"redeclare-var", "y := %d"},
		{"redeclare-func", "func f() int { return %d }"},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			s.Execute(ctx, "x := 0")
			in := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard})
			in.Use(stdlib.Symbols)
			in.Eval("var x = 0")
			base := liveHeap()
			for i := 0; i < b.N; i++ {
				if r := s.Execute(ctx, fmt.Sprintf(c.code, i)); r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			afterCells := liveHeap()
			for i := 0; i < b.N; i++ {
				src := fmt.Sprintf(c.code, i)
				if c.name == "redeclare-var" {
					src = fmt.Sprintf("var y = %d", i) // bare yaegi cannot redeclare with :=
				}
				if _, err := in.Eval(src); err != nil {
					b.Fatal(err)
				}
			}
			afterYaegi := liveHeap()
			s.Execute(ctx, "%reset")
			afterReset := liveHeap()
			n := float64(b.N)
			b.ReportMetric(float64(int64(afterCells)-int64(base))/n, "B/cell")
			b.ReportMetric(float64(int64(afterYaegi)-int64(afterCells))/n, "B/yaegi-eval")
			b.ReportMetric(float64(int64(afterYaegi)-int64(afterReset)), "B-freed-by-reset")
			runtime.KeepAlive(in)
		})
	}
}
