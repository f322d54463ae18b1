package cell

import (
	"context"
	"errors"
	"go/scanner"
	"regexp"
	"strconv"
	"strings"

	"github.com/subspace-kernel/subspace/api"
	"github.com/traefik/yaegi/interp"
)

// cellPos matches the positions the line directives give yaegi and the
// parser: cell[N]:LINE:COL.
var cellPos = regexp.MustCompile(`cell\[(\d+)\](?:/_\.go)?:(\d+):(\d+)`)

// exitPanic is what yaegi's restricted os.Exit panics with.
var exitPanic = regexp.MustCompile(`^os\.Exit\((-?\d+)\)$`)

// mapPositions rewrites cell[n]/_.go:L:C of the current cell n to
// cell:L:C; positions in earlier cells become cell[k]:L:C.
func mapPositions(s string, n int) string {
	s = cellPos.ReplaceAllStringFunc(s, func(m string) string {
		sub := cellPos.FindStringSubmatch(m)
		if sub[1] == strconv.Itoa(n) {
			return "cell:" + sub[2] + ":" + sub[3]
		}
		return "cell[" + sub[1] + "]:" + sub[2] + ":" + sub[3]
	})
	return strings.ReplaceAll(s, "expr/_.go:", "expr:")
}

// snippet returns the source line of the first cell position in msg and a
// caret under its column, or nil.
func (s *Session) snippet(msg string) []string {
	sub := cellPos.FindStringSubmatch(msg)
	if sub == nil {
		return nil
	}
	k, _ := strconv.Atoi(sub[1])
	line, _ := strconv.Atoi(sub[2])
	col, _ := strconv.Atoi(sub[3])
	src, ok := s.cells[k]
	if !ok {
		return nil
	}
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return nil
	}
	text := strings.TrimRight(lines[line-1], "\r")
	var caret strings.Builder
	for i, r := range text {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			caret.WriteByte('\t')
		} else {
			caret.WriteByte(' ')
		}
	}
	return []string{"    " + text, "    " + caret.String() + "^"}
}

// convertError turns an error of the parser or of yaegi into an Error of
// cell n (n == 0 for Eval: no cell).
func (s *Session) convertError(ctx context.Context, err error, n int) *api.Error {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		s.out.filter.take()
		return &api.Error{Name: "Interrupted", Value: "the cell was interrupted",
			Traceback: []string{"Interrupted: the cell was stopped (state from before the interrupt is kept)"}}
	}
	var p interp.Panic
	if errors.As(err, &p) {
		lines := s.out.filter.take()
		msg := panicValue(p.Value)
		if m := exitPanic.FindStringSubmatch(msg); m != nil {
			return &api.Error{Name: "Exit", Value: msg + ": exit status " + m[1] + " (the kernel keeps running)",
				Traceback: []string{msg + " called: the cell stopped, the kernel keeps running with its state"}}
		}
		if compilerPanic(p) {
			v := "yaegi's compiler failed on this cell: " + mapPositions(msg, n)
			tb := []string{"CompileError: " + v}
			if strings.Contains(msg, "nil type") {
				tb = append(tb, "hint: yaegi v0.16 cannot range over a function (Go 1.23 iterators), nor over an integer whose type the kernel could not infer (write `for i := 0; i < N; i++`)")
			}
			return &api.Error{Name: "CompileError", Value: v, Traceback: tb}
		}
		return s.runtimePanic(p, msg, lines, n)
	}
	var list scanner.ErrorList
	var msgs []string
	if errors.As(err, &list) {
		for _, e := range list {
			msgs = append(msgs, e.Error())
		}
	} else {
		msgs = strings.Split(strings.TrimSpace(err.Error()), "\n")
	}
	var tb []string
	for i, m := range msgs {
		msgs[i] = mapPositions(m, n)
		tb = append(tb, msgs[i])
		if i == 0 {
			tb = append(tb, s.snippet(m)...)
		}
	}
	if strings.HasSuffix(msgs[0], "constant definition loop") {
		tb = append(tb, "hint: yaegi reports this when the right side of := uses an undefined name")
	}
	return &api.Error{Name: "CompileError", Value: strings.Join(msgs, "\n"), Traceback: tb}
}

// compilerPanic reports whether a panic came from yaegi's parser or
// compiler rather than from running the cell.
func compilerPanic(p interp.Panic) bool {
	st := string(p.Stack)
	run := strings.Index(st, "interp.(*Interpreter).Execute(")
	for _, f := range []string{"interp.(*Interpreter).CompileAST(", "interp.(*Interpreter).cfg(", "interp.(*Interpreter).gta(", "interp.(*Interpreter).compileSrc("} {
		if i := strings.Index(st, f); i >= 0 && (run < 0 || i < run) {
			return true
		}
	}
	return false
}
