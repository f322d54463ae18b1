package cell

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// output is where the cells' output goes: fmt.Print*, os.Stdout and log
// write to the pipe outPipe, os.Stderr to errPipe; their copiers forward to
// Options.Stdout and Options.Stderr (through lockedWriters), so that the
// *os.File API and fmt keep their order. yaegi's own stderr is filter.
type output struct {
	stdout, stderr *lockedWriter
	outPipe        *pipeCopier
	errPipe        *pipeCopier
	filter         *stderrFilter
	stdinFile      *os.File // os.Stdin of the cells when Options.Stdin is nil
}

// newOutput starts the pipes and their copiers (two goroutines, until
// close).
func newOutput(opts Options) (*output, error) {
	o := &output{stdout: &lockedWriter{w: opts.Stdout}, stderr: &lockedWriter{w: opts.Stderr}}
	o.filter = &stderrFilter{dst: o.stderr}
	var err error
	if o.outPipe, err = newPipeCopier(o.stdout); err != nil {
		return nil, err
	}
	if o.errPipe, err = newPipeCopier(o.stderr); err != nil {
		o.outPipe.Close()
		return nil, err
	}
	if opts.Stdin == nil {
		// os.Stdin of a cell reads EOF (never the kernel's own stdin);
		// fmt.Scan* get an explaining error.
		r, w, err := os.Pipe()
		if err != nil {
			o.close()
			return nil, fmt.Errorf("cell: creating stdin pipe: %w", err)
		}
		w.Close()
		o.stdinFile = r
	}
	return o, nil
}

// flush waits until everything the cells wrote so far has been forwarded
// (at most defaultFlush per stream).
func (o *output) flush() {
	o.outPipe.Flush(defaultFlush)
	o.errPipe.Flush(defaultFlush)
}

// close releases the pipes. Output written by goroutines still running
// afterwards is lost.
func (o *output) close() error {
	var err error
	if o.outPipe != nil {
		err = o.outPipe.Close()
	}
	if o.errPipe != nil {
		if e := o.errPipe.Close(); err == nil {
			err = e
		}
	}
	if o.stdinFile != nil {
		o.stdinFile.Close()
	}
	return err
}

// lockedWriter serializes writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// syncMarker starts the in-band marker written into a pipe to learn when the
// copier has forwarded everything written before it.
var syncMarker = []byte("\x00\x1bsubspace-sync:")

// pipeCopier forwards what is written to an *os.File (the write end of an
// os.Pipe) to an io.Writer as soon as it arrives. Cells see the write end
// as os.Stdout / os.Stderr, so writes through the *os.File API reach the
// session's writers; Flush waits until everything written so far has been
// forwarded. One goroutine; memory O(pipe buffer).
type pipeCopier struct {
	r, w    *os.File
	dst     io.Writer
	mu      sync.Mutex
	waiters map[uint64]chan struct{}
	next    atomic.Uint64
	done    chan struct{}
}

func newPipeCopier(dst io.Writer) (*pipeCopier, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cell: creating output pipe: %w", err)
	}
	c := &pipeCopier{r: r, w: w, dst: dst, waiters: map[uint64]chan struct{}{}, done: make(chan struct{})}
	go c.loop()
	return c, nil
}

func (c *pipeCopier) loop() {
	defer close(c.done)
	buf := make([]byte, 32<<10)
	var pending []byte
	for {
		n, err := c.r.Read(buf)
		if n > 0 {
			pending = append(pending, buf[:n]...)
			pending = c.process(pending)
		}
		if err != nil {
			if len(pending) > 0 {
				c.dst.Write(pending)
			}
			c.mu.Lock()
			for id, ch := range c.waiters {
				close(ch)
				delete(c.waiters, id)
			}
			c.mu.Unlock()
			return
		}
	}
}

// process forwards data, strips sync markers (waking their waiters) and
// returns what must wait for more input (a possible partial marker).
func (c *pipeCopier) process(p []byte) []byte {
	for {
		i := bytes.Index(p, syncMarker)
		if i < 0 {
			keep := partialSuffix(p, syncMarker)
			if len(p)-keep > 0 {
				c.dst.Write(p[:len(p)-keep])
			}
			return append([]byte(nil), p[len(p)-keep:]...)
		}
		j := bytes.IndexByte(p[i+len(syncMarker):], 0)
		if j < 0 {
			if i > 0 {
				c.dst.Write(p[:i])
			}
			return append([]byte(nil), p[i:]...)
		}
		if i > 0 {
			c.dst.Write(p[:i])
		}
		id, _ := strconv.ParseUint(string(p[i+len(syncMarker):i+len(syncMarker)+j]), 10, 64)
		c.mu.Lock()
		if ch, ok := c.waiters[id]; ok {
			close(ch)
			delete(c.waiters, id)
		}
		c.mu.Unlock()
		p = p[i+len(syncMarker)+j+1:]
	}
}

// partialSuffix returns the length of the longest suffix of p that is a
// proper prefix of m.
func partialSuffix(p, m []byte) int {
	for k := min(len(m)-1, len(p)); k > 0; k-- {
		if bytes.Equal(p[len(p)-k:], m[:k]) {
			return k
		}
	}
	return 0
}

// Flush waits (at most timeout) until everything written to the pipe before
// the call has been forwarded.
func (c *pipeCopier) Flush(timeout time.Duration) {
	id := c.next.Add(1)
	ch := make(chan struct{})
	c.mu.Lock()
	c.waiters[id] = ch
	c.mu.Unlock()
	if _, err := fmt.Fprintf(c.w, "%s%d\x00", syncMarker, id); err != nil {
		return
	}
	select {
	case <-ch:
	case <-time.After(timeout):
	}
}

// Close closes the pipe and waits for the copier to finish.
func (c *pipeCopier) Close() error {
	err := c.w.Close()
	<-c.done
	c.r.Close()
	return err
}

// panicLine matches the lines yaegi prints for each interpreted frame a
// panic goes through ("cell[3]:4:2: panic: main.f(...)").
var panicLine = regexp.MustCompile(`^(?:(?:cell\[\d+\](?:/_\.go)?|expr/_\.go|main/_\.go|_\.go):)?\d+:\d+: panic(?::.*)?\n?$`)

// stderrFilter is yaegi's stderr: it diverts the per-frame panic lines
// into a buffer (they become the traceback of the cell's Error, or the
// report of a goroutine panic) and passes everything else on.
//
// yaegi v0.16.1 (frame-lines): a panic prints a line per interpreted frame
// on the interpreter's stderr.
type stderrFilter struct {
	dst   io.Writer
	mu    sync.Mutex
	lines []string
}

func (f *stderrFilter) Write(p []byte) (int, error) {
	if panicLine.Match(p) {
		f.mu.Lock()
		f.lines = append(f.lines, string(bytes.TrimRight(p, "\n")))
		f.mu.Unlock()
		return len(p), nil
	}
	return f.dst.Write(p)
}

// take returns and clears the diverted panic lines.
func (f *stderrFilter) take() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.lines
	f.lines = nil
	return l
}

// defaultFlush bounds how long Execute waits for output still in a pipe.
const defaultFlush = 2 * time.Second
