package kernel

import (
	"context"
	"fmt"
	"time"

	"github.com/subspace-kernel/subspace/kernel/transport"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

// Bounds of what a peer may send on each socket (see transport.Options):
// shell and control take cells and comm messages with buffers; stdin takes
// input replies; the heartbeat and iopub (subscriptions) take tiny ones.
const (
	maxRequest = 256 << 20
	maxInput   = 16 << 20
	maxSmall   = 1 << 20
)

// bind creates the five sockets and binds them to the connection's ports,
// on the transport backend of the configuration.
func (k *server) bind() error {
	for _, s := range []struct {
		name string
		sock *transport.Socket
		kind transport.Kind
		port int
		max  int64
	}{{"shell", &k.shell, transport.Router, k.ci.ShellPort, maxRequest},
		{"control", &k.control, transport.Router, k.ci.ControlPort, maxRequest},
		{"stdin", &k.stdin, transport.Router, k.ci.StdinPort, maxInput},
		{"iopub", &k.iopub, transport.Pub, k.ci.IOPubPort, maxSmall},
		{"hb", &k.hb, transport.Router, k.ci.HBPort, maxSmall}} {
		ep := k.ci.Endpoint(s.port)
		sock, err := transport.Listen(k.cfg.transport, s.kind, ep, transport.Options{MaxMessage: s.max})
		if err != nil {
			return fmt.Errorf("kernel: binding %s socket to %s: %w", s.name, ep, err)
		}
		*s.sock = sock
		k.debugf("%s socket bound to %s (%s)", s.name, ep, k.cfg.transport)
	}
	return nil
}

func (k *server) closeSockets() {
	k.closeOnce.Do(func() {
		for _, s := range []transport.Socket{k.shell, k.control, k.stdin, k.iopub, k.hb} {
			if s != nil {
				s.Close()
			}
		}
	})
}

// stop makes Run return (after a shutdown_request).
func (k *server) stop() { k.doneOnce.Do(func() { close(k.done) }) }

func (k *server) debugf(format string, args ...any) {
	if k.cfg.debug {
		k.log.Printf(format, args...)
	}
}

func (k *server) warnf(format string, args ...any) { k.log.Printf(format, args...) }

// heartbeat echoes every message on the heartbeat socket.
func (k *server) heartbeat(ctx context.Context) {
	for {
		msg, err := k.hb.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			k.debugf("heartbeat: %v", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if err := k.hb.Send(msg); err != nil && ctx.Err() == nil {
			k.debugf("heartbeat echo: %v", err)
		}
	}
}

// readLoop receives messages on a ROUTER socket, drops those that do not
// parse or verify, and hands the others to handle.
func (k *server) readLoop(ctx context.Context, sock transport.Socket, name string, handle func(*wire.Message)) {
	for {
		frames, err := sock.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			k.debugf("%s: receive: %v", name, err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		msg, err := wire.Parse(frames, k.signer)
		if err == nil && k.signer.Enabled() {
			err = k.replays.Check(msg.Signature)
		}
		if err != nil {
			k.dropf("%s: dropping message: %v", name, err)
			continue
		}
		k.debugf("%s: received %s %s", name, msg.Header.MsgType, msg.Header.MsgID)
		handle(msg)
	}
}

// send signs and sends msg on a ROUTER socket.
func (k *server) send(sock transport.Socket, msg *wire.Message) {
	frames, err := msg.Frames(k.signer)
	if err != nil {
		k.warnf("encoding %s: %v", msg.Header.MsgType, err)
		return
	}
	err = sock.Send(frames)
	if err != nil {
		k.warnf("sending %s: %v", msg.Header.MsgType, err)
		return
	}
	k.debugf("sent %s", msg.Header.MsgType)
}

// reply answers req on sock (the socket it came from).
func (k *server) reply(sock transport.Socket, req *wire.Message, content wire.Content) {
	m, err := wire.New(content.MsgType(), k.session, "kernel", &req.Header, req.Identities, content)
	if err != nil {
		k.warnf("%v", err)
		return
	}
	k.send(sock, m)
}

// publish sends a message on iopub with parent as parent header.
func (k *server) publish(parent *wire.Header, content wire.Content) {
	msgType := content.MsgType()
	topic := []byte("kernel." + k.session + "." + msgType)
	m, err := wire.New(msgType, k.session, "kernel", parent, [][]byte{topic}, content)
	if err != nil {
		k.warnf("%v", err)
		return
	}
	frames, err := m.Frames(k.signer)
	if err != nil {
		k.warnf("encoding %s: %v", msgType, err)
		return
	}
	err = k.iopub.Send(frames)
	if err != nil {
		k.warnf("publishing %s: %v", msgType, err)
	}
}

func (k *server) status(parent *wire.Header, state string) {
	k.publish(parent, wire.Status{ExecutionState: state})
}
