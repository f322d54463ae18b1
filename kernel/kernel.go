// Package kernel is the Jupyter kernel server: it binds the five ZeroMQ
// sockets of a connection file (shell, control, iopub, stdin, heartbeat),
// answers the requests of the messaging protocol 5.3 and drives an Engine
// (the cell interpreter) for execute, complete, inspect and is_complete
// requests.
//
// Shell requests are processed one at a time, in order; control requests
// (interrupt, shutdown, kernel_info) are handled on their own goroutine, so
// an interrupt reaches a running cell. Every request is wrapped in iopub
// status busy/idle messages. Messages with a bad signature or invalid JSON
// are logged to stderr and dropped.
package kernel

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/subspace-kernel/subspace/display"
	"github.com/subspace-kernel/subspace/kernel/wire"
	"github.com/subspace-kernel/subspace/kernel/zmtp"
	"github.com/traefik/yaegi/interp"
)

// Version is the kernel's implementation version (kernel_info_reply).
const Version = "0.1.0"

// Option configures Run.
type Option func(*config)

type config struct {
	engine  EngineFactory
	symbols []interp.Exports
	logger  *log.Logger
	debug   bool
	banner  string
	signals bool
}

// WithEngine sets the factory of the cell engine. Required.
func WithEngine(f EngineFactory) Option { return func(c *config) { c.engine = f } }

// WithSymbols adds symbol tables of compiled packages cells may import;
// they are passed to the engine factory in EngineConfig.Symbols.
func WithSymbols(s ...interp.Exports) Option {
	return func(c *config) { c.symbols = append(c.symbols, s...) }
}

// WithLogger sends the kernel's log to l instead of stderr.
func WithLogger(l *log.Logger) Option { return func(c *config) { c.logger = l } }

// WithDebug turns verbose logging (every message) on or off; the default
// is on when the environment has SUBSPACE_DEBUG=1.
func WithDebug(on bool) Option { return func(c *config) { c.debug = on } }

// WithBanner sets the banner of kernel_info_reply.
func WithBanner(b string) Option { return func(c *config) { c.banner = b } }

// WithSignals makes SIGINT interrupt the running cell instead of killing
// the process, and makes the kernel stop when the parent process named by
// JPY_PARENT_PID (set by jupyter_client) exits. This is what the subspace
// binary wants; it is off by default so that tests running kernels
// in-process keep their own signal handling.
func WithSignals(on bool) Option { return func(c *config) { c.signals = on } }

// request is the shell request being executed.
type request struct {
	msg        *wire.Message
	allowStdin bool
	ctx        context.Context
	cancel     context.CancelFunc
}

// server is a running kernel (see Run): its sockets, engine and state.
type server struct {
	cfg     config
	ci      wire.ConnectionInfo
	signer  *wire.Signer
	session string
	log     *log.Logger

	shell, control, stdin, iopub, hb zmq4.Socket
	shellMu, controlMu, stdinMu      sync.Mutex
	iopubMu                          sync.Mutex

	engine    Engine
	execCount int
	history   history
	streams   *streams

	curMu      sync.Mutex
	cur        *request     // executing shell request, or nil
	outParent  *wire.Header // parent of stream/display output: the last execute request
	inputReply chan *wire.Message

	shellQ   chan *wire.Message
	done     chan struct{}
	doneOnce sync.Once
}

// Run starts a kernel for the connection file and serves until a
// shutdown_request arrives or ctx is cancelled. Errors binding sockets or
// creating the engine are returned; errors in messages are logged and never
// stop the kernel.
func Run(ctx context.Context, connectionFile string, opts ...Option) error {
	ci, err := wire.ReadConnectionFile(connectionFile)
	if err != nil {
		return err
	}
	return RunConnection(ctx, ci, opts...)
}

// RunConnection is Run with an already parsed connection.
func RunConnection(ctx context.Context, ci wire.ConnectionInfo, opts ...Option) error {
	cfg := config{debug: os.Getenv("SUBSPACE_DEBUG") == "1"}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.engine == nil {
		return errors.New("kernel: no engine (use WithEngine)")
	}
	if cfg.logger == nil {
		cfg.logger = log.New(os.Stderr, "subspace: ", log.Ltime|log.Lmicroseconds)
	}
	if cfg.banner == "" {
		cfg.banner = fmt.Sprintf("subspace %s: Go %s interpreted by yaegi", Version, runtime.Version())
	}
	signer, err := wire.NewSigner(ci.SignatureScheme, ci.Key)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	k := &server{
		cfg:        cfg,
		ci:         ci,
		signer:     signer,
		session:    wire.NewID(),
		log:        cfg.logger,
		inputReply: make(chan *wire.Message, 1),
		shellQ:     make(chan *wire.Message, 4096),
		done:       make(chan struct{}),
	}
	k.history.session = 1
	k.streams = &streams{k: k}
	if err := k.bind(ctx); err != nil {
		k.closeSockets()
		return err
	}
	defer k.closeSockets()

	eng, err := cfg.engine(EngineConfig{
		Stdout:  streamWriter{k.streams, "stdout"},
		Stderr:  streamWriter{k.streams, "stderr"},
		Stdin:   &stdinReader{k: k},
		Symbols: cfg.symbols,
	})
	if err != nil {
		return fmt.Errorf("kernel: creating the engine: %w", err)
	}
	k.engine = eng
	display.SetPublisher(publisher{k})
	defer display.SetPublisher(nil)

	k.publish(nil, "status", map[string]any{"execution_state": "starting"})

	if cfg.signals {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGINT)
		defer signal.Stop(sigs)
		go func() {
			for {
				select {
				case <-sigs:
					k.debugf("SIGINT: interrupting the running cell")
					k.interrupt()
				case <-ctx.Done():
					return
				}
			}
		}()
	}

	if pid, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID")); err == nil && pid > 1 && cfg.signals {
		go k.watchParent(ctx, pid)
	}

	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); k.heartbeat(ctx) }()
	go func() { defer wg.Done(); k.readLoop(ctx, k.shell, "shell", func(m *wire.Message) { k.shellQ <- m }) }()
	go func() { defer wg.Done(); k.readLoop(ctx, k.control, "control", k.handleControl) }()
	go func() { defer wg.Done(); k.readLoop(ctx, k.stdin, "stdin", k.handleStdin) }()
	go k.shellLoop(ctx)

	select {
	case <-ctx.Done():
	case <-k.done:
	}
	k.interrupt()
	k.streams.Flush()
	// Let queued iopub messages (the last idle status) leave.
	time.Sleep(50 * time.Millisecond)
	cancel()
	k.closeSockets()
	waitTimeout(&wg, time.Second)
	return nil
}

func waitTimeout(wg *sync.WaitGroup, d time.Duration) {
	c := make(chan struct{})
	go func() { wg.Wait(); close(c) }()
	select {
	case <-c:
	case <-time.After(d):
	}
}

// watchParent stops the kernel when the process that started it (Jupyter's
// JPY_PARENT_PID) has gone: this process is then re-parented.
func (k *server) watchParent(ctx context.Context, pid int) {
	if os.Getppid() != pid {
		return // started through a wrapper: nothing reliable to watch
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if os.Getppid() != pid {
				k.warnf("parent process %d exited: shutting down", pid)
				k.stop()
				return
			}
		}
	}
}

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
func (k *server) reply(sock zmq4.Socket, mu *sync.Mutex, req *wire.Message, msgType string, content any) {
	m, err := wire.New(msgType, k.session, "kernel", &req.Header, req.Identities, content)
	if err != nil {
		k.warnf("%v", err)
		return
	}
	k.send(sock, mu, m)
}

// publish sends a message on iopub with parent as parent header.
func (k *server) publish(parent *wire.Header, msgType string, content any) {
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
	k.publish(parent, "status", map[string]any{"execution_state": state})
}

// interrupt cancels the running cell, if any.
func (k *server) interrupt() {
	k.curMu.Lock()
	defer k.curMu.Unlock()
	if k.cur != nil {
		k.cur.cancel()
	}
}

func (k *server) current() *request {
	k.curMu.Lock()
	defer k.curMu.Unlock()
	return k.cur
}

func (k *server) outputParent() *wire.Header {
	k.curMu.Lock()
	defer k.curMu.Unlock()
	return k.outParent
}

func (k *server) setCurrent(r *request) {
	k.curMu.Lock()
	defer k.curMu.Unlock()
	k.cur = r
	if r != nil {
		h := r.msg.Header
		k.outParent = &h
	}
}
