package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/display"
	"github.com/subspace-kernel/subspace/display/chart"
	"github.com/subspace-kernel/subspace/kernel"
	"github.com/subspace-kernel/subspace/kernel/engine"
	"github.com/subspace-kernel/subspace/kernel/supervise"
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
	inProcess := fs.Bool("in-process", false, "run cells in the kernel's own process (no worker: a fatal error in a cell ends the kernel)")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *conn == "" {
		return usageError{"--connection-file is required"}
	}
	factory := newWorkerEngine
	if *inProcess || os.Getenv("SUBSPACE_IN_PROCESS") == "1" {
		display.RegisterConverter(chart.Convert)
		factory = newEngine
	}
	return kernel.Run(context.Background(), *conn,
		kernel.WithEngine(factory),
		kernel.WithBanner(fmt.Sprintf("subspace %s: Go %s interpreted by yaegi", kernel.Version, runtime.Version())),
		kernel.WithSignals(true))
}

// workerCommand is the hidden command the kernel starts its worker with.
var workerCommand = &Command{Name: "engine-worker", Summary: "", Run: runWorker}

// newWorkerEngine is the kernel's engine when cells run in a worker
// process (the default): a supervise.Proxy starting `subspace
// engine-worker`, which serves newEngine.
func newWorkerEngine(cfg kernel.EngineConfig) (api.Engine, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return supervise.NewProxy(supervise.Config{Command: []string{self, workerCommand.Name}, Sink: cfg.Sink})
}

// runWorker is the worker process: the engine of newEngine served to the
// kernel over the pipes it passed.
func runWorker(args []string) error {
	if len(args) > 0 {
		return usageError{"engine-worker is started by the kernel and takes no arguments"}
	}
	// A runaway recursion in a cell ends the worker at 256 MiB of stack
	// (the Go default, 1 GiB, takes seconds and a gigabyte to reach).
	debug.SetMaxStack(256 << 20)
	display.RegisterConverter(chart.Convert)
	return supervise.Worker(func(sink api.Sink) (api.Engine, error) {
		return newEngine(kernel.EngineConfig{Sink: sink})
	})
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
