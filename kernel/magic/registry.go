package magic

import (
	"context"
	"io"
	"sort"
	"sync"
)

// Session is what a magic may ask of the cell session that runs it.
type Session interface {
	// Stdout and Stderr are the cell's output streams.
	Stdout() io.Writer
	Stderr() io.Writer
	// Run runs Go code as a cell of the session.
	Run(ctx context.Context, code string) error
	// Reset forgets every declaration and import (%reset).
	Reset() error
	// Variables lists the variables and constants cells declared, with
	// their live types (%who).
	Variables() []Variable
}

// Variable is a variable or constant of the session.
type Variable struct {
	Name string
	Kind string // "var" or "const"
	Type string // "?" when unknown
}

// Func runs a magic: args is the text after the magic's name on its line;
// body is the rest of the cell for cell magics (%%name), else "".
type Func func(ctx context.Context, s Session, args, body string) error

// Magic is a registered magic.
type Magic struct {
	Name string // without the %
	Help string // one line, for %help
	Run  Func
}

// Registry holds the magics of a session. Safe for concurrent use.
type Registry struct {
	mu sync.Mutex
	m  map[string]Magic
}

// NewRegistry returns a registry holding the built-in magics: %time, %who,
// %reset, %env and %help.
func NewRegistry() *Registry {
	r := &Registry{m: map[string]Magic{}}
	for _, m := range builtins(r) {
		r.Register(m)
	}
	return r
}

// Register adds (or replaces) a magic.
func (r *Registry) Register(m Magic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[m.Name] = m
}

// Lookup returns the magic called name.
func (r *Registry) Lookup(name string) (Magic, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.m[name]
	return m, ok
}

// All returns the magics sorted by name. O(n log n).
func (r *Registry) All() []Magic {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Magic, 0, len(r.m))
	for _, m := range r.m {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns "%name" of every magic, sorted.
func (r *Registry) Names() []string {
	var out []string
	for _, m := range r.All() {
		out = append(out, "%"+m.Name)
	}
	return out
}
