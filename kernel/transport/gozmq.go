package transport

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/go-zeromq/zmq4"
	"github.com/subspace-kernel/subspace/kernel/zmtp"
)

// gsocket is a go-zeromq/zmq4 socket bound on the guarded transports of
// package zmtp: incoming frames and messages bounded by MaxMessage and
// commands checked before zmq4 parses them, handshakes off the accept loop
// with a deadline, and a queue of HWM messages per connection (so a peer
// that stops reading only loses its own messages).
type gsocket struct {
	sock   zmq4.Socket
	cancel context.CancelFunc
	mu     sync.Mutex // zmq4 sends are not safe for concurrent use
	closed atomic.Bool
}

func listenGo(kind Kind, endpoint string, opt Options) (Socket, error) {
	ctx, cancel := context.WithCancel(context.Background())
	var sock zmq4.Socket
	if kind == Pub {
		sock = zmq4.NewPub(ctx)
	} else {
		sock = zmq4.NewRouter(ctx)
	}
	lim := zmtp.Limits{MaxMessage: opt.MaxMessage, Handshake: opt.Handshake, Queue: opt.HWM}
	if err := sock.Listen(zmtp.GuardedEndpoint(endpoint, lim)); err != nil {
		sock.Close()
		cancel()
		return nil, fmt.Errorf("transport: binding %s: %w", endpoint, err)
	}
	return &gsocket{sock: sock, cancel: cancel}, nil
}

func (s *gsocket) Recv() ([][]byte, error) {
	m, err := s.sock.Recv()
	if err != nil {
		if s.closed.Load() {
			return nil, ErrClosed
		}
		return nil, err
	}
	return m.Frames, nil
}

func (s *gsocket) Send(frames [][]byte) error {
	if s.closed.Load() {
		return ErrClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sock.SendMulti(zmq4.NewMsgFrom(frames...))
}

func (s *gsocket) Close() error {
	s.closed.Store(true)
	err := s.sock.Close()
	s.cancel()
	return err
}
