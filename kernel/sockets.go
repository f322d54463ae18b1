package kernel

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/subspace-kernel/subspace/kernel/wire"
	"github.com/subspace-kernel/subspace/kernel/zmtp"
)

// bind creates the five sockets and binds them to the connection's ports,
// on the transports of package zmtp.
func (k *server) bind(ctx context.Context) error {
	zmtp.Register()
	id := zmq4.WithID(zmq4.SocketIdentity("subspace-" + k.session[:8]))
	k.shell = zmq4.NewRouter(ctx, id)
	k.control = zmq4.NewRouter(ctx, id)
	k.stdin = zmq4.NewRouter(ctx, id)
	k.iopub = zmq4.NewPub(ctx, id)
	k.hb = zmq4.NewRouter(ctx, id)
	for _, s := range []struct {
		name string
		sock zmq4.Socket
		port int
	}{{"shell", k.shell, k.ci.ShellPort}, {"control", k.control, k.ci.ControlPort},
		{"stdin", k.stdin, k.ci.StdinPort}, {"iopub", k.iopub, k.ci.IOPubPort}, {"hb", k.hb, k.ci.HBPort}} {
		ep := k.ci.Endpoint(s.port)
		if err := s.sock.Listen(zmtp.Endpoint(ep)); err != nil {
			return fmt.Errorf("kernel: binding %s socket to %s: %w", s.name, ep, err)
		}
		k.debugf("%s socket bound to %s", s.name, ep)
	}
	return nil
}

func (k *server) closeSockets() {
	for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub, k.hb} {
		if s != nil {
			s.Close()
		}
	}
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
func (k *server) readLoop(ctx context.Context, sock zmq4.Socket, name string, handle func(*wire.Message)) {
	for {
		zm, err := sock.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			k.debugf("%s: receive: %v", name, err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		msg, err := wire.Parse(zm.Frames, k.signer)
		if err != nil {
			k.warnf("%s: dropping message: %v", name, err)
			continue
		}
		k.debugf("%s: received %s %s", name, msg.Header.MsgType, msg.Header.MsgID)
		handle(msg)
	}
}

// send signs and sends msg on a ROUTER socket.
func (k *server) send(sock zmq4.Socket, mu *sync.Mutex, msg *wire.Message) {
	frames, err := msg.Frames(k.signer)
	if err != nil {
		k.warnf("encoding %s: %v", msg.Header.MsgType, err)
		return
	}
	mu.Lock()
	err = sock.SendMulti(zmq4.NewMsgFrom(frames...))
	mu.Unlock()
	if err != nil {
		k.warnf("sending %s: %v", msg.Header.MsgType, err)
		return
	}
	k.debugf("sent %s", msg.Header.MsgType)
}

// reply answers req on sock (the socket it came from).
func (k *server) reply(sock zmq4.Socket, mu *sync.Mutex, req *wire.Message, content wire.Content) {
	m, err := wire.New(content.MsgType(), k.session, "kernel", &req.Header, req.Identities, content)
	if err != nil {
		k.warnf("%v", err)
		return
	}
	k.send(sock, mu, m)
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
	k.iopubMu.Lock()
	err = k.iopub.SendMulti(zmq4.NewMsgFrom(frames...))
	k.iopubMu.Unlock()
	if err != nil {
		k.warnf("publishing %s: %v", msgType, err)
	}
}

func (k *server) status(parent *wire.Header, state string) {
	k.publish(parent, wire.Status{ExecutionState: state})
}
