package transport

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// bound is how long a test waits for something that must happen.
const bound = 20 * time.Second

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// listen binds a socket of kind on a free port of 127.0.0.1.
func listen(t *testing.T, b Backend, kind Kind, opt Options) (Socket, string) {
	t.Helper()
	ep := fmt.Sprintf("tcp://127.0.0.1:%d", freePort(t))
	s, err := Listen(b, kind, ep, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, ep
}

// greeting is a client's ZMTP 3.0 greeting for the NULL mechanism.
func greeting() []byte {
	g := make([]byte, 64)
	g[0], g[9], g[10] = 0xFF, 0x7F, 3
	copy(g[12:], "NULL")
	return g
}

// command is a short command frame.
func command(body string) []byte { return append([]byte{0x04, byte(len(body))}, body...) }

// ready is a well-formed READY for a peer of socket type typ.
func ready(typ string) []byte {
	p := []byte("\x05READY\x0bSocket-Type")
	p = binary.BigEndian.AppendUint32(p, uint32(len(typ)))
	return command(string(append(p, typ...)))
}

// raw opens a TCP connection to ep and writes p.
func raw(t *testing.T, ep string, p []byte) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", ep[len("tcp://"):])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write(p); err != nil {
		t.Fatal(err)
	}
	return c
}

// clients numbers the identities of roundTrip's clients (libzmq refuses a
// second connection with the identity of one it has not seen go yet).
var clients int

// roundTrip checks that a new DEALER client is served by the ROUTER s
// within the bound.
func roundTrip(t *testing.T, s Socket, ep string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	clients++
	id := fmt.Sprintf("client%d", clients)
	d := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity(id)))
	defer d.Close()
	done := make(chan error, 1)
	go func() { done <- exchange(d, s, ep, id) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("a new client was not served")
	}
}

// exchange dials ep with d, sends a request that s must receive and
// answers it.
func exchange(d zmq4.Socket, s Socket, ep, id string) error {
	if err := d.Dial(ep); err != nil {
		return err
	}
	if err := d.Send(zmq4.NewMsgFrom([]byte("ping"), []byte("x"))); err != nil {
		return err
	}
	m, err := s.Recv()
	if err != nil {
		return err
	}
	if len(m) != 3 || string(m[0]) != id || string(m[1]) != "ping" {
		return fmt.Errorf("received %q", m)
	}
	if err := s.Send([][]byte{[]byte(id), []byte("pong")}); err != nil {
		return err
	}
	r, err := d.Recv()
	if err != nil || len(r.Frames) != 1 || string(r.Frames[0]) != "pong" {
		return fmt.Errorf("reply %q, %v", r.Frames, err)
	}
	return nil
}

// closedByPeer waits until the server ends c.
func closedByPeer(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(bound))
	if _, err := io.Copy(io.Discard, c); err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the server kept a connection that sent garbage")
		}
	}
}

// TestHostileBytes sends what crashed go-zeromq/zmq4 (a READY property
// overrunning the command, a frame of 2^62 bytes, reserved flags) and
// connections that stay silent, then checks that a new client is served,
// on every backend. The handshake deadline is an hour, so a silent
// connection that held the accept loop would stop the new client.
func TestHostileBytes(t *testing.T) {
	for _, b := range Available() {
		t.Run(string(b), func(t *testing.T) {
			s, ep := listen(t, b, Router, Options{Handshake: time.Hour, MaxMessage: 1 << 20})
			raw(t, ep, nil)             // silent
			raw(t, ep, greeting()[:10]) // half a greeting
			raw(t, ep, greeting())      // a greeting, no READY
			roundTrip(t, s, ep)
			handshake := append(greeting(), ready("DEALER")...)
			for _, c := range []struct {
				name  string
				p     []byte
				close bool // must the server end the connection?
			}{
				{"READY property overrun", append(greeting(), command("\x05READY\x01A\x00\x00\x00")...), true},
				{"frame of 2^62 bytes", binary.BigEndian.AppendUint64(append(bytes.Clone(handshake), 0x02), 1<<62), true},
				{"frame over the bound", binary.BigEndian.AppendUint64(append(bytes.Clone(handshake), 0x02), 1<<20+1), true},
				// libzmq ignores reserved flags; the checks of zmtp refuse them.
				{"reserved flags", append(bytes.Clone(handshake), 0xf0, 1, 'x'), b == GoZMQ},
			} {
				conn := raw(t, ep, c.p)
				if c.close {
					closedByPeer(t, conn)
				}
				t.Run(c.name, func(t *testing.T) { roundTrip(t, s, ep) })
			}
		})
	}
}

// TestStalledSubscriber publishes 20 MB while one subscriber never reads:
// another subscriber gets every message.
func TestStalledSubscriber(t *testing.T) {
	const n, size = 1280, 16 << 10
	for _, b := range Available() {
		t.Run(string(b), func(t *testing.T) {
			pub, ep := listen(t, b, Pub, Options{HWM: 2 * n})
			stalled, err := net.DialTCP("tcp", nil, func() *net.TCPAddr {
				a, _ := net.ResolveTCPAddr("tcp", ep[len("tcp://"):])
				return a
			}())
			if err != nil {
				t.Fatal(err)
			}
			defer stalled.Close()
			stalled.SetReadBuffer(4096)
			stalled.Write(append(append(greeting(), ready("SUB")...), 0, 1, 1)) // subscribe to all
			ctx, cancel := context.WithTimeout(context.Background(), 3*bound)
			defer cancel()
			sub := zmq4.NewSub(ctx)
			defer sub.Close()
			if err := sub.Dial(ep); err != nil {
				t.Fatal(err)
			}
			sub.SetOption(zmq4.OptionSubscribe, "")
			got := make(chan []byte, 2*n)
			go func() {
				for {
					m, err := sub.Recv()
					if err != nil {
						return
					}
					got <- m.Frames[1]
				}
			}()
			// Subscriptions take effect asynchronously: publish a probe
			// until the reading subscriber has one.
			probe := func() bool {
				pub.Send([][]byte{[]byte("t"), []byte("probe")})
				select {
				case <-got:
					return true
				case <-time.After(20 * time.Millisecond):
					return false
				}
			}
			for !probe() {
				if ctx.Err() != nil {
					t.Fatal("the subscription never took effect")
				}
			}
			time.Sleep(100 * time.Millisecond) // the stalled one's too
			for len(got) > 0 {
				<-got
			}
			body := bytes.Repeat([]byte("x"), size)
			for i := range n {
				binary.BigEndian.PutUint32(body, uint32(i))
				if err := pub.Send([][]byte{[]byte("t"), bytes.Clone(body)}); err != nil {
					t.Fatal(err)
				}
			}
			for i := range n {
				select {
				case m := <-got:
					if j := binary.BigEndian.Uint32(m); j != uint32(i) || len(m) != size {
						t.Fatalf("message %d: got number %d of %d bytes", i, j, len(m))
					}
				case <-ctx.Done():
					t.Fatalf("the reading subscriber got %d of %d messages", i, n)
				}
			}
		})
	}
}

func TestListenErrors(t *testing.T) {
	if _, err := Listen("zmq9", Router, "tcp://127.0.0.1:1", Options{}); err == nil {
		t.Error("an unknown backend must fail")
	}
	for _, b := range Available() {
		_, ep := listen(t, b, Router, Options{})
		if s, err := Listen(b, Router, ep, Options{}); err == nil {
			s.Close()
			t.Errorf("%s: binding a port twice must fail", b)
		}
	}
}

// TestClosed: after Close, Recv and Send return ErrClosed.
func TestClosed(t *testing.T) {
	for _, b := range Available() {
		s, _ := listen(t, b, Router, Options{})
		s.Close()
		if _, err := s.Recv(); !errors.Is(err, ErrClosed) {
			t.Errorf("%s: Recv after Close: %v", b, err)
		}
		if err := s.Send([][]byte{[]byte("x"), []byte("y")}); !errors.Is(err, ErrClosed) {
			t.Errorf("%s: Send after Close: %v", b, err)
		}
	}
}

func TestDefault(t *testing.T) {
	for env, want := range map[string]Backend{"": Available()[0], "go": GoZMQ, "nonsense": Available()[0]} {
		t.Setenv("SUBSPACE_TRANSPORT", env)
		if got := Default(); got != want {
			t.Errorf("SUBSPACE_TRANSPORT=%q: Default() = %s, want %s", env, got, want)
		}
	}
}
