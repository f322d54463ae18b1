package cell

import (
	"io"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/magic"
	"github.com/traefik/yaegi/interp"
)

// Options configure a Session.
type Options struct {
	// Stdout and Stderr receive the cell's output while it runs (fmt.Print*,
	// os.Stdout, log, goroutines). Required.
	Stdout, Stderr io.Writer
	// Stdin is what a cell reads from os.Stdin / fmt.Scan*. May be nil (reads
	// then fail with an error saying stdin is not available).
	Stdin io.Reader
	// Symbols are the compiled packages cells may import (the standard
	// library is always included). More can be added later with Use.
	Symbols []interp.Exports
	// GoPath is yaegi's GOPATH for source imports; may be empty.
	GoPath string
	// Magics is the registry of the session's magics; nil means a new
	// registry with the built-in magics (magic.NewRegistry).
	Magics *magic.Registry
}

// Result is the outcome of Execute.
type Result struct {
	// Value is the value of the cell's last statement when it is an
	// expression with a (non-void) value; HasValue tells whether there is one.
	Value    any
	HasValue bool
	// Err is non-nil when the cell failed (compile error, panic, os.Exit,
	// interrupt). Output printed before the failure has already been written.
	// Positions in it read cell:LINE:COL.
	Err *api.Error
}
