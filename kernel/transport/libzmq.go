//go:build cgo

package transport

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	zmq "github.com/pebbe/zmq4"
)

const libzmqBuilt = true

// wakeSeq numbers the inproc endpoints that wake the sockets' loops.
var wakeSeq atomic.Int64

// zsocket is a libzmq socket owned by one goroutine (libzmq sockets are
// not thread-safe): the loop polls the socket and an inproc PAIR on which
// Send signals queued messages. Received messages go to recv. A PUB
// socket, which never receives, has no loop: Send sends under mu.
type zsocket struct {
	pub *zmq.Socket // the PUB socket (under mu); nil for ROUTER

	mu      sync.Mutex
	pending [][][]byte  // messages queued by Send, sent by the loop
	wakeTx  *zmq.Socket // Send's end of the wake-up pair (under mu)
	closing bool

	recv chan [][]byte
	done chan struct{} // closed when the loop has closed the sockets
}

// listenLibZMQ creates and binds a libzmq socket and starts its loop.
func listenLibZMQ(kind Kind, endpoint string, opt Options) (Socket, error) {
	typ := zmq.ROUTER
	if kind == Pub {
		typ = zmq.PUB
	}
	sock, err := zmq.NewSocket(typ)
	if err != nil {
		return nil, fmt.Errorf("transport: creating a %s socket: %w", kind, err)
	}
	if err := configure(sock, endpoint, opt); err != nil {
		sock.Close()
		return nil, fmt.Errorf("transport: configuring the %s socket for %s: %w", kind, endpoint, err)
	}
	if err := sock.Bind(endpoint); err != nil {
		sock.Close()
		return nil, fmt.Errorf("transport: binding %s: %w", endpoint, err)
	}
	if kind == Pub {
		return &zsocket{pub: sock}, nil
	}
	wakeRx, wakeTx, err := wakePair()
	if err != nil {
		sock.Close()
		return nil, err
	}
	s := &zsocket{wakeTx: wakeTx, recv: make(chan [][]byte, 64), done: make(chan struct{})}
	go s.loop(sock, wakeRx)
	return s, nil
}

// configure sets the limits of opt on sock.
func configure(sock *zmq.Socket, endpoint string, opt Options) error {
	if host, tcp := strings.CutPrefix(endpoint, "tcp://"); tcp && strings.Count(host, ":") > 1 {
		// an IPv6 address ("tcp://[::1]:5555")
		if err := sock.SetIpv6(true); err != nil {
			return err
		}
	}
	for _, set := range []func() error{
		func() error { return sock.SetMaxmsgsize(opt.MaxMessage) },
		func() error { return sock.SetSndhwm(opt.HWM) },
		func() error { return sock.SetRcvhwm(opt.HWM) },
		func() error { return sock.SetHandshakeIvl(opt.Handshake) },
		func() error { return sock.SetLinger(time.Second) },
	} {
		if err := set(); err != nil {
			return err
		}
	}
	return nil
}

// wakePair returns the two ends of a new inproc PAIR.
func wakePair() (rx, tx *zmq.Socket, err error) {
	ep := fmt.Sprintf("inproc://subspace-wake-%d", wakeSeq.Add(1))
	if rx, err = zmq.NewSocket(zmq.PAIR); err == nil {
		if err = rx.Bind(ep); err == nil {
			if tx, err = zmq.NewSocket(zmq.PAIR); err == nil {
				if err = tx.Connect(ep); err == nil {
					return rx, tx, nil
				}
				tx.Close()
			}
		}
		rx.Close()
	}
	return nil, nil, fmt.Errorf("transport: creating the wake-up pair: %w", err)
}

func (s *zsocket) Recv() ([][]byte, error) {
	if s.pub != nil {
		return nil, fmt.Errorf("transport: a PUB socket does not receive")
	}
	m, ok := <-s.recv
	if !ok {
		return nil, ErrClosed
	}
	return m, nil
}

func (s *zsocket) Send(frames [][]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return ErrClosed
	}
	if s.pub != nil {
		// PUB drops messages for subscribers at their HWM: never blocks.
		_, _ = s.pub.SendMessageDontwait(frames)
		return nil
	}
	s.pending = append(s.pending, frames)
	if len(s.pending) == 1 {
		s.wake()
	}
	return nil
}

// wake signals the loop (under mu). A full pair means a wake-up is
// already pending, so EAGAIN is not an error.
func (s *zsocket) wake() {
	_, _ = s.wakeTx.SendBytes([]byte{0}, zmq.DONTWAIT)
}

func (s *zsocket) Close() error {
	s.mu.Lock()
	if s.pub != nil {
		if !s.closing {
			s.closing = true
			s.pub.Close()
		}
		s.mu.Unlock()
		return nil
	}
	if !s.closing {
		s.closing = true
		s.wake()
	}
	s.mu.Unlock()
	<-s.done
	return nil
}

// loop owns sock: it sends what Send queued and receives until Close.
// When Recv falls behind, the message that does not fit is held and sock
// is not polled for input until it fits (libzmq's own queue, bounded by
// the HWM, then holds the rest).
func (s *zsocket) loop(sock, wakeRx *zmq.Socket) {
	defer close(s.done)
	defer close(s.recv)
	defer func() {
		sock.Close()
		wakeRx.Close()
		s.mu.Lock()
		s.wakeTx.Close()
		s.mu.Unlock()
	}()
	poller := zmq.NewPoller()
	poller.Add(wakeRx, zmq.POLLIN)
	in := zmq.POLLIN
	sockID := poller.Add(sock, in)
	var held [][]byte
	for {
		timeout := time.Duration(-1)
		if held != nil {
			timeout = 10 * time.Millisecond
		}
		polled, err := poller.Poll(timeout)
		if err != nil && !errors.Is(zmq.AsErrno(err), zmq.Errno(syscall.EINTR)) {
			return
		}
		if held != nil && s.offer(held) {
			held = nil
			poller.Update(sockID, in)
		}
		for _, p := range polled {
			if p.Socket == wakeRx {
				if !s.drainWake(wakeRx, sock) {
					return
				}
			} else if held == nil {
				if held = s.receive(sock); held != nil {
					poller.Update(sockID, 0)
				}
			}
		}
	}
}

// drainWake empties the wake-up pair and sends the queued messages; it
// returns false when the socket is closing.
func (s *zsocket) drainWake(wakeRx, sock *zmq.Socket) bool {
	for {
		if _, err := wakeRx.RecvBytes(zmq.DONTWAIT); err != nil {
			break
		}
	}
	s.mu.Lock()
	out, closing := s.pending, s.closing
	s.pending = nil
	s.mu.Unlock()
	for _, m := range out {
		// ROUTER drops messages to unknown or full peers, PUB to full
		// subscribers: neither blocks.
		_, _ = sock.SendMessageDontwait(m)
	}
	return !closing
}

// receive hands up to 64 waiting messages to Recv (so that sends are not
// starved by a flood); it returns a message that did not fit, or nil.
func (s *zsocket) receive(sock *zmq.Socket) [][]byte {
	for range 64 {
		m, err := sock.RecvMessageBytes(zmq.DONTWAIT)
		if err != nil {
			return nil
		}
		if !s.offer(m) {
			return m
		}
	}
	return nil
}

// offer passes m to Recv if there is room.
func (s *zsocket) offer(m [][]byte) bool {
	select {
	case s.recv <- m:
		return true
	default:
		return false
	}
}
