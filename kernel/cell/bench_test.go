package cell

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// BenchmarkCellOverhead measures the cost of the cell pipeline (magic
// scan, parsing, rewriting, line directives, grouping, output flush) on
// top of yaegi: each cell runs through Session.Execute and, as the
// reference in the same run, the same source through a bare yaegi
// interpreter's EvalWithContext. Reported: ns per cell for both and their
// ratio.
func BenchmarkCellOverhead(b *testing.B) {
	cells := []struct{ name, setup, code, raw string }{
		{"expression", "x := 21", "x * 2", "x * 2"},
		{"loop-and-func",
			"import \"fmt\"",
			"func sq(v int) int { return v * v }\nt := 0\nfor i := 0; i < 100; i++ {\n\tt += sq(i)\n}\n_ = fmt.Sprint(t)",
			"package main\nfunc sq(v int) int { return v * v }"},
	}
	ctx := context.Background()
	for _, c := range cells {
		b.Run(c.name, func(b *testing.B) {
			s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if r := s.Execute(ctx, c.setup); r.Err != nil {
				b.Fatal(r.Err)
			}
			in := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard})
			if err := in.Use(stdlib.Symbols); err != nil {
				b.Fatal(err)
			}
			if _, err := in.Eval(c.setup); err != nil {
				b.Fatal(err)
			}
			raw := []string{c.raw}
			if c.name == "loop-and-func" {
				// yaegi alone needs the declaration and the statements apart.
				raw = append(raw, "t := 0\nfor i := 0; i < 100; i++ {\n\tt += sq(i)\n}\n_ = fmt.Sprint(t)")
			}
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if r := s.Execute(ctx, c.code); r.Err != nil {
					b.Fatal(r.Err)
				}
			}
			exec := time.Since(start)
			start = time.Now()
			for i := 0; i < b.N; i++ {
				for _, src := range raw {
					if _, err := in.EvalWithContext(ctx, src); err != nil {
						b.Fatal(err)
					}
				}
			}
			bare := time.Since(start)
			b.ReportMetric(float64(exec.Nanoseconds())/float64(b.N), "execute-ns/cell")
			b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N), "yaegi-ns/cell")
			b.ReportMetric(float64(exec)/float64(bare), "ratio")
		})
	}
}

// BenchmarkMethodCall measures the price of redeclarable methods: a cell
// method calls its body through a function variable (methods.go). The same
// loop of 10000 calls of a one-line pointer method runs through
// Session.Execute and, as the reference in the same run, through a bare
// yaegi interpreter where the method is declared as written.
func BenchmarkMethodCall(b *testing.B) {
	decl := "type acc struct{ s float64 }\nfunc (a *acc) add(x float64) { a.s += x }\nfunc loop() float64 {\n\ta := &acc{}\n\tfor i := 0; i < 10000; i++ {\n\t\ta.add(1)\n\t}\n\treturn a.s\n}"
	ctx := context.Background()
	s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if r := s.Execute(ctx, decl); r.Err != nil {
		b.Fatal(r.Err)
	}
	in := interp.New(interp.Options{Stdout: io.Discard, Stderr: io.Discard})
	if _, err := in.Eval("package main\n" + decl); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if r := s.Execute(ctx, "loop()"); r.Err != nil || r.Value != 10000.0 {
			b.Fatal(r.Err, r.Value)
		}
	}
	exec := time.Since(start)
	start = time.Now()
	for i := 0; i < b.N; i++ {
		if v, err := in.EvalWithContext(ctx, "loop()"); err != nil || v.Interface() != 10000.0 {
			b.Fatal(err, v)
		}
	}
	bare := time.Since(start)
	b.ReportMetric(float64(exec.Nanoseconds())/float64(b.N)/1e4, "cell-ns/call")
	b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N)/1e4, "yaegi-ns/call")
	b.ReportMetric(float64(exec)/float64(bare), "ratio")
}
