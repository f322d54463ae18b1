// Package transport provides the kernel's ZeroMQ sockets (ROUTER for shell,
// control, stdin and heartbeat; PUB for iopub) behind one small interface,
// over one of two implementations:
//
//   - "libzmq": the reference ZeroMQ library (Debian libzmq5, the one
//     ipykernel uses through pyzmq) through the cgo binding
//     github.com/pebbe/zmq4. It runs every connection's handshake, framing
//     and queues in its own I/O thread, bounds incoming frames
//     (ZMQ_MAXMSGSIZE), ends handshakes that do not finish
//     (ZMQ_HANDSHAKE_IVL) and drops messages for a subscriber whose queue
//     is full (ZMQ_SNDHWM) instead of waiting for it. Built when cgo is on.
//   - "go": the pure Go github.com/go-zeromq/zmq4 on the guarded
//     connections of package zmtp, for CGO_ENABLED=0 builds (see package
//     zmtp for what it guards).
//
// Default picks libzmq when it is built in; the environment variable
// SUBSPACE_TRANSPORT=go|libzmq overrides the choice.
package transport

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// Kind is the ZeroMQ socket type of a kernel socket.
type Kind int

const (
	// Router is a ROUTER socket: received messages start with the peer's
	// routing identity, and so must sent ones.
	Router Kind = iota
	// Pub is a PUB socket: it only sends, to every subscriber.
	Pub
)

func (k Kind) String() string {
	if k == Pub {
		return "PUB"
	}
	return "ROUTER"
}

// Socket is one bound kernel socket. Send and Close are safe for
// concurrent use; Recv is called by one goroutine at a time.
type Socket interface {
	// Recv blocks until the next message (all its frames) arrives. After
	// Close it returns ErrClosed. A Pub socket never receives.
	Recv() ([][]byte, error)
	// Send queues one multipart message without waiting for the peer. A
	// message to a peer whose queue is full (Options.HWM) or that has gone
	// is dropped, as ZeroMQ does for ROUTER and PUB sockets.
	Send(frames [][]byte) error
	// Close unbinds the socket and ends its connections.
	Close() error
}

// ErrClosed is returned by Recv and Send after Close.
var ErrClosed = errors.New("transport: socket closed")

// Options bound what a peer can make a socket hold. The zero value gives
// the defaults below.
type Options struct {
	// MaxMessage is the largest incoming frame in bytes (a larger one ends
	// the connection; libzmq's ZMQ_MAXMSGSIZE bounds each frame, the pure
	// Go backend also the sum of a multipart message); 0:
	// DefaultMaxMessage.
	MaxMessage int64
	// HWM is the number of outgoing messages queued for one peer before
	// further ones to it are dropped; 0: DefaultHWM.
	HWM int
	// Handshake is how long a new connection may take to finish the ZMTP
	// handshake before it is closed; 0: DefaultHandshake.
	Handshake time.Duration
}

// Defaults of Options.
const (
	DefaultMaxMessage = 256 << 20
	DefaultHWM        = 1000
	DefaultHandshake  = 5 * time.Second
)

func (o Options) withDefaults() Options {
	if o.MaxMessage <= 0 {
		o.MaxMessage = DefaultMaxMessage
	}
	if o.HWM <= 0 {
		o.HWM = DefaultHWM
	}
	if o.Handshake <= 0 {
		o.Handshake = DefaultHandshake
	}
	return o
}

// Backend names an implementation.
type Backend string

// The implementations.
const (
	LibZMQ Backend = "libzmq"
	GoZMQ  Backend = "go"
)

// Available lists the implementations built into this binary, preferred
// first. O(1).
func Available() []Backend {
	if libzmqBuilt {
		return []Backend{LibZMQ, GoZMQ}
	}
	return []Backend{GoZMQ}
}

// Default is the implementation to use: SUBSPACE_TRANSPORT when it names
// one that is built in, else the first of Available. O(1).
func Default() Backend {
	want := Backend(os.Getenv("SUBSPACE_TRANSPORT"))
	for _, b := range Available() {
		if b == want {
			return b
		}
	}
	return Available()[0]
}

// Listen creates a socket of kind on backend b and binds it to endpoint
// ("tcp://IP:PORT" or "ipc://PATH"). Memory: per connection, at most
// opt.HWM queued messages each way and one incoming message of at most
// opt.MaxMessage bytes.
func Listen(b Backend, kind Kind, endpoint string, opt Options) (Socket, error) {
	opt = opt.withDefaults()
	switch b {
	case LibZMQ:
		if !libzmqBuilt {
			return nil, fmt.Errorf("transport: libzmq is not built in (cgo is off)")
		}
		return listenLibZMQ(kind, endpoint, opt)
	case GoZMQ:
		return listenGo(kind, endpoint, opt)
	}
	return nil, fmt.Errorf("transport: unknown backend %q (want %s or %s)", b, LibZMQ, GoZMQ)
}
