package cell

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"sync"
	"syscall"
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

// pipeCopier forwards what is written to an *os.File (the write end of an
// os.Pipe) to an io.Writer as soon as it arrives. Cells see the write end
// as os.Stdout / os.Stderr, so writes through the *os.File API reach the
// session's writers. The copier goroutine waits for the read end to be
// readable and drains it under mu; Flush drains it too, under mu, so that
// when it returns everything written before has been forwarded, without a
// round trip through the goroutine. One goroutine; memory O(32 kB).
type pipeCopier struct {
	r, w *os.File
	rc   syscall.RawConn
	dst  io.Writer
	mu   sync.Mutex // held while reading and forwarding
	buf  []byte
	done chan struct{}
}

func newPipeCopier(dst io.Writer) (*pipeCopier, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cell: creating output pipe: %w", err)
	}
	rc, err := r.SyscallConn()
	if err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("cell: output pipe: %w", err)
	}
	c := &pipeCopier{r: r, w: w, rc: rc, dst: dst, buf: make([]byte, 32<<10), done: make(chan struct{})}
	go c.loop()
	return c, nil
}

// loop forwards until the write end is closed.
func (c *pipeCopier) loop() {
	defer close(c.done)
	c.rc.Read(func(fd uintptr) bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.drain(int(fd))
	})
}

// drain forwards what the pipe holds (its read end is non-blocking); it
// reports whether the pipe is at its end (closed write end, or an error).
// Called with mu held.
func (c *pipeCopier) drain(fd int) (end bool) {
	for {
		n, err := syscall.Read(fd, c.buf)
		switch {
		case n > 0:
			c.dst.Write(c.buf[:n])
		case err == syscall.EINTR:
		case err == syscall.EAGAIN:
			return false
		default:
			return true
		}
	}
}

// Flush forwards everything written to the pipe before the call. It waits
// at most timeout for a forward in progress (a slow destination).
func (c *pipeCopier) Flush(timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for !c.mu.TryLock() {
		if time.Now().After(deadline) {
			return
		}
		time.Sleep(50 * time.Microsecond)
	}
	defer c.mu.Unlock()
	c.rc.Control(func(fd uintptr) { c.drain(int(fd)) })
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
