// Package engine runs the cells of a kernel: it puts a cell.Session (Go
// interpreted by yaegi) behind api.Engine. Values are turned into MIME
// bundles by the renderer it is given; the session's output and reads of
// stdin go to an api.Sink. This is the side of the kernel that knows yaegi;
// package kernel knows only api.Engine.
package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/cell"
	"github.com/subspace-kernel/subspace/kernel/magic"
	"github.com/traefik/yaegi/interp"
)

// Config configures New.
type Config struct {
	// Sink receives the output of cells and their requests for input.
	// Required.
	Sink api.Sink
	// Render returns the MIME bundle of a value (display.Render in the
	// kernel). Required.
	Render func(v any) api.Bundle
	// Symbols are the compiled packages cells may import beyond the
	// standard library.
	Symbols []interp.Exports
	// Magics is the registry of magics; nil: the built-in magics.
	Magics *magic.Registry
}

// Engine is a cell session behind api.Engine. Safe for concurrent use as
// api.Engine requires.
type Engine struct {
	s      *cell.Session
	render func(v any) api.Bundle
}

var _ api.Engine = (*Engine)(nil)

// New starts a session (cell.New) whose stdout and stderr are streams of
// cfg.Sink and whose stdin reads lines through cfg.Sink.Input. Cost: that
// of cell.New.
func New(cfg Config) (*Engine, error) {
	if cfg.Sink == nil || cfg.Render == nil {
		return nil, errors.New("engine: Config.Sink and Config.Render are required")
	}
	s, err := cell.New(cell.Options{
		Stdout:  streamWriter{cfg.Sink, "stdout"},
		Stderr:  streamWriter{cfg.Sink, "stderr"},
		Stdin:   &inputReader{sink: cfg.Sink},
		Symbols: cfg.Symbols,
		Magics:  cfg.Magics,
	})
	if err != nil {
		return nil, err
	}
	return &Engine{s: s, render: cfg.Render}, nil
}

// Session returns the engine's session (to load plugins into it).
func (e *Engine) Session() *cell.Session { return e.s }

// Close releases the session.
func (e *Engine) Close() error { return e.s.Close() }

// Execute runs a cell and renders its value unless the request is silent.
func (e *Engine) Execute(ctx context.Context, req api.ExecuteRequest) api.ExecuteResult {
	r := e.s.Execute(ctx, req.Code)
	if r.Err != nil {
		return api.ExecuteResult{Err: r.Err}
	}
	if !r.HasValue || req.Silent {
		return api.ExecuteResult{}
	}
	b, err := e.safeRender(r.Value)
	if err != nil {
		return api.ExecuteResult{Err: err}
	}
	return api.ExecuteResult{Value: &b}
}

// Evaluate evaluates an expression and renders its value.
func (e *Engine) Evaluate(ctx context.Context, expr string) (api.Bundle, *api.Error) {
	v, err := e.s.Eval(ctx, expr)
	if err != nil {
		var ae *api.Error
		if !errors.As(err, &ae) {
			ae = &api.Error{Name: "EvalError", Value: err.Error(), Traceback: []string{err.Error()}}
		}
		return api.Bundle{}, ae
	}
	return e.safeRender(v)
}

// safeRender renders v, reporting a panic in a user's DisplayBundle method
// as an error.
func (e *Engine) safeRender(v any) (b api.Bundle, err *api.Error) {
	defer func() {
		if r := recover(); r != nil {
			err = &api.Error{Name: "DisplayError", Value: fmt.Sprintf("rendering %T: %v", v, r),
				Traceback: []string{fmt.Sprintf("panic while rendering a %T: %v", v, r)}}
		}
	}()
	return e.render(v), nil
}

// Complete completes code at cursor.
func (e *Engine) Complete(code string, cursor int) api.Completion { return e.s.Complete(code, cursor) }

// Inspect describes the identifier at cursor.
func (e *Engine) Inspect(code string, cursor, detail int) api.Inspection {
	return e.s.Inspect(code, cursor, detail)
}

// IsComplete tells whether code can run as it is.
func (e *Engine) IsComplete(code string) (status, indent string) { return cell.IsComplete(code) }
