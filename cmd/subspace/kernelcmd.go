package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/subspace-kernel/subspace/kernel"
	"github.com/subspace-kernel/subspace/kernel/cell"
	"github.com/traefik/yaegi/interp"
)

func init() {
	register(&Command{Name: "kernel", Summary: "run the kernel for a Jupyter connection file", Run: runKernel})
}

// symbolSources are called when the kernel starts; each returns symbol
// tables of compiled packages cells may import (beyond the standard
// library, which the cell engine always has). Other files of this package
// append to it in their init functions.
var symbolSources []func() []interp.Exports

// sessionHooks run on every new cell session before the first cell, e.g.
// to register magics. An error stops the kernel from starting.
var sessionHooks []func(*cell.Session) error

// parseFlags parses args with fs; -h prints the options and is not an error.
func parseFlags(fs *flag.FlagSet, args []string) (help bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return true, nil
	}
	if err != nil {
		return false, usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return false, usageError{fmt.Sprintf("unexpected arguments %q", fs.Args())}
	}
	return false, nil
}

func runKernel(args []string) error {
	fs := flag.NewFlagSet("subspace kernel", flag.ContinueOnError)
	conn := fs.String("connection-file", "", "Jupyter connection file (JSON)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *conn == "" {
		return usageError{"--connection-file is required"}
	}
	var symbols []interp.Exports
	for _, src := range symbolSources {
		symbols = append(symbols, src()...)
	}
	return kernel.Run(context.Background(), *conn,
		kernel.WithEngine(newCellEngine),
		kernel.WithSymbols(symbols...),
		kernel.WithSignals(true))
}

// cellEngine adapts a cell.Session to kernel.Engine.
type cellEngine struct{ s *cell.Session }

func newCellEngine(cfg kernel.EngineConfig) (kernel.Engine, error) {
	s, err := cell.New(cell.Options{Stdout: cfg.Stdout, Stderr: cfg.Stderr, Stdin: cfg.Stdin, Symbols: cfg.Symbols})
	if err != nil {
		return nil, err
	}
	for _, h := range sessionHooks {
		if err := h(s); err != nil {
			s.Close()
			return nil, err
		}
	}
	return cellEngine{s}, nil
}

func convertError(e *cell.Error) *kernel.ExecError {
	if e == nil {
		return nil
	}
	return &kernel.ExecError{Name: e.Name, Value: e.Value, Traceback: e.Traceback}
}

func (c cellEngine) Execute(ctx context.Context, code string) kernel.ExecResult {
	r := c.s.Execute(ctx, code)
	return kernel.ExecResult{Value: r.Value, HasValue: r.HasValue, Err: convertError(r.Err)}
}

func (c cellEngine) Eval(ctx context.Context, expr string) (any, error) {
	v, err := c.s.Eval(ctx, expr)
	var ce *cell.Error
	if errors.As(err, &ce) {
		return nil, convertError(ce)
	}
	return v, err
}

func (c cellEngine) Complete(code string, cursor int) kernel.Completion {
	r := c.s.Complete(code, cursor)
	return kernel.Completion{Matches: r.Matches, CursorStart: r.CursorStart, CursorEnd: r.CursorEnd, Types: r.Types}
}

func (c cellEngine) Inspect(code string, cursor, detail int) kernel.Inspection {
	r := c.s.Inspect(code, cursor, detail)
	return kernel.Inspection{Found: r.Found, Text: r.Text, Markdown: r.Markdown}
}

func (c cellEngine) IsComplete(code string) (string, string) { return cell.IsComplete(code) }
