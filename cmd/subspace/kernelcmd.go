package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"runtime"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/display"
	"github.com/subspace-kernel/subspace/display/chart"
	"github.com/subspace-kernel/subspace/kernel"
	"github.com/subspace-kernel/subspace/kernel/engine"
	"github.com/subspace-kernel/subspace/plugins"
	"github.com/subspace-kernel/subspace/plugins/pluginmagic"
)

// kernelCommand runs the kernel.
var kernelCommand = &Command{Name: "kernel", Summary: "run the kernel for a Jupyter connection file", Run: runKernel}

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
	display.RegisterConverter(chart.Convert)
	return kernel.Run(context.Background(), *conn,
		kernel.WithEngine(newEngine),
		kernel.WithBanner(fmt.Sprintf("subspace %s: Go %s interpreted by yaegi", kernel.Version, runtime.Version())),
		kernel.WithSignals(true))
}

// newEngine is the kernel's engine: a cell session with the built-in
// symbol tables (plugins.Symbols), the plugins of the plugin path and
// their magics, whose values render with display.Render and whose
// display.Show and friends publish to the kernel's sink.
func newEngine(cfg kernel.EngineConfig) (api.Engine, error) {
	display.SetPublisher(cfg.Sink)
	e, err := engine.New(engine.Config{Sink: cfg.Sink, Render: display.Render, Symbols: plugins.Symbols()})
	if err != nil {
		return nil, err
	}
	s := e.Session()
	if err := pluginmagic.Install(s.Magics(), s, pluginConfig()); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}
