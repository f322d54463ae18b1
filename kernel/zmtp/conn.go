package zmtp

import (
	"bufio"
	"encoding/binary"
	"net"
	"sync"
)

// greetingSize is the size of the ZMTP 3 greeting, written before any frame.
const greetingSize = 64

// readBuffer is the size of a connection's read buffer; a command must fit
// in it to be checked whole.
const readBuffer = 32 << 10

// ZMTP frame flags.
const (
	flagMore    = 0x01
	flagLong    = 0x02
	flagCommand = 0x04
)

// Conn is a ZMTP connection: reads are buffered (and checked, see
// Limits.MaxMessage), and writes are held until the end of a message or
// command (or of the greeting), then written at once or queued (see
// Limits.Queue). Memory: the read buffer (32 kB), one message being
// written and, when queued, up to Limits.Queue messages.
type Conn struct {
	net.Conn
	r   *bufio.Reader
	in  reader // checks of what is read
	out *queue // nil: writes go straight to the connection

	mu       sync.Mutex
	buf      []byte
	greeting int    // greeting bytes still to pass through
	skip     bool   // the greeting was sent by the listener: drop zmq4's
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

// NewConn wraps c without guards. O(1); memory: the 32 kB read buffer.
func NewConn(c net.Conn) *Conn { return newConn(c, Limits{}) }

// newConn wraps c with the guards of lim.
func newConn(c net.Conn, lim Limits) *Conn {
	k := &Conn{Conn: c, r: bufio.NewReaderSize(c, readBuffer), greeting: greetingSize}
	k.in = reader{r: k.r, max: lim.MaxMessage, greeting: greetingSize}
	if lim.Queue > 0 {
		k.out = newQueue(c, lim.Queue)
	}
	return k
}

// Read reads through the buffer, one checked frame at a time.
func (c *Conn) Read(p []byte) (int, error) { return c.in.Read(p) }

// Close closes the connection and stops its writer.
func (c *Conn) Close() error {
	if c.out != nil {
		c.out.stop()
	}
	return c.Conn.Close()
}

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
			if !c.skip {
				c.buf = append(c.buf, p[:k]...)
			}
			c.greeting -= k
			p = p[k:]
			if c.greeting == 0 && !c.skip {
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

// flush writes or queues the buffer.
func (c *Conn) flush() error {
	if c.out != nil {
		c.out.push(c.buf)
		c.buf = nil
		return nil
	}
	_, err := c.Conn.Write(c.buf)
	if cap(c.buf) > 1<<20 {
		c.buf = nil
	} else {
		c.buf = c.buf[:0]
	}
	return err
}
