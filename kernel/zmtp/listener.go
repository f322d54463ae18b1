package zmtp

import (
	"encoding/binary"
	"net"
	"sync"
	"time"
)

// maxPending bounds the connections in handshake at once; more are closed
// at once.
const maxPending = 1024

// greeting is the ZMTP 3.0 greeting zmq4 sends for the NULL mechanism
// (signature, version 3.0, mechanism, as-server 0, filler).
var greeting = func() []byte {
	g := make([]byte, greetingSize)
	g[0], g[9], g[10], g[11] = 0xFF, 0x7F, 3, 0
	copy(g[12:32], "NULL")
	return g
}()

// listener accepts on its own goroutine and hands a connection to zmq4's
// Accept only when the peer's greeting and first command are buffered and
// checked (see Limits.Handshake). Memory: one goroutine and a 32 kB buffer
// per connection in handshake, at most maxPending of them.
type listener struct {
	net.Listener
	lim     Limits
	ready   chan net.Conn
	done    chan struct{}
	once    sync.Once
	mu      sync.Mutex
	pending int
	err     error // the error that ended the accept loop
}

func newListener(l net.Listener, lim Limits) *listener {
	ln := &listener{Listener: l, lim: lim, ready: make(chan net.Conn), done: make(chan struct{})}
	go ln.acceptLoop()
	return ln
}

// Accept returns the next connection whose handshake has begun well.
func (l *listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ready:
		return c, nil
	case <-l.done:
		l.mu.Lock()
		defer l.mu.Unlock()
		return nil, l.err
	}
}

func (l *listener) Close() error {
	err := l.Listener.Close()
	l.finish(net.ErrClosed)
	return err
}

func (l *listener) finish(err error) {
	l.once.Do(func() {
		l.mu.Lock()
		l.err = err
		l.mu.Unlock()
		close(l.done)
	})
}

func (l *listener) acceptLoop() {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				continue
			}
			l.finish(err)
			return
		}
		l.mu.Lock()
		full := l.pending >= maxPending
		if !full {
			l.pending++
		}
		l.mu.Unlock()
		if full {
			c.Close()
			continue
		}
		go l.prepare(c)
	}
}

// prepare sends the greeting, waits (until the handshake deadline) for the
// peer's greeting and first command, and hands the connection over.
func (l *listener) prepare(raw net.Conn) {
	defer func() {
		l.mu.Lock()
		l.pending--
		l.mu.Unlock()
	}()
	c := newConn(raw, l.lim)
	c.skip = true
	raw.SetDeadline(time.Now().Add(l.lim.Handshake))
	if _, err := raw.Write(greeting); err != nil || !c.peerReady() {
		c.Close()
		return
	}
	raw.SetDeadline(time.Time{})
	select {
	case l.ready <- c:
	case <-l.done:
		c.Close()
	}
}

// peerReady reports whether the peer's greeting and a checked first
// command (a NULL handshake begins with READY) have arrived.
func (c *Conn) peerReady() bool {
	head, err := c.r.Peek(greetingSize + 1)
	if err != nil || head[greetingSize]&flagCommand == 0 {
		return false
	}
	hl := 2
	if head[greetingSize]&flagLong != 0 {
		hl = 9
	}
	if head, err = c.r.Peek(greetingSize + hl); err != nil {
		return false
	}
	size := uint64(head[greetingSize+1])
	if hl == 9 {
		size = binary.BigEndian.Uint64(head[greetingSize+1:])
	}
	if size > uint64(readBuffer-greetingSize-hl) {
		return false
	}
	cmd, err := c.r.Peek(greetingSize + hl + int(size))
	return err == nil && checkCommand(cmd[greetingSize+hl:]) == nil
}
