// Package kernel is the Jupyter kernel server: it binds the five ZeroMQ
// sockets of a connection file (shell, control, iopub, stdin, heartbeat),
// answers the requests of the messaging protocol 5.3 and drives an
// api.Engine for execute, complete, inspect and is_complete requests. It
// knows the protocol, MIME bundles and the Engine interface, nothing of
// what runs the cells (package engine, wired by cmd/subspace).
//
// Shell requests are processed one at a time, in order; control requests
// (interrupt, shutdown, kernel_info, comm_info) are handled on their own
// goroutine, so an interrupt reaches a running cell, and control accepts
// the other requests of shell too (queued with them). Every request is
// wrapped in iopub status busy/idle messages. Messages with a bad
// signature, a signature seen before (a replay) or invalid JSON are
// dropped, and logged to stderr at a bounded rate. The sockets come from
// package transport (libzmq or the guarded pure Go ZeroMQ).
package kernel

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/subspace-kernel/subspace/api"
	"github.com/subspace-kernel/subspace/kernel/transport"
	"github.com/subspace-kernel/subspace/kernel/wire"
)

// Version is the kernel's implementation version (kernel_info_reply).
const Version = "0.1.0"

// Option configures Run.
type Option func(*config)

type config struct {
	engine    EngineFactory
	logger    *log.Logger
	debug     bool
	banner    string
	signals   bool
	transport transport.Backend
}

// WithEngine sets the factory of the cell engine. Required.
func WithEngine(f EngineFactory) Option { return func(c *config) { c.engine = f } }

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

// WithTransport chooses the ZeroMQ implementation under the sockets (see
// package transport); the default is transport.Default().
func WithTransport(b transport.Backend) Option { return func(c *config) { c.transport = b } }

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

	shell, control, stdin, iopub, hb transport.Socket
	closeOnce                        sync.Once

	engine    api.Engine
	execCount int
	history   history
	streams   *streams

	curMu      sync.Mutex
	cur        *request     // executing shell request, or nil
	outParent  *wire.Header // parent of stream/display output: the last execute request
	inputReply chan *wire.Message

	replays *wire.Replays // signatures seen, against replays
	drops   dropLog       // rate limit of the log of dropped messages

	shellQ   chan call // requests for the shell loop (from shell or control)
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

// newConfig applies opts to the defaults.
func newConfig(opts []Option) (config, error) {
	cfg := config{debug: os.Getenv("SUBSPACE_DEBUG") == "1", transport: transport.Default()}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.engine == nil {
		return cfg, errors.New("kernel: no engine (use WithEngine)")
	}
	if cfg.logger == nil {
		cfg.logger = log.New(os.Stderr, "subspace: ", log.Ltime|log.Lmicroseconds)
	}
	if cfg.banner == "" {
		cfg.banner = fmt.Sprintf("subspace %s: Go %s", Version, runtime.Version())
	}
	return cfg, nil
}

// RunConnection is Run with an already parsed connection.
func RunConnection(ctx context.Context, ci wire.ConnectionInfo, opts ...Option) error {
	cfg, err := newConfig(opts)
	if err != nil {
		return err
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
		shellQ:     make(chan call, 4096),
		replays:    wire.NewReplays(0),
		done:       make(chan struct{}),
	}
	k.history.session = 1
	k.streams = &streams{k: k}
	if err := k.bind(); err != nil {
		k.closeSockets()
		return err
	}
	defer k.closeSockets()

	eng, err := cfg.engine(EngineConfig{Sink: sink{k}})
	if err != nil {
		return fmt.Errorf("kernel: creating the engine: %w", err)
	}
	k.engine = eng

	k.publish(nil, wire.Status{ExecutionState: "starting"})

	if cfg.signals {
		defer k.watchProcess(ctx)()
	}

	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); k.heartbeat(ctx) }()
	go func() { defer wg.Done(); k.readLoop(ctx, k.shell, "shell", k.queueShell) }()
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
