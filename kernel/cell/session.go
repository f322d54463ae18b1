package cell

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/subspace-kernel/subspace/kernel/complete"
	"github.com/subspace-kernel/subspace/native/progress"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// Session is one interpreter with the state of the cells run so far. Its
// methods are safe for concurrent use; Execute, Eval and Reset are
// serialized (one cell at a time).
type Session struct {
	opts Options

	mu    sync.Mutex // held while a cell, Eval or Reset runs
	symMu sync.Mutex // guards in (pointer swap), exports, magics, records
	in    *interp.Interpreter

	exports  []interp.Exports
	pkgName  map[string]string                   // import path -> package name, from exports
	pkgCache map[string]map[string]reflect.Value // Packages(), until the next Use
	magics   map[string]Magic

	stdout, stderr *lockedWriter
	outPipe        *pipeCopier // cells' os.Stdout and fmt.Print*
	errPipe        *pipeCopier // cells' os.Stderr
	filter         *stderrFilter
	stdinFile      *os.File

	count   int            // cells executed, names cell[N]
	cells   map[int]string // source of each cell, for tracebacks
	fresh   int            // counter for rewritten names
	globals map[string]*global
	order   []string          // globals in declaration order
	imports map[string]string // local name -> import path
	types   map[string]bool   // type names declared by cells
	typeGen map[string]int    // declarations of each type name so far
	methods map[string]method // "T.M" -> methods declared through a variable

	defers   bool // the running cell registered top-level defers
	running  atomic.Bool
	current  atomic.Int64 // number of the running cell
	goMu     sync.Mutex
	goPanic  *Error          // first goroutine panic during the running cell
	put      []reflect.Value // values handed over by __subspace.Put
	leftover atomic.Bool
}

// global is the record of a user declaration.
type global struct {
	complete.Symbol
	Source string
	// For functions: the source as it was evaluated (rewritten, with line
	// directives) and the identifiers its body uses, to re-evaluate it when
	// a function it calls is redeclared.
	evalText string
	refs     map[string]bool
	generic  bool // a function with type parameters
	results  int  // number of results of a function
}

// rtPath is the import path of the session's helper package inside the
// interpreter (imported as __subspace by every session).
const rtPath = "subspace/cellrt"

// New starts a session: a yaegi interpreter in restricted mode with the
// standard library and opts.Symbols, whose fmt.Print*, os.Stdout, os.Stderr
// and log write to opts.Stdout/opts.Stderr. Cost: importing yaegi's
// standard library symbol tables, a few milliseconds; two pipes and two
// goroutines live until Close.
func New(opts Options) (*Session, error) {
	if opts.Stdout == nil || opts.Stderr == nil {
		return nil, errors.New("cell: Options.Stdout and Options.Stderr are required")
	}
	s := &Session{
		opts:    opts,
		magics:  map[string]Magic{},
		cells:   map[int]string{},
		stdout:  &lockedWriter{w: opts.Stdout},
		stderr:  &lockedWriter{w: opts.Stderr},
		pkgName: map[string]string{},
	}
	s.filter = &stderrFilter{dst: s.stderr}
	var err error
	if s.outPipe, err = newPipeCopier(s.stdout); err != nil {
		return nil, err
	}
	if s.errPipe, err = newPipeCopier(s.stderr); err != nil {
		s.outPipe.Close()
		return nil, err
	}
	if opts.Stdin == nil {
		// os.Stdin of a cell reads EOF (never the kernel's own stdin);
		// fmt.Scan* get an explaining error.
		r, w, err := os.Pipe()
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("cell: creating stdin pipe: %w", err)
		}
		w.Close()
		s.stdinFile = r
	}
	s.exports = append(s.exports, stdlib.Symbols)
	s.exports = append(s.exports, opts.Symbols...)
	for _, e := range s.exports {
		s.notePackages(e)
	}
	for _, m := range builtinMagics() {
		s.magics[m.Name] = m
	}
	if err := s.newInterpreter(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the session's pipes. Output written by goroutines still
// running afterwards is lost.
func (s *Session) Close() error {
	var err error
	if s.outPipe != nil {
		err = s.outPipe.Close()
	}
	if s.errPipe != nil {
		if e := s.errPipe.Close(); err == nil {
			err = e
		}
	}
	if s.stdinFile != nil {
		s.stdinFile.Close()
	}
	return err
}

// Stdout is the writer a magic or plugin should print to: it is the same
// stream as the cells' fmt.Print* and os.Stdout (ordering is preserved),
// forwarded to Options.Stdout.
func (s *Session) Stdout() io.Writer { return s.outPipe.w }

// Stderr is the writer for errors and warnings of magics and plugins,
// forwarded to Options.Stderr.
func (s *Session) Stderr() io.Writer { return s.stderr }

// noStdin is fmt.Scan*'s reader when Options.Stdin is nil.
type noStdin struct{}

func (noStdin) Read([]byte) (int, error) {
	return 0, errors.New("stdin is not available in this kernel (the frontend did not allow input)")
}

func (s *Session) notePackages(e interp.Exports) {
	for k := range e {
		i := strings.LastIndexByte(k, '/')
		if i > 0 {
			s.pkgName[k[:i]] = k[i+1:]
		}
	}
}

// newInterpreter makes a fresh interpreter with every symbol table. Called
// with symMu held or before the session is shared.
func (s *Session) newInterpreter() error {
	var stdin io.Reader = noStdin{}
	if s.opts.Stdin != nil {
		stdin = s.opts.Stdin
	}
	in := interp.New(interp.Options{Stdin: stdin, Stdout: s.outPipe.w, Stderr: s.filter, GoPath: s.opts.GoPath})
	for _, e := range s.exports {
		if err := in.Use(e); err != nil {
			return fmt.Errorf("cell: loading symbols: %w", err)
		}
	}
	errFile := s.errPipe.w
	osSyms := map[string]reflect.Value{
		"Stderr": reflect.ValueOf(&errFile).Elem(),
		// Cells see the kernel's real environment (restricted mode would give
		// them an empty private one), so %env and os.Setenv agree.
		"Getenv":    reflect.ValueOf(os.Getenv),
		"LookupEnv": reflect.ValueOf(os.LookupEnv),
		"Setenv":    reflect.ValueOf(os.Setenv),
		"Unsetenv":  reflect.ValueOf(os.Unsetenv),
		"Environ":   reflect.ValueOf(os.Environ),
		"ExpandEnv": reflect.ValueOf(os.ExpandEnv),
	}
	switch r := s.opts.Stdin.(type) {
	case *os.File:
		osSyms["Stdin"] = reflect.ValueOf(&r).Elem()
	case nil:
		// an *os.File at end of file, never the kernel's own stdin
		f := s.stdinFile
		osSyms["Stdin"] = reflect.ValueOf(&f).Elem()
	default:
		// os.Stdin of the cells is then an io.Reader (not an *os.File):
		// bufio.NewScanner(os.Stdin) and os.Stdin.Read read Options.Stdin.
		var rd io.Reader = r
		osSyms["Stdin"] = reflect.ValueOf(&rd).Elem()
	}
	if err := in.Use(interp.Exports{"os/os": osSyms}); err != nil {
		return err
	}
	rt := interp.Exports{rtPath + "/cellrt": {
		"Tuple":      reflect.ValueOf(func(v ...any) []any { return v }),
		"GoPanic":    reflect.ValueOf(s.reportGoPanic),
		"Clear":      reflect.ValueOf(clearValue),
		"Put":        reflect.ValueOf(s.putValue),
		"SlicesSort": reflect.ValueOf(slicesSort),
	}}
	if err := in.Use(rt); err != nil {
		return err
	}
	if _, err := in.Eval(`import __subspace "` + rtPath + `"`); err != nil {
		return fmt.Errorf("cell: importing the runtime helper: %w", err)
	}
	if _, err := in.Eval(`var __subspace_defers []func()`); err != nil {
		return fmt.Errorf("cell: declaring the defer list: %w", err)
	}
	if err := in.Use(interp.Exports{valsPath + "/cellvals": {}}); err != nil {
		return err
	}
	if _, err := in.Eval(`import __subspace_vals "` + valsPath + `"`); err != nil {
		return fmt.Errorf("cell: importing the value table: %w", err)
	}
	if _, err := in.Eval(builtinHelpers); err != nil {
		return fmt.Errorf("cell: declaring the min and max helpers: %w", err)
	}
	if _, err := in.Eval(slicesHelpers); err != nil {
		return fmt.Errorf("cell: declaring the slices helpers: %w", err)
	}
	s.in = in
	s.globals = map[string]*global{}
	s.order = nil
	s.imports = map[string]string{}
	s.types = map[string]bool{}
	s.typeGen = map[string]int{}
	s.methods = map[string]method{}
	return nil
}

// Use adds compiled packages (symbol tables, e.g. from a plugin) that cells
// may then import. They are kept across Reset. Cost: O(symbols).
func (s *Session) Use(e interp.Exports) error {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	if err := s.in.Use(e); err != nil {
		return err
	}
	s.exports = append(s.exports, e)
	s.notePackages(e)
	s.pkgCache = nil
	return nil
}

// RegisterMagic adds (or replaces) a magic; it is listed by %help and kept
// across Reset. A magic must not call Execute or Reset of its session.
func (s *Session) RegisterMagic(m Magic) {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	s.magics[m.Name] = m
}

// Reset replaces the interpreter with a fresh one: user declarations and
// imports are forgotten; symbol tables added with Use and registered magics
// stay. Waits for a running cell to finish.
func (s *Session) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reset()
}

func (s *Session) reset() error {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.newInterpreter()
}

func (s *Session) interp() *interp.Interpreter {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	return s.in
}

// reportGoPanic is called (through __subspace.GoPanic) by the recovering
// wrapper of a `go` statement: it writes the panic and its interpreted call
// positions to Stderr at once, and when a cell is running, makes it that
// cell's error (unless the cell has one of its own).
func (s *Session) reportGoPanic(r any) {
	lines := s.filter.take()
	msg := panicValue(r)
	var b strings.Builder
	fmt.Fprintf(&b, "panic in goroutine: %s\n", msg)
	for _, l := range lines {
		b.WriteString("    " + mapPositions(l, 0) + "\n")
	}
	b.WriteString("(the goroutine stopped; the kernel and its state are unaffected)\n")
	io.WriteString(s.stderr, b.String())
	if s.running.Load() {
		s.goMu.Lock()
		if s.goPanic == nil {
			n := int(s.current.Load())
			tb := []string{"panic in goroutine: " + msg}
			for _, l := range lines {
				tb = append(tb, "    "+mapPositions(l, n))
			}
			s.goPanic = &Error{Name: "panic", Value: "goroutine: " + msg, Traceback: tb}
		}
		s.goMu.Unlock()
	}
}

// Execute runs one cell and never panics. Behaviour:
//
//   - Magic lines (%name args) at the top run first; %%name on the first
//     line makes the rest of the cell its body. Go code after magic lines
//     runs as usual, with its positions unchanged.
//   - The Go code is split at top-level statements: imports are evaluated
//     first, one at a time (a package already imported under the same name
//     is skipped; a missing package fails the cell but the others stay
//     imported), then declarations and statements in source order,
//     consecutive ones of a kind together. A package the cell uses as
//     pkg.Name without importing it, and that nothing declares, is imported
//     when exactly one package has that name (the standard library's first;
//     "rand" or "template" stay undefined), with a note on Stderr. A
//     leading package clause is ignored and a func main
//     declared by the cell is run once at its end.
//   - Rewrites before evaluation, each for a yaegi v0.16.1 failure:
//     `for i := range n` over an integer becomes a 3-clause loop (n
//     evaluated once, i of n's type). `go f(a)` gets a wrapper that recovers
//     a panic of the goroutine (arguments that are not literals are
//     evaluated before it starts, the function value in it). A `defer`
//     outside functions runs once when the cell ends (last first, also after
//     a panic, not after an interrupt; yaegi would rerun it after every later
//     evaluation), and so does a top-level `func() { ... }()`. A type
//     already declared by an earlier cell is redeclared through a fresh name
//     and an alias (yaegi would keep the old fields). A top-level `var`
//     whose value holds a function literal or uses a variable of an earlier
//     cell becomes `:=` (`var a T; a = v` when typed; yaegi: "variable
//     definition loop"). A top-level for, if, switch, select or block
//     holding a multi-value definition (`v, err := f()`, `a, ok := m[k]`,
//     `var a, b = f()`) or a type switch that binds a variable runs inside
//     `func() { ... }()` unless it holds a return or goto; the variables it
//     declares are local to it, as in Go.
//   - Go 1.21's min, max and clear (unknown to yaegi) go to helpers unless
//     the cell or an earlier one declares the name: min/max of literals
//     fold to a constant, other calls nest a two-argument generic helper
//     (ints, floats with NaN winning, strings; min(0.0, -0.0) may keep the
//     +0); clear works on maps and slices. slices.Sort (compiled),
//     SortFunc, SortStableFunc, IsSorted, BinarySearch, Min and Max,
//     missing from yaegi's slices, go to helpers too.
//   - A top-level `x := G(a)` or `var x = G(a)` whose value calls a generic
//     function (declared by a cell, min/max, or of slices, maps or cmp)
//     runs on its own, in two steps: each value is evaluated as an
//     expression, then the names are bound to the values (yaegi cannot type
//     such a global). Likewise a top-level comma-ok definition (`v, ok :=
//     m[k]`, `x.(T)`, `<-ch`) or `a, b := G(x)` runs in a function literal
//     that hands the values over. The names get the values' types when the
//     kernel can name them (cell struct types included); otherwise a value
//     of a cell struct type loses its methods (a note on Stderr says so),
//     and one of a named non-struct cell type gets its underlying type.
//   - Methods: a method of a non-generic type declared by a cell calls its
//     body through a function variable, so that a later cell can redeclare
//     it (yaegi keeps the first declaration): the new body applies to every
//     value, also those made before. Changing a method's signature needs
//     the type redeclared (its methods are then new); a redeclaration that
//     fails to compile keeps the old body. Cost: a method call is about
//     twice as slow as yaegi's direct call (BenchmarkMethodCall).
//   - Redeclaration: a func, var, const or type may be redeclared. Functions
//     of earlier cells that call a redeclared function are re-evaluated so
//     that they call the new one (transitively); one that no longer compiles
//     panics with the reason when called. A redeclaration that fails to
//     compile keeps the previous function (a variable whose redeclaration
//     fails is left at its zero value by yaegi).
//   - Value: the last statement's value when it is an expression. A call
//     with one result gives it, a call with several gives []any of all of
//     them, a void call and fmt.Print*/Fprint* give none (HasValue false).
//     A nil last result whose static type is error is left out: a call
//     returning only a nil error (display.Show(x)) gives none, (v, nil)
//     gives v, (a, b, nil) gives [a b]; a non-nil error is shown. The type
//     is known when the function is named by identifiers and selectors
//     (f, pkg.F, v.Method); for other callees (f()()) the nil is shown.
//   - Errors (Result.Err): "CompileError" (syntax and type errors, and
//     yaegi compiler panics), "panic" (including run-time errors), "Exit"
//     (os.Exit: the process does not exit), "Interrupted" (ctx cancelled;
//     a loop stops within milliseconds, a blocking compiled call is waited
//     for up to 1 s, then by the next cell), "UnknownMagic", "UsageError",
//     "MagicError". Positions read cell:LINE:COL for this cell and
//     cell[N]:LINE:COL for code of cell N; the traceback shows the source
//     line with a caret. A compile error means none of the failing group
//     ran; groups before it did.
//   - A goroutine that panics is reported on Stderr at once; if a cell is
//     running, that cell also fails with Error{Name: "panic", Value:
//     "goroutine: ..."}; a panic between cells only reaches Stderr.
//   - progress.SetContext(ctx) is set while the cell runs, so native code
//     that reports progress stops on interrupt.
//
// Output is written while the cell runs and is flushed before Execute
// returns. The session's state survives every error. Cost: O(len(code))
// parsing and rewriting plus yaegi's compile and run time.
func (s *Session) Execute(ctx context.Context, code string) (res Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	n := s.count
	s.cells[n] = code
	progress.SetContext(ctx)
	defer progress.SetContext(nil)
	s.goMu.Lock()
	s.goPanic = nil
	s.goMu.Unlock()
	s.filter.take() // panic lines of panics that user code recovered
	s.current.Store(int64(n))
	s.running.Store(true)
	defer func() {
		s.outPipe.Flush(defaultFlush)
		s.errPipe.Flush(defaultFlush)
		s.running.Store(false)
		s.goMu.Lock()
		if res.Err == nil && s.goPanic != nil {
			res.Err = s.goPanic
			res.Value, res.HasValue = nil, false
		}
		s.goPanic = nil
		s.goMu.Unlock()
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
		s.eval(context.Background(), "__subspace_defers = nil")
		s.defers = false
	}
	res = s.runCell(ctx, code, n)
	if s.defers {
		// The cell's top-level defers, last first, also after a panic (not
		// after an interrupt); a panic in one ends the others.
		_, err := s.eval(ctx, "\n{ __d := __subspace_defers; __subspace_defers = nil; for __i := len(__d) - 1; __i >= 0; __i-- { __d[__i]() } }")
		if err == nil || ctx.Err() == nil {
			s.defers = false
		}
		if err != nil && res.Err == nil {
			res = Result{Err: s.convertError(ctx, err, n)}
		}
	}
	return res
}

// waitLeftover waits until the evaluation of an interrupted cell that was
// blocked in compiled code has really stopped.
func (s *Session) waitLeftover(ctx context.Context) *Error {
	if !s.leftover.Load() {
		return nil
	}
	io.WriteString(s.stderr, "waiting for the interrupted cell, blocked in compiled code, to stop (interrupt again to stop waiting)\n")
	for evalGoroutines() > 0 {
		select {
		case <-ctx.Done():
			s.leftover.Store(false) // give up: the next cell runs without waiting
			return &Error{Name: "Interrupted", Value: "interrupted while waiting for the previous interrupted cell to stop",
				Traceback: []string{"Interrupted: the previous cell is still blocked in compiled code"}}
		case <-time.After(10 * time.Millisecond):
		}
	}
	s.leftover.Store(false)
	return nil
}

// evalGoroutines counts goroutines evaluating cells with yaegi's
// EvalWithContext. O(goroutines); used only after an interrupt.
func evalGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			c := 0
			for _, l := range strings.Split(string(buf[:n]), "\n") {
				if strings.HasPrefix(l, "github.com/traefik/yaegi/interp.(*Interpreter).EvalWithContext.func") {
					c++
				}
			}
			return c
		}
		buf = make([]byte, 2*len(buf))
	}
}

// eval runs one piece of generated source. After an interrupt it waits up
// to a second for yaegi's evaluation goroutine to notice and stop; if it
// does not (a blocking compiled call), the next cell waits for it.
func (s *Session) eval(ctx context.Context, src string) (reflect.Value, error) {
	in := s.interp()
	v, err := in.EvalWithContext(ctx, src)
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		deadline := time.Now().Add(time.Second)
		for evalGoroutines() > 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if evalGoroutines() > 0 {
			s.leftover.Store(true)
		}
	}
	return v, err
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
	v, verr := s.eval(ctx, "\n//line expr/_.go:1:1\n"+expr)
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
	s.outPipe.Flush(defaultFlush)
	fmt.Fprintf(s.outPipe.w, "Wall time: %s\n", formatWall(d))
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

// run evaluates the Go code of a cell (src keeps the cell's line structure).
func (s *Session) run(ctx context.Context, src string, n int) Result {
	// Positions are cell[N]/_.go:LINE:COL: yaegi v0.16 keys imported
	// packages by the base name of the file ("fmt/_.go"), so every piece of
	// a cell must keep the base name _.go to see the imports of earlier cells.
	name := fmt.Sprintf("cell[%d]/_.go", n)
	src = blankPackageClause(src)
	items, err := splitItems(src, name)
	if err != nil {
		return Result{Err: s.convertError(ctx, err, n)}
	}
	if len(items) == 0 {
		return Result{}
	}
	rw := &rewriter{src: src, name: name, n: &s.fresh}
	rw.builtins = builtinNames(items, func(n string) bool { return s.global(n) != nil })
	rw.isConst = s.constNames(items)
	declared := declaredNames(items)
	rw.pkgPath = func(name string) string {
		if declared[name] {
			return ""
		}
		return s.importPath(name)
	}
	rw.methodVars, rw.methodTypes = map[*item]string{}, map[*item]string{}
	typeInCell := map[string]bool{}
	for _, it := range items {
		if gd, ok := it.decl.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, sp := range gd.Specs {
				typeInCell[sp.(*ast.TypeSpec).Name.Name] = true
			}
		}
	}
	isGeneric := s.genericFuncs(items)
	globalVar := func(name string) bool {
		g := s.global(name)
		return g != nil && g.Kind == "var"
	}
	for _, it := range items {
		if _, _, gd := rw.genericDef(it, isGeneric); !gd {
			rw.varFuncLits(it, globalVar)
		}
		if err := rw.methodRedecl(it, s.knownMethod, typeInCell); err != nil {
			return Result{Err: s.convertError(ctx, err, n)}
		}
	}
	res := &intResolver{items: items, global: s.globalIsInt, expr: s.exprIsInt, src: src, done: map[*item]bool{},
		isImport: func(n string) bool { return s.importPath(n) != "" }, typeSource: s.typeSource,
		pkgSym: s.pkgSym, globalType: s.globalType}
	for _, it := range items {
		if it.kind == itemImport {
			rw.rewriteItem(it, res, s.types)
		}
	}

	// Imports first (see evalImports).
	if err := s.evalImports(ctx, items, src, name); err != nil {
		return Result{Err: s.convertError(ctx, err, n)}
	}

	// Then declarations and statements in source order, consecutive items
	// of one kind together; the last expression statement on its own.
	var rest []*item
	for _, it := range items {
		if it.kind != itemImport {
			rest = append(rest, it)
		}
	}
	var last *ast.ExprStmt
	if k := len(rest); k > 0 {
		if es, ok := rest[k-1].stmt.(*ast.ExprStmt); ok {
			last = es
		}
	}
	// A top-level range loop whose operand's type is unknown before the
	// cell runs starts a group of its own: by then the statements before it
	// have run and the operand can be asked for its type.
	unknownRange := func(it *item) bool {
		st := it.stmt
		if ls, ok := st.(*ast.LabeledStmt); ok {
			st = ls.Stmt
		}
		rs, ok := st.(*ast.RangeStmt)
		if !ok {
			return false
		}
		res.cur = it
		_, known := res.isInt(rs.X, []ast.Node{it.stmt}, 0)
		return !known
	}
	defer func() {
		if rw.defers > 0 {
			s.defers = true
		}
	}()
	// A definition from a generic call is evaluated on its own (see
	// genericDef).
	genericDef := func(it *item) bool {
		_, _, ok := rw.genericDef(it, isGeneric)
		_, _, ok2 := rw.multiDef(it, isGeneric)
		return ok || ok2
	}
	for i := 0; i < len(rest); {
		j := i + 1
		for !genericDef(rest[i]) && j < len(rest) && rest[j].kind == rest[i].kind && !(last != nil && j == len(rest)-1) && !unknownRange(rest[j]) && !genericDef(rest[j]) {
			j++
		}
		group := rest[i:j]
		i = j
		for _, it := range group {
			rw.rewriteItem(it, res, s.types)
		}
		if names, rhs, ok := rw.multiDef(group[0], isGeneric); ok && len(group) == 1 && !rw.replaced(group[0]) {
			if err := s.evalMultiDef(ctx, group[0], names, rhs, rw); err != nil {
				return Result{Err: s.convertError(ctx, err, n)}
			}
			s.record(group, src, rw)
			res.done[group[0]] = true
			continue
		}
		if names, values, ok := rw.genericDef(group[0], isGeneric); ok && len(group) == 1 && !rw.replaced(group[0]) {
			if err := s.evalGenericDef(ctx, group[0], names, values, rw); err != nil {
				return Result{Err: s.convertError(ctx, err, n)}
			}
			s.record(group, src, rw)
			res.done[group[0]] = true
			continue
		}
		if last != nil && group[len(group)-1].stmt == ast.Stmt(last) {
			r := s.evalLast(ctx, group[0], rw, src, name, n)
			if r.Err == nil && rw.hasMain {
				return s.runMain(ctx, n)
			}
			return r
		}
		if err := s.evalGroup(ctx, group, rw, res); err != nil {
			s.taintTypes(group)
			s.restoreFuncs(ctx, group)
			s.recordMethods(ctx, group, rw, true)
			return Result{Err: s.convertError(ctx, err, n)}
		}
		redeclared := s.redeclaredFuncs(group)
		s.record(group, src, rw)
		s.recordMethods(ctx, group, rw, false)
		if err := s.assignMethods(ctx, group, rw); err != nil {
			return Result{Err: s.convertError(ctx, err, n)}
		}
		if len(redeclared) > 0 {
			s.rebind(ctx, redeclared, n)
		}
		for _, it := range group {
			res.done[it] = true
		}
	}
	if rw.hasMain {
		return s.runMain(ctx, n)
	}
	return Result{}
}

// runMain calls the func main a cell declared (renamed so that yaegi does
// not run it after every later evaluation), once, like `go run` would.
func (s *Session) runMain(ctx context.Context, n int) Result {
	if _, err := s.eval(ctx, "\n//line main/_.go:1:1\n__subspace_main()"); err != nil {
		return Result{Err: s.convertError(ctx, err, n)}
	}
	return Result{}
}

// evalGroup evaluates consecutive declarations or statements in one piece
// of source. Two yaegi failures get a second look: a compiler panic ("nil
// type") is retried with every range loop over an expression of unknown
// type rewritten as a loop over an integer, and "constant definition
// loop" (yaegi's report of an undefined name on the right of :=) is
// replaced by the compiler's message for that right-hand side alone.
func (s *Session) evalGroup(ctx context.Context, group []*item, rw *rewriter, res *intResolver) error {
	source := func(rw *rewriter) string {
		var b strings.Builder
		if group[0].kind == itemDecl {
			b.WriteString("package main\n")
		} else {
			b.WriteString(stmtStart)
		}
		for _, it := range group {
			b.WriteString(lineDirective(rw.src, rw.name, it.start) + rw.text(it.start, it.end, nil) + "\n")
		}
		return b.String()
	}
	_, err := s.eval(ctx, source(rw))
	if err == nil || ctx.Err() != nil {
		return err
	}
	var p interp.Panic
	// Only statements are retried: a failed compilation of declarations can
	// leave half-declared types and methods behind.
	if errors.As(err, &p) && compilerPanic(p) && strings.Contains(panicValue(p.Value), "nil type") && group[0].kind == itemStmt {
		rw2 := &rewriter{src: rw.src, name: rw.name, n: rw.n, forceRange: true, builtins: rw.builtins, isConst: rw.isConst, pkgPath: rw.pkgPath}
		for _, it := range group {
			// statements made of declarations (var, method redeclaration)
			for _, e := range rw.edits {
				if e.start <= it.start && e.end >= it.end && e.end > e.start {
					rw2.add(&edit{start: e.start, end: e.end, text: e.text, render: e.render})
				}
			}
			rw2.rewriteItem(it, res, s.types)
		}
		if rw2.forced > 0 {
			s.filter.take()
			if _, err2 := s.eval(ctx, source(rw2)); err2 == nil || !isCompileError(err2) {
				return err2
			}
		}
		return err
	}
	if strings.HasSuffix(err.Error(), "constant definition loop") {
		if e := s.undefinedName(group, res.items, rw); e != nil {
			return e
		}
	}
	if errors.As(err, &p) && compilerPanic(p) {
		if e := s.undefinedQualifier(res.items, rw); e != nil {
			s.filter.take()
			return e
		}
	}
	return err
}

// stmtStart begins every piece of statements given to yaegi: yaegi v0.16.1
// compiles a source whose first token is `func` (a function literal called
// at the top level, `func() { ... }()`) as a declaration of func main, and
// then runs that main again after every later evaluation.
const stmtStart = ";"

// printFuncs are fmt functions whose (n, err) results are not shown.
var printFuncs = map[string]bool{"Print": true, "Printf": true, "Println": true, "Fprint": true, "Fprintf": true, "Fprintln": true}

// evalLast evaluates the cell's final expression statement and returns its
// value: a call with one result gives that value, a call with several gives
// them all as []any, a void call and fmt.Print* give none. A last result
// of static type error that is nil is dropped: a call returning only a nil
// error gives no value, (v, nil) gives v, (a, b, nil) gives [a b].
func (s *Session) evalLast(ctx context.Context, it *item, rw *rewriter, src, name string, n int) Result {
	es := it.stmt.(*ast.ExprStmt)
	body := rw.text(it.start, it.end, nil)
	plain := stmtStart + lineDirective(src, name, it.start) + body + "\n"
	call, isCall := ast.Unparen(es.X).(*ast.CallExpr)
	if isCall {
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && printFuncs[sel.Sel.Name] && s.importPath(id.Name) == "fmt" {
				if _, err := s.eval(ctx, plain); err != nil {
					return Result{Err: s.convertError(ctx, err, n)}
				}
				return Result{}
			}
		}
		tuple := lineDirective(src, name, it.start) + "__subspace.Tuple(" + inlineDirective(src, name, it.start) + body + ")\n"
		v, err := s.eval(ctx, tuple)
		if err == nil {
			vals, _ := valueOf(v).([]any)
			if k := len(vals); k > 0 && vals[k-1] == nil && s.lastResultIsError(ctx, call, k) {
				vals = vals[:k-1] // a nil error is not shown
			}
			switch len(vals) {
			case 0:
				return Result{}
			case 1:
				return Result{Value: vals[0], HasValue: true}
			default:
				return Result{Value: vals, HasValue: true}
			}
		}
		if !isCompileError(err) {
			return Result{Err: s.convertError(ctx, err, n)}
		}
		// A void call (or a real compile error, which the plain run reports).
		// yaegi's result for a void call is whatever value it computed last:
		// not a value of the cell.
		if _, err := s.eval(ctx, plain); err != nil {
			return Result{Err: s.convertError(ctx, err, n)}
		}
		return Result{}
	}
	v, err := s.eval(ctx, plain)
	if err != nil {
		return Result{Err: s.convertError(ctx, err, n)}
	}
	if !v.IsValid() {
		return Result{}
	}
	return Result{Value: valueOf(v), HasValue: true}
}

// errorType is the reflect type of the error interface.
var errorType = reflect.TypeOf((*error)(nil)).Elem()

// lastResultIsError reports whether the function that call calls has k
// results, the last of type error. It knows when the function is named by
// identifiers and selectors only (f, pkg.F, v.Method, v.f.Method): that
// expression is evaluated (no call, so no side effects) for its type. Cost:
// one small evaluation.
func (s *Session) lastResultIsError(ctx context.Context, call *ast.CallExpr, k int) bool {
	var pure func(e ast.Expr) bool
	pure = func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return true
		case *ast.SelectorExpr:
			return pure(x.X)
		case *ast.ParenExpr:
			return pure(x.X)
		}
		return false
	}
	if !pure(call.Fun) {
		return false
	}
	if id, ok := call.Fun.(*ast.Ident); ok && (id.Name == "min" || id.Name == "max" || id.Name == "clear") {
		return false
	}
	var b strings.Builder
	if err := format.Node(&b, token.NewFileSet(), call.Fun); err != nil {
		return false
	}
	v, err := s.eval(ctx, stmtStart+b.String())
	if err != nil || !v.IsValid() || v.Kind() != reflect.Func {
		s.filter.take()
		return false
	}
	t := v.Type()
	return t.NumOut() == k && t.Out(k-1) == errorType
}

func valueOf(v reflect.Value) any {
	if !v.IsValid() || !v.CanInterface() {
		return nil
	}
	return v.Interface()
}

// isCompileError reports whether err comes from yaegi's parser or compiler
// (as opposed to a run-time panic or an interrupt).
func isCompileError(err error) bool {
	var p interp.Panic
	if errors.As(err, &p) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return true
}

// panicValue formats a recovered panic value.
func panicValue(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(r)
}
