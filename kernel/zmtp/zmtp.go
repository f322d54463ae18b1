// Package zmtp provides the network transports under the kernel's ZeroMQ
// sockets (github.com/go-zeromq/zmq4): TCP and IPC connections that read
// through a buffer and write each ZMTP message (all its frames) or command
// with one system call. zmq4 writes a frame's header and body separately
// and, on ROUTER sockets, every frame apart, so a Jupyter message of seven
// frames took fourteen writes, each its own TCP segment; here it takes one.
//
// The transports are registered with zmq4 under the names returned by
// Register ("subspace+tcp", "subspace+ipc"); an endpoint uses them as
// "subspace+tcp://127.0.0.1:5555".
package zmtp

import (
	"bufio"
	"context"
	"encoding/binary"
	"net"
	"strings"
	"sync"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// Scheme prefixes of the registered transports.
const (
	TCP = "subspace+tcp"
	IPC = "subspace+ipc"
)

var registerOnce sync.Once

// Register registers the TCP and IPC transports with zmq4 (once; later
// calls do nothing). O(1).
func Register() {
	registerOnce.Do(func() {
		_ = zmq4.RegisterTransport(TCP, netTransport{base: transport.New("tcp"), network: "tcp"})
		_ = zmq4.RegisterTransport(IPC, netTransport{base: transport.New("unix"), network: "unix"})
	})
}

// netTransport listens and dials like zmq4's own transport and wraps every
// connection in a Conn.
type netTransport struct {
	base    transport.Transport
	network string
}

func (t netTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := t.base.Dial(ctx, d, addr)
	if err != nil {
		return nil, err
	}
	return NewConn(c), nil
}

func (t netTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := t.base.Listen(ctx, addr)
	if err != nil {
		return nil, err
	}
	return listener{l}, nil
}

func (t netTransport) Addr(ep string) (string, error) { return t.base.Addr(ep) }

type listener struct{ net.Listener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return NewConn(c), nil
}

// greetingSize is the size of the ZMTP 3 greeting, written before any frame.
const greetingSize = 64

// ZMTP frame flags.
const (
	flagMore    = 0x01
	flagLong    = 0x02
	flagCommand = 0x04
)

// Conn is a ZMTP connection: reads are buffered, and writes are held until
// the end of a message or command (or of the greeting), then written at
// once. Memory: the read buffer (32 kB) and one message being written.
type Conn struct {
	net.Conn
	r *bufio.Reader

	mu       sync.Mutex
	buf      []byte
	greeting int    // greeting bytes still to pass through
	state    int    // what the next written bytes are: see step
	flags    byte   // flags of the frame being written
	sizeBuf  []byte // size bytes of its header read so far
	body     uint64 // body bytes of the frame still to come
}

const (
	wantFlags = iota
	wantSize
	wantBody
)

// NewConn wraps c.
func NewConn(c net.Conn) *Conn {
	return &Conn{Conn: c, r: bufio.NewReaderSize(c, 32<<10), greeting: greetingSize}
}

// Read reads through the buffer.
func (c *Conn) Read(p []byte) (int, error) { return c.r.Read(p) }

// Write buffers p and writes the buffer when p completes the greeting, a
// command or the last frame of a message. It reports len(p) written unless
// that write fails.
func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		if c.greeting > 0 {
			k := min(c.greeting, len(p))
			c.buf = append(c.buf, p[:k]...)
			c.greeting -= k
			p = p[k:]
			if c.greeting == 0 {
				if err := c.flush(); err != nil {
					return 0, err
				}
			}
			continue
		}
		p = c.step(p)
		if c.state == wantFlags && c.atEnd() {
			if err := c.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// step consumes the next bytes of the frame stream from p into the buffer
// and returns the rest.
func (c *Conn) step(p []byte) []byte {
	switch c.state {
	case wantFlags:
		c.flags = p[0]
		c.buf = append(c.buf, p[0])
		c.sizeBuf = c.sizeBuf[:0]
		c.state = wantSize
		return p[1:]
	case wantSize:
		need := 1
		if c.flags&flagLong != 0 {
			need = 8
		}
		k := min(need-len(c.sizeBuf), len(p))
		c.sizeBuf = append(c.sizeBuf, p[:k]...)
		c.buf = append(c.buf, p[:k]...)
		if len(c.sizeBuf) == need {
			if need == 1 {
				c.body = uint64(c.sizeBuf[0])
			} else {
				c.body = binary.BigEndian.Uint64(c.sizeBuf)
			}
			c.state = wantBody
			if c.body == 0 {
				c.state = wantFlags
			}
		}
		return p[k:]
	default:
		k := len(p)
		if uint64(k) > c.body {
			k = int(c.body)
		}
		c.buf = append(c.buf, p[:k]...)
		c.body -= uint64(k)
		if c.body == 0 {
			c.state = wantFlags
		}
		return p[k:]
	}
}

// atEnd reports whether the frame just completed ends a message or is a
// command.
func (c *Conn) atEnd() bool {
	return c.flags&flagCommand != 0 || c.flags&flagMore == 0
}

func (c *Conn) flush() error {
	_, err := c.Conn.Write(c.buf)
	if cap(c.buf) > 1<<20 {
		c.buf = nil
	} else {
		c.buf = c.buf[:0]
	}
	return err
}

// Endpoint turns a ZeroMQ endpoint of zmq4's tcp or ipc transport
// ("tcp://127.0.0.1:5555") into the same endpoint on this package's
// transport; other endpoints are returned unchanged.
func Endpoint(ep string) string {
	switch {
	case strings.HasPrefix(ep, "tcp://"):
		return TCP + ep[len("tcp"):]
	case strings.HasPrefix(ep, "ipc://"):
		return IPC + ep[len("ipc"):]
	}
	return ep
}
