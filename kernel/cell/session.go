package cell

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"io"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
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
	order   []string                  // globals in declaration order
	imports map[string]string         // local name -> import path
	types   map[string]bool           // type names declared by cells
	prior   map[string]rewrite.Global // globals as the rewrites see them
	methods map[string]rewrite.Method // "T.M" -> methods declared through a variable
	onEval  func(src string)          // called with every source evaluated (tests)

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
}

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
		// yaegi v0.16.1 (restricted-env): restricted mode gives cells an
		// empty private environment; they see the kernel's real one, so
		// that %env and os.Setenv agree, and read the session's stdin.
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
	rt := rewrite.Runtime()
	rt["GoPanic"] = reflect.ValueOf(s.reportGoPanic)
	rt["Put"] = reflect.ValueOf(s.putValue)
	if err := in.Use(interp.Exports{rewrite.RuntimePath + "/cellrt": rt, rewrite.ValuesPath + "/cellvals": {}}); err != nil {
		return err
	}
	for i, src := range rewrite.Prelude() {
		if _, err := in.Eval(src); err != nil {
			return fmt.Errorf("cell: evaluating the prelude (%d): %w", i, err)
		}
	}
	s.in = in
	s.globals = map[string]*global{}
	s.order = nil
	s.imports = map[string]string{}
	s.types = map[string]bool{}
	s.prior = map[string]rewrite.Global{}
	s.methods = map[string]rewrite.Method{}
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
		s.eval(context.Background(), rewrite.DropDefers)
		s.defers = false
	}
	res = s.runCell(ctx, code, n)
	if s.defers {
		// The cell's top-level defers, last first, also after a panic (not
		// after an interrupt); a panic in one ends the others.
		_, err := s.eval(ctx, rewrite.RunDefers)
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
//
// yaegi v0.16.1 (blocking-call): an interrupted evaluation blocked in
// compiled code keeps running after EvalWithContext returned.
func (s *Session) eval(ctx context.Context, src string) (reflect.Value, error) {
	in := s.interp()
	if s.onEval != nil {
		s.onEval(src)
	}
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

// panicValue formats a recovered panic value.
func panicValue(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(r)
}

// priorWith returns what the rewrites of a cell know of the cells before
// it, with the cell's own imports and automatic imports in scope.
func (s *Session) priorWith(imports []cellImport, autos []autoImport) rewrite.Prior {
	s.symMu.Lock()
	defer s.symMu.Unlock()
	scope := make(map[string]string, len(s.imports)+len(imports)+len(autos))
	for k, v := range s.imports {
		scope[k] = v
	}
	for _, ci := range imports {
		if ci.name != "" {
			scope[ci.name] = ci.path
		}
	}
	for _, a := range autos {
		scope[a.name] = a.path
	}
	return rewrite.Prior{Globals: s.prior, Imports: scope, Types: s.types, Methods: s.methods}
}
