// Package zmtp provides the network transports under the kernel's pure Go
// ZeroMQ sockets (github.com/go-zeromq/zmq4), which make them both faster
// and safe against hostile peers:
//
//   - Coalesced writes: each ZMTP message (all its frames) or command goes
//     out in one system call. zmq4 writes a frame's header and body apart
//     and, on ROUTER sockets, every frame apart, so a Jupyter message of
//     seven frames took fourteen writes, each its own TCP segment.
//   - Checked reads (Limits.MaxMessage > 0): every frame header and every
//     command is checked before zmq4 sees it. A frame or message larger
//     than MaxMessage, a malformed command (such as a READY whose
//     properties overrun it, which panics in zmq4's metadata parser) or a
//     reserved flag ends the connection with an error instead.
//   - Handshakes off the accept loop (Limits.Handshake > 0): zmq4 runs the
//     ZMTP handshake inside its accept loop, so one silent connection kept
//     every other client out. The listener here sends the greeting itself
//     and hands a connection to zmq4 only once the peer's greeting and
//     READY command have arrived and passed the checks, each connection on
//     its own goroutine with a deadline; silent ones are closed.
//   - Queued writes (Limits.Queue > 0): every connection gets a writer
//     goroutine and a queue of whole messages, dropped when full, so a peer
//     that stops reading (an iopub subscriber) cannot block the socket's
//     sends to the others, which zmq4's PUB makes one after the other.
//
// The transports are registered with zmq4 under scheme names: Register
// gives "subspace+tcp" and "subspace+ipc" (coalescing only), Guarded one
// pair per distinct Limits.
package zmtp

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// Scheme prefixes of the transports registered by Register.
const (
	TCP = "subspace+tcp"
	IPC = "subspace+ipc"
)

// Limits are the guards of a transport's connections; a zero field turns
// its guard off.
type Limits struct {
	// MaxMessage is the largest frame, and the largest multipart message,
	// a peer may send, in bytes.
	MaxMessage int64
	// Handshake is how long a new connection may take to send its greeting
	// and READY command (listeners only).
	Handshake time.Duration
	// Queue is the number of outgoing messages queued per connection
	// before further ones are dropped.
	Queue int
}

var (
	regMu   sync.Mutex
	schemes = map[Limits]string{}
)

// Register registers the TCP and IPC transports without guards with zmq4
// (once; later calls do nothing). O(1).
func Register() { Guarded(Limits{}) }

// Guarded registers TCP and IPC transports with the guards of lim (once per
// distinct lim) and returns the prefix of their scheme names: prefix+"tcp"
// and prefix+"ipc". O(1).
func Guarded(lim Limits) (prefix string) {
	regMu.Lock()
	defer regMu.Unlock()
	if p, ok := schemes[lim]; ok {
		return p
	}
	p := "subspace+"
	if lim != (Limits{}) {
		p = fmt.Sprintf("subspace%d+", len(schemes))
	}
	_ = zmq4.RegisterTransport(p+"tcp", netTransport{base: transport.New("tcp"), lim: lim})
	_ = zmq4.RegisterTransport(p+"ipc", netTransport{base: transport.New("unix"), lim: lim})
	schemes[lim] = p
	return p
}

// netTransport listens and dials like zmq4's own transport and wraps every
// connection in a Conn with the guards of lim.
type netTransport struct {
	base transport.Transport
	lim  Limits
}

func (t netTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := t.base.Dial(ctx, d, addr)
	if err != nil {
		return nil, err
	}
	return newConn(c, t.lim), nil
}

func (t netTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := t.base.Listen(ctx, addr)
	if err != nil {
		return nil, err
	}
	if t.lim.Handshake <= 0 {
		return plainListener{l, t.lim}, nil
	}
	return newListener(l, t.lim), nil
}

func (t netTransport) Addr(ep string) (string, error) { return t.base.Addr(ep) }

// plainListener wraps accepted connections and leaves the handshake to
// zmq4's accept loop.
type plainListener struct {
	net.Listener
	lim Limits
}

func (l plainListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return newConn(c, l.lim), nil
}

// Endpoint turns a ZeroMQ endpoint of zmq4's tcp or ipc transport
// ("tcp://127.0.0.1:5555") into the same endpoint on the transports of
// Register; other endpoints are returned unchanged.
func Endpoint(ep string) string { return GuardedEndpoint(ep, Limits{}) }

// GuardedEndpoint turns a tcp or ipc endpoint into the same endpoint on
// the transports of Guarded(lim); other endpoints are returned unchanged.
// O(len(ep)).
func GuardedEndpoint(ep string, lim Limits) string {
	for _, n := range []string{"tcp", "ipc"} {
		if strings.HasPrefix(ep, n+"://") {
			return Guarded(lim) + ep
		}
	}
	return ep
}
