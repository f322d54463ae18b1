package cell

import (
	"os"
	"sync/atomic"
)

// stdio holds what cells see as os.Stdout and os.Stderr: two *os.File
// variables (a cell may close or reassign them) set to the write ends of
// the output pipes, and the writer of fmt.Print*, which follows the
// current stdout pipe. restore puts them back before each cell.
type stdio struct {
	outFile, errFile *os.File
	cur              atomic.Pointer[os.File] // write end of the stdout pipe
}

// fmtWriter is the interpreter's stdout (fmt.Print*): the current stdout
// pipe, whichever it is.
type fmtWriter struct{ o *output }

func (w fmtWriter) Write(p []byte) (int, error) { return w.o.files.cur.Load().Write(p) }

// restore undoes what the previous cell did to os.Stdout and os.Stderr: a
// closed pipe (os.Stdout.Close()) is replaced by a new one, and both
// variables point to the pipes again. Called before each cell, with no
// cell running. Cost: O(1), a new pipe and copier goroutine only after a
// close.
func (o *output) restore() error {
	var err error
	if o.outPipe, err = reopened(o.outPipe); err != nil {
		return err
	}
	if o.errPipe, err = reopened(o.errPipe); err != nil {
		return err
	}
	o.files.cur.Store(o.outPipe.w)
	o.files.outFile, o.files.errFile = o.outPipe.w, o.errPipe.w
	return nil
}

// reopened returns c, or a new copier to the same destination when c's
// write end was closed.
func reopened(c *pipeCopier) (*pipeCopier, error) {
	closed := false
	select {
	case <-c.done:
		closed = true
	default:
		_, err := c.w.Write(nil)
		closed = err != nil
	}
	if !closed {
		return c, nil
	}
	n, err := newPipeCopier(c.dst)
	if err != nil {
		return c, err
	}
	go c.Close() // waits for the old copier to drain what was written
	return n, nil
}
