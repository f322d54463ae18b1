package cell

import (
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/subspace-kernel/subspace/kernel/cell/rewrite"
	"github.com/traefik/yaegi/interp"
)

// newInterpreter makes a fresh interpreter with every symbol table, the
// session's os overrides and runtime helpers, and the rewrites' prelude,
// and forgets the records. Called with symMu held or before the session is
// shared. Cost: O(symbols) plus a few small evaluations.
func (s *Session) newInterpreter() error {
	var stdin io.Reader = noStdin{}
	if s.opts.Stdin != nil {
		stdin = s.opts.Stdin
	}
	in := interp.New(interp.Options{Stdin: stdin, Stdout: fmtWriter{s.out}, Stderr: s.out.filter, GoPath: s.opts.GoPath})
	for _, e := range s.pkgs.all() {
		if err := in.Use(e); err != nil {
			return fmt.Errorf("cell: loading symbols: %w", err)
		}
	}
	if err := in.Use(interp.Exports{"os/os": s.osSymbols()}); err != nil {
		return err
	}
	if err := in.Use(s.guardSymbols()); err != nil {
		return err
	}
	rt := rewrite.Runtime()
	rt["GoPanic"] = reflect.ValueOf(s.reportGoPanic)
	rt["Put"] = reflect.ValueOf(s.putValue)
	rt["Step"] = reflect.ValueOf(s.where.setStep)
	if err := in.Use(interp.Exports{rewrite.RuntimePath + "/cellrt": rt, rewrite.ValuesPath + "/cellvals": {}}); err != nil {
		return err
	}
	for i, src := range rewrite.Prelude() {
		if _, err := in.Eval(src); err != nil {
			return fmt.Errorf("cell: evaluating the prelude (%d): %w", i, err)
		}
	}
	s.in = in
	s.rec.reset()
	s.check.Reset()
	return nil
}

// osSymbols overrides symbols of package os for the cells.
//
// yaegi v0.16.1 (restricted-env): restricted mode gives cells an empty
// private environment and no stdin; they see the kernel's real
// environment, so that %env and os.Setenv agree, and os.Stdin reads the
// session's input.
func (s *Session) osSymbols() map[string]reflect.Value {
	syms := map[string]reflect.Value{
		"Stdout":    reflect.ValueOf(&s.out.files.outFile).Elem(),
		"Stderr":    reflect.ValueOf(&s.out.files.errFile).Elem(),
		"Getenv":    reflect.ValueOf(os.Getenv),
		"LookupEnv": reflect.ValueOf(os.LookupEnv),
		"Setenv":    reflect.ValueOf(os.Setenv),
		"Unsetenv":  reflect.ValueOf(os.Unsetenv),
		"Environ":   reflect.ValueOf(os.Environ),
		"ExpandEnv": reflect.ValueOf(os.ExpandEnv),
	}
	switch r := s.opts.Stdin.(type) {
	case *os.File:
		syms["Stdin"] = reflect.ValueOf(&r).Elem()
	case nil:
		// an *os.File at end of file, never the kernel's own stdin
		f := s.out.stdinFile
		syms["Stdin"] = reflect.ValueOf(&f).Elem()
	default:
		// os.Stdin of the cells is then an io.Reader (not an *os.File):
		// bufio.NewScanner(os.Stdin) and os.Stdin.Read read Options.Stdin.
		var rd io.Reader = r
		syms["Stdin"] = reflect.ValueOf(&rd).Elem()
	}
	return syms
}

// noStdin is fmt.Scan*'s reader when Options.Stdin is nil.
type noStdin struct{}

func (noStdin) Read([]byte) (int, error) {
	return 0, errors.New("stdin is not available in this kernel (the frontend did not allow input)")
}
