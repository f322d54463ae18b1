package cell

import (
	"context"
	"fmt"
	"go/parser"
	"strings"
	"time"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/subspace-kernel/subspace/native/progress"
)

// Execute runs one cell and never panics (see the package documentation
// for what a cell may hold). Output is written while the cell runs and is
// flushed before Execute returns. The session's state survives every
// error. Cost: O(len(code)) parsing and rewriting plus yaegi's compile and
// run time.
func (s *Session) Execute(ctx context.Context, code string) (res Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	n := s.count
	s.cells[n] = code
	progress.SetContext(ctx)
	defer progress.SetContext(nil)
	s.out.filter.take() // panic lines of panics that user code recovered
	s.panics.start(n)
	defer func() {
		s.out.flush()
		if e := s.panics.stop(); res.Err == nil && e != nil {
			res = Result{Err: e}
		}
	}()
	defer func() {
		// The kernel must survive anything: a panic in this package or in
		// yaegi outside its own recovery becomes the cell's error.
		if r := recover(); r != nil {
			res = Result{Err: &Error{Name: "InternalError", Value: panicValue(r),
				Traceback: []string{"internal error: " + panicValue(r), "the session is still usable"}}}
		}
	}()
	if err := s.waitLeftover(ctx); err != nil {
		return Result{Err: err}
	}
	if s.defers {
		// defers of an interrupted cell that never ran: drop them
		s.eval(context.Background(), rewrite.DropDefers)
		s.defers = false
	}
	res = s.runCell(ctx, code, n)
	if s.defers {
		if err := s.runDefers(ctx); err != nil && res.Err == nil {
			res = Result{Err: s.convertError(ctx, err, n)}
		}
	}
	return res
}

// runDefers runs the cell's top-level defers, last first, also after a
// panic (not after an interrupt); a panic in one ends the others.
func (s *Session) runDefers(ctx context.Context) error {
	_, err := s.eval(ctx, rewrite.RunDefers)
	if err == nil || ctx.Err() == nil {
		s.defers = false
	}
	return err
}

// Eval evaluates one Go expression in the session (for Jupyter's
// user_expressions) and returns its value. Errors are *Error.
func (s *Session) Eval(ctx context.Context, expr string) (val any, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			val, err = nil, &Error{Name: "InternalError", Value: panicValue(r)}
		}
	}()
	if _, perr := parser.ParseExpr(expr); perr != nil {
		return nil, &Error{Name: "CompileError", Value: "invalid expression: " + perr.Error()}
	}
	if e := s.waitLeftover(ctx); e != nil {
		return nil, e
	}
	progress.SetContext(ctx)
	defer progress.SetContext(nil)
	v, verr := s.eval(ctx, rewrite.ExprSource(expr))
	if verr != nil {
		return nil, s.convertError(ctx, verr, 0)
	}
	if !v.IsValid() || !v.CanInterface() {
		return nil, nil
	}
	return v.Interface(), nil
}

// runCell handles the magics at the top of a cell, then runs the rest.
func (s *Session) runCell(ctx context.Context, code string, n int) Result {
	lines := strings.SplitAfter(code, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "//") {
			continue
		}
		if !strings.HasPrefix(t, "%") {
			break
		}
		// blank the magic line (and everything above it) so that positions of
		// the Go code that follows stay the cell's own.
		rest := blankLines(lines, i+1)
		if strings.HasPrefix(t, "%%") {
			name, arg := splitMagic(t[2:])
			return s.runMagic(ctx, name, arg, strings.Join(lines[i+1:], ""), rest, true, n)
		}
		name, arg := splitMagic(t[1:])
		if name == "time" {
			// %time stmt: time this line's statement; the rest of the cell runs after.
			col := max(strings.Index(l, arg), 0)
			src := blankLines(lines[:i], i) + strings.Repeat(" ", col) + strings.TrimRight(l[col:], "\n") + "\n"
			if strings.TrimSpace(arg) == "" {
				return Result{Err: &Error{Name: "UsageError", Value: "%time needs a statement: %time f(x)",
					Traceback: []string{"UsageError: %time needs a statement, e.g. %time f(x); use %%time for a whole cell"}}}
			}
			r := s.timed(func() Result { return s.run(ctx, src, n) })
			if r.Err != nil || strings.TrimSpace(strings.Join(lines[i+1:], "")) == "" {
				return r
			}
			lines[i] = "\n"
			continue
		}
		if r := s.runMagic(ctx, name, arg, "", "", false, n); r.Err != nil {
			return r
		}
		lines[i] = "\n"
	}
	return s.run(ctx, strings.Join(lines, ""), n)
}

// blankLines returns lines[:k] as empty lines followed by lines[k:].
func blankLines(lines []string, k int) string {
	var b strings.Builder
	for i, l := range lines {
		if i < k {
			if strings.HasSuffix(l, "\n") {
				b.WriteByte('\n')
			}
			continue
		}
		b.WriteString(l)
	}
	return b.String()
}

func splitMagic(t string) (name, arg string) {
	name, arg, _ = strings.Cut(t, " ")
	if i := strings.IndexByte(name, '\t'); i >= 0 {
		name, arg = name[:i], name[i+1:]+" "+arg
	}
	return name, strings.TrimSpace(arg)
}

// timed runs f and prints its wall time to the session's stdout.
func (s *Session) timed(f func() Result) Result {
	start := time.Now()
	r := f()
	d := time.Since(start)
	s.out.outPipe.Flush(defaultFlush)
	fmt.Fprintf(s.out.outPipe.w, "Wall time: %s\n", formatWall(d))
	return r
}

// formatWall formats a duration the way IPython's %time does: µs below a
// millisecond, ms with two decimals below a second, s with three above.
func formatWall(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.3f s", d.Seconds())
	}
}
