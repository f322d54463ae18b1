package cell

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/subspace-kernel/subspace/api"
)

// goPanics tracks the panics of goroutines that cells started (reported
// through __subspace.GoPanic, see rewrite's go-recover): the first one
// during a cell becomes that cell's error.
type goPanics struct {
	running atomic.Bool
	current atomic.Int64 // number of the running cell
	mu      sync.Mutex
	first   *api.Error // first goroutine panic during the running cell
}

// start is called when cell n starts.
func (g *goPanics) start(n int) {
	g.mu.Lock()
	g.first = nil
	g.mu.Unlock()
	g.current.Store(int64(n))
	g.running.Store(true)
}

// stop is called when the cell ends; it returns the first goroutine panic
// of the cell, or nil.
func (g *goPanics) stop() *api.Error {
	g.running.Store(false)
	g.mu.Lock()
	defer g.mu.Unlock()
	e := g.first
	g.first = nil
	return e
}

// pending returns the first goroutine panic of the running cell, or nil.
func (g *goPanics) pending() *api.Error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.first
}

// reportGoPanic is called (through __subspace.GoPanic) by the recovering
// wrapper of a `go` statement: it writes the panic and its interpreted call
// positions to Stderr at once, and when a cell is running, makes it that
// cell's error (unless the cell has one of its own).
func (s *Session) reportGoPanic(r any) {
	lines := s.out.filter.take()
	msg, lines, _ := s.place(panicValue(r), string(debug.Stack()), lines, false)
	var b strings.Builder
	fmt.Fprintf(&b, "panic in goroutine: %s\n", msg)
	for _, l := range lines {
		b.WriteString("    " + mapPositions(l, 0) + "\n")
	}
	b.WriteString("(the goroutine stopped; the kernel and its state are unaffected)\n")
	io.WriteString(s.out.stderr, b.String())
	g := &s.panics
	if !g.running.Load() {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.first == nil {
		n := int(g.current.Load())
		tb := []string{"panic in goroutine: " + msg}
		for _, l := range lines {
			tb = append(tb, "    "+mapPositions(l, n))
		}
		g.first = &api.Error{Name: "panic", Value: "goroutine: " + msg, Traceback: tb}
	}
}

// panicValue formats a recovered panic value.
func panicValue(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(r)
}
